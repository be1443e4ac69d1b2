/**
 * Print 1 (the body, pass-print-body.ts) in runs of parts, on several tabs at once. Every body part starts on a
 * new page and print 1 has no running heads or folios, so the pages of a run of parts do not depend on
 * what is printed before or after it: a large book's early parts are cut into contiguous runs (the first
 * also takes the front matter), each run is printed on its own, and their pages are appended in order
 * with their structure trees (splice-pages.ts), their destinations shifted by the pages before them.
 * Everything after print 1 (page plan, late parts, print 2, assembling) is unchanged.
 *
 * The runs depend on the book alone (the size of print.html and of its parts), never on the number of
 * tabs or of cores: the tabs take the runs from one queue, and a tab that finishes a run prints the next
 * one still waiting. One tab prints every run one after another and goes through the same splice, so
 * the PDF is byte for byte the same on one tab, on two or on four, on any machine.
 *
 * Chromium lays out and prints a tab on one thread of its renderer, so a second tab uses a second core;
 * on one core, or for a small book (one run: loading the page and its fonts again costs more than half a
 * print saves), one tab prints as before.
 */
import { availableParallelism } from 'node:os';
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import type { Page, PDFOptions } from 'puppeteer';
import { readDestinations, readPrintDestinations, type Destination } from './page-numbers.ts';
import { runInPage, SHOW, type PreparedPage } from './page-scripts.ts';
import { replaceTail } from './splice-pages.ts';

/** print.html smaller than this prints in one run (the sample books: 0.25–0.47 MB; 300 pages ≈ 1.4 MB). */
export const PARALLEL_FROM_BYTES = 1_000_000;
/** print.html of this size or more prints in MAX_RUNS runs, a smaller one of PARALLEL_FROM_BYTES or more in 2 (1,000 pages ≈ 3 MB). */
export const MAX_RUNS_FROM_BYTES = 2_500_000;
/** At most this many runs (each embeds its own font subsets: the file grows with runs). */
export const MAX_RUNS = 4;
/** At most this many tabs at once (each holds a laid-out copy of its run; memory grows with tabs). */
export const MAX_TABS = 4;

/**
 * How many runs print 1 is cut into: `requested` when given, else 1, 2 or 4 by the size of print.html
 * (PARALLEL_FROM_BYTES, MAX_RUNS_FROM_BYTES): from the book only, so that the bytes of the PDF do not
 * depend on the machine, and a power of two, so that the runs share out evenly on 1, 2 or 4 tabs.
 */
export function printRuns(requested: number | undefined, htmlBytes: number): number {
  if (requested !== undefined && Number.isFinite(requested)) return Math.max(1, Math.min(MAX_RUNS, Math.floor(requested)));
  if (htmlBytes < PARALLEL_FROM_BYTES) return 1;
  return htmlBytes < MAX_RUNS_FROM_BYTES ? 2 : MAX_RUNS;
}

/**
 * How many tabs print the runs: `requested` when given (1 = one after another in one tab), else one per
 * available core (at most MAX_TABS), never more than there are runs — and with two cores or fewer, a tab
 * for every two runs: an extra tab loads and prepares the whole page again (about 1.5 s of renderer CPU),
 * which on two cores, shared with the first tab and the build, one run's print does not repay. Measured
 * end to end on 2 cores (`npm run bench -- e2e`, medians of 3, 2026-12-03): the 283-page book (2 runs)
 * took 11.75 s on two tabs and 10.79 s on one; the 912-page book (4 runs) 19.32 s on two and 19.86 s on one.
 * The tabs change nothing in the PDF's bytes (the runs do not depend on them).
 */
export function printTabs(requested: number | undefined, runs: number, cores = availableParallelism()): number {
  if (requested !== undefined && Number.isFinite(requested)) return Math.max(1, Math.min(MAX_TABS, runs, Math.floor(requested)));
  const runsPerTab = cores > 2 ? 1 : 2;
  return Math.max(1, Math.min(MAX_TABS, cores, Math.floor(runs / runsPerTab)));
}

/** Another tab with print.html loaded and prepared as the first one (pass-prepare.ts opens it). */
export interface ExtraTab {
  page: Page;
  close(): Promise<void>;
}

export interface EarlyPrintOptions {
  /** The prepared tab. */
  page: Page;
  prepared: PreparedPage;
  /** Some parts hold page numbers and are printed later (pass-settle-late.ts): only the parts before them. */
  late: boolean;
  /** Runs to cut the early parts into (printRuns; fewer when there are fewer parts). */
  runs: number;
  /** Extra tabs being prepared (none: every run in `page`); all are closed before this returns. */
  extraTabs: ReadonlyArray<Promise<ExtraTab>>;
  /** Print a tab (print-run.ts counts prints and reprints for missing fonts). */
  print: (tab: Page, options: PDFOptions) => Promise<Uint8Array>;
  options: PDFOptions;
}

export interface EarlyPrint {
  /** Pages of print 1. */
  pages: number;
  /** Named destinations of print 1, pages counted from its first page. */
  dests: Map<string, Destination>;
  /** Print 1 as one pdf-lib document, parsed in the background (pdf-lib yields to the event loop). */
  document: Promise<PDFDocument>;
  /** Tabs that printed (1: one tab). */
  tabs: number;
  /** Runs print 1 was cut into (1: one print of the whole body). */
  runs: number;
}

