/**
 * Chinese text on a line grid, and no 孤字 (docs/pdf.md, "Line grid and keeps"). Run in the print page
 * before the first print, after the fonts are loaded and wide elements fitted:
 *
 *   1. **Grid.** print.css sets paragraphs without spacing and headings in whole lines of the body's
 *      pitch (`--pitch`); what CSS cannot round — figures, tables, boxes, formulas, code, the chapter
 *      opening, whose heights come from their content — is padded here to the next whole number of
 *      lines (half above, half below), so the text after each of them stays on the grid.
 *   2. **孤字.** A paragraph whose last line would hold a single character (a Han character, a letter
 *      or a digit; note and citation markers and punctuation do not count) gets its last two such
 *      characters and what follows them joined in a no-break span (`annals-nobreak`), so the character
 *      before comes down with it.
 *
 * Measuring needs layout, and the print page has none on screen (print-html.ts hides its body). The
 * body is shown for one screen layout at the width Chromium gives the text block in print (its CSS px
 * width rounded up to a whole px): line breaks depend only on the width, the fonts and the styles, which
 * are those of the print (no stylesheet of print.html is limited to
 * `@media print`). Then it is hidden again; Chromium lays it out for print as before. The same page gives
 * the same measurements, so the result is deterministic.
 */
import type { Page } from 'puppeteer';
import { printedPx } from './page-css.ts';
import { runInPage } from './page-scripts.ts';

export interface LineGridOptions {
  /** Width of the text block in PDF points (a one-column page; columns are laid out inside it). */
  widthPt: number;
  /** Pad objects to whole lines of `--pitch`. Default: true when the page defines a pitch (zh editions). */
  grid?: boolean;
  /** Join one-character last lines. Default: true. */
  orphanChars?: boolean;
}

export interface LineGridResult {
  /** The pitch in CSS px (0: no grid). */
  pitch: number;
  /** Objects padded to whole lines. */
  padded: number;
  /** Paragraphs whose last character was joined with the one before. */
  joined: number;
}

/** In the page. Argument: `{ width, grid, orphanChars }` (width in CSS px). */
export const SETTLE_LINES = String.raw`(({ width, grid, orphanChars }) => {
  const hidden = document.getElementById('annals-screen');
  if (hidden) hidden.disabled = true;
  const bodyWidth = document.body.style.width;
  document.body.style.width = width + 'px';
  // A registered <length> computes to px.
  const raw = getComputedStyle(document.body).getPropertyValue('--pitch').trim();
  const pitchPx = raw.endsWith('px') ? parseFloat(raw) : 0;
  let padded = 0;
  let joined = 0;
  const body = '[data-annals-body]';
  // 1. Pad objects to whole lines (all measured first, then changed: one layout).
  if (grid && pitchPx > 0) {
    const objects = [...document.querySelectorAll(body + ' > :is(header.chapter-header, figure, aside.box, div.equation, div.math-display, pre, blockquote, table)')];
    const heights = objects.map((el) => el.getBoundingClientRect().height);
    objects.forEach((el, i) => {
      const h = heights[i];
      if (!(h > 0)) return;
      const lines = Math.ceil(h / pitchPx - 0.02);
      const extra = lines * pitchPx - h;
      if (extra < 0.25) return;
      const style = getComputedStyle(el);
      const half = Math.floor(extra * 32) / 64; // LayoutUnit steps: the two halves add up exactly
      el.style.paddingTop = 'calc(' + style.paddingTop + ' + ' + half + 'px)';
      el.style.paddingBottom = 'calc(' + style.paddingBottom + ' + ' + (extra - half) + 'px)';
      padded++;
    });
  }
  // 2. 孤字: the last line of a paragraph holding a single character.
  if (orphanChars) {
    const content = /[\p{L}\p{N}]/u;
    const skip = 'a.note-ref, a.citation, sup, .sr-only, [aria-hidden="true"]';
    const range = document.createRange();
    const middle = (node, i) => {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      const r = rects[rects.length - 1];
      return r && r.height > 0 ? (r.top + r.bottom) / 2 : undefined;
    };
    // Paragraphs, and the chronicle's event texts (大事记: a <dd> each, set in two columns).
    const paragraphs = document.querySelectorAll(body + ' :is(p, dd.chronicle-text):not(figure p, .chapter-header p, td p, th p, .toc p, p.source, p.note, p.table-unit, p.entry-credit)');
    const fixes = [];
    for (const p of paragraphs) {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement && n.parentElement.closest(skip) && p.contains(n.parentElement.closest(skip)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      // The last two content characters, from the end (characters, not UTF-16 units).
      const found = [];
      const texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      for (let t = texts.length - 1; t >= 0 && found.length < 2; t--) {
        const value = texts[t].data;
        for (let i = value.length - 1; i >= 0 && found.length < 2; i--) {
          let start = i;
          if (i > 0 && /[\uDC00-\uDFFF]/.test(value[i]) && /[\uD800-\uDBFF]/.test(value[i - 1])) start = i - 1;
          if (content.test(value.slice(start, i + 1))) found.push({ node: texts[t], start, end: i + 1 });
          i = start;
        }
      }
      if (found.length < 2) continue;
      const [last, before] = found;
      range.setStart(last.node, last.start);
      range.setEnd(last.node, last.end);
      const lastRect = [...range.getClientRects()].pop();
      range.setStart(before.node, before.start);
      range.setEnd(before.node, before.end);
      const beforeRect = [...range.getClientRects()].pop();
      if (!lastRect || !beforeRect) continue;
      const lineOf = (r) => (r.top + r.bottom) / 2;
      // The very end of the paragraph (punctuation, a marker) may sit on a line of its own too.
      const endRange = document.createRange();
      endRange.selectNodeContents(p);
      const endRects = [...endRange.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      const endLine = endRects.length ? Math.max(...endRects.map(lineOf)) : lineOf(lastRect);
      const tolerance = Math.max(2, (lastRect.bottom - lastRect.top) / 2);
      if (Math.abs(lineOf(lastRect) - lineOf(beforeRect)) <= tolerance && Math.abs(endLine - lineOf(lastRect)) <= tolerance) continue;
      fixes.push({ p, before });
    }
    // Changed after all were measured (one layout).
    for (const { p, before } of fixes) {
      const keep = document.createRange();
      keep.setStart(before.node, before.start);
      keep.setEnd(p, p.childNodes.length);
      const span = document.createElement('span');
      span.className = 'annals-nobreak';
      span.append(keep.extractContents());
      // An element cut in two keeps its id on the part that stays in place.
      for (const el of span.querySelectorAll('[id]')) if (document.getElementById(el.id)) el.removeAttribute('id');
      keep.insertNode(span);
      joined++;
    }
  }
  document.body.style.width = bodyWidth;
  if (hidden) hidden.disabled = false;
  return { pitch: pitchPx, padded, joined };
})`;

/** The CSS the joined characters need (added to the print page's CSS). */
export const LINE_GRID_CSS = `
span.annals-nobreak { white-space: nowrap; }
`;

export async function settleLines(page: Page, options: LineGridOptions): Promise<LineGridResult> {
  return runInPage<LineGridResult>(page, SETTLE_LINES, {
    // Chromium lays a printed page out at a whole number of CSS px: the text block's width rounded up
    // (measured on 16开, A4 and other sizes with 10–25 mm margins: a justified line ends there).
    width: printedPx(options.widthPt),
    grid: options.grid ?? true,
    orphanChars: options.orphanChars ?? true,
  });
}
