/**
 * Page make-up before the first print: tables that break well (with 续表), and figures and boxes that
 * float to the top of the next page instead of leaving the rest of a page empty (docs/pdf.md, "Page
 * make-up"). Chromium breaks a table after any row and pushes an unbreakable figure to the next page,
 * leaving a gap; it cannot say 续表 or keep three rows on each side of a break. So each body part that
 * holds a table, figure or box is laid out the way the print will lay it out — a multi-column box whose
 * columns have the size of the text block, one column per page, the same fragmentation engine as the
 * print — and the page is changed where the layout breaks a rule:
 *
 * - a table whose caption and header (and fewer than `minRows` rows) would sit at a page foot starts on
 *   the next page;
 * - a table that breaks is split into two real tables at a row that leaves at least `minRows` body rows
 *   on each side; the second starts on a new page under a continuation caption (续表8-3, Table 8-3
 *   (continued)), repeats the header, and takes the table's notes and source along; both keep the
 *   column widths of the whole table;
 * - a table with fewer than `2 × minRows` rows never breaks: it is a float like a figure;
 * - a figure, a box or a short table that was pushed to the next page with a gap above it moves down the
 *   text to the top of the next page: after the block that ends the previous page, or between the two
 *   halves of a paragraph that runs over the page break (split at the line where the page ends), and the
 *   text that followed it fills the gap. Cross-references are labels (见图3-2), so nothing else changes.
 *
 * Each change is followed by a new measurement of its part, until the part holds no fault or `maxRounds`
 * changes were made to it. Parts set in columns (the yearbook's entries) are left to Chromium (their
 * column-spanning headings are kept with their sections by span-keeps.ts). Every
 * element the pass placed at the top of a page is returned with the page (of its part) where it expects
 * it, and print-pdf.ts checks that against the first print's named destinations.
 *
 * Deterministic: the same page gives the same changes.
 */
import type { Page } from 'puppeteer';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import type { Destination } from './page-numbers.ts';
import { wholePx } from './page-css.ts';
import { runInPage } from './page-scripts.ts';
import { NOTES_IN_PART, type PageNotesResult } from './page-notes.ts';

export interface MakeUpOptions {
  /** Text block in CSS px. */
  width: number;
  height: number;
  /** The locale's table label with `{n}` (表{n}) and the continuation label (续表{n}, Table {n} (continued)). */
  tableLabel: string;
  continuedLabel: string;
  /** Body rows a table keeps on each side of a break. Default 3. */
  minRows?: number;
  /** A figure moves when the gap above it is at least this share of the text block's height. Default 0.1. */
  minGap?: number;
  /** At most this many changes per part. Default 40. */
  maxRounds?: number;
  /** After a change, lay out only the rest of the part again (what precedes the change is final). Default true. */
  tail?: boolean;
}

export interface PlacedElement {
  /** Id of the element (a continuation table gets `annals-cont-<table key>-<k>`: the table's id, or `annals-table-<n>`). */
  id: string;
  /** The body part that holds it. */
  part: string;
  /** Page of the part (0: its first page) whose top it should start. */
  page: number;
  kind: 'continued' | 'float' | 'moved';
}

export interface MakeUpResult {
  placed: PlacedElement[];
  /** Changes made, by kind. */
  splits: number;
  floats: number;
  moved: number;
  /** Parts measured. */
  parts: number;
  /** Parts still at fault after `maxRounds` changes (their ids). */
  unsettled: string[];
  /** Milliseconds spent in the page; of which the first layout of the measuring boxes. */
  ms: number;
  firstLayoutMs: number;
  /** Per part measured: its id, the changes made to it and the milliseconds spent on it. */
  partMs: Array<[string, number, number]>;
}

/** Rules the changed page needs (added to the print page's CSS). */
export const MAKE_UP_CSS = `
.annals-break-before, .annals-float-top { break-before: page; }
figure.annals-keep, aside.annals-keep { break-inside: avoid !important; }
.annals-measure .annals-break-before, .annals-measure .annals-float-top { break-before: column; }
.annals-measure .annals-measured { display: none !important; }
figure.annals-continued > figcaption.caption { margin-top: 0; }
figure.annals-bare-table { margin: 0; padding: 0; }
table.annals-fixed { table-layout: fixed; }
p.annals-split-head { text-align-last: justify; margin-bottom: 0; }
p.annals-split-tail { text-indent: 0 !important; margin-top: 0; }
`;

/**
 * In the page, before the line grid: a plain Markdown table (no :::table caption) at the top level of a
 * one-column part goes into a figure without margins, so that the make-up breaks it like a captioned
 * one — only with three rows on each side, its header repeated — and the line grid pads the figure
 * as it pads a captioned table (the make-up settles a split figure's padding). It never floats (its text
 * may say "below"), and its continuation has no caption: there is no number to continue. Returns how
 * many tables were wrapped.
 */
