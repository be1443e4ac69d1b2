/**
 * One edition's PDF, from the staged print.html (docs/pdf.md explains why each step is there):
 *
 *   load a copy of print.html with the PDF page CSS and its body hidden on screen (file://, so local
 *   fonts load; no screen layout) → SVGs inlined, placeholders, hidden links to every id whose page is
 *   needed → the font slices the text and the margin boxes need (font-loading.ts)
 *   → print 1: front matter + the body up to the first part that holds page numbers (index, :pageref)
 *   → read the named destinations → plan the pages (page-plan.ts)
 *   → print 2: the front matter with its page numbers + one page per distinct running head and side +
 *     the folio sample (running-heads.ts), and, when the front matter needs no page inside them but
 *     their first, the late parts too, with their numbers filled in
 *   → [otherwise, or when their numbers moved: the late parts alone, until their numbers settle, then
 *     print 2 again] → splice the late pages in with their structure (splice-pages.ts)
 *   → assemble (pdf-lib): front pages, blanks, binding-edge shift, running heads and folios, outline
 *     from the contents, page labels, metadata → font audit → write.
 *
 * The book is printed once; the other print is small (front matter, index, a few near-empty pages).
 * Problems are reported on `file`; a failed print reports and returns `ok: false`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, PDFObjectCopier, ParseSpeeds } from 'pdf-lib';
import type { Page, PDFOptions } from 'puppeteer';
import type { VFile } from 'vfile';
import { codePointsOf, type FontSet } from '../fonts/fonts.ts';
import { report } from '../report/diagnostics.ts';
import { addOutline, addPageLabels, assemblePdf, destinationArrays, normalizeStructureIds, shortenDestinationNames } from './assemble-pdf.ts';
import type { BrowserSession } from './browser.ts';
import { BrowserNotFoundError } from './find-browser.ts';
import { BrowserLaunchError } from './launch-chromium.ts';
import { auditFonts, describeProblem } from './font-audit.ts';
import { COUNTER_GLYPHS, partPage, runningHeadCss, sectionPage, type PageLayout } from './page-css.ts';
import { pageValues, readDestinations, scanDestinations, type Destination, type PageValue } from './page-numbers.ts';
import { planPages, type PagePlan } from './page-plan.ts';
import { headIndex, headPrint, type HeadPrint } from './running-heads.ts';
import { ADD_FURNITURE, FILL_PAGE_NUMBERS, PREPARE, REMOVE_FURNITURE, SET_PAGE_CSS, SHOW, runInPage, type PartInfo, type PreparedPage, type SectionInfo } from './page-scripts.ts';
import { applyMetadata, stampDocumentId, type PdfMetadata } from './pdf-metadata.ts';
import { guardPage, type GuardEvent } from './request-guard.ts';
import { printEarly, printRuns, printTabs, type ExtraTab } from './parallel-print.ts';
import { replaceTail } from './splice-pages.ts';
import { inlineSvgImages } from './inline-svg.ts';
import { FIT_WIDE_CSS, fitWideElements, reportFitted } from './fit-wide.ts';
import { MAKE_UP_CSS, UNFLOAT, checkMadeUp, driftedFloats, makeUpPages, type MakeUpResult } from './make-up.ts';
import { LINE_GRID_CSS, settleLines, type LineGridResult } from './line-grid.ts';
import { PAGE_NOTES_CSS, RELAX_PAGE_NOTES, placePageNotes, type PageNotesResult } from './page-notes.ts';
import { preparePrintHtml } from './print-html.ts';
import { keepPageTargets, markPageTargets, unnumberedTargets } from './page-targets.ts';
import { GENERATED_TEXT, printFonts, printFontsCss } from './print-fonts.ts';
import { unifyFonts } from './unify-fonts.ts';
import type { FontCache } from './font-cache.ts';
import { fontFileOf, loadPrintFonts, printWithFonts, type StylesheetText } from './font-loading.ts';

export interface PrintEditionOptions {
  session: BrowserSession;
  /** The edition's staging folder: print.html and site/. Only files in it may load. */
  dir: string;
  /** File name of the PDF inside `dir`. */
  output: string;
  /** Diagnostics are reported on this file. */
  file: VFile;
  layout: PageLayout;
  /**
   * The PDF variant of the page CSS for the body parts found in print.html: `pageCss(…, 'pdf')`; with
   * the yearbook's 分目 for the furniture print (their right-hand running heads).
   */
  pageCss: (parts: readonly PartInfo[], sections?: readonly SectionInfo[]) => string;
  fonts: FontSet;
  /** Metadata; `producer` gets the browser version appended. */
  metadata: PdfMetadata;
  /**
   * Text computed from the final page count for elements with these ids (`[data-page-of]` on themselves):
   * the imprint's 印张 and 字数 (press/imprint-page.ts). Default: none.
   */
  pageFacts?: (pages: number) => Record<string, string>;
  /** Called with the number of pages printed so far (and the final count). */
  onPages?: (pages: number, total?: number) => void;
  /**
   * The chapters' source files (`file.data.chapter` set): a blocked request is reported at the chapter
   * line that names its URL, or at the chapter whose section asked for it. Default: none (print.html).
   */
  sources?: readonly VFile[];
  /**
   * Tabs that print the body's runs at once (parallel-print.ts). Default: one per core (at most 4). The
   * PDF's bytes do not depend on it.
   */
  printTabs?: number;
  /**
   * Runs print 1 is cut into (parallel-print.ts `printRuns`). Default: from the size of print.html (1
   * for a book under 1 MB). The tests set it to cut a small book.
   */
  printRuns?: number;
  /**
   * Page make-up before the first print (make-up.ts): the locale's table label (表{n}) and continuation
   * label (续表{n}). Default: none (Chromium breaks tables and pushes figures as it does).
   */
  makeUp?: { tableLabel: string; continuedLabel: string };
  /**
   * Notes at the foot of their page (page-notes.ts), numbered on each page with these markers. Default:
   * none (the notes stay at the end of each chapter, as in print.html).
   */
  pageNotes?: { markers: 'circled' | 'numeric' };
  /**
   * Cut and joined font programs of earlier prints (font-cache.ts): the build cache's folder gives one.
   * The PDF's bytes do not depend on it. Default: none (every font is cut again).
   */
  fontCache?: FontCache;
}

