/**
 * The order of the final PDF's pages, decided after the first pass: the front matter, a blank page if
 * it has an odd number of pages (folio 1 is always a right-hand page), then the body pages with a blank
 * verso before every part that would otherwise open on a left-hand page (when `rectoChapters`). Chromium
 * ignores `break-before: right`, so the blanks are inserted here; inserting them moves no text, because
 * every page of the first pass has the same text block (see page-css.ts).
 *
 * Pure: page indices (or a print's named destinations, `planFrom`) in, page sequence out.
 */
import { PAGE_NAMES, partPage, sectionPage, type PageLayout } from './page-css.ts';
import type { Destination } from './page-numbers.ts';
import type { PreparedPage } from './page-scripts.ts';

/** A heading whose destination is at most this far below the text block's top starts at the top of its page. */
const TOP_TOLERANCE_PT = 24;

export interface PlanInput {
  /** Pages of the first pass before the first body page (cover, title, contents …). */
  frontPages: number;
  /** Pages of the first pass from the first body page on. */
  bodyPages: number;
  /** Body parts in order with the first-pass page index (0-based, whole document) where each starts. */
  parts: ReadonlyArray<{ id: string; start: number }>;
  recto: boolean;
  /**
   * Yearbook 分目 headings in order with the first-pass page index where each starts, and whether it
   * starts at the top of that page (nothing of the part above it). A right-hand page gets the running
   * head (page-css.ts) of the 分目 at its top: the one that starts there, else the one carried over from
   * an earlier page, else (the part's opening text above it) the first that starts on the page.
   */
  sections?: ReadonlyArray<{ id: string; part: string; start: number; top?: boolean }>;
}

export type PlannedPage =
  | { kind: 'front'; source: number }
  | { kind: 'blank' }
  | { kind: 'body'; source: number; part: string; opening: boolean; folio: number; section?: string };

export interface PagePlan {
  pages: PlannedPage[];
  /** Pages before folio 1 (front matter and its blank). */
  frontCount: number;
  /** Final 0-based page index of every first-pass page. */
  finalIndex: number[];
  /**
   * Named page of each final page after the first pass's front pages (its running head and folio):
   * `furniture[i]` belongs to final page `frontPages + i` (running-heads.ts).
   */
  furniture: string[];
}

/** Where each body part (and 分目) starts in a print with these destinations, and the plan that follows. */
export function planFrom(found: Pick<PreparedPage, 'parts' | 'sections'>, dests: ReadonlyMap<string, Destination>, total: number, layout: PageLayout): PagePlan {
  const parts = found.parts.flatMap((p) => {
    const d = dests.get(p.id);
    return d ? [{ id: p.id, start: d.page }] : [];
  });
  const frontPages = parts[0]?.start ?? total;
  // A 分目 starts at the top of its page when its destination is within a line of the text block's top.
  const top = layout.height.pt - layout.top.pt - TOP_TOLERANCE_PT;
  const sections = found.sections.flatMap((s) => {
    const d = dests.get(s.id);
    return d ? [{ id: s.id, part: s.part, start: d.page, top: d.y >= top }] : [];
  });
  return planPages({ frontPages, bodyPages: total - frontPages, parts, sections, recto: layout.recto });
}

export function planPages(input: PlanInput): PagePlan {
  const { frontPages, bodyPages, recto } = input;
  const pages: PlannedPage[] = [];
  const finalIndex: number[] = [];
  for (let i = 0; i < frontPages; i++) {
    finalIndex[i] = pages.length;
    pages.push({ kind: 'front', source: i });
  }
  if (pages.length % 2 === 1) pages.push({ kind: 'blank' });
  const frontCount = pages.length;
  const starts = new Map<number, string>();
  for (const p of input.parts) if (!starts.has(p.start)) starts.set(p.start, p.id);
  let part = input.parts[0]?.id ?? '';
  const sections = input.sections ?? [];
  let next = 0;
  let section: string | undefined;
  for (let i = frontPages; i < frontPages + bodyPages; i++) {
    const opening = starts.get(i);
    if (opening !== undefined) {
      part = opening;
      section = undefined;
      // A right-hand page has an odd folio, i.e. an even number of body pages before it.
      if (recto && (pages.length - frontCount) % 2 === 1) pages.push({ kind: 'blank' });
    }
    // The 分目 at the top of this page: one that starts there, else the one in force from the pages
    // before, else the first that starts on this page. The last that starts here is in force after it.
    const starting: string[] = [];
    let atTop: string | undefined;
    for (; next < sections.length && sections[next]!.start <= i; next++) {
      const s = sections[next]!;
      if (s.part !== part) continue;
      if (s.start < i) section = s.id;
      else {
        if (starting.length === 0 && s.top) atTop = s.id;
        starting.push(s.id);
      }
    }
    const head = atTop ?? section ?? starting[0];
    if (starting.length > 0) section = starting[starting.length - 1];
    finalIndex[i] = pages.length;
    pages.push({ kind: 'body', source: i, part, opening: opening !== undefined, folio: pages.length - frontCount + 1, ...(head === undefined ? {} : { section: head }) });
  }
  // Starts with the blank after the front matter, if there is one, so that it lines up with final pages.
  const furniture = pages.slice(frontPages).map((p) => {
    if (p.kind !== 'body') return PAGE_NAMES.blank;
    if (p.folio === 1) return PAGE_NAMES.bodyStart;
    if (p.opening) return PAGE_NAMES.open;
    return p.section === undefined ? partPage(p.part) : sectionPage(p.part, p.section);
  });
  return { pages, frontCount, finalIndex, furniture };
}

/** The folio printed on final page `index`: roman in the front matter, arabic from 1 in the body. */
export function folioOf(plan: PagePlan, index: number): string {
  return index < plan.frontCount ? toRoman(index + 1) : String(index - plan.frontCount + 1);
}

export function toRoman(n: number): string {
  const table: Array<[number, string]> = [
    [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'],
    [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
  ];
  let out = '';
  for (const [value, letters] of table) while (n >= value) { out += letters; n -= value; }
  return out;
}