export const WRAP_PLAIN_TABLES = String.raw`(() => {
  let wrapped = 0;
  for (const part of document.querySelectorAll('[data-annals-body]')) {
    if (Number(getComputedStyle(part).columnCount) > 1) continue;
    for (const table of part.querySelectorAll(':scope > table')) {
      const f = document.createElement('figure');
      f.className = 'table-figure annals-bare-table';
      table.before(f);
      f.append(table);
      wrapped++;
    }
  }
  return wrapped;
})`;

/** In the page: the paragraph make-up split around float f (split-head, f, split-tail) is one again. */
const JOIN_AROUND = String.raw`const joinAround = (f) => {
    const head = f.previousElementSibling, tail = f.nextElementSibling;
    if (head && tail && head.matches('p.annals-split-head') && tail.matches('p.annals-split-tail')) {
      head.append(...tail.childNodes);
      tail.remove();
      head.classList.remove('annals-split-head');
      head.normalize();
    }
  };`;

/**
 * In the page: the piece of a split table that continuation cont continues (the first half, or the
 * continuation before it). Every piece of a table carries the table's key in \`data-annals-of\` (its id, or
 * \`annals-table-<n>\` for a table without one, n counting such tables as they are first split); something may
 * stand between two pieces (a page's note area, a float placed at the top of the continuation's page).
 */
const PIECE_BEFORE = String.raw`const pieceBefore = (cont) => {
    const key = cont.getAttribute('data-annals-of');
    if (!key) return null;
    for (let p = cont.previousElementSibling; p; p = p.previousElementSibling) {
      if (p.matches('figure.table-figure') && p.getAttribute('data-annals-of') === key) return p;
    }
    return null;
  };`;

/**
 * In the page: measure, change, measure again — the tables and floats (`floats`) and the page-bottom
 * notes (`notes`, page-notes.ts) of each part, page by page. Argument: MakeUpOptions with defaults filled,
 * `floats` (default true) and `notes` (`{ markers }`, default none). Returns a MakeUpResult with the
 * notes' PageNotesResult as `notes`.
 */
