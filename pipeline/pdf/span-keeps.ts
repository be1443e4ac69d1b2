/**
 * Headings that span the columns of a multi-column part keep with their section (docs/pdf.md, "Line
 * grid, keeps and page-bottom notes"). The rule: a heading never ends a page and carries at least two
 * lines of its section with it. Chromium honours `break-after: avoid` on a heading in a single column,
 * but not on a column-spanning one (`column-span: all`, the yearbook's 分目 over its two columns of
 * entries): such a heading can be the last thing on a page. So, in the page before the first print,
 * each body part that holds a multi-column container with spanning headings is laid out the way the
 * print lays it out — in a box whose columns have the size of the text block, one column per page (the
 * part's own columns are then laid out inside each of them by the same fragmentation engine) — and a
 * spanning heading that has fewer than `minLines` lines of its section under it (in the first column its
 * text takes on the page), while the section goes on to a later page, starts the next page (`break-before: page`, class `annals-break-before`).
 *
 * Headings are checked in document order; what precedes a heading given a break is final, so it is taken
 * out of the measuring layout and pages count on from the heading's. Deterministic: the same page gives
 * the same breaks. Every heading given a break is returned with the page of its part it should start, and
 * pass-print-body.ts checks that against the first print's named destinations.
 */
import type { Page } from 'puppeteer';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import type { Destination } from './page-numbers.ts';
import { wholePx } from './page-css.ts';
import { runInPage } from './page-scripts.ts';

export interface SpanKeepOptions {
  /** Text block in CSS px (rounded up to the whole px the print lays out). */
  width: number;
  height: number;
  /** Lines of its section (text lines, headings not counted) a spanning heading keeps under it on its page. Default 2. */
  minLines?: number;
  /** At most this many breaks per part. Default 40. */
  maxBreaks?: number;
}

export interface KeptHeading {
  /** Id of the heading (empty when it has none: it is then not checked after the print). */
  id: string;
  /** The body part that holds it. */
  part: string;
  /** Page of the part (0: its first page) whose top it should start. */
  page: number;
}

export interface SpanKeepResult {
  /** Body parts measured (those with a spanning heading in a multi-column container). */
  parts: number;
  /** Spanning headings checked. */
  headings: number;
  /** Headings given a page break, in document order. */
  kept: KeptHeading[];
  /** Milliseconds spent in the page. */
  ms: number;
}

/**
 * In the page: measure each part with spanning headings, and give a page break to each that would end
 * its page. Argument: SpanKeepOptions with defaults filled. Returns a SpanKeepResult. Uses make-up's
 * classes (MAKE_UP_CSS): `annals-break-before` (a page break in print) and `annals-measured` (not laid
 * out in the measuring box).
 */