/** Print 1: the front matter and the early parts (all parts when none is late). */
export async function printEarly(options: EarlyPrintOptions): Promise<EarlyPrint> {
  const { page, prepared } = options;
  const lateFrom = prepared.parts.findIndex((p) => p.hasPageOf);
  const early = prepared.parts.slice(0, options.late && lateFrom >= 0 ? lateFrom : prepared.parts.length).map((p) => p.id);
  const runs = options.runs > 1 && early.length >= 2 ? splitRuns(await runInPage<PartSizes>(page, SIZES, { ids: early }), early, options.runs) : [early];
  const closeAll = () => Promise.all(options.extraTabs.map(async (t) => (await t.catch(() => undefined))?.close()));

  if (runs.length === 1) {
    void closeAll();
    await runInPage<boolean>(page, SHOW, { show: options.late ? 'early' : 'all' });
    const bytes = await options.print(page, options.options);
    const document = parse(bytes);
    document.catch(() => undefined); // awaited by the caller
    const read = readPrintDestinations(bytes) ?? located(await document);
    return { ...read, document, tabs: 1, runs: 1 };
  }

  try {
    // Tabs beyond the runs are not needed; the others take the runs from one queue, in order.
    const needed = options.extraTabs.slice(0, runs.length - 1);
    void Promise.all(options.extraTabs.slice(runs.length - 1).map(async (t) => (await t.catch(() => undefined))?.close()));
    const pieces: Array<Uint8Array | undefined> = runs.map(() => undefined);
    let next = 0;
    const work = async (tab: Page) => {
      for (let i = next++; i < runs.length; i = next++) {
        await runInPage<boolean>(tab, SHOW_RUN, { front: i === 0, ids: runs[i] });
        pieces[i] = await options.print(tab, options.options);
      }
    };
    // Every tab starts once all are ready (they load at the same time as the first), each with the next
    // run; a tab that failed to load leaves its runs to the others.
    const ready = (await Promise.all(needed.map((t) => t.catch(() => undefined)))).filter((t): t is ExtraTab => t !== undefined);
    const used = [page, ...ready.map((t) => t.page)];
    await Promise.all(used.map(work));
    // Destinations: each run's pages follow those of the runs before it.
    const dests = new Map<string, Destination>();
    let pages = 0;
    for (const bytes of pieces) {
      const read = readPrintDestinations(bytes!) ?? located(await parse(bytes!));
      for (const [id, d] of read.dests) if (!dests.has(id)) dests.set(id, { ...d, page: d.page + pages });
      pages += read.pages;
    }
    // One run parsed at a time and spliced in, its bytes let go: never every run in memory twice.
    const document = (async () => {
      const whole = await parse(pieces[0]!);
      pieces[0] = undefined;
      for (let i = 1; i < pieces.length; i++) {
        const part = await parse(pieces[i]!);
        pieces[i] = undefined;
        replaceTail(whole, whole.getPageCount(), part);
      }
      return whole;
    })();
    document.catch(() => undefined); // awaited by the caller
    return { pages, dests, document, tabs: used.length, runs: runs.length };
  } finally {
    await closeAll();
  }
}

/** Sizes of the front matter and of each part, in characters of text (images and tables count 400). */
interface PartSizes {
  front: number;
  parts: number[];
}

const SIZES = String.raw`(({ ids }) => {
  const size = (e) => (e.textContent || '').length + 400 * e.querySelectorAll('img, svg, table').length;
  const front = [...document.querySelectorAll('[data-annals-front]')].reduce((n, e) => n + size(e), 0);
  return { front, parts: ids.map((id) => { const e = document.getElementById(id); return e ? size(e) : 0; }) };
})`;

/**
 * Show only a run of body parts (`ids`), with the front matter when `front`; the rest is `display:
 * none` (not laid out; links to it still become link annotations). SHOW (page-scripts.ts) puts the
 * usual visibility back.
 */
const SHOW_RUN = String.raw`(({ front, ids }) => {
  const keep = new Set(ids);
  for (const e of document.querySelectorAll('[data-annals-run-hidden]')) e.removeAttribute('data-annals-run-hidden');
  for (const e of document.querySelectorAll('[data-annals-front], [data-annals-body]')) {
    const shown = e.hasAttribute('data-annals-front') ? front : keep.has(e.id);
    if (!shown) e.setAttribute('data-annals-run-hidden', '');
  }
  document.getElementById('annals-visibility').textContent = '[data-annals-run-hidden] { display: none !important; }';
  return true;
})`;

/**
 * Contiguous runs of `ids` of about equal size, `count` at most, none empty; the front matter counts
 * towards the first.
 */
export function splitRuns(sizes: PartSizes, ids: readonly string[], count: number): string[][] {
  const n = Math.min(count, ids.length);
  if (n <= 1) return [[...ids]];
  const total = sizes.front + sizes.parts.reduce((a, b) => a + b, 0);
  const runs: string[][] = [];
  let run: string[] = [];
  let done = sizes.front;
  for (let i = 0; i < ids.length; i++) {
    const size = sizes.parts[i] ?? 0;
    const target = (total * (runs.length + 1)) / n;
    const left = ids.length - i; // parts not yet placed, this one included
    const runsLeft = n - runs.length - 1; // runs still to start after this one
    // Close the run before this part when that leaves its end nearer the target than taking the part
    // would, or when the remaining parts are just enough for the remaining runs.
    if (run.length > 0 && runsLeft > 0 && (Math.abs(done - target) <= Math.abs(done + size - target) || left === runsLeft)) {
      runs.push(run);
      run = [];
    }
    run.push(ids[i]!);
    done += size;
  }
  runs.push(run);
  return runs;
}

const parse = (bytes: Uint8Array) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Medium });

const located = (doc: PDFDocument) => ({ pages: doc.getPageCount(), dests: readDestinations(doc) });