export const MAKE_UP = String.raw`(({ width, height, tableLabel, continuedLabel, minRows, minGap, maxRounds, tail, floats = true, notes = null }) => {
  ${NOTES_IN_PART}
  ${JOIN_AROUND}
  ${PIECE_BEFORE}
  const t0 = performance.now();
  const gap = 40;
  const pitch = width + gap;
  const eps = 4;
  const FLOATS = 'figure.table-figure, figure.figure, aside.box';
  // A table written without a caption (a plain Markdown table), wrapped by WRAP_PLAIN_TABLES.
  const BARE = 'figure.annals-bare-table';
  const result = { placed: [], splits: 0, floats: 0, moved: 0, parts: 0, unsettled: [] };
  const notesResult = { areas: 0, notes: 0, pairs: [], unplaced: 0, continued: 0, twoColumn: 0 };
  const REFS = 'a[data-footnote-ref]';
  const inColumns = (s) => Number(getComputedStyle(s).columnCount) > 1;
  const hasFloats = (s) => floats && !!s.querySelector(FLOATS);
  const hasNotes = (s) => !!notes && !!s.querySelector(REFS);
  const all = [...document.querySelectorAll('[data-annals-body]')];
  // A part set in two columns (yearbook entries, the chronicle) is left to Chromium, and its notes stay
  // at its end (docs/pdf.md, "Page-bottom notes").
  for (const s of all) if (hasNotes(s) && inColumns(s)) notesResult.twoColumn += s.querySelectorAll(REFS).length;
  const parts = all.filter((s) => (hasFloats(s) || hasNotes(s)) && !inColumns(s));
  if (parts.length === 0) return { ...result, ms: 0, firstLayoutMs: 0, partMs: [], notes: notesResult };
  // Each part is measured in its own box. The body has no screen layout (print-html.ts): for the
  // measurement, it is laid out with nothing in it but the boxes, so its own styles (type size, line
  // height) apply to them as they do in the print.
  const screen = document.getElementById('annals-screen');
  const screenCss = screen ? screen.textContent : '';
  if (screen) screen.textContent = '@media screen { body > :not(#annals-make-up) { display: none !important; } }';
  const holder = document.createElement('div');
  holder.id = 'annals-make-up';
  holder.setAttribute('aria-hidden', 'true');
  holder.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:visible;visibility:hidden';
  document.body.append(holder);
  const placeOf = new Map();
  const boxes = parts.map((section, k) => {
    const box = document.createElement('div');
    box.className = 'annals-measure';
    box.style.cssText = 'position:absolute;left:0;top:' + k * (height + 100) + 'px;width:' + width + 'px;height:' + height +
      'px;column-width:' + width + 'px;column-gap:' + gap + 'px;column-fill:auto;contain:size layout;margin:0;padding:0;border:0';
    // A marker keeps its place (its neighbours may be measured too).
    const marker = document.createComment('annals-make-up');
    section.replaceWith(marker);
    placeOf.set(section, marker);
    holder.append(box);
    box.append(section);
    return box;
  });
  const [prefix, suffix] = tableLabel.includes('{n}') ? tableLabel.split('{n}') : [tableLabel, ''];
  const numberOf = (label) => label.startsWith(prefix) && label.endsWith(suffix) && label.length > prefix.length + suffix.length
    ? label.slice(prefix.length, label.length - suffix.length) : label;

  const measure = (section, box) => {
    const origin = box.getBoundingClientRect();
    const rectsOf = (el) => [...el.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    const colOf = (r) => Math.max(0, Math.floor((r.left - origin.left + gap / 2) / pitch));
    const first = (el) => { const r = rectsOf(el)[0]; return r ? { col: colOf(r), top: r.top - origin.top, bottom: r.bottom - origin.top } : undefined; };
    const last = (el) => { const rs = rectsOf(el); const r = rs[rs.length - 1]; return r ? { col: colOf(r), top: r.top - origin.top, bottom: r.bottom - origin.top } : undefined; };
    return { rectsOf, colOf, first, last };
  };

  /** The element before el in the flow that is laid out (its previous sibling, or its parent's, up to the part). */
  const before = (el, section) => {
    for (let n = el; n && n !== section; n = n.parentElement) {
      for (let p = n.previousElementSibling; p; p = p.previousElementSibling) if (p.getClientRects().length > 0) return p;
    }
    return null;
  };

  const bodyRows = (table) => [...table.tBodies].flatMap((b) => [...b.rows]);

  /** Fix the column widths of a table (both halves of a split keep those of the whole). */
  const fixWidths = (table) => {
    if (table.classList.contains('annals-fixed')) return;
    const rows = [...table.rows];
    const row = rows.find((r) => [...r.cells].every((c) => c.colSpan === 1) && r.cells.length === Math.max(...rows.map((x) => [...x.cells].reduce((s, c) => s + c.colSpan, 0))));
    if (!row) return;
    const widths = [...row.cells].map((c) => c.getBoundingClientRect().width);
    const sum = widths.reduce((a, b) => a + b, 0);
    // Shares of the table's width, which never exceeds the text block: a wider table would make Chromium
    // shrink every page of the print.
    const colgroup = document.createElement('colgroup');
    for (const w of widths) {
      const col = document.createElement('col');
      col.style.width = (100 * w / sum).toFixed(4) + '%';
      colgroup.append(col);
    }
    for (const old of table.querySelectorAll(':scope > colgroup')) old.remove();
    table.prepend(colgroup);
    table.style.width = Math.min(table.getBoundingClientRect().width, width) + 'px';
    table.classList.add('annals-fixed');
  };

  /**
   * The key every piece of table figure f carries (PIECE_BEFORE): its id, or annals-table-<n> for a table
   * without one, so that no two tables share it; set on f the first time it is split.
   */
  let unnamed = 0;
  const continuations = new Map();
  const keyOf = (f) => {
    let key = f.getAttribute('data-annals-of');
    if (!key) {
      key = f.id || 'annals-table-' + (++unnamed);
      f.setAttribute('data-annals-of', key);
    }
    return key;
  };

  /** Split figure f (a table) before body row s: the rest goes into a continuation on a new page. */
  const split = (f, table, s) => {
    fixWidths(table);
    const rows = bodyRows(table);
    const cont = document.createElement('figure');
    cont.className = f.className + ' annals-continued annals-break-before';
    cont.classList.remove('annals-float');
    const base = keyOf(f);
    // Counted per table, never reused: a continuation joined again leaves its number behind.
    const k = (continuations.get(base) ?? 0) + 1;
    continuations.set(base, k);
    cont.id = 'annals-cont-' + base + '-' + k;
    cont.setAttribute('data-annals-of', base);
    if (!f.matches(BARE)) {
      const caption = document.createElement('figcaption');
      caption.className = 'caption';
      const label = document.createElement('span');
      label.className = 'caption-label';
      const original = ((l) => l?.getAttribute('data-annals-label') || l?.textContent?.trim() || '')(f.querySelector(':scope > figcaption .caption-label'));
      label.setAttribute('data-annals-label', original);
      label.textContent = continuedLabel.replace('{n}', numberOf(original));
      caption.append(label);
      cont.append(caption);
    }
    const unit = f.querySelector(':scope > p.table-unit');
    if (unit) cont.append(unit.cloneNode(true));
    const t2 = table.cloneNode(false);
    t2.removeAttribute('id');
    const colgroup = table.querySelector(':scope > colgroup');
    if (colgroup) t2.append(colgroup.cloneNode(true));
    if (table.tHead) {
      const head = table.tHead.cloneNode(true);
      for (const e of head.querySelectorAll('[id]')) e.removeAttribute('id');
      t2.append(head);
    }
    const tbody = document.createElement('tbody');
    for (const r of rows.slice(s)) tbody.append(r);
    t2.append(tbody);
    if (table.tFoot) t2.append(table.tFoot);
    for (const b of [...table.tBodies]) if (b.rows.length === 0) b.remove();
    cont.append(t2);
    // Notes and source follow the table's last rows.
    let n = table.nextSibling;
    while (n) { const next = n.nextSibling; cont.append(n); n = next; }
    f.after(cont);
    result.splits++;
  };

  /** The line grid's pitch in px (line-grid.ts), 0 without a grid. */
  const pitchRaw = getComputedStyle(document.body).getPropertyValue('--pitch').trim();
  const grid = pitchRaw.endsWith('px') ? parseFloat(pitchRaw) : 0;

  /**
   * Pad el (a table figure, one half of a split) to whole lines of the grid, half above and half below,
   * as line-grid.ts pads every object: its own padding again, and the padding its height now needs. The
   * padding computed for the whole table fits neither half. Nothing without a grid or when el is not laid
   * out in one piece (it is split again or measured again later).
   */
  const padToGrid = (el) => {
    el.style.paddingTop = '';
    el.style.paddingBottom = '';
    if (grid <= 0) return;
    const rs = [...el.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    if (rs.length !== 1) return;
    const h = rs[0].height;
    const extra = Math.ceil(h / grid - 0.02) * grid - h;
    if (extra < 0.25) return;
    const style = getComputedStyle(el);
    const half = Math.floor(extra * 32) / 64;
    el.style.paddingTop = 'calc(' + style.paddingTop + ' + ' + half + 'px)';
    el.style.paddingBottom = 'calc(' + style.paddingBottom + ' + ' + (extra - half) + 'px)';
  };

  /**
   * After a split, the first half ends its page with its own end: the table's bottom rule and the
   * figure's padding. Chromium moves the last row to the next page when that end does not fit after it,
   * so rows whose columns were measured in the whole table may not all stay: give rows to the
   * continuation until the first half ends on its page, 8 px above its foot (keeping at least minRows).
   * Both halves are padded to whole lines of the grid again (padToGrid), so the first half ends on a
   * line of the grid, as the text of the facing page does, and the text after the continuation stays on
   * the grid. False when not even minRows rows fit: the halves are joined again.
   */
  const SLACK = 8;
  const settleSplit = (f, col, section, box) => {
    // The whole table's padding (line-grid.ts), should the halves be joined again.
    const whole = [f.style.paddingTop, f.style.paddingBottom];
    const cont = f.nextElementSibling;
    const first = f.querySelector(':scope > table');
    const second = cont.querySelector(':scope > table');
    for (;;) {
      padToGrid(f);
      const m = measure(section, box);
      const rs = m.rectsOf(f);
      const end = rs[rs.length - 1];
      // With a little room to spare at the foot: the print sets a few px differently from the
      // measurement (a row of wrapped cells, a box above), and one row over makes a page of its own.
      if (rs.length === 0 || (m.colOf(end) <= col && end.bottom - box.getBoundingClientRect().top <= height - SLACK)) break;
      const rows = bodyRows(first);
      if (rows.length <= minRows) {
        // Not even minRows fit: join the halves again; the caller moves the table to the next page.
        join(f, cont);
        [f.style.paddingTop, f.style.paddingBottom] = whole;
        return false;
      }
      second.tBodies[0].prepend(rows[rows.length - 1]);
    }
    padToGrid(cont);
    return true;
  };

  /** Split paragraph p where its lines reach column col; returns the second half (or null). */
  const splitParagraph = (p, col, m) => {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!t.data.length) continue;
      range.selectNodeContents(t);
      const rs = [...range.getClientRects()];
      if (rs.length === 0 || m.colOf(rs[rs.length - 1]) < col) continue;
      let lo = 0, hi = t.data.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        range.setStart(t, mid); range.setEnd(t, mid + 1);
        const r = range.getClientRects()[0];
        if (r && m.colOf(r) >= col) hi = mid; else lo = mid + 1;
      }
      range.setStart(t, lo);
      range.setEnd(p, p.childNodes.length);
      if (lo === 0 && t === p.firstChild) return null;
      const tail = p.cloneNode(false);
      tail.removeAttribute('id');
      tail.append(range.extractContents());
      for (const e of tail.querySelectorAll('[id]')) if (document.getElementById(e.id) && document.getElementById(e.id) !== e) e.removeAttribute('id');
      p.classList.add('annals-split-head');
      tail.classList.add('annals-split-tail');
      p.after(tail);
      return tail;
    }
    return null;
  };

  /**
   * Where column col begins in the flow after f (f itself not laid out): before the first block that
   * starts there, or between the halves of a paragraph that runs into it (split), or after a block that
   * runs into it and cannot be split. Undefined when nothing after f reaches column col.
   */
  const placeIn = (s, col, m) => {
    if (getComputedStyle(s).display === 'none') return undefined;
    const a = m.first(s), z = m.last(s);
    if (!a || z.col < col) return undefined;
    if (a.col >= col) return { parent: s.parentNode, next: s };
    // A float never passes another: it goes before one that runs into the page.
    if (s.matches(FLOATS)) return { parent: s.parentNode, next: s };
    if (s.matches('p')) {
      const tail = splitParagraph(s, col, m);
      if (tail) return { parent: tail.parentNode, next: tail };
    } else if (s.matches('section, div, ol, ul, blockquote') && s.firstElementChild) {
      for (let c = s.firstElementChild; c; c = c.nextElementSibling) {
        const at = placeIn(c, col, m);
        if (at) return at;
      }
    }
    return { parent: s.parentNode, next: s.nextSibling };
  };

  /**
   * Float f, pushed to column col with a gap above it, to where column col begins in the text after it.
   * Floats met on the way go along, after it and in their order (no float passes another): else the
   * text after them could not fill the gap (a figure, a paragraph, a figure) — but at most two pages of
   * them, so that a paragraph split around them goes on soon. A float already fixed at a page top (or a
   * continuation), or one past those two pages, stops the search: the group goes before it.
   */
  const float = (f, col, section, box) => {
    const group = [f];
    // At most two pages of floats go along: the text they interrupt goes on after them.
    let carried = [...f.getClientRects()].reduce((sum, r) => sum + r.height, 0);
    f.style.display = 'none';
    const m = measure(section, box);
    let at;
    for (let n = f; n && n !== section && !at; n = n.parentElement) {
      for (let s = n.nextElementSibling; s && !at; s = s.nextElementSibling) {
        if (s.matches(FLOATS) && !s.matches(BARE) && s.getClientRects().length > 0) {
          const tall = [...s.getClientRects()].reduce((sum, r) => sum + r.height, 0);
          if (s.matches('.annals-float-top, .annals-break-before, .annals-continued') || carried + tall > 2 * height) at = { parent: s.parentNode, next: s };
          else { group.push(s); carried += tall; s.style.display = 'none'; }
        } else at = placeIn(s, col, m);
      }
    }
    for (const g of group) g.style.display = '';
    if (!at) return false;
    // Where it was, should the print not follow the measurement (UNFLOAT below).
    if (f.id && !f.classList.contains('annals-float')) f.before(document.createComment('annals-float-origin ' + f.id));
    for (const g of group) at.parent.insertBefore(g, at.next);
    // It starts its page in the print too (a forced break). Unforced, a float the print could fit a few
    // lines earlier than the measurement did started at the foot of the page before, and a table then
    // broke there with no continuation caption (the English world report's Table 8.1).
    f.classList.add('annals-float', 'annals-float-top');
    result.floats++;
    // The page it starts now (col, unless what it went after runs further).
    const r = f.getClientRects()[0];
    return r ? measure(section, box).colOf(r) : col;
  };

  /**
   * The measured tail of a part. Every change puts an element at the top of a page (a forced break), and
   * nothing before it changes again (faults are fixed in document order); so what comes before it is
   * not laid out any more (class annals-measured), and columns count from its page (offset).
   */
  let offset = 0;
  let placedNow = null;
  /** Record that el starts page page (of the measured tail) of the part. */
  const placedOf = new Map();
  const place = (el, section, page, kind) => {
    placedNow = { el, page: offset + page };
    const record = { id: el.id, part: section.id, page: offset + page, kind };
    placedOf.set(el, record);
    if (el.id) result.placed.push(record);
  };
  const hideBefore = (x, section) => {
    for (let n = x; n && n !== section; n = n.parentElement) {
      for (let p = n.previousElementSibling; p; p = p.previousElementSibling) p.classList.add('annals-measured');
    }
  };

  /**
   * A table that must start on the next page (column col + 1): it floats there when text follows it,
   * else it just starts a new page. False when it already does (or is the first thing of its part).
   */
  const toNextPage = (f, col, section, box) => {
    if (f.classList.contains('annals-break-before') || f.classList.contains('annals-float-top') || !before(f, section)) return false;
    const at = f.matches(BARE) ? false : float(f, col + 1, section, box);
    if (at !== false) {
      place(f, section, at, 'float');
      return true;
    }
    f.classList.add('annals-break-before');
    result.moved++;
    place(f, section, col + 1, 'moved');
    return true;
  };

  /** Continuation cont of table figure f joins it again: its rows, notes and source go back. */
  const join = (f, cont) => {
    const into = f.querySelector(':scope > table');
    const from = cont.querySelector(':scope > table');
    const body = into.tBodies[into.tBodies.length - 1] ?? into.appendChild(document.createElement('tbody'));
    for (const r of bodyRows(from)) body.append(r);
    for (let n = from.nextSibling; n; ) { const next = n.nextSibling; f.append(n); n = next; }
    cont.remove();
    result.splits--;
    const record = placedOf.get(cont);
    if (record) result.placed.splice(result.placed.indexOf(record), 1);
  };

  /**
   * For a page's notes (page-notes.ts): the first half of split table f gives rows to its continuation
   * until it ends above y (a client coordinate in its column), keeping minRows; true when it does, false
   * (and nothing changed) when it cannot or f is not the first half of a split.
   */
  const shortenSplit = (f, y) => {
    const cont = f.nextElementSibling;
    if (!f.matches('figure.table-figure') || !cont || !cont.matches('figure.annals-continued')) return false;
    const first = f.querySelector(':scope > table');
    const second = cont.querySelector(':scope > table');
    if (!first || !second || !second.tBodies[0]) return false;
    let given = 0;
    for (;;) {
      // Both halves keep whole lines of the grid (padToGrid, as settleSplit).
      padToGrid(f);
      const rs = [...f.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
      if (rs.length === 1 && rs[0].bottom <= y) {
        padToGrid(cont);
        return true;
      }
      const rows = bodyRows(first);
      if (rows.length <= minRows) break;
      second.tBodies[0].prepend(rows[rows.length - 1]);
      given++;
    }
    const back = first.tBodies[first.tBodies.length - 1];
    for (const r of [...second.tBodies[0].rows].slice(0, given)) back.append(r);
    padToGrid(f);
    return false;
  };

  /**
   * A float or continuation placed at the top of a page that no longer starts that page: the page
   * before it took fewer lines since (its notes, page-notes.ts), and what no longer fit went on to a
   * page of its own before the forced break. A float goes back to the top of its page, before what was
   * pushed on to it (else it moves on to where its page now begins in the text, or, when the text ends
   * before, after the text); a continuation joins its table again, which then breaks anew. True when
   * it changed.
   */
  const replace = (f, col, section, box) => {
    const record = placedOf.get(f);
    if (!record || record.page === offset + col) return false;
    if (f.classList.contains('annals-continued')) {
      const first = pieceBefore(f);
      if (!first) return false;
      join(first, f);
      return true;
    }
    if (!f.classList.contains('annals-float-top')) return false;
    // Back to the top of its page: before what was pushed on to that page (a heading, the rest of a
    // paragraph split there), which now follows it.
    const page = record.page - offset;
    if (page < col) {
      const m = measure(section, box);
      let first = null;
      for (let p = f.previousElementSibling; p; p = p.previousElementSibling) {
        const a = m.first(p);
        if (!a) continue;
        if (a.col >= page) { first = p; continue; }
        if (m.last(p).col >= page && p.matches('p')) first = splitParagraph(p, page, m) || first;
        break;
      }
      if (first) {
        first.before(f);
        return true;
      }
    }
    f.classList.remove('annals-float-top');
    const at = float(f, col, section, box);
    result.placed.splice(result.placed.indexOf(record), 1);
    placedOf.delete(f);
    if (at !== false) {
      place(f, section, at, record.kind);
      return true;
    }
    // The text after it ends before its page: it follows the text, unforced, and the paragraph split
    // around it is one again.
    joinAround(f);
    section.insertBefore(f, section.querySelector(':scope > section.footnotes'));
    return true;
  };

  /**
   * The first fault of the part whose change starts on a page up to \`limit\` fixed (true), or none found
   * (false). A table's change starts on the page it starts; a float's on the page before it, whose gap
   * the text after it fills.
   */
  const fixOne = (section, box, limit) => {
    const m = measure(section, box);
    const items = section.querySelectorAll('figure.table-figure, figure.figure, aside.box');
    for (const f of items) {
      if (f.closest('aside.box') !== f && f.closest('aside.box')) continue;
      const rs = m.rectsOf(f);
      if (rs.length === 0) continue;
      const col = m.colOf(rs[0]);
      if (col - 1 > limit) break;
      if (replace(f, col, section, box)) return true;
      const top = rs[0].top - box.getBoundingClientRect().top;
      const table = f.matches('figure.table-figure') ? f.querySelector(':scope > table') : null;
      const rows = table ? bodyRows(table) : [];
      const short = !table || rows.length < 2 * minRows;
      if (table && !short) {
        if (col > limit) continue;
        const rowCols = rows.map((r) => m.first(r)?.col ?? col);
        const lastCol = m.colOf(rs[rs.length - 1]);
        if (lastCol === col) continue;
        const b = rowCols.findIndex((c) => c > col);
        if (b < 0) {
          // Every row on the first page, the notes or source on the next: take rows along.
          const s = rows.length - minRows;
          if (s >= minRows) {
            split(f, table, s);
            if (settleSplit(f, col, section, box)) {
              place(f.nextElementSibling, section, col + 1, 'continued');
              return true;
            }
          }
          if (toNextPage(f, col, section, box)) return true;
          continue;
        }
        if (b < minRows) {
          // The caption and header (and fewer than minRows rows) at a page foot: the table starts on the
          // next page, and the text after it fills this one.
          if (toNextPage(f, col, section, box)) return true;
          continue;
        }
        let s = b;
        if (rows.length - b < minRows) s = rows.length - minRows;
        if (s < minRows) s = minRows;
        const page = rowCols[b];
        split(f, table, s);
        if (!settleSplit(f, col, section, box)) {
          if (toNextPage(f, col, section, box)) return true;
          continue;
        }
        const cont = f.nextElementSibling;
        place(cont, section, page, 'continued');
        return true;
      }
      // A figure, box or short table: it never breaks, and it floats when it was pushed to a new page
      // with a gap above it.
      if (m.colOf(rs[rs.length - 1]) !== col && !f.classList.contains('annals-keep') && rs.length > 1 && table && col <= limit) {
        f.classList.add('annals-keep');
        return true;
      }
      if (f.matches(BARE) || f.classList.contains('annals-float') || col === 0 || top > eps) continue;
      const prev = before(f, section);
      const p = prev && m.last(prev);
      if (!p || p.col !== col - 1) continue;
      if (height - p.bottom < minGap * height) continue;
      const at = float(f, col, section, box);
      if (at !== false) {
        place(f, section, at, 'float');
        return true;
      }
    }
    return false;
  };

  const t1 = performance.now();
  for (const box of boxes) box.getBoundingClientRect();
  result.firstLayoutMs = performance.now() - t1;
  result.partMs = [];
  const targets = document.getElementById('annals-page-targets');
  const link = (id) => {
    if (!targets) return;
    const a = document.createElement('a');
    a.setAttribute('href', '#' + id);
    targets.append(a);
  };
  let serial = 0;
  const nextId = () => 'annals-page-notes-' + (++serial);
  parts.forEach((section, k) => {
    const t2 = performance.now();
    const box = boxes[k];
    result.parts++;
    const pageNotes = hasNotes(section)
      ? notesInPart(section, { width, height, gap, box: () => box.getBoundingClientRect(), markers: notes.markers, result: notesResult, link, nextId, shortenSplit: floats ? shortenSplit : null })
      : null;
    // Notes keep the pages they were placed on by number: what precedes a change stays laid out.
    const tailHere = tail && !pageNotes;
    let rounds = 0;
    let noteSteps = 0;
    offset = 0;
    placedNow = null;
    // Page by page: a page's tables and floats first (they change what the page holds), then its notes.
    for (;;) {
      const next = pageNotes ? pageNotes.column() : Infinity;
      if (pageNotes) pageNotes.clearHeads();
      if (hasFloats(section) && rounds < maxRounds && fixOne(section, box, next)) {
        if (placedNow && tailHere) {
          hideBefore(placedNow.el, section);
          // Its column once what is before it is not laid out (0, unless the forced break at the start
          // made an empty column).
          const r = placedNow.el.getClientRects()[0];
          const col = r ? Math.max(0, Math.floor((r.left - box.getBoundingClientRect().left + gap / 2) / pitch)) : 0;
          offset = placedNow.page - col;
        }
        placedNow = null;
        if (++rounds >= maxRounds) result.unsettled.push(section.id);
        continue;
      }
      if (next === Infinity || noteSteps++ >= 200) break;
      pageNotes.step();
    }
    if (pageNotes) pageNotes.finish();
    for (const e of section.querySelectorAll('.annals-measured')) e.classList.remove('annals-measured');
    result.partMs.push([section.id, rounds, Math.round(performance.now() - t2)]);
  });
  for (const section of parts) placeOf.get(section).replaceWith(section);
  holder.remove();
  if (screen) screen.textContent = screenCss;
  // The first print reads where the placed elements landed: they need named destinations.
  for (const p of result.placed) if (p.id) link(p.id);
  return { ...result, ms: performance.now() - t0, notes: notesResult };
})`;