export interface PrintResult {
  ok: boolean;
  /** Pages of the final PDF. */
  pages: number;
  /** Milliseconds per stage (bench/pdf.ts prints them). */
  timings: Record<string, number>;
  bytes: number;
  /**
   * Prints repeated because the print asked for a font slice that was not loaded (font-loading.ts
   * `printWithFonts`; 0 normally; bench/pdf.ts shows it).
   */
  reprints: number;
  /** Chromium prints made (reprints included): 2 for a book without late parts, and for one with them whose print 2 took them along. */
  prints: number;
  /** Print 2 was made together with the late parts (the index …), saving a print. */
  lateWithFront: boolean;
  /** Tabs that printed the body at the same time (parallel-print.ts; 1: one tab). */
  tabs: number;
  /** Runs the body was printed in (parallel-print.ts; 1: one print of the body). */
  runs: number;
  /** What the page make-up pass changed (make-up.ts); undefined when it did not run. */
  makeUp?: MakeUpResult;
}

const PRINT_TIMEOUT_MS = 10 * 60_000;
/** The copy of print.html that is printed (with the PDF page CSS); removed afterwards. */
const PDF_HTML = '.print-pdf.html';
/** The print fonts (print-fonts.ts) and their stylesheet, beside PDF_HTML while printing. */
const PRINT_FONTS = '.print-fonts';
/** Same width as any folio up to 999: the contents give page numbers a fixed-width slot anyway. */
const PLACEHOLDER = '000';
/** At most this many prints of one thing while it asks for font slices not yet loaded (font-loading.ts). */
const MAX_FONT_PRINTS = 3;
/** A heading whose destination is at most this far below the text block's top starts at the top of its page. */
const TOP_TOLERANCE_PT = 24;
/** At most this many prints 1 again for page notes and floats the print set elsewhere than measured. */
const MAX_UNFLOAT_PRINTS = 2;
/** At most this many reprints to settle page numbers that sit in the body (index, :pageref). */
const MAX_BODY_PASSES = 3;

/**
 * The CSS of the passes run in the page before the first print, together as the print has it. Their
 * classes share one page: each pass names its own (a `.annals-keep` meaning "do not break" in one and
 * "no wrap" in another once set a floated table's notes on one line and shrank the whole print to 67 %).
 */
export const PASSES_CSS = `${FIT_WIDE_CSS}${LINE_GRID_CSS}${MAKE_UP_CSS}${PAGE_NOTES_CSS}`;

const FURNITURE_CSS = `
.annals-furniture { break-before: page; height: 1px; margin: 0; padding: 0; }
${PASSES_CSS}`;
/** The second print is drawn over the first: nothing may paint the page's background. */
const TRANSPARENT_CSS = `html, body { background: transparent !important; }\n`;

export const PDF_OPTIONS: PDFOptions = {
  preferCSSPageSize: true,
  printBackground: true,
  tagged: true,
  // The outline is built from the contents (with 第一章 labels) by assemble-pdf.ts.
  outline: false,
  waitForFonts: true,
  timeout: PRINT_TIMEOUT_MS,
};

/** Print 2 is drawn over the body pages: no page background (the paper is white anyway). */
const SECOND_OPTIONS: PDFOptions = { ...PDF_OPTIONS, omitBackground: true };

