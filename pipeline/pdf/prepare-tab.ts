/**
 * One tab made ready for the first print (the prepare pass, pass-prepare.ts, runs it in the first tab and
 * in every extra tab that prints the body with it): the copy of print.html loaded (its SVG images inline
 * already: pass-prepare.ts), the page described (PREPARE), the page CSS put right if the parts differ from those guessed, the fonts
 * loaded, then the passes that change the page before the first print, in this order: wide elements
 * fitted, Chinese lines settled on the grid, page-bottom notes placed, tables and floats made up, headings
 * that span columns kept with their sections.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import { loadPrintFonts, type FontLoadResult } from './font-loading.ts';
import { fitWideElements, type FittedElement } from './fit-wide.ts';
import { settleLines, type LineGridResult } from './line-grid.ts';
import { composePages, type MakeUpResult, WRAP_PLAIN_TABLES } from './make-up.ts';
import { COUNTER_GLYPHS } from './page-css.ts';
import type { PageNotesResult } from './page-notes.ts';
import { PREPARE, SET_PAGE_CSS, runInPage, type PreparedPage } from './page-scripts.ts';
import { keepPageTargets, markPageTargets } from './page-targets.ts';
import type { PrintFontsFor } from './print-fonts-for.ts';
import { FURNITURE_CSS, LOAD_TIMEOUT_MS, PDF_HTML, PLACEHOLDER } from './print-options.ts';
import type { PrintRun } from './print-run.ts';
import { NO_SPAN_KEEPS, keepSpanningHeadings, type SpanKeepResult } from './span-keeps.ts';

export interface PreparedTab {
  /** What PREPARE found: the body parts, 分目, contents, ids asked for. */
  found: PreparedPage;
  /** The page CSS the tab prints with (with FURNITURE_CSS). */
  css: string;
  fontLoad: FontLoadResult;
  fitted: FittedElement[];
  lines: LineGridResult;
  /** Undefined when the make-up pass is off (`options.makeUp`). */
  madeUp?: MakeUpResult;
  /** Undefined when notes stay at the chapters' ends (`options.pageNotes`). */
  notes?: PageNotesResult;
  /** Column-spanning headings given a page break to keep with their sections (span-keeps.ts). */
  keeps: SpanKeepResult;
}

/** Load PDF_HTML into `tab` and prepare it; only the first tab's stages are timed. */
export async function prepareTab(run: PrintRun, tab: Page, fonts: Pick<PrintFontsFor, 'guessed' | 'guessedCss'>): Promise<PreparedTab> {
  const { options } = run;
  const { dir, layout } = options;
  const lap = (stage: string) => tab === run.page && run.lap(stage);
  await tab.goto(pathToFileURL(join(dir, PDF_HTML)).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  lap('load');
  const found = await runInPage<PreparedPage>(tab, PREPARE, { placeholder: PLACEHOLDER });
  // The passes below may cut a target's paragraph in two and lose its id: marked now, kept after them.
  await markPageTargets(tab, found.targets);
  const { guessed } = fonts;
  const same = found.parts.length === guessed.length && found.parts.every((p, i) => p.id === guessed[i]!.id && p.runningHead === guessed[i]!.runningHead);
  const css = same ? fonts.guessedCss : options.pageCss(found.parts) + FURNITURE_CSS;
  if (!same) await runInPage<boolean>(tab, SET_PAGE_CSS, { css });
  // Text drawn only in margin boxes: folios, the book title, running heads, yearbook 分目.
  const marginText = COUNTER_GLYPHS + options.metadata.title + found.parts.map((p) => p.runningHead).join('') + found.sections.map((s) => s.title).join('') + ' · ';
  const fontLoad = await loadPrintFonts(tab, [{ stack: options.fonts.heading, text: marginText }]);
  const widthPt = layout.width.pt - 2 * layout.side.pt;
  const heightPt = layout.height.pt - layout.top.pt - layout.bottom.pt;
  // Wide tables, code and formulas are fitted alone, before the first print, in every tab: Chromium
  // would otherwise shrink every page of the book to fit the widest (fit-wide.ts).
  const fitted = await fitWideElements(tab, widthPt);
  lap('prepare');
  // Plain tables break like captioned ones (make-up.ts): wrapped before the grid pads them.
  if (options.makeUp) await runInPage<number>(tab, WRAP_PLAIN_TABLES, null);
  // Chinese text: objects padded to whole lines of the grid, no one-character last lines (line-grid.ts).
  const lines: LineGridResult = options.metadata.lang.startsWith('zh') ? await settleLines(tab, { widthPt }) : { pitch: 0, padded: 0, joined: 0 };
  lap('settle');
  // Tables that break well (续表), figures and boxes that float (make-up.ts) and page-bottom notes
  // (page-notes.ts), page by page in one measurement with the line grid's heights; every tab makes the
  // same changes.
  const px = (pt: number) => (pt * 96) / 72;
  const { madeUp, notes } = await composePages(tab, { width: px(widthPt), height: px(heightPt), makeUp: options.makeUp, notes: options.pageNotes });
  // A heading that spans the columns of a multi-column part (a yearbook 分目) never ends a page: Chromium
  // ignores its break-after: avoid (span-keeps.ts). Those parts are not made up above.
  // `spanKeeps: false` (ANNALS_SPAN_KEEPS=0) turns it off, for comparison.
  const keeps = options.spanKeeps === false ? NO_SPAN_KEEPS : await keepSpanningHeadings(tab, { width: px(widthPt), height: px(heightPt) });
  lap('make-up');
  await keepPageTargets(tab, found.targets);
  return { found, css, fontLoad, fitted, lines, madeUp, notes, keeps };
}