export interface ComposeOptions {
  /** Text block in CSS px (rounded up to the whole px the print lays out). */
  width: number;
  height: number;
  /** Tables and floats (make-up): on with these options; default off. */
  makeUp?: Omit<MakeUpOptions, 'width' | 'height'>;
  /** Page-bottom notes: on with these markers; default off. */
  notes?: { markers: 'circled' | 'numeric' };
}

export interface ComposeResult {
  madeUp?: MakeUpResult;
  notes?: PageNotesResult;
}

/** Tables, floats and page-bottom notes, page by page, in one measurement (MAKE_UP). */
export async function composePages(page: Page, options: ComposeOptions): Promise<ComposeResult> {
  if (!options.makeUp && !options.notes) return {};
  const { notes, ...madeUp } = await runInPage<MakeUpResult & { notes: PageNotesResult }>(page, MAKE_UP, {
    minRows: 3, minGap: 0.1, maxRounds: 40, tail: true,
    tableLabel: '', continuedLabel: '',
    ...options.makeUp, width: wholePx(options.width), height: wholePx(options.height),
    floats: !!options.makeUp, notes: options.notes ?? null,
  });
  return { madeUp: options.makeUp ? madeUp : undefined, notes: options.notes ? notes : undefined };
}

/**
 * In the page: floats the print set on another page than the pass placed them at go back to where they
 * were in the text, unforced, and a paragraph split around one is joined again; such a continuation
 * (续表) joins its table again. Argument: `{ ids }`.
 * A forced float whose page the print fills with a few more lines than measured leaves those lines on a
 * page of their own; where it was, it is at worst Chromium's own placement. Returns how many moved.
 */