export async function printEdition(options: PrintEditionOptions): Promise<PrintResult> {
  const { file, dir, layout } = options;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - mark);
    mark = now;
  };
  let reprints = 0;
  let prints = 0;
  let lateWithFront = false;
  let tabs = 1;
  let printedRuns = 1;
  const failed = (): PrintResult => ({ ok: false, pages: 0, timings, bytes: 0, reprints, prints, lateWithFront, tabs, runs: printedRuns });

  // The print fonts are cut while Chromium starts (when this is the build's first PDF): the cut is CPU
  // work in this process, the launch mostly Chromium's own.
  const launching = options.session.page();
  launching.catch(() => undefined); // awaited below
  const fontsReady = printFontsFor(options);
  fontsReady.catch(() => undefined); // awaited in the try below
  let page: Page;
  try {
    page = await launching;
  } catch (error) {
    if (error instanceof BrowserNotFoundError) report(file, 'pdf-browser-not-found', error.message, undefined, { hint: error.hint });
    else if (error instanceof BrowserLaunchError) report(file, 'pdf-browser-failed', error.message);
    else report(file, 'pdf-print-failed', `Chromium did not start: ${message(error)}`);
    await fontsReady.catch(() => undefined);
    await rm(join(dir, PRINT_FONTS), { recursive: true, force: true });
    return failed();
  }
  lap('launch');
  /** The document Chromium loaded (for the line a blocked request came from). */
  let loaded = '';
  /** Blocked requests reported at a chapter (not on `file`): they fail the edition too. */
  let blockedElsewhere = 0;
  // Events of every tab, each reported once (the extra tabs load the same page).
  const reported = new Set<string>();
  const onEvent = (event: GuardEvent) => {
    const key = `${event.kind} ${'url' in event ? event.url : event.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    if (reportGuardEvent(file, event, { sources: options.sources ?? [], loaded: () => loaded }) !== file) blockedElsewhere++;
  };
  const guard = await guardPage(page);
  guard.begin({ root: dir, onEvent });
  let extraTabs: Array<Promise<ExtraTab>> = [];
  try {
    // 1. Load and prepare. The page is loaded with the PDF variant of the page CSS already in place and
    //    its body hidden on screen (a copy of print.html, print-html.ts): the book is laid out once, for
    //    the first print. The fonts its text needs are loaded by font-loading.ts, since no screen layout
    //    asks for them.
    const { html, guessed, guessedCss, faces } = await fontsReady;
    for (const face of faces.sliced) {
      report(file, 'pdf-font-sliced', `${face.family} (weight ${face.weight}, ${face.style}) has no full font (@expo-google-fonts/${face.pkg}): the PDF embeds its unicode-range slices, each as a font of its own`, undefined, { severity: 'warning' });
    }
    lap('fonts');
    loaded = preparePrintHtml(html, { css: guessedCss, placeholder: PLACEHOLDER, fontsHref: `${PRINT_FONTS}/fonts.css` });
    await writeFile(join(dir, PDF_HTML), loaded);
    /** Load the copy into a tab and prepare it; the same for the extra tabs that print the body with it. */
    const load = async (tab: Page) => {
      await tab.goto(pathToFileURL(join(dir, PDF_HTML)).href, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
      if (tab === page) lap('load');
      await inlineSvgImages(tab, dir);
      const prepared = await runInPage<PreparedPage>(tab, PREPARE, { placeholder: PLACEHOLDER });
      // The passes below may cut a target's paragraph in two and lose its id: marked now, kept after them.
      await markPageTargets(tab, prepared.targets);
      const same = prepared.parts.length === guessed.length && prepared.parts.every((p, i) => p.id === guessed[i]!.id && p.runningHead === guessed[i]!.runningHead);
      const css = same ? guessedCss : options.pageCss(prepared.parts) + FURNITURE_CSS;
      if (!same) await runInPage<boolean>(tab, SET_PAGE_CSS, { css });
      // Text drawn only in margin boxes: folios, the book title, running heads, yearbook 分目.
      const marginText = COUNTER_GLYPHS + options.metadata.title + prepared.parts.map((p) => p.runningHead).join('') + prepared.sections.map((s) => s.title).join('') + ' · ';
      const fontLoad = await loadPrintFonts(tab, [{ stack: options.fonts.heading, text: marginText }]);
      // Wide tables, code and formulas are fitted alone, before the first print, in every tab: Chromium
      // would otherwise shrink every page of the book to fit the widest (fit-wide.ts).
      const fitted = await fitWideElements(tab, layout.width.pt - 2 * layout.side.pt);
      if (tab === page) lap('prepare');
      // Chinese text: objects padded to whole lines of the grid, no one-character last lines (line-grid.ts).
      const lines: LineGridResult = options.metadata.lang.startsWith('zh') ? await settleLines(tab, { widthPt: layout.width.pt - 2 * layout.side.pt }) : { pitch: 0, padded: 0, joined: 0 };
      if (tab === page) lap('settle');
      // Page-bottom notes: placed in the page, where the print will put each reference (page-notes.ts).
      const notes: PageNotesResult | undefined = options.pageNotes ? await placePageNotes(tab, { widthPt: layout.width.pt - 2 * layout.side.pt, heightPt: layout.height.pt - layout.top.pt - layout.bottom.pt, markers: options.pageNotes.markers }) : undefined;
      if (tab === page) lap('notes');
      // Tables that break well (续表), figures and boxes that float (make-up.ts), measured with the line
      // grid's heights and the page notes' areas (which end their pages); every tab makes the same changes.
      const px = (pt: number) => (pt * 96) / 72;
      const madeUp = options.makeUp
        ? await makeUpPages(tab, { ...options.makeUp, width: px(layout.width.pt - 2 * layout.side.pt), height: px(layout.height.pt - layout.top.pt - layout.bottom.pt) })
        : undefined;
      if (tab === page) lap('make-up');
      await keepPageTargets(tab, prepared.targets);
      return { prepared, css, fontLoad, fitted, lines, madeUp, notes };
    };
    // A large book prints its body on several tabs at once (parallel-print.ts): they load meanwhile.
    const runs = printRuns(options.printRuns, html.length);
    extraTabs = Array.from({ length: printTabs(options.printTabs, runs) - 1 }, async (): Promise<ExtraTab> => {
      const tab = await page.browser().newPage();
      const tabGuard = await guardPage(tab);
      tabGuard.begin({ root: dir, onEvent });
      const close = async () => {
        tabGuard.end();
        await tab.close().catch(() => undefined);
      };
      try {
        await load(tab);
      } catch (error) {
        await close();
        throw error;
      }
      return { page: tab, close };
    });
    for (const t of extraTabs) t.catch(() => undefined); // awaited by printEarly and below
    const { prepared, css, fontLoad, fitted, madeUp, notes } = await load(page);
    for (const id of prepared.missing) report(file, 'pdf-page-target', `no element has the id "${id}" whose page number is asked for`);
    if (fontLoad.failed.length > 0) {
      const sheets = [{ css: loaded, base: '' }, ...(await stylesheetsOf(loaded, dir))];
      for (const face of fontLoad.failed) {
        const from = fontFileOf(face, sheets);
        report(file, 'pdf-font-failed', `the font ${face.family} (weight ${face.weight}, ${face.style}) could not be loaded${from ? ` from ${from}` : ''}: Chromium could not read or decode it`);
      }
    }
    reportFitted(fitted, options.sources ?? [], file);
    const print = (pdfOptions: PDFOptions, tab = page) => {
      prints++;
      return printWithFonts(tab, pdfOptions, {
        onReprint: () => void (reprints++, prints++),
        onGiveUp: (faces) => report(file, 'pdf-font-unsettled', `after ${MAX_FONT_PRINTS} prints the print still asked for ${faces} font slice(s) that were not loaded`, undefined, { severity: 'warning' }),
        attempts: MAX_FONT_PRINTS,
      });
    };

    // 2. The first print: the front matter with placeholders and the body up to the first part that
    //    holds a page number (an index, a :pageref). Those parts come in a print of their own, once the
    //    numbers they show are known, appended with their structure (splice-pages.ts); when the numbers
    //    point into those parts themselves (a :pageref forward), that print repeats until they settle.
    //    A large book's body is printed in runs of parts on several tabs at once (parallel-print.ts).
    const late = prepared.parts.some((p) => p.hasPageOf);
    let earlyPrint = await printEarly({ page, prepared, late, runs, extraTabs, print: (tab, o) => print(o, tab), options: PDF_OPTIONS });
    // A page note the print set on another page than its reference (the measurement in the page and the
    // print disagreed) follows its paragraph in the text instead; print 1 is made again (page-notes.ts).
    const moved = notes ? movedNotes(notes, earlyPrint.dests, layout.bottom.pt) : [];
    const movedAreas = [...new Map(moved.map((p) => [p.area, { area: p.area, ref: p.ref }])).values()];
    let relaxed = false;
    if (movedAreas.length > 0 && (await runInPage<number>(page, RELAX_PAGE_NOTES, { areas: movedAreas })) > 0) {
      report(file, 'pdf-page-note-moved', `${moved.length} page note(s) set after their paragraph instead of at the page's foot: the print laid their page out otherwise than the note pass measured (${moved.map((p) => p.ref).join(', ')})`, undefined, { severity: 'info' });
      relaxed = true;
    }
    // Likewise a float the print set on another page than the make-up pass placed it: back where it was
    // in the text, unforced (make-up.ts UNFLOAT); both changes need one more print 1, which may move
    // another float (at most MAX_UNFLOAT_PRINTS such prints).
    const unfloated: string[] = [];
    for (let round = 0; round < MAX_UNFLOAT_PRINTS; round++) {
      const drifted = madeUp ? driftedFloats(madeUp, earlyPrint.dests).filter((id) => !unfloated.includes(id)) : [];
      if (drifted.length > 0 && (await runInPage<number>(page, UNFLOAT, { ids: drifted })) > 0) {
        report(file, 'pdf-make-up', `${drifted.length} floated figure(s), box(es) or table continuation(s) printed on another page than placed went back to their place in the text (${drifted.join(', ')})`, undefined, { severity: 'info' });
        unfloated.push(...drifted);
        relaxed = true;
      }
      if (!relaxed) break;
      relaxed = false;
      await keepPageTargets(page, prepared.targets);
      lap('print');
      earlyPrint = await printEarly({ page, prepared, late, runs, extraTabs: [], print: (tab, o) => print(o, tab), options: PDF_OPTIONS });
    }
    tabs = earlyPrint.tabs;
    printedRuns = earlyPrint.runs;
    lap('print');
    // The page plan needs only the page count and the named destinations: they are read straight from
    // the bytes (page-numbers.ts `scanDestinations`), and pdf-lib parses the whole file in the
    // background (yielding to the event loop) while Chromium prints the next parts.
    const bodyLoading = earlyPrint.document; // awaited below; a failure is reported there
    const read = async (bytes: Uint8Array) => scanDestinations(bytes) ?? located(await parse(bytes));
    const earlyRead = { pages: earlyPrint.pages, dests: earlyPrint.dests };
    if (notes) checkPageNotes(file, notes, earlyRead.dests, layout.bottom.pt);
    const early = earlyRead.pages;
    let dests = earlyRead.dests;
    let total = early;
    if (madeUp) checkMadeUp(madeUp, dests, file, unfloated);
    lap('read');
    const pageWidth = layout.width.pt - 2 * layout.side.pt;
    const frontPages = planFrom(prepared, dests, total, layout).pages.filter((p) => p.kind === 'front').length;
    // Yearbook 分目 add named pages for their running heads; only the furniture print needs them.
    const furnitureCss = prepared.sections.length > 0 ? options.pageCss(prepared.parts, prepared.sections) + FURNITURE_CSS : css;
    const secondCss = (heads: HeadPrint) => `${furnitureCss}${TRANSPARENT_CSS}${runningHeadCss(layout, heads.heads)}`;
    /** The late parts' pages: those of `bytes` from page `first` on. */
    let tail: { bytes: Uint8Array; first: number } | undefined;
    /** Print 2, when it was made together with the late parts (below). */
    let combined: { bytes: Uint8Array; heads: HeadPrint } | undefined;

    if (late) {
      const lateFrom = prepared.parts.findIndex((p) => p.hasPageOf);
      const firstLate = prepared.parts[lateFrom]!;
      const fill = (scope: 'body' | 'front', values: Record<string, PageValue>) => runInPage<number>(page, FILL_PAGE_NUMBERS, { values, scope });
      /** The destinations once the late parts printed in `read` from page `first` on follow the early pages. */
      const withTail = (printed: { pages: number; dests: Map<string, Destination> }, first: number) => {
        const merged = new Map([...earlyRead.dests].filter(([, d]) => d.page < early));
        for (const [id, d] of printed.dests) if (d.page >= first) merged.set(id, { ...d, page: d.page - first + early });
        return { dests: merged, total: early + printed.pages - first };
      };
      // Pass 1: the late parts' numbers as far as the early print tells them.
      await fill('body', pageValues(dests, planFrom(prepared, dests, total, layout), pageWidth, layout.columns, options.pageFacts));
      let printLateAgain = true;
      let pass = 1;

      // When the front matter shows no page in the late parts other than their first (the contents
      // list the index), print 2 is made now, with the late parts after its running-head pages: their
      // first page is the one after the early pages, and the heads they need are printed on both sides.
      // One print fewer. It stands if the late parts start where expected, their numbers do not move
      // and every page has its head in it; otherwise the steps below are taken as usual.
      if (prepared.frontLateTargets.every((id) => id === firstLate.id)) {
        const guessed = new Map(dests).set(firstLate.id, { page: early, x: 0, y: 0 });
        const guessedPlan = planFrom(prepared, guessed, early + 1, layout);
        const frontValues = pageValues(guessed, guessedPlan, pageWidth, layout.columns, options.pageFacts);
        await fill('front', frontValues);
        const lateNames = prepared.parts.slice(lateFrom).flatMap((p) => [partPage(p.id), ...prepared.sections.filter((s) => s.part === p.id).map((s) => sectionPage(p.id, s.id))]);
        const heads = headPrint(guessedPlan, frontPages, lateNames.flatMap((name) => [{ name, side: 'right' as const }, { name, side: 'left' as const }]));
        await runInPage<number>(page, ADD_FURNITURE, { css: secondCss(heads), pages: heads.pages, before: firstLate.id });
        await runInPage<boolean>(page, SHOW, { show: 'front-late' });
        const bytes = await print(SECOND_OPTIONS);
        lap('print-late');
        const printed = await read(bytes);
        const first = frontPages + heads.pages.length;
        if (printed.dests.get(firstLate.id)?.page === first) {
          ({ dests, total } = withTail(printed, first));
          tail = { bytes, first };
          pass = 2;
          const plan = planFrom(prepared, dests, total, layout);
          const values = pageValues(dests, plan, pageWidth, layout.columns, options.pageFacts);
          printLateAgain = (await fill('body', values)) > 0;
          const headOf = headIndex(plan, frontPages, heads.pages);
          // Figures from the page count (the imprint's 印张) must also hold: print 2 guessed the count.
          const sameFront = [...prepared.frontLateTargets, ...Object.keys(options.pageFacts?.(0) ?? {})].every((id) => samePageValue(frontValues[id], values[id]));
          if (!printLateAgain && headOf && sameFront) combined = { bytes, heads: { ...heads, headOf } };
          lateWithFront = combined !== undefined;
        }
        if (!combined) await runInPage<boolean>(page, REMOVE_FURNITURE, { css });
        lap('splice');
      }

      // The late parts alone, again while the numbers they show still move (a :pageref forward).
      if (printLateAgain) await runInPage<boolean>(page, SHOW, { show: 'late' });
      for (; printLateAgain; pass++) {
        if (pass > MAX_BODY_PASSES) {
          report(file, 'pdf-layout-unstable', `page numbers in the body still changed after ${pass - 1} prints`, undefined, { severity: 'warning' });
          break;
        }
        const bytes = await print(PDF_OPTIONS);
        lap('print-late');
        ({ dests, total } = withTail(await read(bytes), 0));
        tail = { bytes, first: 0 };
        printLateAgain = (await fill('body', pageValues(dests, planFrom(prepared, dests, total, layout), pageWidth, layout.columns, options.pageFacts))) > 0;
        lap('splice');
      }
    }
    const plan = planFrom(prepared, dests, total, layout);
    const values = pageValues(dests, plan, pageWidth, layout.columns, options.pageFacts);
    reportUnnumbered(file, prepared, values);
    options.onPages?.(total);

    // 3. The second print (unless made with the late parts): front matter with page numbers, then one
    //    page per distinct running head and the folio sample (running-heads.ts), from which every body
    //    page gets its head and folio.
    let heads: HeadPrint;
    let secondPrint: Promise<Uint8Array>;
    if (combined) {
      heads = combined.heads;
      secondPrint = Promise.resolve(combined.bytes);
    } else {
      await runInPage<number>(page, FILL_PAGE_NUMBERS, { values, scope: 'front' });
      await runInPage<boolean>(page, SHOW, { show: 'front' });
      heads = headPrint(plan, frontPages);
      await runInPage<number>(page, ADD_FURNITURE, { css: secondCss(heads), pages: heads.pages });
      // No background: the furniture is drawn over the body pages, and the paper is white anyway.
      secondPrint = print(SECOND_OPTIONS);
      secondPrint.catch(() => undefined); // awaited below
      // While Chromium prints: the first print parsed, the late parts spliced in. page.pdf makes a few
      // quick calls before it asks for the print; let them go out before this synchronous work.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const body = await bodyLoading;
    let second: PDFDocument | undefined;
    let copier: PDFObjectCopier | undefined;
    if (tail) {
      const tailDoc = await parse(tail.bytes);
      if (combined && tail.bytes === combined.bytes) {
        second = tailDoc;
        copier = PDFObjectCopier.for(tailDoc.context, body.context); // shared: their fonts are copied once
      }
      replaceTail(body, early, tailDoc, { first: tail.first, copier });
    }
    if (!sameDestinations(readDestinations(body), dests) || body.getPageCount() !== total) {
      throw new Error('the destinations read from the printed bytes differ from those pdf-lib reads');
    }
    lap('splice');
    if (!second) {
      second = await parse(await secondPrint);
      lap('print-front');
      if (second.getPageCount() !== frontPages + heads.pages.length) {
        report(file, 'pdf-layout-unstable', `the front matter took ${second.getPageCount() - heads.pages.length} pages with page numbers and ${frontPages} with placeholders`);
        return failed();
      }
    }

    // 4. Assemble, outline, labels, metadata.
    assemblePdf({ body, second, heads, plan, layout, hasCover: prepared.hasCover, copier });
    normalizeStructureIds(body);
    const tocEntry = prepared.frontIds.includes('toc') ? [{ id: 'toc', title: options.metadata.lang.startsWith('zh') ? '目录' : 'Contents' }] : [];
    const arrays = destinationArrays(body);
    addOutline(body, prepared.toc, (id) => arrays.get(id)?.clone(), tocEntry);
    shortenDestinationNames(body);
    addPageLabels(body, plan.frontCount);
    const version = options.session.info()?.version ?? 'Chromium';
    const metadata = { ...options.metadata, producer: `${options.metadata.producer}; ${version}` };
    applyMetadata(body, metadata);
    lap('assemble');

    // Each print embedded its own subset of every face: one per face (unify-fonts.ts).
    await unifyFonts(body, faces.files, { cache: options.fontCache });
    lap('fonts-unify');

    // 5. The font audit, then write (into the staging folder: build.ts discards it when anything failed).
    const audit = auditFonts(body, options.fonts);
    for (const problem of audit.problems) {
      const rule = problem.kind === 'type3' ? 'pdf-font-type3' : problem.kind === 'not-embedded' ? 'pdf-font-not-embedded' : 'pdf-font-undeclared';
      report(file, rule, describeProblem(problem, audit.declared));
    }
    lap('audit');
    const bytes = stampDocumentId(await body.save({ useObjectStreams: false, objectsPerTick: Infinity, addDefaultPage: false, updateFieldAppearances: false }));
    await writeFile(join(dir, options.output), bytes);
    lap('write');
    options.onPages?.(body.getPageCount(), body.getPageCount());
    // Any error reported while printing (a blocked request, the font audit …) fails the edition.
    const ok = !file.messages.some((m) => m.fatal === true) && blockedElsewhere === 0;
    return { ok, pages: body.getPageCount(), timings, bytes: bytes.length, reprints, prints, lateWithFront, tabs, runs: printedRuns, makeUp: madeUp };
  } catch (error) {
    report(file, 'pdf-print-failed', `printing failed: ${message(error)}`);
    return failed();
  } finally {
    guard.end();
    await Promise.all(extraTabs.map(async (t) => (await t.catch(() => undefined))?.close()));
    await rm(join(dir, PDF_HTML), { force: true });
    await rm(join(dir, PRINT_FONTS), { recursive: true, force: true });
    options.fontCache?.trim();
  }
}