export const KEEP_SPANNING_HEADINGS = String.raw`(({ width, height, minLines, maxBreaks }) => {
  const t0 = performance.now();
  const gap = 40;
  const pitch = width + gap;
  const result = { parts: 0, headings: 0, kept: [] };
  const HEADINGS = 'h1, h2, h3, h4, h5, h6, header';
  const multiColumn = (el) => { const s = getComputedStyle(el); return Number(s.columnCount) > 1 || s.columnWidth !== 'auto'; };
  const spanning = (el) => el.matches(HEADINGS) && getComputedStyle(el).columnSpan === 'all';
  /** The spanning headings of a part's multi-column containers (the part itself or blocks in it). */
  const headingsOf = (part) => [part, ...part.querySelectorAll('section, div, article')]
    .filter(multiColumn)
    .flatMap((c) => [...c.children].filter(spanning));
  const parts = [...document.querySelectorAll('[data-annals-body]')]
    .map((part) => ({ part, heads: headingsOf(part) }))
    .filter((p) => p.heads.length > 0);
  if (parts.length === 0) return { ...result, ms: performance.now() - t0 };
  // The body has no screen layout (print-html.ts): it is laid out with nothing in it but the measuring
  // box, so its own styles (type size, line height) apply as they do in the print.
  const screen = document.getElementById('annals-screen');
  const screenCss = screen ? screen.textContent : '';
  if (screen) screen.textContent = '@media screen { body > :not(#annals-span-keeps) { display: none !important; } }';
  const box = document.createElement('div');
  box.id = 'annals-span-keeps';
  box.className = 'annals-measure';
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:0;top:0;width:' + width + 'px;height:' + height + 'px;column-width:' + width +
    'px;column-gap:' + gap + 'px;column-fill:auto;contain:size layout;margin:0;padding:0;border:0;visibility:hidden';
  document.body.append(box);
  const rectsOf = (el) => [...el.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
  const pageOf = (r) => Math.max(0, Math.floor((r.left - box.getBoundingClientRect().left + gap / 2) / pitch));

  /**
   * The lines of text after heading h up to the next spanning heading: how many lie under it in the
   * first column the section takes on page \`page\` (counted up to minLines), and whether any lies on a later page.
   */
  const linesAfter = (h, page) => {
    const seen = new Set();
    const range = document.createRange();
    const n = Number(getComputedStyle(h.parentElement).columnCount) || 1;
    const pageLeft = box.getBoundingClientRect().left + page * pitch;
    let first = null;
    for (let el = h.nextElementSibling; el && !spanning(el); el = el.nextElementSibling) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (t) => t.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
      });
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        // A heading of the section (an entry's title) takes a column but is no line of text: a title
        // at a column foot with its text in the next column leaves the heading without lines under it.
        const title = !!t.parentElement.closest(HEADINGS);
        range.selectNodeContents(t);
        for (const r of range.getClientRects()) {
          if (r.width === 0 && r.height === 0) continue;
          if (pageOf(r) > page) return { lines: seen.size, later: true };
          // The part's column of the line: column k starts at or right of k × width / n.
          const column = Math.floor((r.left - pageLeft + 1) / (width / n));
          first ??= column;
          if (column !== first || title) continue;
          seen.add(Math.round(r.bottom / 2));
          if (seen.size >= minLines) return { lines: seen.size, later: false };
        }
      }
    }
    return { lines: seen.size, later: false };
  };

  /** Everything before x in its part is final: not laid out in the measuring box any more. */
  const hideBefore = (x, part) => {
    for (let n = x; n && n !== part; n = n.parentElement) {
      for (let p = n.previousElementSibling; p; p = p.previousElementSibling) p.classList.add('annals-measured');
    }
  };

  for (const { part, heads } of parts) {
    result.parts++;
    const marker = document.createComment('annals-span-keeps');
    part.replaceWith(marker);
    box.append(part);
    let offset = 0;
    let breaks = 0;
    for (const h of heads) {
      result.headings++;
      const rs = rectsOf(h);
      if (rs.length === 0) continue;
      const page = pageOf(rs[rs.length - 1]);
      // A heading at the top of its page (a break would change nothing) or with its lines: kept.
      if (rs[0].top - box.getBoundingClientRect().top <= parseFloat(getComputedStyle(h).marginTop) + 1 || breaks >= maxBreaks) continue;
      const after = linesAfter(h, page);
      if (!after.later || after.lines >= minLines) continue;
      h.classList.add('annals-break-before');
      breaks++;
      const at = offset + page + 1;
      result.kept.push({ id: h.id, part: part.id, page: at });
      // What precedes it is final: pages count on from the heading's.
      hideBefore(h, part);
      const r = rectsOf(h)[0];
      offset = at - (r ? pageOf(r) : 0);
    }
    for (const e of part.querySelectorAll('.annals-measured')) e.classList.remove('annals-measured');
    marker.replaceWith(part);
  }
  box.remove();
  if (screen) screen.textContent = screenCss;
  // The first print says where the headings landed: they need named destinations.
  const targets = document.getElementById('annals-page-targets');
  for (const k of result.kept) {
    if (!k.id || !targets) continue;
    const a = document.createElement('a');
    a.setAttribute('href', '#' + k.id);
    targets.append(a);
  }
  return { ...result, ms: performance.now() - t0 };
})`;

/** The result of a pass that did not run. */
export const NO_SPAN_KEEPS: SpanKeepResult = { parts: 0, headings: 0, kept: [], ms: 0 };

/** Give a page break to every spanning heading that would end its page (KEEP_SPANNING_HEADINGS). */
export async function keepSpanningHeadings(page: Page, options: SpanKeepOptions): Promise<SpanKeepResult> {
  return runInPage<SpanKeepResult>(page, KEEP_SPANNING_HEADINGS, {
    minLines: 2, maxBreaks: 40, ...options, width: wholePx(options.width), height: wholePx(options.height),
  });
}

/**
 * Check the first print: every heading given a break must start the page of its part the measurement
 * expected. A miss (the measuring layout and the print disagreed) is a `pdf-make-up` warning naming it.
 */
export function checkSpanKeeps(result: SpanKeepResult, dests: ReadonlyMap<string, Destination>, file: VFile): number {
  let misses = 0;
  for (const k of result.kept) {
    const at = k.id ? dests.get(k.id) : undefined;
    const start = dests.get(k.part);
    if (!at || !start || at.page - start.page === k.page) continue;
    misses++;
    report(file, 'pdf-make-up', `the spanning heading ${k.id} was laid out at the top of page ${k.page + 1} of part ${k.part}, but printed on page ${at.page - start.page + 1}`);
  }
  return misses;
}
