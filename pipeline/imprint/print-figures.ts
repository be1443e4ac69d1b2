/**
 * The figures of the imprint and the cover that are computed, not typed: 开本 from the page size, 印张 and
 * 字数 from the page count, and the spine width from the page count and the paper. Pure functions; the
 * conventions are documented in docs/print-production.md.
 */
import type { BookConfig } from '../config/book-schema.ts';
import { PAPERS, type Imprint, type Paper } from '../config/imprint-schema.ts';

export interface SheetFormat {
  /** The full press sheet, e.g. 787mm×1092mm. */
  sheet: string;
  /** Pages of one side of the sheet: 16 for 16开. */
  division: number;
}

/** 开本 of the named page sizes: which full sheet they are cut from, and into how many. */
const FORMATS: Partial<Record<string, SheetFormat>> = {
  '16k': { sheet: '787mm×1092mm', division: 16 },
  '16开': { sheet: '787mm×1092mm', division: 16 },
  A4: { sheet: '880mm×1230mm', division: 16 },
  A5: { sheet: '880mm×1230mm', division: 32 },
  B5: { sheet: '1000mm×1400mm', division: 32 },
};

/** The 开本 of a book: `imprint.format` when given, else the one of its named page size (undefined otherwise). */
export function sheetFormat(page: BookConfig['page'], imprint: Pick<Imprint, 'format'> | undefined): SheetFormat | undefined {
  if (imprint?.format) return imprint.format;
  return typeof page.size === 'string' ? FORMATS[page.size] : undefined;
}

/** 787mm×1092mm 1/16 */
export function formatText(format: SheetFormat): string {
  return `${format.sheet} 1/${format.division}`;
}

/**
 * 印张 by the trade's convention: one 印张 is one side of a full sheet, `division` pages (a full sheet
 * printed on both sides is two 印张), so 印张 = pages ÷ division: 320 pages of 16开 are 20 印张. Pages
 * count every interior page, blank ones included, rounded up to an even number; the result is given in
 * quarters (20, 20.25, 20.5), rounded up.
 */
export function printedSheets(pages: number, division: number): number {
  const even = pages + (pages % 2);
  return Math.ceil((even / division) * 4) / 4;
}

export interface TypeArea {
  /** Width and height of the text block in points. */
  width: number;
  height: number;
  /** Body font size in points. */
  fontSize: number;
  /** Line height as a multiple of the font size. */
  leading: number;
}

/**
 * 字数 by the publishing convention for books (版面字数): characters a full line holds × lines a full
 * page holds × pages, every page counted as full (blank pages, figures and the front matter included),
 * in thousands, rounded up (千字). Characters per line = ⌊text width ÷ font size⌋; lines per page =
 * ⌊text height ÷ (font size × leading)⌋.
 */
export function wordCountThousands(area: TypeArea, pages: number): number {
  const perLine = Math.floor(area.width / area.fontSize + 1e-9);
  const lines = Math.floor(area.height / (area.fontSize * area.leading) + 1e-9);
  return Math.ceil((perLine * lines * pages) / 1000);
}

/**
 * Spine width in mm: leaves (pages ÷ 2, rounded up) × the paper's caliper, plus the cover board, to a
 * tenth of a millimetre (rounded up, so the spine text never overhangs).
 */
export function spineWidth(pages: number, paper: Paper, coverBoard: number): number {
  const leaves = Math.ceil(pages / 2);
  return Math.ceil((leaves * PAPERS[paper] + coverBoard) * 10 - 1e-9) / 10;
}

/**
 * The body type of the templates, for 字数: templates/base/print.css sets 10.5 pt (五号) for reports and
 * 9.5 pt for yearbooks; base.css and yearbook/layout.css the leading. Keep in step with those files.
 */
export const BODY_TYPE = {
  report: { fontSize: 10.5, leading: 1.8 },
  yearbook: { fontSize: 9.5, leading: 1.65 },
} as const;

/** Pages of print.html before the 扉页: the cover and its blank verso (templates/base/print.html). */
export const COVER_PAGES = 2;
