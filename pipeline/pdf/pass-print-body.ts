/**
 * Pass 2, print the body (print 1): the front matter with placeholders and the body up to the first part
 * that holds a page number (an index, a :pageref); those late parts come later (pass-settle-late.ts). A
 * large book's body is printed in runs of parts on several tabs at once (parallel-print.ts). A page note
 * or a float the print set on another page than the page measured goes back into the text, and print 1
 * is made again (at most MAX_UNFLOAT_PRINTS more prints). Then the page notes and the make-up are checked
 * against the print's named destinations, and so are the spanning headings given a page break (span-keeps.ts).
 */
import type { PDFDocument } from 'pdf-lib';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { UNFLOAT, checkMadeUp, driftedFloats } from './make-up.ts';
import { RELAX_PAGE_NOTES, type PageNotesResult } from './page-notes.ts';
import type { Destination } from './page-numbers.ts';
import { planFrom } from './page-plan.ts';
import { runInPage } from './page-scripts.ts';
import { keepPageTargets } from './page-targets.ts';
import { printEarly, type EarlyPrint } from './parallel-print.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import { PDF_OPTIONS } from './print-options.ts';
import type { PrintRun } from './print-run.ts';
import { checkSpanKeeps } from './span-keeps.ts';

/** At most this many prints 1 again for page notes and floats the print set elsewhere than measured. */
const MAX_UNFLOAT_PRINTS = 2;

export interface BodyPrint {
  /** Pages of print 1. */
  pages: number;
  /** Its named destinations, read from the bytes. */
  dests: Map<string, Destination>;
  /** Print 1 parsed by pdf-lib in the background (it yields to the event loop): awaited when assembling. */
  document: Promise<PDFDocument>;
  /** Pages of the front matter in print 1 (the page plan's, padded to an even count). */
  frontPages: number;
  /** Some parts hold page numbers: they are not in print 1. */
  late: boolean;
}

export async function printBody(run: PrintRun, prepared: PreparedPrint): Promise<BodyPrint> {
  const { found, madeUp, notes, keeps } = prepared;
  const { file, page } = run;
  const { layout } = run.options;
  const late = found.parts.some((p) => p.hasPageOf);
  const print1 = (extraTabs: PrintRun['extraTabs']) => printEarly({ page, prepared: found, late, runs: prepared.runs, extraTabs, print: (tab, o) => run.print(o, tab), options: PDF_OPTIONS });
  let earlyPrint = await print1(run.extraTabs);
  // A page note the print set on another page than its reference (the measurement in the page and the
  // print disagreed) follows its paragraph in the text instead (page-notes.ts RELAX_PAGE_NOTES); a float
  // or continuation the print set on another page than the make-up pass placed it goes back to where it
  // was in the text, unforced (make-up.ts UNFLOAT). Either needs one more print 1, which may move another
  // note or float (at most MAX_UNFLOAT_PRINTS such prints).
  const unfloated: string[] = [];
  const relaxedAreas = new Set<string>();
  for (let round = 0; round < MAX_UNFLOAT_PRINTS; round++) {
    let changed = notes !== undefined && (await relaxMovedNotes(run, notes, earlyPrint, relaxedAreas));
    const drifted = madeUp ? driftedFloats(madeUp, earlyPrint.dests).filter((id) => !unfloated.includes(id)) : [];
    if (drifted.length > 0 && (await runInPage<number>(page, UNFLOAT, { ids: drifted })) > 0) {
      report(file, 'pdf-make-up', `${drifted.length} floated figure(s), box(es) or table continuation(s) printed on another page than placed went back to their place in the text (${drifted.join(', ')})`, undefined, { severity: 'info' });
      unfloated.push(...drifted);
      changed = true;
    }
    if (!changed) break;
    await keepPageTargets(page, found.targets);
    run.lap('print');
    earlyPrint = await print1([]);
  }
  run.counts.tabs = earlyPrint.tabs;
  run.counts.runs = earlyPrint.runs;
  run.lap('print');
  const { pages, dests, document } = earlyPrint;
  if (notes) checkPageNotes(file, notes, dests, layout.bottom.pt);
  if (madeUp) checkMadeUp(madeUp, dests, file, unfloated);
  checkSpanKeeps(keeps, dests, file);
  run.lap('read');
  const frontPages = planFrom(found, dests, pages, layout).pages.filter((p) => p.kind === 'front').length;
  return { pages, dests, document, frontPages, late };
}

/**
 * The page notes print 1 set on another page than their reference (and not set so before: `relaxed`,
 * which this adds to), set after their paragraph; true when any was.
 */
async function relaxMovedNotes(run: PrintRun, notes: PageNotesResult, earlyPrint: EarlyPrint, relaxed: Set<string>): Promise<boolean> {
  const moved = movedNotes(notes, earlyPrint.dests, run.options.layout.bottom.pt).filter((p) => !relaxed.has(p.area));
  const movedAreas = [...new Map(moved.map((p) => [p.area, { area: p.area, ref: p.ref }])).values()];
  for (const a of movedAreas) relaxed.add(a.area);
  if (movedAreas.length === 0 || (await runInPage<number>(run.page, RELAX_PAGE_NOTES, { areas: movedAreas })) === 0) return false;
  report(run.file, 'pdf-page-note-moved', `${moved.length} page note(s) set after their paragraph instead of at the page's foot: the print laid their page out otherwise than the note pass measured (${moved.map((p) => p.ref).join(', ')})`, undefined, { severity: 'info' });
  return true;
}

/**
 * The notes printed on another page than their reference. Chromium can leave the destination of an
 * inline element that opens a page at the foot of the page before (below its text block): such a
 * destination counts for the next page.
 */
function movedNotes(notes: PageNotesResult, dests: ReadonlyMap<string, Destination>, bottomPt: number): PageNotesResult['pairs'] {
  const pageOf = (id: string) => {
    const d = dests.get(id);
    return d && d.y < bottomPt - 0.5 ? d.page + 1 : d?.page;
  };
  return notes.pairs.filter((p) => pageOf(p.ref) !== pageOf(p.note));
}

/**
 * Each page note must be printed on the page of its reference: the named destinations of both say where
 * they are. A note that is not is reported (the layout in the page and the print disagreed), as is a
 * reference whose note stayed at the end of its chapter.
 */
function checkPageNotes(file: VFile, notes: PageNotesResult, dests: ReadonlyMap<string, Destination>, bottomPt: number): void {
  const moved = movedNotes(notes, dests, bottomPt);
  if (moved.length > 0) {
    report(file, 'pdf-page-note-moved', `${moved.length} page note(s) printed on another page than their reference (${moved.map((p) => p.ref).join(', ')})`);
  }
  if (notes.unplaced > 0) {
    report(file, 'pdf-page-note-moved', `${notes.unplaced} note(s) could not be set at the foot of their page and stay at the end of their chapter`);
  }
}
