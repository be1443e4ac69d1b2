/**
 * What printEdition (print-pdf.ts) takes and returns, and the constants its passes share: the options
 * Chromium prints with, the CSS every print carries, the names of the files written beside print.html.
 */
import type { PDFOptions } from 'puppeteer';
import type { VFile } from 'vfile';
import type { FontSet } from '../fonts/fonts.ts';
import { FIT_WIDE_CSS } from './fit-wide.ts';
import { LINE_GRID_CSS } from './line-grid.ts';
import { MAKE_UP_CSS, type MakeUpResult } from './make-up.ts';
import type { SpanKeepResult } from './span-keeps.ts';
import type { PageLayout } from './page-css.ts';
import { PAGE_NOTES_CSS } from './page-notes.ts';
import type { PartInfo, SectionInfo } from './page-scripts.ts';
import type { PrintPart } from '../html/print-parts.ts';
import type { PrintCopy } from '../html/print-copy.ts';
import type { BrowserSession } from './browser.ts';
import type { FontCache } from './font-cache.ts';
import type { PdfMetadata } from './pdf-metadata.ts';

/** How the late parts are printed: with print 2 when they can be (a print fewer), or always alone. */
export type LatePartsStrategy = 'with-front' | 'alone';

export interface PrintEditionOptions {
  session: BrowserSession;
  /** The edition's staging folder: print.html and site/. Only files in it may load. */
  dir: string;
  /** File name of the PDF inside `dir`. */
  output: string;
  /** Diagnostics are reported on this file. */
  file: VFile;
  layout: PageLayout;
  /**
   * The PDF variant of the page CSS for the body parts found in print.html: `pageCss(…, 'pdf')`; with
   * the yearbook's 分目 for the furniture print (their right-hand running heads).
   */
  pageCss: (parts: readonly PartInfo[], sections?: readonly SectionInfo[]) => string;
  /**
   * The body parts of print.html as the build rendered it (build/render-site.ts `printParts`): the page is
   * laid out with their page CSS from its first load. Default: read from print.html parsed (hast,
   * html/print-parts.ts `printPartsOfTree`).
   */
  parts?: readonly PrintPart[];
  /**
   * What the build rendered print.html from, for the PDF copy (html/print-copy.ts): the copy is rendered
   * from it. Default: print.html parsed (hast) and changed on its tree (print-html.ts `preparePrintTree`).
   */
  copy?: PrintCopy;
  /**
   * How the copy the page loads (PDF_HTML) is written into `dir`: the staging folder's writer, so that a
   * test that stands in for the disk (html/write-output.ts OutputIo) sees it too. Default: node:fs.
   */
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
  fonts: FontSet;
  /** Metadata; `producer` gets the browser version appended. */
  metadata: PdfMetadata;
  /** The outline's entry for the table of contents, in the edition's words (locale key `contents`). */
  contentsTitle: string;
  /**
   * Text computed from the final page count for elements with these ids (`[data-page-of]` on themselves):
   * the imprint's 印张 and 字数 (press/imprint-page.ts). Default: none.
   */
  pageFacts?: (pages: number) => Record<string, string>;
  /** Called with the number of pages printed so far (and the final count). */
  onPages?: (pages: number, total?: number) => void;
  /**
   * Called once the print fonts are cut when the print leaves a core free (fewer tabs than cores): from
   * then on this thread mostly waits for Chromium, so the build starts its other work then (the EPUB).
   * Not called when every core prints. Default: none.
   */
  onSpareCore?: () => void;
  /**
   * The chapters' source files (`file.data.chapter` set): a blocked request is reported at the chapter
   * line that names its URL, or at the chapter whose section asked for it. Default: none (print.html).
   */
  sources?: readonly VFile[];
  /**
   * Tabs that print the body's runs at once (parallel-print.ts). Default: one per core (at most 4). The
   * PDF's bytes do not depend on it.
   */
  printTabs?: number;
  /**
   * Runs print 1 is cut into (parallel-print.ts `printRuns`). Default: from the size of print.html (1
   * for a book under 1 MB). The tests set it to cut a small book.
   */
  printRuns?: number;
  /**
   * Page make-up before the first print (make-up.ts): the locale's table label (表{n}) and continuation
   * label (续表{n}), and whether a change lays out only the rest of its part again (`tail`, default true).
   * Default: none (Chromium breaks tables and pushes figures as it does).
   */
  makeUp?: { tableLabel: string; continuedLabel: string; tail?: boolean };
  /**
   * Keep a heading that spans a multi-column part's columns with what follows it (span-keeps.ts). Default:
   * true; false only to compare (ANNALS_SPAN_KEEPS=0, print-switches.ts).
   */
  spanKeeps?: boolean;
  /**
   * Notes at the foot of their page (page-notes.ts), numbered on each page with these markers. Default:
   * none (the notes stay at the end of each chapter, as in print.html).
   */
  pageNotes?: { markers: 'circled' | 'numeric' };
  /**
   * How the late parts (an index, a part with a `:pageref`) are printed (pass-settle-late.ts):
   * `'with-front'` prints them together with print 2 when the front matter shows no page inside them but
   * their first, and falls back to the plain path otherwise (pass-late-with-front.ts); `'alone'` always
   * takes the plain path (the late parts printed alone until their numbers settle, then print 2). The
   * pages and their text are the same either way; 'with-front' saves a print. Default: `'with-front'`.
   */
  lateParts?: LatePartsStrategy;
  /**
   * Cut and joined font programs of earlier prints (font-cache.ts): the build cache's folder gives one.
   * The PDF's bytes do not depend on it. Default: none (every font is cut again).
   */
  fontCache?: FontCache;
}

