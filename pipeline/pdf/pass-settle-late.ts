/**
 * Pass 3, settle the late pages: the parts print 1 left out (from the first that shows a page number:
 * an index, a :pageref) get their numbers from print 1's destinations and are printed, alone, again while
 * the numbers they show still move (a :pageref forward into them), at most MAX_BODY_PASSES times. Their
 * pages follow print 1's (they are spliced in when assembling: splice-pages.ts). Then the page plan and
 * every page number of the book are final.
 *
 * The plain path above is always correct. `lateParts: 'with-front'` (the default) first tries the
 * strategy of pass-late-with-front.ts, which prints them with print 2 and saves a print; when it does not
 * stand, the plain path goes on from what it printed.
 */
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { latePages, type LatePages, type LateState } from './late-pages.ts';
import { planFrom, type PagePlan } from './page-plan.ts';
import { pageValues, type PageValue } from './page-numbers.ts';
import { SHOW, runInPage } from './page-scripts.ts';
import { unnumberedTargets } from './page-targets.ts';
import { lateFitsWithFront, printLateWithFront } from './pass-late-with-front.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import type { BodyPrint } from './pass-print-body.ts';
import { PDF_OPTIONS, PLACEHOLDER } from './print-options.ts';
import { readPrint, type PrintRun } from './print-run.ts';

/** At most this many reprints to settle page numbers that sit in the body (index, :pageref). */
const MAX_BODY_PASSES = 3;

export interface SettledPages extends Omit<LateState, 'printAgain' | 'pass'> {
  /** The final page plan: blanks, folios, named pages. */
  plan: PagePlan;
  /** Every page number the book shows, from the final destinations. */
  values: Record<string, PageValue>;
}

export async function settleLate(run: PrintRun, prepared: PreparedPrint, body: BodyPrint): Promise<SettledPages> {
  const { layout } = run.options;
  let state: LateState = { dests: body.dests, total: body.pages, printAgain: body.late, pass: 1 };
  if (body.late) {
    const late = latePages(run, prepared, body);
    // The late parts' numbers as far as print 1 tells them.
    await late.fill('body', late.numbers(state.dests, state.total).values);
    if (run.options.lateParts !== 'alone' && lateFitsWithFront(prepared, late)) state = await printLateWithFront(run, prepared, body, late, state);
    state = await printLateAlone(run, late, state);
  }
  const { dests, total, tail, combined } = state;
  const plan = planFrom(prepared.found, dests, total, layout);
  const values = pageValues(dests, plan, layout.width.pt - 2 * layout.side.pt, layout.columns, run.options.pageFacts);
  reportUnnumbered(run.file, prepared.found.pageOfTargets, values);
  run.options.onPages?.(total);
  return { dests, total, tail, combined, plan, values };
}

/** A warning for each target of a `[data-page-of]` element that got no page number: it prints the placeholder. */
function reportUnnumbered(file: VFile, asked: readonly string[], values: Readonly<Record<string, PageValue>>): void {
  for (const id of unnumberedTargets(asked, values)) {
    report(file, 'pdf-page-number-missing', `the print has no page for the element with the id "${id}": its page number prints as ${PLACEHOLDER}`, undefined, { severity: 'warning' });
  }
}

/** The plain path: the late parts alone, printed again while the numbers they show still move. */
async function printLateAlone(run: PrintRun, late: LatePages, from: LateState): Promise<LateState> {
  let state = from;
  if (state.printAgain) await runInPage<boolean>(run.page, SHOW, { show: 'late' });
  for (; state.printAgain; state = { ...state, pass: state.pass + 1 }) {
    if (state.pass > MAX_BODY_PASSES) {
      report(run.file, 'pdf-layout-unstable', `page numbers in the body still changed after ${state.pass - 1} prints`, undefined, { severity: 'warning' });
      break;
    }
    const bytes = await run.print(PDF_OPTIONS);
    run.lap('print-late');
    const { dests, total } = late.withTail(await readPrint(bytes), 0);
    const printAgain = (await late.fill('body', late.numbers(dests, total).values)) > 0;
    state = { ...state, dests, total, tail: { bytes, first: 0 }, printAgain };
    run.lap('splice');
  }
  return state;
}
