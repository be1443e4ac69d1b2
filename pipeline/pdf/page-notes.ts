/**
 * Page-bottom notes (页下注), book.yaml `notes.placement: page` (docs/pdf.md, "Page-bottom notes").
 * Chromium has no `float: footnote`, so the notes are placed in the page before the first print:
 *
 *   1. Each chapter that has notes is laid out on its own as the print would lay it out, in pages: for
 *      this measurement only it goes into a multi-column box whose columns have the size of the printed
 *      text block (Chromium fragments columns and pages with the same machinery: keeps, orphans and
 *      widows, unforced-break margins). Column n is page n of the chapter. The box is the page make-up
 *      pass's (make-up.ts), and the two work together, page by page in the order of the pages: a page's
 *      tables and floats are settled first, then its notes, so each works on the page the other left.
 *   2. Page by page, the note references on the page are found; their notes, numbered from the first
 *      on that page (①②③ or 1 2 3), go into a note area (`div.page-notes`, a short rule above) that is
 *      inserted where the page's text must end for the area to fit below it: between two blocks, in a
 *      paragraph split at a line (the first part justified to its end, the rest not indented), or in a
 *      list split between two items (an ordered list's rest numbered on), never
 *      right after a heading, never leaving one line of a paragraph on either side. The area ends the
 *      page (`break-after: page`) and a top margin sets it on the page's foot. A reference whose line
 *      would fall below the area moves on to the next page, with its note.
 *   3. After each insertion the chapter is measured again (the pages after it changed), until every
 *      reference is placed; at most a bounded number of rounds. Then the chapter is printed as usual.
 *
 * The same page gives the same measurements, so the result is deterministic. The notes at the end of the
 * chapter are removed from the print (the site keeps them); links to a note now lead to its page note,
 * and its number back to the reference. After the first print, print-pdf.ts checks from the named
 * destinations that each reference and its note are on the same page.
 */

export interface PageNotesResult {
  /** Note areas made (pages with notes). */
  areas: number;
  /** Notes placed. */
  notes: number;
  /** Each reference's id, the id of its page note and of the note's area: print-pdf.ts checks that the reference and the note share a page. */
  pairs: Array<{ ref: string; note: string; area: string }>;
  /** References that could not be placed within the rounds (their notes stay at the chapter's end). */
  unplaced: number;
  /** Notes too long for their page, continued at the foot of the next one. */
  continued: number;
  /** Notes of chapters set in two columns (yearbook entries): they stay at the chapter's end. */
  twoColumn: number;
}

/**
 * The page-bottom notes of one part, in the page (a factory, joined into the page composer's script,
 * compose.ts). The part is in its measuring box: a multi-column box whose columns have the size of the
 * printed text block (`box()` gives its rectangle; column n is page n of the part). \`column()\` says
 * which page the next step works on (Infinity when every note is placed), `step()` places the notes of
 * that page (or moves its first reference on), `finish()` tidies the measurement's copies up.
 * Environment: `{ width, height, gap, box, markers, result, link, nextId, shortenSplit }`; `result` is a
 * PageNotesResult the steps add to; `shortenSplit(figure, y)` (make-up's, or null) makes the first half
 * of a split table end above y, so that the area goes between it and its continuation.
 */