export const UNFLOAT = String.raw`(({ ids }) => {
  ${JOIN_AROUND}
  ${PIECE_BEFORE}
  const want = new Set(ids);
  const origins = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
  for (let c = walker.nextNode(); c; c = walker.nextNode()) {
    const m = /^annals-float-origin (.+)$/.exec(c.data);
    if (m && want.has(m[1])) origins.set(m[1], c);
  }
  let moved = 0;
  for (const id of ids) {
    const f = document.getElementById(id);
    // A continuation (续表) joins the piece of its own table before it again (found by the table's key):
    // its rows, notes and source go back, and the table breaks where the print breaks it, under its
    // repeated header.
    const prev = f && f.matches('.annals-continued') ? pieceBefore(f) : null;
    if (prev) {
      const into = prev.querySelector(':scope > table');
      const from = f.querySelector(':scope > table');
      if (!into || !from) continue;
      const body = into.tBodies[into.tBodies.length - 1] ?? into.appendChild(document.createElement('tbody'));
      for (const b of [...from.tBodies]) for (const r of [...b.rows]) body.append(r);
      for (let n = from.nextSibling; n; ) { const next = n.nextSibling; prev.append(n); n = next; }
      f.remove();
      moved++;
      continue;
    }
    const origin = origins.get(id);
    if (!f || !origin) continue;
    joinAround(f);
    origin.replaceWith(f);
    f.classList.remove('annals-float', 'annals-float-top');
    moved++;
  }
  return moved;
})`;