/**
 * print.html, its body parts as written (`partsOfHtml`), the page CSS for them, and the print fonts
 * written beside it with their stylesheet (PRINT_FONTS): one font file per face, cut from a full static
 * font (print-fonts.ts), instead of the site's unicode-range slices, so that the PDF embeds each face
 * once, under its real name. The characters come from print.html, its stylesheets and the page CSS
 * (running heads and the yearbook 分目's `<head> · <title>` are drawn from it alone).
 */
async function printFontsFor(options: PrintEditionOptions) {
  const { dir } = options;
  const html = await readFile(join(dir, 'print.html'), 'utf8');
  const guessed = partsOfHtml(html);
  const guessedCss = options.pageCss(guessed) + FURNITURE_CSS;
  const used = codePointsOf([html, COUNTER_GLYPHS, GENERATED_TEXT, guessedCss, ' · ', ...(await stylesheetsOf(html, dir)).map((s) => s.css)]);
  const faces = await printFonts({ set: options.fonts, used, cache: options.fontCache });
  await mkdir(join(dir, PRINT_FONTS), { recursive: true });
  for (const f of faces.files) await writeFile(join(dir, PRINT_FONTS, f.name), f.data);
  const siteFonts = await readFile(join(dir, 'site/assets/fonts.css'), 'utf8').catch(() => '');
  await writeFile(join(dir, PRINT_FONTS, 'fonts.css'), printFontsCss(options.fonts, faces, used, { fileUrl: '', sliceUrl: '../site/assets/fonts/', site: { css: siteFonts, base: '../site/assets/' } }));
  return { html, guessed, guessedCss, faces };
}

