/**
 * The optional strategy of the settle-late pass (`lateParts: 'with-front'`, the default): print 2 made
 * at once, with the late parts after its running-head pages, one print fewer than the plain path.
 *
 * It applies when the front matter shows no page inside the late parts but their first (the contents
 * list the index): their first page is the one after print 1's pages, so the front matter's numbers are
 * known before it is printed, and the heads the late parts need are printed on both sides (their page
 * count is not known yet). The result stands if the late parts start where expected, their numbers do
 * not move, every page has its head in the print and the figures from the page count (the imprint's 印张)
 * hold; otherwise the furniture is taken out again and the plain path goes on from what was printed.
 */
import { partPage, sectionPage } from './page-css.ts';
import type { PageValue } from './page-numbers.ts';
import { ADD_FURNITURE, REMOVE_FURNITURE, SHOW, runInPage } from './page-scripts.ts';
import { furniturePrintCss } from './pass-front-matter.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import type { BodyPrint } from './pass-print-body.ts';
import type { LatePages, LateState } from './late-pages.ts';
import { SECOND_OPTIONS } from './print-options.ts';
import { readPrint, type PrintRun } from './print-run.ts';
import { headIndex, headPrint } from './running-heads.ts';

/** The strategy applies: the front matter shows no page inside the late parts other than their first. */
export function lateFitsWithFront(prepared: PreparedPrint, late: LatePages): boolean {
  return prepared.found.frontLateTargets.every((id) => id === late.firstLate.id);
}

/** Print 2 with the late parts; the state after it (`combined` set when it stands). */
export async function printLateWithFront(run: PrintRun, prepared: PreparedPrint, body: BodyPrint, late: LatePages, state: LateState): Promise<LateState> {
  const { found } = prepared;
  const { page } = run;
  const { firstLate } = late;
  const early = body.pages;
  const guessed = new Map(state.dests).set(firstLate.id, { page: early, x: 0, y: 0 });
  const { plan: guessedPlan, values: frontValues } = late.numbers(guessed, early + 1);
  await late.fill('front', frontValues);
  const lateNames = found.parts.slice(late.lateFrom).flatMap((p) => [partPage(p.id), ...found.sections.filter((s) => s.part === p.id).map((s) => sectionPage(p.id, s.id))]);
  const heads = headPrint(guessedPlan, body.frontPages, lateNames.flatMap((name) => [{ name, side: 'right' as const }, { name, side: 'left' as const }]));
  await runInPage<number>(page, ADD_FURNITURE, { css: furniturePrintCss(run, prepared, heads), pages: heads.pages, before: firstLate.id });
  await runInPage<boolean>(page, SHOW, { show: 'front-late' });
  const bytes = await run.print(SECOND_OPTIONS);
  run.lap('print-late');
  const printed = await readPrint(bytes);
  const first = body.frontPages + heads.pages.length;
  let next = state;
  if (printed.dests.get(firstLate.id)?.page === first) {
    const { dests, total } = late.withTail(printed, first);
    const { plan, values } = late.numbers(dests, total);
    const printAgain = (await late.fill('body', values)) > 0;
    const headOf = headIndex(plan, body.frontPages, heads.pages);
    // Figures from the page count (the imprint's 印张) must also hold: print 2 guessed the count.
    const pageFacts = Object.keys(run.options.pageFacts?.(0) ?? {});
    const sameFront = [...found.frontLateTargets, ...pageFacts].every((id) => samePageValue(frontValues[id], values[id]));
    const combined = !printAgain && headOf && sameFront ? { bytes, heads: { ...heads, headOf } } : undefined;
    next = { dests, total, tail: { bytes, first }, combined, printAgain, pass: 2 };
    run.counts.lateWithFront = combined !== undefined;
  }
  if (!next.combined) await runInPage<boolean>(page, REMOVE_FURNITURE, { css: prepared.css });
  run.lap('splice');
  return next;
}

const samePageValue = (a: PageValue | undefined, b: PageValue | undefined) => a?.page === b?.page && a?.column === b?.column;
