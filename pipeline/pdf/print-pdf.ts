/**
 * One edition's PDF, from the staged print.html: printEdition runs these passes in this order (docs/pdf.md
 * explains why each is there; pipeline/README.md says where a new one goes). Each is a module with typed
 * input and output; what they share (options, timings, the print counter) is the run (print-run.ts).
 *
 *   0. launch     Chromium starts while the print fonts are cut (print-fonts-for.ts).
 *   1. prepare    pass-prepare.ts: a copy of print.html with the PDF page CSS, its body hidden on screen,
 *                 loaded and made ready in every tab that prints (prepare-tab.ts: SVGs inline, the
 *                 page described, fonts loaded, wide elements fitted, line grid, page notes, make-up).
 *   2. print body pass-print-body.ts: print 1, the front matter with placeholders and the body up to the
 *                 first part that holds page numbers (index, :pageref); on several tabs for a large
 *                 book (parallel-print.ts); again when a page note or a float moved.
 *   3. settle late pass-settle-late.ts: the late parts printed alone until their numbers settle; the
 *                 page plan (page-plan.ts) and every page number final. Strategy `lateParts:
 *                 'with-front'` (default): pass-late-with-front.ts prints them with print 2 when the
 *                 front matter shows no page inside them but their first, a print fewer.
 *   4. front      pass-front-matter.ts: print 2, the front matter with its page numbers + one page per
 *                 distinct running head and side + the folio sample (running-heads.ts), unless pass 3
 *                 made it; it prints while pass 5 splices.
 *   5. assemble   pass-assemble.ts: the late pages spliced in (splice-pages.ts), then front pages,
 *                 blanks, binding-edge shift, running heads and folios (assemble-pdf.ts), outline, page
 *                 labels, metadata, one font program per face (unify-fonts.ts).
 *   6. audit      pass-audit.ts: the font audit, then the file written.
 *
 * The book is printed once; the other print is small (front matter, index, a few near-empty pages).
 * Problems are reported on `options.file`; a failed print reports and returns `ok: false`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { report } from '../report/diagnostics.ts';
import { BrowserNotFoundError } from './find-browser.ts';
import { BrowserLaunchError } from './launch-chromium.ts';
import { assembleBook, spliceLate } from './pass-assemble.ts';
import { auditAndWrite } from './pass-audit.ts';
import { finishFrontMatter, startFrontMatter } from './pass-front-matter.ts';
import { preparePrint } from './pass-prepare.ts';
import { printBody } from './pass-print-body.ts';
import { settleLate } from './pass-settle-late.ts';
import { printFontsFor } from './print-fonts-for.ts';
import { PDF_HTML, PRINT_FONTS, type PrintEditionOptions, type PrintResult } from './print-options.ts';
import { createStopwatch, type Stopwatch } from '../base/stopwatch.ts';
import { createPrintRun, errorMessage, failedResult, type PrintRun } from './print-run.ts';
import { guardPage } from './request-guard.ts';

export { PASSES_CSS, PDF_OPTIONS, type LatePartsStrategy, type PrintEditionOptions, type PrintResult } from './print-options.ts';
export { blockedSource } from './guard-report.ts';

export async function printEdition(options: PrintEditionOptions): Promise<PrintResult> {
  const watch = createStopwatch();
  // 0. The print fonts are cut while Chromium finishes starting (the build spawned it when the edition
  //    began: build-edition.ts): the cut is CPU work in this process, the launch mostly Chromium's own.
  const launching = options.session.page();
  launching.catch(() => undefined); // awaited by launch
  const fontsReady = printFontsFor(options);
  fontsReady.catch(() => undefined); // awaited in the try below
  const page = await launch(options, launching, watch);
  if (!page) {
    await fontsReady.catch(() => undefined);
    await rm(join(options.dir, PRINT_FONTS), { recursive: true, force: true });
    return failedResult(watch.timings);
  }
  const run = createPrintRun(options, page, watch);
  const guard = await guardPage(page);
  guard.begin({ root: options.dir, onEvent: run.onEvent });
  try {
    const prepared = await preparePrint(run, await fontsReady); // 1
    const body = await printBody(run, prepared); // 2
    const settled = await settleLate(run, prepared, body); // 3
    // 4, then 5 while print 2 prints: print 1 (parsed in the background since pass 2) gets the late pages.
    const front = await startFrontMatter(run, prepared, body, settled);
    const book = await spliceLate(run, body, settled);
    const second = book.second ?? (await finishFrontMatter(run, front, body));
    if (!second) return failedResult(run.timings, run.counts);
    const doc = await assembleBook(run, { prepared, settled, heads: front.heads, book, second });
    return await auditAndWrite(run, doc, prepared.madeUp, prepared.keeps); // 6
  } catch (error) {
    report(options.file, 'pdf-print-failed', `printing failed: ${errorMessage(error)}`);
    return failedResult(run.timings, run.counts);
  } finally {
    guard.end();
    await endRun(run);
  }
}

/** The first tab, or undefined when Chromium could not be found or started (reported). */
async function launch(options: PrintEditionOptions, launching: Promise<Page>, watch: Stopwatch): Promise<Page | undefined> {
  const { file } = options;
  try {
    const page = await launching;
    watch.lap('launch');
    return page;
  } catch (error) {
    if (error instanceof BrowserNotFoundError) report(file, 'pdf-browser-not-found', error.message, undefined, { hint: error.hint });
    else if (error instanceof BrowserLaunchError) report(file, 'pdf-browser-failed', error.message);
    else report(file, 'pdf-print-failed', `Chromium did not start: ${errorMessage(error)}`);
    return undefined;
  }
}

/** Extra tabs closed, the files written beside print.html removed, the font cache trimmed. */
async function endRun(run: PrintRun): Promise<void> {
  const { dir, fontCache } = run.options;
  await Promise.all(run.extraTabs.map(async (t) => (await t.catch(() => undefined))?.close()));
  await rm(join(dir, PDF_HTML), { force: true });
  await rm(join(dir, PRINT_FONTS), { recursive: true, force: true });
  fontCache?.trim();
}
