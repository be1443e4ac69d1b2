/**
 * Running heads and folios of the body pages without printing one page per body page. Every right-hand
 * page of a chapter carries the same running head, and so does every left-hand page of the book; only
 * the folio changes from page to page. So the second print (pass-front-matter.ts) holds, after the front matter:
 *
 * - one page per distinct running head and side (its named page from page-css.ts, the folio box
 *   emptied), a blank page put in front of one that would otherwise fall on the wrong side;
 * - the folio sample, on a right-hand and a left-hand page: the folio box holding `01234567890`.
 *
 * assemble-pdf.ts draws each head page over every body page that has that head (one Form XObject per
 * head), and writes each folio with the sample's own glyphs: same font, size, colour and baseline as
 * Chromium set them, each digit advanced by what Chromium advanced it, aligned to the edge Chromium
 * aligned the sample to. The result looks exactly like a page printed with its margin boxes, for any
 * number of pages, in a print of a few dozen pages.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFPage } from 'pdf-lib';
import { FOLIO_SAMPLE_PAGE, FOLIO_SAMPLE_TEXT, PAGE_NAMES } from './page-css.ts';
import type { PagePlan } from './page-plan.ts';

export type Side = 'left' | 'right';

export interface HeadPrint {
  /** Named pages of the second print after the front matter, in order. */
  pages: string[];
  /** The distinct running heads (named page and side): their folio boxes are emptied (runningHeadCss). */
  heads: Array<{ name: string; side: Side }>;
  /** Final page index → index in `pages` of the page with its running head; absent: no running head. */
  headOf: Map<number, number>;
  /** Index in `pages` of the folio sample on each side. */
  sample: Record<Side, number>;
}

/** A final page's side: page 0 (the cover, or the title page) is a right-hand page. */
export const sideOf = (k: number): Side => (k % 2 === 0 ? 'right' : 'left');

/** Named pages without a running head: blanks, chapter openings, the first body page. */
const NO_HEAD = new Set<string>([PAGE_NAMES.blank, PAGE_NAMES.open, PAGE_NAMES.bodyStart]);

/**
 * The pages of the running-head print for `plan`. `frontPages` is the number of front-matter pages
 * printed before them (the side of a page in that print is the parity of its index there). `extra`
 * heads are printed too, after the plan's (the late parts' heads on both sides, when the late parts are
 * printed in the same print and their pages are not known yet).
 */
export function headPrint(plan: PagePlan, frontPages: number, extra: ReadonlyArray<{ name: string; side: Side }> = []): HeadPrint {
  const pages: string[] = [];
  const heads: Array<{ name: string; side: Side }> = [];
  const placed = new Set<string>();
  const place = (name: string, side: Side): number => {
    if (sideOf(frontPages + pages.length) !== side) pages.push(PAGE_NAMES.blank);
    pages.push(name);
    return pages.length - 1;
  };
  const want = (name: string, side: Side) => {
    const key = `${name}:${side}`;
    if (placed.has(key)) return;
    placed.add(key);
    place(name, side);
    heads.push({ name, side });
  };
  plan.pages.forEach((p, k) => {
    if (p.kind !== 'body') return;
    const name = plan.furniture[k - frontPages]!;
    if (!NO_HEAD.has(name)) want(name, sideOf(k));
  });
  for (const { name, side } of extra) if (!NO_HEAD.has(name)) want(name, side);
  const right = place(FOLIO_SAMPLE_PAGE, 'right');
  const left = place(FOLIO_SAMPLE_PAGE, 'left');
  const headOf = headIndex(plan, frontPages, pages);
  if (!headOf) throw new Error('a running head of the plan was not placed');
  return { pages, heads, headOf, sample: { right, left } };
}

/**
 * Final page index → index in `pages` (a running-head print after `frontPages` front pages) of the page
 * with its running head, for every body page of `plan` that has one; undefined when one of them is not
 * in `pages` on its side.
 */
export function headIndex(plan: PagePlan, frontPages: number, pages: readonly string[]): Map<number, number> | undefined {
  const at = new Map<string, number>();
  pages.forEach((name, i) => {
    const key = `${name}:${sideOf(frontPages + i)}`;
    if (!at.has(key)) at.set(key, i);
  });
  const headOf = new Map<number, number>();
  for (const [k, p] of plan.pages.entries()) {
    if (p.kind !== 'body') continue;
    const name = plan.furniture[k - frontPages]!;
    if (NO_HEAD.has(name)) continue;
    const i = at.get(`${name}:${sideOf(k)}`);
    if (i === undefined) return undefined;
    headOf.set(k, i);
  }
  return headOf;
}

export interface FolioSample {
  /** Operators that set up Chromium's coordinate system (px, y downwards) and the text colour. */
  setup: string;
  /** Baseline, in that coordinate system. */
  y: number;
  /** x where a folio starts (left-hand pages), or the right edge of the folio box (right-hand pages). */
  edge: number;
  /** Per digit 0–9: the font resource it is drawn with (on the sample page), size, glyph and advance. */
  digits: Array<{ font: string; size: number; glyph: string; advance: number }>;
  /** Font resources the digits use, by their name on the sample page. */
  fonts: Map<string, PDFRef>;
}

