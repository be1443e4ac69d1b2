/**
 * One edition's PDF, from the staged print.html (docs/pdf.md explains why each step is there):
 *
 *   load a copy of print.html with the PDF page CSS and its body hidden on screen (file://, so local
 *   fonts load; no screen layout) → SVGs inlined, placeholders, hidden links to every id whose page is
 *   needed → the font slices the text and the margin boxes need (font-loading.ts)
 *   → print 1: front matter + the body up to the first part that holds page numbers (index, :pageref)
 *   → read the named destinations → [fill those parts' numbers, print them alone, append them with their
 *     structure (splice-pages.ts); repeat while their numbers move] → plan the pages (page-plan.ts)
 *   → print 2: the front matter with its page numbers + one page per distinct running head and side + the
 *     folio sample (running-heads.ts)
 *   → assemble (pdf-lib): front pages, blanks, binding-edge shift, running heads and folios, outline
 *     from the contents, page labels, metadata → font audit → write.
 *
 * The book is printed once; the other prints are small (front matter, index, a few near-empty pages).
 * Problems are reported on `file`; a failed print reports and returns `ok: false`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import type { Page, PDFOptions } from 'puppeteer';
import type { VFile } from 'vfile';
import type { FontSet } from '../html/fonts.ts';
import { report } from '../report/diagnostics.ts';
import { addOutline, addPageLabels, assemblePdf, destinationArrays, normalizeStructureIds, shortenDestinationNames } from './assemble-pdf.ts';
import type { BrowserSession } from './browser.ts';
import { BrowserNotFoundError } from './find-browser.ts';
import { auditFonts, describeProblem } from './font-audit.ts';
import { COUNTER_GLYPHS, runningHeadCss, type PageLayout } from './page-css.ts';
import { pageValues, readDestinations, scanDestinations, type Destination } from './page-numbers.ts';
import { planPages, type PagePlan } from './page-plan.ts';
import { headPrint } from './running-heads.ts';
import { ADD_FURNITURE, FILL_PAGE_NUMBERS, PREPARE, SET_PAGE_CSS, SHOW, runInPage, type PartInfo, type PreparedPage, type SectionInfo } from './page-scripts.ts';
import { applyMetadata, stampDocumentId, type PdfMetadata } from './pdf-metadata.ts';
import { guardPage, type GuardEvent } from './request-guard.ts';
import { replaceTail } from './splice-pages.ts';
import { inlineSvgImages } from './inline-svg.ts';
import { preparePrintHtml } from './print-html.ts';
import { loadPrintFonts, printWithFonts } from './font-loading.ts';

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
  /** Called with the number of pages printed so far (and the final count). */
  onPages?: (pages: number, total?: number) => void;
}

export interface PrintResult {
  ok: boolean;
  /** Pages of the final PDF. */
  pages: number;
  /** Milliseconds per stage (bench/pdf.ts prints them). */
  timings: Record<string, number>;
  bytes: number;
  /**
   * Prints repeated because the print asked for a font slice that font-loading.ts had not loaded (0
   * normally; bench/pdf.ts shows it).
   */
  fontReprints: number;
}

const PRINT_TIMEOUT_MS = 10 * 60_000;
/** The copy of print.html that is printed (with the PDF page CSS); removed afterwards. */
const PDF_HTML = '.print-pdf.html';
/** Same width as any folio up to 999: the contents give page numbers a fixed-width slot anyway. */
const PLACEHOLDER = '000';
/** At most this many reprints to settle page numbers that sit in the body (index, :pageref). */
const MAX_BODY_PASSES = 3;

const FURNITURE_CSS = `
.annals-furniture { break-before: page; height: 1px; margin: 0; padding: 0; }
`;
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

