/**
 * Print 1 (the body, print-pdf.ts) on several tabs at once. Every body part starts on a new page and
 * print 1 has no running heads or folios, so the pages of a run of parts do not depend on what is
 * printed before or after it: each tab shows a contiguous run of the early parts (the first tab also
 * the front matter), the runs are printed at the same time, and their pages are appended in order with
 * their structure trees (splice-pages.ts), their destinations shifted by the pages before them. The
 * result is print 1 as one print gives it: the same pages, text, destinations and tags; only each run
 * embeds its own subsets of the fonts. Everything after print 1 (page plan, late parts, print 2,
 * assembling) is unchanged.
 *
 * Chromium lays out and prints a tab on one thread of its renderer, so a second tab uses a second core;
 * on one core, or for a small book (where loading the page and its fonts again costs more than half a
 * print saves), one tab prints as before.
 */
import { availableParallelism } from 'node:os';
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import type { Page, PDFOptions } from 'puppeteer';
import { readDestinations, scanDestinations, type Destination } from './page-numbers.ts';
import { runInPage, SHOW, type PreparedPage } from './page-scripts.ts';
import { replaceTail } from './splice-pages.ts';

/** print.html smaller than this prints on one tab (the sample books: 0.25–0.47 MB; 300 pages ≈ 1.4 MB). */
export const PARALLEL_FROM_BYTES = 1_000_000;
/** At most this many tabs at once (each holds a laid-out copy of its run; memory grows with tabs). */
export const MAX_TABS = 4;

/**
 * How many tabs print 1 uses: `requested` when given (1 = one print), else one per available core (at
 * most MAX_TABS) for a print.html of PARALLEL_FROM_BYTES or more, else 1.
 */
export function printTabs(requested: number | undefined, htmlBytes: number, cores = availableParallelism()): number {
  if (requested !== undefined && Number.isFinite(requested)) return Math.max(1, Math.min(MAX_TABS, Math.floor(requested)));
  if (cores < 2 || htmlBytes < PARALLEL_FROM_BYTES) return 1;
  return Math.min(cores, MAX_TABS);
}

/** Another tab with print.html loaded and prepared as the first one (print-pdf.ts makes it). */
export interface ExtraTab {
  page: Page;
  close(): Promise<void>;
}

export interface EarlyPrintOptions {
  /** The prepared tab. */
  page: Page;
  prepared: PreparedPage;
  /** Some parts hold page numbers and are printed later (print-pdf.ts): only the parts before them. */
  late: boolean;
  /** Extra tabs being prepared (one print when empty); all are closed before this returns. */
  extraTabs: ReadonlyArray<Promise<ExtraTab>>;
  /** Print a tab (print-pdf.ts counts prints and reprints for missing fonts). */
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
  /** Tabs that printed (1: one print). */
  tabs: number;
}

/** Print 1: the front matter and the early parts (all parts when none is late). */
export async function printEarly(options: EarlyPrintOptions): Promise<EarlyPrint> {
  const { page, prepared } = options;
  const lateFrom = prepared.parts.findIndex((p) => p.hasPageOf);
  const early = prepared.parts.slice(0, options.late && lateFrom >= 0 ? lateFrom : prepared.parts.length).map((p) => p.id);
  const runs = options.extraTabs.length > 0 && early.length >= 2 ? splitRuns(await runInPage<PartSizes>(page, SIZES, { ids: early }), early, options.extraTabs.length + 1) : [early];
  const closeAll = () => Promise.all(options.extraTabs.map(async (t) => (await t.catch(() => undefined))?.close()));

  if (runs.length === 1) {
    void closeAll();
    await runInPage<boolean>(page, SHOW, { show: options.late ? 'early' : 'all' });
    const bytes = await options.print(page, options.options);
    const document = parse(bytes);
    document.catch(() => undefined); // awaited by the caller
    const read = scanDestinations(bytes) ?? located(await document);
    return { ...read, document, tabs: 1 };
  }

  try {
    const tabs = [page, ...(await Promise.all(options.extraTabs.slice(0, runs.length - 1))).map((t) => t.page)];
    const pieces = await Promise.all(
      runs.map(async (ids, i) => {
        await runInPage<boolean>(tabs[i]!, SHOW_RUN, { front: i === 0, ids });
        return options.print(tabs[i]!, options.options);
      }),
    );
    // Destinations: each run's pages follow those of the runs before it.
    const dests = new Map<string, Destination>();
    let pages = 0;
    for (const bytes of pieces) {
      const read = scanDestinations(bytes) ?? located(await parse(bytes));
      for (const [id, d] of read.dests) if (!dests.has(id)) dests.set(id, { ...d, page: d.page + pages });
      pages += read.pages;
    }
    const document = (async () => {
      const docs = await Promise.all(pieces.map((bytes) => parse(bytes)));
      const whole = docs[0]!;
      for (const doc of docs.slice(1)) replaceTail(whole, whole.getPageCount(), doc);
      return whole;
    })();
    document.catch(() => undefined); // awaited by the caller
    return { pages, dests, document, tabs: runs.length };
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
