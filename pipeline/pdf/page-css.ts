/**
 * The `@page` rules of an edition, generated from book.yaml's `page:` block: size, margins (inside =
 * binding edge), running heads (book title on left pages, chapter title on right pages — one named page
 * per chapter, since Chromium has no `string-set`), folios, and two columns for yearbooks.
 *
 * Two variants of the same rules:
 * - `standalone` goes into print.html, so printing that file from any Chromium gives a sensible book;
 * - `pdf` is what the PDF stage prints with. Body pages are laid out with symmetric margins (the mean of
 *   inside and outside) and no margin boxes; the running heads are printed afterwards, once per head
 *   and side, on "furniture" pages with the real mirrored margins, and the folios are set from a
 *   printed sample (running-heads.ts, `runningHeadCss`); each body page is shifted towards its binding
 *   edge (see assemble-pdf.ts). Page breaks depend only on the text block's size, which both variants
 *   share.
 */
import type { BookConfig } from '../config/book-schema.ts';
import { PAGE_SIZES } from '../config/book-schema.ts';
import type { FontSet } from '../fonts/fonts.ts';

export interface Length {
  css: string;
  pt: number;
}

export interface PageLayout {
  width: Length;
  height: Length;
  top: Length;
  bottom: Length;
  inside: Length;
  outside: Length;
  /** Mean of inside and outside: the side margins of pages printed by the `pdf` variant. */
  side: Length;
  recto: boolean;
  columns: 1 | 2;
}

const PT_PER: Record<string, number> = { mm: 72 / 25.4, cm: 720 / 25.4, in: 72, pt: 1, px: 0.75 };

/**
 * Chromium lays a printed page out at whole CSS px, rounded up: a 145 mm text block is 549 px wide and a
 * 216 mm one holds 817 px (measured by printing blocks of known size). The passes that measure the book
 * before printing (line grid, page notes, make-up) measure at that size.
 */
export const wholePx = (px: number): number => Math.ceil(px - 1e-6);
/** A length in pt as the print lays it out, in whole CSS px (see wholePx). */
export const printedPx = (pt: number): number => wholePx((pt * 96) / 72);

export function length(css: string): Length {
  const m = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|px)$/.exec(css.trim());
  if (!m) throw new Error(`not a CSS length: ${css}`);
  return { css: css.trim(), pt: Number(m[1]) * PT_PER[m[2]!]! };
}

const pt = (value: number): Length => ({ css: `${round(value)}pt`, pt: value });
const round = (n: number) => Math.round(n * 1000) / 1000;

export function pageLayout(page: BookConfig['page']): PageLayout {
  const size = typeof page.size === 'string' ? PAGE_SIZES[page.size] : page.size;
  const inside = length(page.margins.inside);
  const outside = length(page.margins.outside);
  return {
    width: length(size.width),
    height: length(size.height),
    top: length(page.margins.top),
    bottom: length(page.margins.bottom),
    inside,
    outside,
    side: pt((inside.pt + outside.pt) / 2),
    recto: page.rectoChapters,
    columns: page.columns,
  };
}

export interface PageCssInput {
  layout: PageLayout;
  /** Running head of left pages. */
  bookTitle: string;
  /** Body parts (chapters, then back matter) in book order by section id; `runningHead` goes on their right pages. */
  parts: ReadonlyArray<{ id: string; runningHead: string }>;
  /**
   * Yearbook 分目 (pdf variant only): their pages show `<part's running head> · <title>` on the right,
   * e.g. 网络安全 · 关键信息基础设施保护 (page-plan.ts decides which pages are theirs).
   */
  sections?: ReadonlyArray<{ id: string; part: string; title: string }>;
  fonts: FontSet;
}

export type PageCssMode = 'standalone' | 'pdf';

