/**
 * What the passes of one printEdition call (print-pdf.ts) share: the options, the diagnostics file, the
 * first tab, the time each stage took, the prints made, and `print()`, which counts them. Made for each
 * call; nothing is kept between calls.
 */
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import type { Page, PDFOptions } from 'puppeteer';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { printWithFonts } from './font-loading.ts';
import { reportGuardEvent } from './guard-report.ts';
import { readDestinations, readPrintDestinations, type Destination } from './page-numbers.ts';
import type { ExtraTab } from './parallel-print.ts';
import { MAX_FONT_PRINTS, type PrintEditionOptions, type PrintResult } from './print-options.ts';
import type { GuardEvent } from './request-guard.ts';
import type { Stopwatch } from '../base/stopwatch.ts';

/** The counts PrintResult reports (print-options.ts explains each). */
export interface PrintCounts {
  prints: number;
  reprints: number;
  lateWithFront: boolean;
  tabs: number;
  runs: number;
}

export interface PrintRun extends Stopwatch {
  readonly options: PrintEditionOptions;
  readonly file: VFile;
  /** The first tab: every pass prints in it; the body may also print in extra tabs (parallel-print.ts). */
  readonly page: Page;
  readonly counts: PrintCounts;
  /** The document Chromium loaded (for the line a blocked request came from); the prepare pass sets it. */
  loaded: string;
  /** Blocked requests reported at a chapter (not on `file`): they fail the edition too. */
  blockedElsewhere: number;
  /** Extra tabs that print the body with the first (the prepare pass opens them); closed when the run ends. */
  extraTabs: Array<Promise<ExtraTab>>;
  /** Reports a guard event of any tab, each once (the extra tabs load the same page). */
  onEvent(event: GuardEvent): void;
  /** Prints `tab` (default: the first), counting prints and the reprints for a missing font slice. */
  print(pdfOptions: PDFOptions, tab?: Page): Promise<Uint8Array>;
}

export function createPrintRun(options: PrintEditionOptions, page: Page, watch: Stopwatch): PrintRun {
  const { file } = options;
  const counts: PrintCounts = { prints: 0, reprints: 0, lateWithFront: false, tabs: 1, runs: 1 };
  const reported = new Set<string>();
  const run: PrintRun = {
    options,
    file,
    page,
    counts,
    timings: watch.timings,
    lap: watch.lap,
    loaded: '',
    blockedElsewhere: 0,
    extraTabs: [],
    onEvent(event) {
      const key = `${event.kind} ${'url' in event ? event.url : event.message}`;
      if (reported.has(key)) return;
      reported.add(key);
      if (reportGuardEvent(file, event, { sources: options.sources ?? [], loaded: () => run.loaded }) !== file) run.blockedElsewhere++;
    },
    print(pdfOptions, tab = page) {
      counts.prints++;
      return printWithFonts(tab, pdfOptions, {
        onReprint: () => void (counts.reprints++, counts.prints++),
        onGiveUp: (faces) => report(file, 'pdf-font-unsettled', `after ${MAX_FONT_PRINTS} prints the print still asked for ${faces} font slice(s) that were not loaded`, undefined, { severity: 'warning' }),
        attempts: MAX_FONT_PRINTS,
      });
    },
  };
  return run;
}

/** The result of a print that failed (its problem is reported on the file). */
export function failedResult(timings: Record<string, number>, counts?: PrintCounts): PrintResult {
  const { prints = 0, reprints = 0, lateWithFront = false, tabs = 1, runs = 1 } = counts ?? {};
  return { ok: false, pages: 0, timings, bytes: 0, reprints, prints, lateWithFront, tabs, runs };
}

/** A Chromium print, parsed by pdf-lib (fastest: the passes only read it or copy from it). */
export const parsePrint = (bytes: Uint8Array, parseSpeed: ParseSpeeds = ParseSpeeds.Fastest) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed });

/** A print's page count and named destinations: from the objects they need, else from the whole file parsed. */
export async function readPrint(bytes: Uint8Array): Promise<{ pages: number; dests: Map<string, Destination> }> {
  const read = readPrintDestinations(bytes);
  if (read) return read;
  const doc = await parsePrint(bytes);
  return { pages: doc.getPageCount(), dests: readDestinations(doc) };
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
