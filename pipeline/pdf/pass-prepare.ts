/**
 * Pass 1, prepare: the copy of print.html written (with the PDF page CSS, placeholders, its body hidden
 * on screen: print-html.ts) and loaded, in the first tab and, for a large book, in the extra tabs that
 * print its body at the same time (parallel-print.ts); each tab made ready by prepare-tab.ts. Reports
 * what the page found wrong: sliced fonts, ids asked for that no element has, fonts that did not load,
 * wide elements that were fitted.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { svgImageSources, svgInliner } from '../html/inline-svg-images.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { reportFitted } from './fit-wide.ts';
import { fontFileOf, type FontLoadResult } from './font-loading.ts';
import { printRuns, printTabs, type ExtraTab } from './parallel-print.ts';
import { printStylesheets, type PrintFontsFor } from './print-fonts-for.ts';
import { preparedPrintHtml, printCopyHtml } from './print-html.ts';
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
  // A build rendered the copy's parts with print.html's (html/print-copy.ts); given only the folder, the
  // copy is print.html's tree changed (print-html.ts).
  const fontsHref = `${PRINT_FONTS}/fonts.css`;
  run.loaded = options.copy ? printCopyHtml(options.copy, { css: fonts.guessedCss, fontsHref }) : await folderCopy(fonts, options.dir, fontsHref);
  await (options.writeFile ?? writeFile)(join(options.dir, PDF_HTML), Buffer.from(run.loaded));
  // A large book prints its body on several tabs at once (parallel-print.ts): they load meanwhile.
  const runs = printRuns(options.printRuns, fonts.html.length);
  const tabs = printTabs(options.printTabs, runs);
  run.extraTabs = Array.from({ length: tabs - 1 }, () => openExtraTab(run, fonts));
  // The fonts are cut; this thread now mostly waits for the tabs. With a core they leave free, the
  // build's other work may use it (the EPUB: 0.5–0.8 s less for the world report zh; docs/pdf.md, Speed).
  if (tabs < availableParallelism()) options.onSpareCore?.();
  for (const t of run.extraTabs) t.catch(() => undefined); // awaited by printEarly and when the run ends
  const { found, css, fontLoad, fitted, madeUp, notes, keeps } = await prepareTab(run, run.page, fonts);
  for (const id of found.missing) report(file, 'pdf-page-target', `no element has the id "${id}" whose page number is asked for`);
  await reportFailedFonts(file, fontLoad, css, options.dir);
  reportFitted(fitted, options.sources ?? [], file);
  // Yearbook 分目 add named pages for their running heads; only the furniture print needs them.
  const furnitureCss = found.sections.length > 0 ? options.pageCss(found.parts, found.sections) + FURNITURE_CSS : css;
  return { found, css, furnitureCss, madeUp, notes, keeps, runs, faces: fonts.faces };
}

/**
 * The copy made from print.html alone (a PDF stage given only the folder): its tree, with the SVG images
 * that are not inline yet inlined by the build's inliner, from the build folder only, with ids of their
 * own prefix (pdfsvg1-…, apart from the build's), then the copy's changes (print-html.ts).
 */
async function folderCopy(fonts: PrintFontsFor, dir: string, fontsHref: string): Promise<string> {
  const tree = fonts.tree ?? fromHtml(fonts.html);
  const texts = new Map<string, string>();
  for (const src of new Set(svgImageSources(tree))) {
    const text = await svgFileUnder(dir, src);
    if (text !== undefined) texts.set(src, text);
  }
  if (texts.size > 0) svgInliner((src) => texts.get(src), { idPrefix: 'pdfsvg' }).inline(tree);
  return preparedPrintHtml(tree, { css: fonts.guessedCss, placeholder: PLACEHOLDER, fontsHref });
}

/** An SVG file of the build folder named by a `src` of print.html; any other is left to the request guard. */
async function svgFileUnder(dir: string, src: string): Promise<string | undefined> {
  const path = resolve(dir, src);
  const rel = relative(resolve(dir), path);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return readFile(path, 'utf8').catch(() => undefined); // a missing file: a failed request, reported by the guard
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

/**
 * A face the text needs that Chromium could not load, named with the file it came from: the page CSS in
 * the copy, or a stylesheet it links (the print fonts' in place of the site's).
 */
async function reportFailedFonts(file: VFile, fontLoad: FontLoadResult, pageCss: string, dir: string): Promise<void> {
  if (fontLoad.failed.length === 0) return;
  const sheets = [{ css: pageCss, base: '' }, ...(await printStylesheets(dir, `${PRINT_FONTS}/fonts.css`))];
  for (const face of fontLoad.failed) {
    const from = fontFileOf(face, sheets);
    report(file, 'pdf-font-failed', `the font ${face.family} (weight ${face.weight}, ${face.style}) could not be loaded${from ? ` from ${from}` : ''}: Chromium could not read or decode it`);
  }
}