/** Named pages. Pages of a chapter or back-matter part are `part-<id>`; the rest are fixed names. */
export const PAGE_NAMES = {
  cover: 'annals-cover',
  /** Title page and its verso: no folio. */
  plain: 'annals-plain',
  /** Table of contents and other front matter with a roman folio. */
  front: 'annals-front',
  /** A blank page (verso before a chapter, or after the front matter). */
  blank: 'annals-blank',
  /** The opening page of a chapter: no running head. */
  open: 'annals-open',
  /** The first body page: opening page that also restarts the folio at 1. */
  bodyStart: 'annals-body-start',
} as const;

const escapeName = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
export const partPage = (id: string) => `part-${escapeName(id)}`;
/** Pages of a part from a yearbook 分目 on (their right-hand running head names the 分目). */
export const sectionPage = (part: string, section: string) => `${partPage(part)}__s-${escapeName(section)}`;

/** Characters that counters print (folios), so the font subsetter keeps their glyphs. */
export const COUNTER_GLYPHS = '0123456789ivxlcdm';

export function pageCss(input: PageCssInput, mode: PageCssMode): string {
  const { layout: l, bookTitle, parts, fonts } = input;
  const mirrored = (side: 'left' | 'right') => mirroredMargins(l, side);
  const head = (text: string, side: 'left' | 'right') =>
    `@top-center { content: ${cssString(text)}; text-align: ${side}; vertical-align: bottom; white-space: nowrap; border-bottom: 0.5pt solid #777; padding-bottom: 1.2mm; margin-bottom: 5mm; }`;
  const folio = (side: 'left' | 'right' | 'center', style = '') => folioBox(side, `counter(page${style ? ', ' + style : ''})`);
  const pageFont = `font-family: ${fonts.heading}; font-size: 8.5pt; color: #444;`;
  const out: string[] = [];
  out.push(`/* Page layout from book.yaml, generated by Annals (${mode}). Folio glyphs: ${COUNTER_GLYPHS} */`);

  if (mode === 'standalone') {
    out.push(
      `@page { size: ${l.width.css} ${l.height.css}; margin: ${l.top.css} ${l.outside.css} ${l.bottom.css} ${l.inside.css}; ${pageFont} }`,
      `@page :right { ${mirrored('right')} ${folio('right')} }`,
      `@page :left { ${mirrored('left')} ${folio('left')} }`,
    );
  } else {
    // Every page the pdf variant lays out has the same text block, centred; see the file comment.
    out.push(`@page { size: ${l.width.css} ${l.height.css}; margin: ${l.top.css} ${l.side.css} ${l.bottom.css} ${l.side.css}; ${pageFont} }`);
  }
  // Named pages outrank :left/:right, so `content: none` here removes the standalone variant's folios.
  const none = (...boxes: string[]) => boxes.map((b) => `@${b} { content: none; }`).join(' ');
  out.push(
    `@page ${PAGE_NAMES.cover} { margin: 0; ${none('top-center', 'bottom-left', 'bottom-right')} }`,
    `@page ${PAGE_NAMES.plain} { ${none('top-center', 'bottom-left', 'bottom-right')} }`,
    `@page ${PAGE_NAMES.front} { ${none('top-center', 'bottom-left', 'bottom-right')} ${folio('center', 'lower-roman')} }`,
    `@page ${PAGE_NAMES.blank} { ${none('top-center', 'bottom-left', 'bottom-right')} }`,
  );
  // Furniture pages (pdf) or the chapters themselves (standalone): running heads and folios.
  for (const side of ['right', 'left'] as const) {
    out.push(`@page ${PAGE_NAMES.open}:${side} { ${mirrored(side)} ${folio(side)} }`);
    out.push(`@page ${PAGE_NAMES.bodyStart}:${side} { ${mirrored(side)} ${folio(side)} }`);
  }
  for (const p of parts) {
    const name = partPage(p.id);
    out.push(`@page ${name}:right { ${mirrored('right')} ${head(p.runningHead, 'right')} ${folio('right')} }`);
    out.push(`@page ${name}:left { ${mirrored('left')} ${head(bookTitle, 'left')} ${folio('left')} }`);
  }
  if (mode === 'pdf') {
    const headOf = new Map(parts.map((p) => [p.id, p.runningHead]));
    for (const s of input.sections ?? []) {
      const name = sectionPage(s.part, s.id);
      const partHead = headOf.get(s.part);
      out.push(`@page ${name}:right { ${mirrored('right')} ${head(partHead ? `${partHead} · ${s.title}` : s.title, 'right')} ${folio('right')} }`);
      out.push(`@page ${name}:left { ${mirrored('left')} ${head(bookTitle, 'left')} ${folio('left')} }`);
    }
  }
  // Front matter: cover (full page), its blank verso, title page and imprint, then the contents and the
  // lists of figures and tables (the parts before the first chapter) with roman folios.
  out.push(
    `.cover { page: ${PAGE_NAMES.cover}; height: ${round(l.height.pt - 2)}pt; }`,
    `.cover-verso { page: ${PAGE_NAMES.blank}; }`,
    `.title-page, .imprint { page: ${PAGE_NAMES.plain}; }`,
    `.toc, section.matter:has(~ section.chapter) { page: ${PAGE_NAMES.front}; }`,
  );
  if (mode === 'standalone') {
    for (const p of parts) out.push(`section[id="${p.id.replace(/["\\]/g, '')}"] { page: ${partPage(p.id)}; }`);
  }
  if (l.columns === 2) {
    // Two columns for chapters made of entries (类目) and the chronicle; the chapter opening spans both.
    out.push(
      `section.chapter:is(:has(section.entry), :has(.chronicle)) { column-count: 2; column-gap: 7mm; column-rule: 0.4pt solid #bbb; }`,
      `section.chapter:is(:has(section.entry), :has(.chronicle)) > :is(.chapter-header, h2, figure.table-figure, figure.figure) { column-span: all; }`,
    );
  }
  return out.join('\n') + '\n';
}

