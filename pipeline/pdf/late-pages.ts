/**
 * What the passes that print the late parts (pass-settle-late.ts, pass-late-with-front.ts) share: which
 * part is the first late one, the page numbers that follow from a set of destinations, filling them into
 * the page, and the destinations of the whole book once a print of the late parts follows print 1.
 */
import { planFrom, type PagePlan } from './page-plan.ts';
import { pageValues, type Destination, type PageValue } from './page-numbers.ts';
import { FILL_PAGE_NUMBERS, runInPage, type PartInfo } from './page-scripts.ts';
import type { HeadPrint } from './running-heads.ts';
import type { BodyPrint } from './pass-print-body.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import type { PrintRun } from './print-run.ts';

/** Where the late parts stand: the book's destinations and pages so far, and the prints they came from. */
export interface LateState {
  /** Named destinations of the whole book: print 1's, then the late parts' after its pages. */
  dests: Map<string, Destination>;
  /** Pages of the whole book (before blanks are inserted). */
  total: number;
  /** The late parts' pages: those of `bytes` from page `first` on (none: no late parts, or not printed yet). */
  tail?: { bytes: Uint8Array; first: number };
  /** Print 2, when it was made together with the late parts (pass-late-with-front.ts). */
  combined?: { bytes: Uint8Array; heads: HeadPrint };
  /** The numbers the late parts show may still move: they are printed (again). */
  printAgain: boolean;
  /** The number of the next print of the late parts (1: none made yet). */
  pass: number;
}

export interface LatePages {
  /** Index of the first late part in `found.parts`, and the part. */
  lateFrom: number;
  firstLate: PartInfo;
  /** The page plan and the page numbers for these destinations. */
  numbers(dests: ReadonlyMap<string, Destination>, total: number): { plan: PagePlan; values: Record<string, PageValue> };
  /** Fill the page numbers into the front matter or the body; returns how many elements changed. */
  fill(scope: 'body' | 'front', values: Record<string, PageValue>): Promise<number>;
  /** The destinations once the late parts printed in `printed` from page `first` on follow print 1's early pages. */
  withTail(printed: { pages: number; dests: Map<string, Destination> }, first: number): { dests: Map<string, Destination>; total: number };
}

export function latePages(run: PrintRun, prepared: PreparedPrint, body: BodyPrint): LatePages {
  const { layout, pageFacts } = run.options;
  const { found } = prepared;
  const lateFrom = found.parts.findIndex((p) => p.hasPageOf);
  const pageWidth = layout.width.pt - 2 * layout.side.pt;
  const early = body.pages;
  return {
    lateFrom,
    firstLate: found.parts[lateFrom]!,
    numbers(dests, total) {
      const plan = planFrom(found, dests, total, layout);
      return { plan, values: pageValues(dests, plan, pageWidth, layout.columns, pageFacts) };
    },
    fill: (scope, values) => runInPage<number>(run.page, FILL_PAGE_NUMBERS, { values, scope }),
    withTail(printed, first) {
      const merged = new Map([...body.dests].filter(([, d]) => d.page < early));
      for (const [id, d] of printed.dests) if (d.page >= first) merged.set(id, { ...d, page: d.page - first + early });
      return { dests: merged, total: early + printed.pages - first };
    },
  };
}