/**
 * The body parts of print.html as render-edition writes them (`<section class="chapter …" id=…
 * data-running-head=… data-label=…>`), read before loading it; the page confirms them (PREPARE).
 */
export function partsOfHtml(html: string): PartInfo[] {
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
  const tags = [...html.matchAll(/<section class="(chapter|matter)[ "][^>]*>/g)];
  const first = tags.findIndex((m) => m[1] === 'chapter');
  if (first < 0) return [];
  return tags.slice(first).map((m) => {
    const label = unescape(attr(m[0], 'data-label') ?? '');
    const head = unescape(attr(m[0], 'data-running-head') ?? '');
    return { id: unescape(attr(m[0], 'id') ?? ''), kind: m[1] as 'chapter' | 'matter', runningHead: label ? `${label} ${head}` : head, hasPageOf: false };
  });
}

/** The stylesheets print.html links, with the folder each one's URLs start from (for messages). */
async function stylesheetsOf(html: string, dir: string): Promise<StylesheetText[]> {
  const hrefs = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => decodeURI(m[1]!));
  return Promise.all(hrefs.map(async (href) => ({ css: await readFile(join(dir, href), 'utf8').catch(() => ''), base: posix.dirname(href) })));
}

/**
 * The notes printed on another page than their reference. Chromium can leave the destination of an
 * inline element that opens a page at the foot of the page before (below its text block): such a
 * destination counts for the next page.
 */