export async function printEdition(options: PrintEditionOptions): Promise<PrintResult> {
  const { file, dir, layout } = options;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - mark);
    mark = now;
  };
  let fontReprints = 0;
  const failed = (): PrintResult => ({ ok: false, pages: 0, timings, bytes: 0, fontReprints });

  let page: Page;
  try {
    page = await options.session.page();
  } catch (error) {
    if (error instanceof BrowserNotFoundError) report(file, 'pdf-browser-not-found', error.message, undefined, { hint: error.hint });
    else report(file, 'pdf-print-failed', `Chromium did not start: ${message(error)}`);
    return failed();
  }
  lap('launch');
  const guard = await guardPage(page);
  guard.begin({ root: dir, onEvent: (event) => reportGuardEvent(file, event) });
  try {
    // 1. Load and prepare. The page is loaded with the PDF variant of the page CSS already in place and
    //    its body hidden on screen (a copy of print.html, print-html.ts): the book is laid out once, for
    //    the first print. The fonts its text needs are loaded by font-loading.ts, since no screen layout
    //    asks for them.
    const html = await readFile(join(dir, 'print.html'), 'utf8');
    const guessed = partsOfHtml(html);
    let css = options.pageCss(guessed) + FURNITURE_CSS;
    await writeFile(join(dir, PDF_HTML), preparePrintHtml(html, { css, placeholder: PLACEHOLDER }));
    await page.goto(pathToFileURL(join(dir, PDF_HTML)).href, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
    lap('load');
    await inlineSvgImages(page, dir);
    const prepared = await runInPage<PreparedPage>(page, PREPARE, { placeholder: PLACEHOLDER });
    for (const id of prepared.missing) report(file, 'pdf-page-target', `no element has the id "${id}" whose page number is asked for`);
    const same = prepared.parts.length === guessed.length && prepared.parts.every((p, i) => p.id === guessed[i]!.id && p.runningHead === guessed[i]!.runningHead);
    if (!same) {
      css = options.pageCss(prepared.parts) + FURNITURE_CSS;
      await runInPage<boolean>(page, SET_PAGE_CSS, { css });
    }
    // Text drawn only in margin boxes: folios, the book title, running heads, yearbook 分目.
    const marginText = COUNTER_GLYPHS + options.metadata.title + prepared.parts.map((p) => p.runningHead).join('') + prepared.sections.map((s) => s.title).join('') + ' · ';
    await loadPrintFonts(page, [{ stack: options.fonts.heading, text: marginText }]);
    lap('prepare');
    const print = (pdfOptions: PDFOptions) => printWithFonts(page, pdfOptions, () => void fontReprints++);

    // 2. The first print: the front matter with placeholders and the body up to the first part that
    //    holds a page number (an index, a :pageref). Those parts come in a print of their own, once the
    //    numbers they show are known, appended with their structure (splice-pages.ts); when the numbers
    //    point into those parts themselves (a :pageref forward), that print repeats until they settle.
    const late = prepared.parts.some((p) => p.hasPageOf);
    await runInPage<boolean>(page, SHOW, { show: late ? 'early' : 'all' });
    const first = await print(PDF_OPTIONS);
    lap('print');
    // The page plan needs only the page count and the named destinations: they are read straight from
    // the bytes (page-numbers.ts `scanDestinations`), and pdf-lib parses the whole file in the
    // background (yielding to the event loop) while Chromium prints the next parts.
    const bodyLoading = parse(first, ParseSpeeds.Medium);
    bodyLoading.catch(() => undefined); // awaited below; a failure is reported there
    const read = async (bytes: Uint8Array) => scanDestinations(bytes) ?? located(await parse(bytes));
    const earlyRead = await read(first);
    const early = earlyRead.pages;
    let dests = earlyRead.dests;
    let total = early;
    let tail: Uint8Array | undefined;
    lap('read');
    if (late) {
      await runInPage<boolean>(page, SHOW, { show: 'late' });
      for (let pass = 1; ; pass++) {
        const plan = planFrom(prepared, dests, total, layout);
        const values = pageValues(dests, plan, layout.width.pt - 2 * layout.side.pt, layout.columns);
        const changed = await runInPage<number>(page, FILL_PAGE_NUMBERS, { values, scope: 'body' });
        if (pass > 1 && changed === 0) break;
        if (pass > MAX_BODY_PASSES) {
          report(file, 'pdf-layout-unstable', `page numbers in the body still changed after ${pass} prints`, undefined, { severity: 'warning' });
          break;
        }
        tail = await print(PDF_OPTIONS);
        lap('print-late');
        // The destinations as they will be once the tail is spliced in (splice-pages.ts does the same).
        const tailRead = await read(tail);
        dests = new Map([...earlyRead.dests].filter(([, d]) => d.page < early));
        for (const [id, d] of tailRead.dests) dests.set(id, { ...d, page: d.page + early });
        total = early + tailRead.pages;
        lap('splice');
      }
    }
    const plan = planFrom(prepared, dests, total, layout);
    const values = pageValues(dests, plan, layout.width.pt - 2 * layout.side.pt, layout.columns);
    options.onPages?.(total);

    // 3. The second print: front matter with page numbers, then one page per distinct running head and
    //    the folio sample (running-heads.ts), from which every body page gets its head and folio.
    await runInPage<number>(page, FILL_PAGE_NUMBERS, { values, scope: 'front' });
    await runInPage<boolean>(page, SHOW, { show: 'front' });
    // Yearbook 分目 add named pages for their running heads; only the furniture print needs them.
    const furnitureCss = prepared.sections.length > 0 ? options.pageCss(prepared.parts, prepared.sections) + FURNITURE_CSS : css;
    const frontPages = plan.pages.filter((p) => p.kind === 'front').length;
    const heads = headPrint(plan, frontPages);
    const secondCss = `${furnitureCss}${TRANSPARENT_CSS}${runningHeadCss(layout, heads.heads)}`;
    await runInPage<number>(page, ADD_FURNITURE, { css: secondCss, pages: heads.pages });
    // No background: the furniture is drawn over the body pages, and the paper is white anyway.
    const secondPrint = print({ ...PDF_OPTIONS, omitBackground: true });
    secondPrint.catch(() => undefined); // awaited below
    // While Chromium prints: the first print parsed, the late parts spliced in. page.pdf makes two quick
    // calls before it asks for the print; let them go out before this synchronous work.
    await new Promise((resolve) => setTimeout(resolve, 15));
    const body = await bodyLoading;
    if (tail) replaceTail(body, early, await parse(tail));
    if (!sameDestinations(readDestinations(body), dests) || body.getPageCount() !== total) {
      throw new Error('the destinations read from the printed bytes differ from those pdf-lib reads');
    }
    lap('splice');
    const secondBytes = await secondPrint;
    lap('print-front');
    const second = await parse(secondBytes);
    if (second.getPageCount() !== frontPages + heads.pages.length) {
      report(file, 'pdf-layout-unstable', `the front matter took ${second.getPageCount() - heads.pages.length} pages with page numbers and ${frontPages} with placeholders`);
      return failed();
    }

    // 4. Assemble, outline, labels, metadata.
    assemblePdf({ body, second, heads, plan, layout, hasCover: prepared.hasCover });
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
    const ok = !file.messages.some((m) => m.fatal === true);
    return { ok, pages: body.getPageCount(), timings, bytes: bytes.length, fontReprints };
  } catch (error) {
    report(file, 'pdf-print-failed', `printing failed: ${message(error)}`);
    return failed();
  } finally {
    guard.end();
    await rm(join(dir, PDF_HTML), { force: true });
  }
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

const parse = (bytes: Uint8Array, parseSpeed: ParseSpeeds = ParseSpeeds.Fastest) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed });

const located = (doc: PDFDocument) => ({ pages: doc.getPageCount(), dests: readDestinations(doc) });

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
  const sections = prepared.sections.flatMap((s) => {
    const d = dests.get(s.id);
    return d ? [{ id: s.id, part: s.part, start: d.page }] : [];
  });
  return planPages({ frontPages, bodyPages: total - frontPages, parts, sections, recto: layout.recto });
}

function reportGuardEvent(file: VFile, event: GuardEvent): void {
  switch (event.kind) {
    case 'blocked':
      report(file, 'pdf-blocked-request', `blocked a request for ${event.url} (${event.resourceType}) while printing`);
      break;
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
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