/** Side margins of a right- or left-hand page: the inside margin at the binding edge. */
const mirroredMargins = (l: PageLayout, side: 'left' | 'right') =>
  side === 'right' ? `margin-left: ${l.inside.css}; margin-right: ${l.outside.css};` : `margin-left: ${l.outside.css}; margin-right: ${l.inside.css};`;

/** The margin box of a folio; `content` is `counter(page)` on the pages, a string in the folio sample. */
const folioBox = (side: 'left' | 'right' | 'center', content: string) => `@bottom-${side} { content: ${content}; vertical-align: top; padding-top: 5mm; }`;

/** Named page of the folio sample (running-heads.ts): the digits, set where a folio goes. */
export const FOLIO_SAMPLE_PAGE = 'annals-folio-sample';
/** What the folio sample prints: every digit, and the first again after the last (so its advance shows too). */
export const FOLIO_SAMPLE_TEXT = '01234567890';

/**
 * For the `pdf` variant's running-head print (running-heads.ts): the given named pages without their
 * folios (those are drawn per page from the folio sample), and the folio sample page, whose folio box on
 * each side holds FOLIO_SAMPLE_TEXT. Appended after `pageCss(…, 'pdf')`, which these rules override.
 */
export function runningHeadCss(layout: PageLayout, pages: ReadonlyArray<{ name: string; side: 'left' | 'right' }>): string {
  const mirrored = (side: 'left' | 'right') => mirroredMargins(layout, side);
  const out = pages.map((p) => `@page ${p.name}:${p.side} { @bottom-left { content: none; } @bottom-right { content: none; } }`);
  for (const side of ['right', 'left'] as const) {
    out.push(`@page ${FOLIO_SAMPLE_PAGE}:${side} { ${mirrored(side)} ${folioBox(side, cssString(FOLIO_SAMPLE_TEXT))} }`);
  }
  return out.join('\n') + '\n';
}

/**
 * A CSS string literal that is safe inside an HTML `<style>` element too: besides `\` and `"`, the
 * characters `<`, `>` and `&` and every control character are written as CSS escapes (`\3c `), so a
 * title such as `</style><script>` stays text in the running head and never ends the style element.
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>&'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}