/** A warning for each target of a `[data-page-of]` element that got no page number: it prints the placeholder. */
function reportUnnumbered(file: VFile, prepared: PreparedPage, values: Readonly<Record<string, PageValue>>): void {
  for (const id of unnumberedTargets(prepared.pageOfTargets, values)) {
    report(file, 'pdf-page-number-missing', `the print has no page for the element with the id "${id}": its page number prints as ${PLACEHOLDER}`, undefined, { severity: 'warning' });
  }
}

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

const parse = (bytes: Uint8Array, parseSpeed: ParseSpeeds = ParseSpeeds.Fastest) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed });

const located = (doc: PDFDocument) => ({ pages: doc.getPageCount(), dests: readDestinations(doc) });

const samePageValue = (a: PageValue | undefined, b: PageValue | undefined) => a?.page === b?.page && a?.column === b?.column;

function sameDestinations(a: ReadonlyMap<string, Destination>, b: ReadonlyMap<string, Destination>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, d] of a) {
    const e = b.get(id);
    if (!e || e.page !== d.page || e.x !== d.x || e.y !== d.y) return false;
  }
  return true;
}

/** Where each body part starts in the first print, and the page plan that follows from it. */
function planFrom(prepared: PreparedPage, dests: ReadonlyMap<string, Destination>, total: number, layout: PageLayout): PagePlan {
  const parts = prepared.parts.flatMap((p) => {
    const d = dests.get(p.id);
    return d ? [{ id: p.id, start: d.page }] : [];
  });
  const frontPages = parts[0]?.start ?? total;
  // A 分目 starts at the top of its page when its destination is within a line of the text block's top.
  const top = layout.height.pt - layout.top.pt - TOP_TOLERANCE_PT;
  const sections = prepared.sections.flatMap((s) => {
    const d = dests.get(s.id);
    return d ? [{ id: s.id, part: s.part, start: d.page, top: d.y >= top }] : [];
  });
  return planPages({ frontPages, bodyPages: total - frontPages, parts, sections, recto: layout.recto });
}