/** The floats and continuations of the pass that the print set on another page than placed (their ids). */
export function driftedFloats(result: MakeUpResult, dests: ReadonlyMap<string, Destination>): string[] {
  return result.placed.filter((p) => {
    const at = dests.get(p.id);
    const start = dests.get(p.part);
    return (p.kind === 'float' || p.kind === 'continued') && at && start && at.page - start.page !== p.page;
  }).map((p) => p.id);
}

/**
 * Check the first print against the pass: every element it placed at the top of a page must start on that
 * page of its part. A miss (the measuring layout and the print disagreed) is a warning naming the element.
 */
export function checkMadeUp(result: MakeUpResult, dests: ReadonlyMap<string, Destination>, file: VFile, unfloated: readonly string[] = []): number {
  let misses = 0;
  for (const p of result.placed) {
    if (unfloated.includes(p.id)) continue;
    const at = dests.get(p.id);
    const start = dests.get(p.part);
    if (!at || !start) continue;
    if (at.page - start.page === p.page) continue;
    misses++;
    const what = p.kind === 'continued' ? 'the continuation of a table' : p.kind === 'float' ? 'a floated figure or box' : 'a table moved to a new page';
    report(file, 'pdf-make-up', `${what} (${p.id}) was laid out at the top of page ${p.page + 1} of part ${p.part}, but printed on page ${at.page - start.page + 1}`);
  }
  return misses;
}