/**
 * The folio sample as Chromium drew it: each glyph is a `<gid> Tj` after a `Tm` (the start of the line)
 * and `dx 0 Td` moves (Chromium places glyph by glyph). Throws when the page is not of that shape.
 */
export function readFolioSample(page: PDFPage, side: Side): FolioSample {
  const text = pageContent(page);
  const first = text.indexOf('BT');
  if (first < 0) throw new Error('the folio sample has no text');
  const before = text.slice(0, first);
  const matrices = [...before.matchAll(/(?:^|\s)((?:[-\d.]+\s+){6}cm)\b/g)].map((m) => m[1]);
  const colour = [...before.matchAll(/(?:^|\s)((?:[-\d.]+\s+){3}rg)\b/g)].pop()?.[1];
  const glyphs: Array<{ font: string; size: number; glyph: string; x: number; y: number }> = [];
  for (const block of text.slice(first).matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
    const body = block[1]!;
    const font = /\/(\S+)\s+([\d.]+)\s+Tf/.exec(body);
    const tm = /1\s+0\s+0\s+-1\s+([-\d.]+)\s+([-\d.]+)\s+Tm/.exec(body);
    if (!font || !tm) throw new Error('the folio sample is not drawn as expected (no font or text matrix)');
    let x = Number(tm[1]);
    for (const op of body.slice(tm.index + tm[0].length).matchAll(/([-\d.]+)\s+([-\d.]+)\s+Td|<([0-9A-Fa-f]*)>\s*Tj|(\S+)/g)) {
      if (op[1] !== undefined) {
        if (Number(op[2]) !== 0) throw new Error('the folio sample moves off its line');
        x += Number(op[1]);
      } else if (op[3] !== undefined) {
        if (op[3].length !== 4) throw new Error('the folio sample draws several glyphs at once');
        glyphs.push({ font: font[1]!, size: Number(font[2]), glyph: op[3], x, y: Number(tm[2]) });
      } else {
        throw new Error(`the folio sample uses an unexpected operator: ${op[4]}`);
      }
    }
  }
  if (glyphs.length !== FOLIO_SAMPLE_TEXT.length || !colour || glyphs.some((g) => g.y !== glyphs[0]!.y)) {
    throw new Error(`the folio sample has ${glyphs.length} glyphs on its line, not ${FOLIO_SAMPLE_TEXT.length}`);
  }
  const digits = glyphs.slice(0, 10).map((g, i) => ({ font: g.font, size: g.size, glyph: g.glyph, advance: glyphs[i + 1]!.x - g.x }));
  const fontDict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const fonts = new Map<string, PDFRef>();
  for (const d of digits) {
    const ref = fontDict?.get(PDFName.of(d.font));
    if (!(ref instanceof PDFRef)) throw new Error(`the folio sample's font ${d.font} is missing`);
    fonts.set(d.font, ref);
  }
  const last = glyphs[glyphs.length - 1]!;
  return {
    setup: [...matrices, colour].join('\n'),
    y: glyphs[0]!.y,
    // A right-aligned line starts at the box's right edge less its width in layout units.
    edge: side === 'left' ? glyphs[0]!.x : glyphs[0]!.x + layoutUnits(last.x + digits[0]!.advance - glyphs[0]!.x),
    digits,
    fonts,
  };
}

/**
 * Operators that draw `folio` (digits only) as Chromium would in the folio box of a `side` page.
 * `fontName` gives the resource name under which the page knows a sample font.
 */
export function folioOperators(sample: FolioSample, folio: string, side: Side, fontName: (font: string) => string): string {
  const digits = [...folio].map((c) => {
    const d = sample.digits[c.charCodeAt(0) - 48];
    if (!d) throw new Error(`a folio is not a number: ${folio}`);
    return d;
  });
  const width = digits.reduce((w, d) => w + d.advance, 0);
  const start = side === 'left' ? sample.edge : sample.edge - layoutUnits(width);
  const out = ['q', sample.setup, 'BT'];
  let font = '';
  let dx = 0;
  digits.forEach((d, i) => {
    if (d.font !== font) {
      font = d.font;
      out.push(`/${fontName(d.font)} ${num(d.size)} Tf`);
    }
    if (i === 0) out.push(`1 0 0 -1 ${num(start)} ${num(sample.y)} Tm`);
    else out.push(`${num(dx)} 0 Td`);
    out.push(`<${d.glyph}> Tj`);
    dx = d.advance;
  });
  out.push('ET', 'Q');
  return out.join('\n');
}

/** A width as Chromium's layout keeps it: in 1/64 px, the fraction dropped. */
const layoutUnits = (px: number) => Math.floor(px * 64 + 1e-6) / 64;

const num = (n: number) => String(Math.round(n * 1e7) / 1e7);

function pageContent(page: PDFPage): string {
  const context = page.doc.context;
  const value = page.node.get(PDFName.Contents);
  const list = value instanceof PDFRef ? context.lookup(value) : value;
  const streams = list instanceof PDFArray ? list.asArray().map((v) => context.lookup(v)) : [list];
  return streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1'))
    .join('\n');
}