export interface PrintResult {
  ok: boolean;
  /** Pages of the final PDF. */
  pages: number;
  /** Milliseconds per stage (bench/pdf.ts prints them). */
  timings: Record<string, number>;
  bytes: number;
  /**
   * Prints repeated because the print asked for a font slice that was not loaded (font-loading.ts
   * `printWithFonts`; 0 normally; bench/pdf.ts shows it).
   */
  reprints: number;
  /** Chromium prints made (reprints included): 2 for a book without late parts, and for one with them whose print 2 took them along. */
  prints: number;
  /** Print 2 was made together with the late parts (the index …), saving a print. */
  lateWithFront: boolean;
  /** Tabs that printed the body at the same time (parallel-print.ts; 1: one tab). */
  tabs: number;
  /** Runs the body was printed in (parallel-print.ts; 1: one print of the body). */
  runs: number;
  /** What the page make-up pass changed (make-up.ts); undefined when it did not run. */
  makeUp?: MakeUpResult;
  /** The column-spanning headings measured and given a page break (span-keeps.ts). */
  spanKeeps?: SpanKeepResult;
}

const PRINT_TIMEOUT_MS = 10 * 60_000;
/** Every tab's page load waits at most this long (a print has PDF_OPTIONS.timeout). */
export const LOAD_TIMEOUT_MS = PRINT_TIMEOUT_MS;
/** The copy of print.html that is printed (with the PDF page CSS); removed afterwards. */
export const PDF_HTML = '.print-pdf.html';
/** The print fonts (print-fonts.ts) and their stylesheet, beside PDF_HTML while printing. */
export const PRINT_FONTS = '.print-fonts';
/** Same width as any folio up to 999: the contents give page numbers a fixed-width slot anyway. */
export const PLACEHOLDER = '000';
/** At most this many prints of one thing while it asks for font slices not yet loaded (font-loading.ts). */
export const MAX_FONT_PRINTS = 3;

/**
 * The CSS of the passes run in the page before the first print, together as the print has it. Their
 * classes share one page: each pass names its own (a `.annals-keep` meaning "do not break" in one and
 * "no wrap" in another once set a floated table's notes on one line and shrank the whole print to 67 %).
 */
export const PASSES_CSS = `${FIT_WIDE_CSS}${LINE_GRID_CSS}${MAKE_UP_CSS}${PAGE_NOTES_CSS}`;

/** Appended to the page CSS of every print: the furniture pages' breaks, and the passes' CSS. */
export const FURNITURE_CSS = `
.annals-furniture { break-before: page; height: 1px; margin: 0; padding: 0; }
${PASSES_CSS}`;
/** The second print is drawn over the first: nothing may paint the page's background. */
export const TRANSPARENT_CSS = `html, body { background: transparent !important; }\n`;

export const PDF_OPTIONS: PDFOptions = {
  preferCSSPageSize: true,
  printBackground: true,
  tagged: true,
  // The outline is built from the contents (with 第一章 labels) by assemble-pdf.ts.
  outline: false,
  waitForFonts: true,
  timeout: PRINT_TIMEOUT_MS,
};

/** Print 2 is drawn over the body pages: no page background (the paper is white anyway). */
export const SECOND_OPTIONS: PDFOptions = { ...PDF_OPTIONS, omitBackground: true };