export const NOTES_IN_PART = String.raw`const notesInPart = (section, { width, height, gap: GAP, box, markers, result, link, nextId, shortenSplit }) => {
  const circled = (n) => n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : n <= 35 ? String.fromCodePoint(0x3251 + n - 21) : n <= 50 ? String.fromCodePoint(0x32b1 + n - 36) : '(' + n + ')';
  const marker = (n) => (markers === 'circled' ? circled(n) : String(n));
  const idOf = (href) => { try { return decodeURIComponent((href || '').replace(/^#/, '')); } catch { return ''; } };
  const endnotes = [...section.querySelectorAll('section.footnotes')];
  for (const e of endnotes) e.style.display = 'none';
  const pending = [...section.querySelectorAll('a[data-footnote-ref]')];
  for (const r of pending) r.classList.add('page-note-ref');
  const columnOf = (rect, origin) => Math.floor((rect.left - origin.left + GAP / 2) / (width + GAP));
  const lineRect = (el) => { const rs = [...el.getClientRects()].filter((r) => r.width > 0 || r.height > 0); return rs[rs.length - 1]; };
  // A glyph's box is shorter than its line: the line ends half the leading below it.
  const lineBottom = (rect, el) => {
    const block = el.nodeType === 1 ? el.closest('p, li, dd, div, figure, aside, h2, h3, h4') : el.parentElement.closest('p, li, dd, div, figure, aside, h2, h3, h4');
    const lh = parseFloat(getComputedStyle(block || section).lineHeight) || rect.height;
    return rect.bottom + Math.max(0, (lh - rect.height) / 2);
  };
  /** The note area for these references, numbered from 1, after the rest of a note continued from the page before (not yet in the document). */
  const areaFor = (group, carry) => {
    const area = document.createElement('div');
    area.className = 'page-notes';
    area.setAttribute('role', 'doc-endnotes');
    if (carry) area.append(carry.cloneNode(true));
    group.forEach((ref, i) => {
      const li = document.getElementById(idOf(ref.getAttribute('href'))) || document.getElementById(ref.getAttribute('data-annals-note') || '');
      const p = document.createElement('p');
      p.className = 'page-note';
      const number = document.createElement('a');
      number.className = 'page-note-number';
      number.setAttribute('href', '#' + ref.id);
      number.textContent = marker(i + 1);
      p.append(number);
      if (li) {
        const copy = li.cloneNode(true);
        for (const b of copy.querySelectorAll('.note-backref, .note-backref-more, [data-footnote-backref]')) b.remove();
        for (const el of copy.querySelectorAll('[id]')) el.removeAttribute('id');
        const blocks = [...copy.children].filter((c) => c.tagName === 'P');
        if (blocks.length) blocks.forEach((b, k) => { if (k > 0) p.append(' '); p.append(...b.childNodes); });
        else p.append(...copy.childNodes);
      }
      area.append(p);
    });
    return area;
  };
  /**
   * A note too long for the room under its reference's line continues at the foot of the next page (as
   * Chinese books set it): the area's last note is cut at the start of the first line that would end
   * lower than \`room\` px below the area's top. Returns the rest (a paragraph without a number), or null
   * when not even the note's first line fits. The area must be in the document (at the column's width).
   */
  const splitLast = (area, room) => {
    const note = area.lastElementChild;
    if (!note || note.classList.contains('page-note-cont')) return null;
    const chars = [];
    const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const t = walker.currentNode;
      if (t.parentElement.closest('a.page-note-number')) continue;
      for (let i = 0; i < t.data.length; i++) chars.push([t, i]);
    }
    const range = document.createRange();
    const rectOf = (k) => { range.setStart(chars[k][0], chars[k][1]); range.setEnd(chars[k][0], chars[k][1] + 1); return [...range.getClientRects()].pop(); };
    const top = area.getBoundingClientRect().top;
    let k = chars.findIndex((c, i) => { const r = rectOf(i); return r && lineBottom(r, c[0]) - top > room; });
    if (k <= 0) return null;
    const lineTop = Math.round(rectOf(k).top);
    while (k > 0 && Math.round(rectOf(k - 1).top) === lineTop) k--;
    if (k === 0) return null;
    range.setStart(chars[k][0], chars[k][1]);
    range.setEnd(note, note.childNodes.length);
    const rest = document.createElement('p');
    rest.className = 'page-note page-note-cont';
    rest.append(range.extractContents());
    note.classList.add('page-note-split');
    return rest;
  };
  // The first pending reference cannot have its note on this page: its block moves to the next page
  // (a break before it), or, when a break or an area is already there, the note stays unplaced.
  const deferFirst = () => {
    let p = pending[0];
    while (p.parentElement && p.parentElement !== section) p = p.parentElement;
    if (p.previousElementSibling && p.previousElementSibling.matches('.page-notes-break, .page-notes')) { pending.shift(); result.unplaced++; return; }
    const brk = document.createElement('div');
    brk.className = 'page-notes-break';
    p.before(brk);
  };
  // Chromium repeats a table's header rows at the top of each page the table continues on, but not at
  // the top of a column: the measurement adds those rows itself (copies, removed when the chapter is done).
  // Nor does the print leave a header alone at a page's foot: a table whose first row does not fit
  // under its header starts on the next page, as its figure does (a column break in the measurement).
  const clearHeads = () => {
    for (const r of section.querySelectorAll('tr.annals-measure-head')) r.remove();
    for (const el of section.querySelectorAll('.annals-measure-push')) el.classList.remove('annals-measure-push');
  };
  const syncHeads = () => {
    clearHeads();
    const origin = box();
    for (const table of section.querySelectorAll('table')) {
      const head = table.tHead;
      if (!head || head.rows.length === 0) continue;
      const rows = [...table.tBodies].flatMap((b) => [...b.rows]);
      if (rows.length > 0 && columnOf(rows[0].getBoundingClientRect(), origin) > columnOf(head.getBoundingClientRect(), origin)) {
        (table.closest('figure') || table).classList.add('annals-measure-push');
      }
      let last = columnOf(head.getBoundingClientRect(), origin);
      for (const row of rows) {
        const at = columnOf(row.getBoundingClientRect(), origin);
        if (at > last) {
          for (const h of head.rows) {
            const copy = h.cloneNode(true);
            copy.classList.add('annals-measure-head');
            for (const el of copy.querySelectorAll('[id]')) el.removeAttribute('id');
            row.before(copy);
          }
        }
        last = columnOf(row.getBoundingClientRect(), origin);
      }
    }
  };
  // Space taken off the page's foot when an area did not land where it was measured to fit (see below).
  let squeeze = 0;
  // Two px to spare under each area: the print rounds positions to whole px, and an area that
  // overflowed the page would move to the next one whole.
  const spare = 2;
  // The rest of a note cut at the foot of the page before (splitLast) and the column it goes on.
  let carry = null;
  let carryColumn = -1;
  /** The page the next step works on: the first unplaced reference's (-1: it is not laid out), the carried note's, or Infinity. */
  const column = () => {
    if (pending.length === 0 && !carry) return Infinity;
    if (carry) return carryColumn;
    syncHeads();
    const first = lineRect(pending[0]);
    return first ? columnOf(first, box()) : -1;
  };
  const step = () => {
    syncHeads();
    const origin = box();
    const first = pending.length > 0 ? lineRect(pending[0]) : null;
    if (!first && !carry) { pending.shift(); result.unplaced++; return; }
    const column = carry ? carryColumn : columnOf(first, origin);
    let group = pending.filter((r) => { const rr = lineRect(r); return rr && columnOf(rr, origin) === column; });
    const columnLeft = origin.left + column * (width + GAP);
    const inColumn = (r) => r.left >= columnLeft - GAP / 2 && r.left < columnLeft + width + GAP / 2;
    let area;
    let limit = 0;
    // The room under the last reference's line for a note cut there (splitLast), when one is.
    let cut = null;
    /** The area for \`group\` (and the carried rest), its last note cut when \`cut\` says so; its height. */
    const build = (group) => {
      group.forEach((ref, i) => { ref.textContent = marker(i + 1); });
      const a = areaFor(group, carry);
      a.style.visibility = 'hidden';
      section.append(a);
      const rest = cut && group[group.length - 1] === cut.ref ? splitLast(a, cut.room) : null;
      const h = a.getBoundingClientRect().height;
      a.remove();
      a.style.visibility = '';
      return { area: a, rest, h };
    };
    let rest = null;
    // Fewer notes while the last reference's line would fall below the area; but the last note is cut
    // (and continued on the next page) rather than moved on when at least its first line fits.
    for (; group.length > 0 || carry; group = group.slice(0, -1)) {
      cut = null;
      rest = null;
      const whole = build(group);
      area = whole.area;
      limit = origin.top + height - whole.h - spare - squeeze;
      if (group.length === 0) break;
      const lastRef = group[group.length - 1];
      const last = lineRect(lastRef);
      if (!last) continue;
      const bottom = lineBottom(last, lastRef);
      if (bottom <= limit) break;
      cut = { ref: lastRef, room: origin.top + height - spare - squeeze - bottom };
      const tried = build(group);
      if (tried.rest) {
        limit = origin.top + height - tried.h - spare - squeeze;
        if (bottom <= limit) { area = tried.area; rest = tried.rest; break; }
      }
      cut = null;
    }
    if (group.length === 0 && !carry) {
      // Not even the first note fits under its reference's line: it goes to the next page with it.
      // (Rare: a reference on the page's last lines with a long note.) Its line moves down by a break.
      deferFirst();
      return;
    }
    // Where the page's text ends: the first line (or block) in this column that reaches below the limit.
    const blocks = [...section.children].filter((el) => el.matches(':not(section.footnotes, .page-notes, .page-notes-break)'));
    let before = null; // the node the area goes before (null: at the end of the chapter's flow)
    let splitAt = null; // { p, node, offset }: split this paragraph there
    for (let b = 0; b < blocks.length; b++) {
      const el = blocks[b];
      const rects = [...el.getClientRects()].filter(inColumn);
      const after = [...el.getClientRects()].some((r) => r.left >= columnLeft + width + GAP / 2);
      if (rects.length === 0 && !after) continue;
      const bottom = Math.max(...rects.map((r) => r.bottom), -Infinity);
      if (rects.length > 0 && bottom <= limit && !after) continue;
      // This block reaches below the limit or into the next column.
      if (el.tagName === 'P' && rects.length > 0) {
        // Split it at the first line below the limit (binary search over its characters).
        const chars = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) for (let i = 0; i < walker.currentNode.data.length; i++) chars.push([walker.currentNode, i]);
        const range = document.createRange();
        const fits = (k) => {
          range.setStart(chars[k][0], chars[k][1]);
          range.setEnd(chars[k][0], chars[k][1] + 1);
          const r = [...range.getClientRects()].pop();
          return !!r && inColumn(r) && lineBottom(r, chars[k][0]) <= limit;
        };
        let lo = 0, hi = chars.length; // first index that does not fit
        while (lo < hi) { const mid = (lo + hi) >> 1; if (fits(mid)) lo = mid + 1; else hi = mid; }
        const lineTop = (k) => { range.setStart(chars[k][0], chars[k][1]); range.setEnd(chars[k][0], chars[k][1] + 1); const r = [...range.getClientRects()].pop(); return r ? Math.round(r.top) : 0; };
        // Lines before the split in this paragraph, and after it.
        const tops = new Set();
        for (let k = 0; k < lo; k += 1) tops.add(lineTop(k));
        const restTops = new Set();
        for (let k = lo; k < chars.length && restTops.size < 3; k += 1) restTops.add(lineTop(k));
        let at = lo;
        if (restTops.size === 1 && tops.size >= 3) {
          // One line would be left over: take one more line along (the first part keeps two or more).
          const lastTop = lineTop(lo - 1);
          while (at > 0 && lineTop(at - 1) === lastTop) at--;
        }
        const kept = new Set();
        for (let k = 0; k < at; k++) kept.add(lineTop(k));
        // Never inside an inline element (a link, a citation, a no-break span): before it instead.
        let outer = at > 0 && at < chars.length ? chars[at][0] : null;
        while (outer && outer.parentNode !== el) outer = outer.parentNode;
        if (outer && outer !== chars[at][0]) {
          while (at > 0 && outer.contains(chars[at - 1][0])) at--;
          kept.clear();
          for (let k = 0; k < at; k++) kept.add(lineTop(k));
        }
        if (at > 0 && at < chars.length && kept.size >= 2) splitAt = outer && outer !== chars[at][0] ? { p: el, before: outer } : { p: el, node: chars[at][0], offset: chars[at][1] };
        else before = el;
      } else if ((el.tagName === 'UL' || el.tagName === 'OL') && rects.length > 0) {
        // A list is split before its first item that reaches below the limit (a long list would otherwise
        // go to the next page whole and leave this one half empty); an ordered list's rest counts on.
        const items = [...el.children].filter((c) => c.tagName === 'LI');
        const k = items.findIndex((li) => { const rs = [...li.getClientRects()].filter((r) => r.width > 0 || r.height > 0); return rs.some((r) => !inColumn(r) || r.bottom > limit); });
        if (k > 0) splitAt = { p: el, item: items[k] };
        else before = el;
      } else if (rects.length > 0 && inColumn(el.getClientRects()[0]) && shortenSplit && shortenSplit(el, limit)) {
        // The first half of a table split at this page's foot: it gives rows to its continuation.
        before = el.nextElementSibling;
      } else {
        before = el;
      }
      // Never right after a heading: the heading goes along.
      if (before) {
        let prev = before.previousElementSibling;
        while (prev && /^H[1-6]$/.test(prev.tagName)) { before = prev; prev = prev.previousElementSibling; }
      }
      break;
    }
    if (splitAt) {
      const { p, node, offset } = splitAt;
      const cut = document.createRange();
      if (splitAt.item) cut.setStartBefore(splitAt.item);
      else if (splitAt.before) cut.setStartBefore(splitAt.before);
      else cut.setStart(node, offset);
      cut.setEnd(p, p.childNodes.length);
      const rest = p.cloneNode(false);
      rest.removeAttribute('id');
      rest.classList.add('annals-split-rest');
      if (splitAt.item && p.tagName === 'OL' && !p.reversed) rest.setAttribute('start', String(p.start + [...p.children].indexOf(splitAt.item)));
      rest.append(cut.extractContents());
      for (const el of rest.querySelectorAll('[id]')) if (document.getElementById(el.id) && document.getElementById(el.id) !== el) el.removeAttribute('id');
      p.classList.add('annals-split-first');
      p.after(rest);
      before = rest;
    }
    // Only references before the place where the page now ends stay on it (a widow or a heading taken
    // along can move the end above a reference): the others go on with the next page.
    const end = document.createRange();
    if (before) {
      end.setStartBefore(before);
      end.collapse(true);
    } else {
      end.selectNodeContents(section);
      end.collapse(false);
    }
    group = group.filter((ref) => end.comparePoint(ref, 0) < 0);
    if (group.length === 0 && !carry) {
      if (splitAt) { splitAt.p.append(...before.childNodes); before.remove(); splitAt.p.classList.remove('annals-split-first'); splitAt.p.normalize(); }
      deferFirst();
      return;
    }
    // The references that stay on this page, numbered; the area after the page's text, on its foot.
    ({ area, rest } = build(group));
    area.id = nextId();
    if (before) before.before(area);
    else {
      const notesAt = section.querySelector(':scope > section.footnotes');
      if (notesAt) notesAt.before(area); else section.append(area);
    }
    // The area must end this column: when it went on to the next one (the text above it took more room
    // than measured, e.g. a line pulled up by a split), it is taken out again and the page measured
    // with a line less, until it fits or there is no room left above the references.
    const placed = area.getBoundingClientRect();
    if ((group.length > 0 || squeeze < height / 2) && (columnOf(placed, box()) !== column || placed.bottom > box().top + height + 0.5)) {
      area.remove();
      if (splitAt) { splitAt.p.append(...before.childNodes); before.remove(); splitAt.p.classList.remove('annals-split-first'); splitAt.p.normalize(); }
      const line = parseFloat(getComputedStyle(section).lineHeight) || 20;
      squeeze += Math.max(line, Math.min(height / 4, placed.bottom - (box().top + height)));
      if (squeeze > height / 2 && group.length > 0) { squeeze = 0; deferFirst(); }
      return;
    }
    squeeze = 0;
    const top = area.getBoundingClientRect().top;
    const foot = box().top + height - area.getBoundingClientRect().height - spare;
    if (foot - top > 0.5) area.style.marginTop = Math.floor((foot - top) * 64) / 64 + 'px';
    for (const [i, ref] of group.entries()) {
      const li = document.getElementById(idOf(ref.getAttribute('href')));
      const note = area.children[carry ? i + 1 : i];
      if (li) { note.id = li.id; li.removeAttribute('id'); ref.setAttribute('data-annals-note', note.id); }
      else note.id = area.id + '-' + (i + 1);
      result.pairs.push({ ref: ref.id, note: note.id, area: area.id });
      link(ref.id);
      link(note.id);
      result.notes++;
    }
    result.areas++;
    if (carry) result.continued++;
    pending.splice(0, group.length);
    carry = rest;
    carryColumn = column + 1;
  };
  const finish = () => {
    clearHeads();
    result.unplaced += pending.length;
    if (pending.length === 0) for (const e of endnotes) e.remove();
    else for (const e of endnotes) e.style.display = '';
  };
  return { column, step, clearHeads, finish };
};`;