interface GuardContext {
  sources: readonly VFile[];
  loaded: () => string;
}

/** Report a guard event; returns the file it was reported on (a chapter, for a blocked request it can place). */
function reportGuardEvent(file: VFile, event: GuardEvent, context: GuardContext): VFile {
  switch (event.kind) {
    case 'blocked': {
      const what = event.resourceType === 'csp' ? `blocked ${event.url} (refused by print.html's Content-Security-Policy)` : `blocked a request for ${event.url} (${event.resourceType})`;
      const at = blockedSource(event.url, event.line, context);
      if (!at) {
        report(file, 'pdf-blocked-request', `${what} while printing`);
        break;
      }
      report(at.file, 'pdf-blocked-request', `${what} while printing this chapter`, at.place);
      return at.file;
    }
    case 'failed':
      report(file, 'pdf-request-failed', `could not load ${event.url}: ${event.reason}`);
      break;
    case 'page-error':
      report(file, 'pdf-page-error', `page error while printing: ${event.message}`);
      break;
    case 'console-error':
      report(file, 'pdf-console-error', `console error while printing: ${event.message}`);
      break;
  }
  return file;
}

/**
 * Where a blocked request comes from: the chapter line whose text names its URL, else the chapter whose
 * section holds the line of the loaded document that asked for it.
 */
export function blockedSource(url: string, line: number | undefined, context: GuardContext): { file: VFile; place?: { line: number; column: number } } | undefined {
  const needles = [url, url.replace(/\/$/, '')].filter((n) => n.length > 3);
  for (const source of context.sources) {
    const text = String(source.value);
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at < 0) continue;
      const before = text.slice(0, at).split('\n');
      return { file: source, place: { line: before.length, column: before[before.length - 1]!.length + 1 } };
    }
  }
  if (line === undefined) return undefined;
  // The last chapter section opened at or before that line.
  const lines = context.loaded().split('\n').slice(0, line + 1).join('\n');
  const ids = [...lines.matchAll(/<section class="chapter[ "][^>]*?\sid="([^"]*)"/g)].map((m) => m[1]!);
  const id = ids[ids.length - 1];
  const source = id === undefined ? undefined : context.sources.find((s) => s.data.chapter?.id === id);
  return source ? { file: source } : undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
