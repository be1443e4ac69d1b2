/**
 * Pass 1, prepare: the copy of print.html written (with the PDF page CSS, placeholders, its body hidden
 * on screen: print-html.ts) and loaded, in the first tab and, for a large book, in the extra tabs that
 * print its body at the same time (parallel-print.ts); each tab made ready by prepare-tab.ts. Reports
 * what the page found wrong: sliced fonts, ids asked for that no element has, fonts that did not load,
 * wide elements that were fitted.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { reportFitted } from './fit-wide.ts';
import { fontFileOf, type FontLoadResult } from './font-loading.ts';
import { printRuns, printTabs, type ExtraTab } from './parallel-print.ts';
import { stylesheetsOf, type PrintFontsFor } from './print-fonts-for.ts';
import { preparePrintHtml } from './print-html.ts';
import { FURNITURE_CSS, PDF_HTML, PLACEHOLDER, PRINT_FONTS } from './print-options.ts';
import type { PrintRun } from './print-run.ts';
import { prepareTab, type PreparedTab } from './prepare-tab.ts';
import { guardPage } from './request-guard.ts';
import type { PrintFonts } from './print-fonts.ts';

export interface PreparedPrint extends Omit<PreparedTab, 'fontLoad' | 'fitted' | 'lines'> {
  /** The page CSS of print 2 (the furniture print): with the yearbook 分目's named pages, when there are any. */
  furnitureCss: string;
  /** Runs the body is printed in (parallel-print.ts `printRuns`). */
  runs: number;
  /** The print fonts (unify-fonts.ts joins the subsets each print embedded of them). */
  faces: PrintFonts;
}

export async function preparePrint(run: PrintRun, fonts: PrintFontsFor): Promise<PreparedPrint> {
  const { options, file } = run;
  for (const face of fonts.faces.sliced) {
    report(file, 'pdf-font-sliced', `${face.family} (weight ${face.weight}, ${face.style}) has no full font (@expo-google-fonts/${face.pkg}): the PDF embeds its unicode-range slices, each as a font of its own`, undefined, { severity: 'warning' });
  }
  run.lap('fonts');
  // Loaded with the PDF variant of the page CSS already in place and its body hidden on screen: the
  // book is laid out once, for the first print. The fonts its text needs are loaded by font-loading.ts,
  // since no screen layout asks for them.
  run.loaded = preparePrintHtml(fonts.html, { css: fonts.guessedCss, placeholder: PLACEHOLDER, fontsHref: `${PRINT_FONTS}/fonts.css` });
  await writeFile(join(options.dir, PDF_HTML), run.loaded);
  // A large book prints its body on several tabs at once (parallel-print.ts): they load meanwhile.
  const runs = printRuns(options.printRuns, fonts.html.length);
  run.extraTabs = Array.from({ length: printTabs(options.printTabs, runs) - 1 }, () => openExtraTab(run, fonts));
  for (const t of run.extraTabs) t.catch(() => undefined); // awaited by printEarly and when the run ends
  const { found, css, fontLoad, fitted, madeUp, notes, keeps } = await prepareTab(run, run.page, fonts);
  for (const id of found.missing) report(file, 'pdf-page-target', `no element has the id "${id}" whose page number is asked for`);
  await reportFailedFonts(file, fontLoad, run.loaded, options.dir);
  reportFitted(fitted, options.sources ?? [], file);
  // Yearbook 分目 add named pages for their running heads; only the furniture print needs them.
  const furnitureCss = found.sections.length > 0 ? options.pageCss(found.parts, found.sections) + FURNITURE_CSS : css;
  return { found, css, furnitureCss, madeUp, notes, keeps, runs, faces: fonts.faces };
}

/** Another tab, guarded like the first, with the copy loaded and prepared the same way. */
async function openExtraTab(run: PrintRun, fonts: PrintFontsFor): Promise<ExtraTab> {
  const tab = await run.page.browser().newPage();
  const tabGuard = await guardPage(tab);
  tabGuard.begin({ root: run.options.dir, onEvent: run.onEvent });
  const close = async () => {
    tabGuard.end();
    await tab.close().catch(() => undefined);
  };
  try {
    await prepareTab(run, tab, fonts);
  } catch (error) {
    await close();
    throw error;
  }
  return { page: tab, close };
}

/** A face the text needs that Chromium could not load, named with the file it came from. */
async function reportFailedFonts(file: VFile, fontLoad: FontLoadResult, loaded: string, dir: string): Promise<void> {
  if (fontLoad.failed.length === 0) return;
  const sheets = [{ css: loaded, base: '' }, ...(await stylesheetsOf(loaded, dir))];
  for (const face of fontLoad.failed) {
    const from = fontFileOf(face, sheets);
    report(file, 'pdf-font-failed', `the font ${face.family} (weight ${face.weight}, ${face.style}) could not be loaded${from ? ` from ${from}` : ''}: Chromium could not read or decode it`);
  }
}