/**
 * The fallback for areas that the print put on another page than the measurement did (print-pdf.ts
 * checks after the first print): the paragraph split for the area is joined again, and the area follows
 * the paragraph (or other block) that holds its first reference, without a page break or a margin that
 * sets it on the page's foot. Argument: `{ areas: [{ area, ref }] }`. Returns how many were changed.
 */
export const RELAX_PAGE_NOTES = String.raw`(({ areas }) => {
  let changed = 0;
  for (const { area: id, ref: refId } of areas) {
    const area = document.getElementById(id);
    const ref = document.getElementById(refId);
    if (!area || !ref) continue;
    const first = area.previousElementSibling;
    const rest = area.nextElementSibling;
    if (first && rest && first.classList.contains('annals-split-first') && rest.classList.contains('annals-split-rest')) {
      first.append(...rest.childNodes);
      rest.remove();
      first.classList.remove('annals-split-first');
      first.normalize();
    }
    let block = ref;
    while (block.parentElement && block.parentElement !== area.parentElement) block = block.parentElement;
    area.style.marginTop = '';
    area.classList.add('page-notes-inline');
    if (block.parentElement === area.parentElement) block.after(area);
    changed++;
  }
  return changed;
})`;

/** The CSS of the note areas and split paragraphs (added to the print page's CSS). */
export const PAGE_NOTES_CSS = `
.page-notes { break-inside: avoid; break-after: page; text-indent: 0; font-size: 0.85em; line-height: 1.55; text-align: justify; }
.page-notes::before { content: ""; display: block; width: 30%; border-top: 0.5pt solid #777; margin: 0 0 0.35em; }
.page-notes p.page-note { margin: 0; padding-inline-start: 1.6em; text-indent: -1.6em; }
.page-notes p.page-note-cont { text-indent: 0; }
.page-notes p.page-note-split { text-align-last: justify; }
.page-notes a.page-note-number { display: inline-block; width: 1.6em; text-indent: 0; color: inherit; text-decoration: none; }
.page-notes.page-notes-inline { break-after: auto; margin: 0.6em 0; }
.page-notes-break { break-before: page; height: 0; }
.annals-measure .page-notes { break-after: column !important; }
.annals-measure .page-notes-break, .annals-measure .annals-measure-push { break-before: column !important; }
a.page-note-ref { display: inline-block; text-indent: 0; }
p.annals-split-first { text-align-last: justify; }
p.annals-split-rest { text-indent: 0 !important; }
`;
