/**
 * The printer's files of one edition, made after its screen PDF (build.ts calls this in release builds
 * and with `--press`):
 *
 *   screen PDF → drop the cover and its verso, bleed and boxes (press-interior.ts) → Ghostscript: CMYK
 *   PDF/X with the output intent → `<book>-<edition>-press.pdf`
 *   page count + paper → spine width → cover sheet HTML (cover-sheet.ts) → Chromium → boxes →
 *   Ghostscript: CMYK PDF/X → `<book>-<edition>-cover.pdf`
 *   → preflight both (preflight.ts): PDF/X keys, output intent, boxes, fonts embedded, no RGB left.
 *
 * Problems are reported on `file` (press-ghostscript, press-check); the result says which files exist.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import type { VFile } from 'vfile';
import type { BrowserSession } from '../pdf/browser.ts';
import { pageLayout } from '../pdf/page-css.ts';
import { GENERATED_TEXT, printFonts, printFontsCss } from '../pdf/print-fonts.ts';
import { codePointsOf, fontSetFor } from '../fonts/fonts.ts';
import { metadataDate } from '../release/source-date-epoch.ts';
import { guardPage } from '../pdf/request-guard.ts';
import { report } from '../report/diagnostics.ts';
import type { EditionContext } from '../context/types.ts';
import { coverSheetHtml, coverSheetSize } from './cover-sheet.ts';
import { convertToPdfx, findGhostscript, GhostscriptError, PDFX_VERSION, type Ghostscript } from './ghostscript.ts';
import { preflight } from './preflight.ts';
import { pressInterior, setBoxes } from './press-interior.ts';
import { neutralColoursToGray } from './neutral-to-gray.ts';
import { inkAtEdges } from './edge-ink.ts';
import { COVER_PAGES, spineWidth } from '../imprint/print-figures.ts';

const MM = 72 / 25.4;

export const pressName = (book: string, edition: string) => `${book}-${edition}-press.pdf`;
export const coverName = (book: string, edition: string) => `${book}-${edition}-cover.pdf`;

export interface PressEditionOptions {
  session: BrowserSession;
  context: EditionContext;
  /** Staging folder: the screen PDF and site/assets/fonts/ are in it; the press files are written to it. */
  dir: string;
  /** File name of the screen PDF in `dir`. */
  screenPdf: string;
  /** Crop marks on the interior pages. Default: false. */
  marks?: boolean;
  /** Diagnostics go here (the edition's print.html). */
  file: VFile;
}

export interface PressEditionResult {
  ok: boolean;
  /** Files written into `dir`. */
  written: string[];
  /** Interior pages (from the 扉页 on) and the spine width in mm. */
  pages?: number;
  spine?: number;
}

export async function printPressFiles(options: PressEditionOptions): Promise<PressEditionResult> {
  const { context, dir, file } = options;
  const { config, book, editionId, edition } = context;
  let gs: Ghostscript;
  try {
    gs = await findGhostscript();
  } catch (error) {
    report(file, 'press-ghostscript', error instanceof Error ? error.message : String(error));
    return { ok: false, written: [] };
  }
  const press = config.press;
  const date = metadataDate(config.year, options.context.sourceDateEpoch);
  const epoch = String(Math.floor(date.getTime() / 1000));
  const written: string[] = [];
  const temp: string[] = [];
  try {
    // 1. The interior: from the 扉页 on, with bleed and boxes, then CMYK PDF/X. Its pages are printed at
    //    the trimmed size: anything that touches their edge has no bleed (edge-ink.ts).
    for (const { page, edges } of await inkAtEdges(gs, join(dir, options.screenPdf), { firstPage: COVER_PAGES + 1 })) {
      report(file, 'press-bleed', `interior page ${page - COVER_PAGES} has ink at its ${edges.join(', ')} edge${edges.length > 1 ? 's' : ''}, with no bleed beyond the trim`);
    }
    const screen = await readFile(join(dir, options.screenPdf));
    const interior = await pressInterior(screen, { skip: COVER_PAGES, bleed: press.bleed, marks: options.marks ?? false });
    const interiorRgb = join(dir, '.press-interior.pdf');
    temp.push(interiorRgb);
    await writeFile(interiorRgb, interior.bytes);
    const pressFile = pressName(book.id, editionId);
    await convertToPdfx({ gs, flavour: press.pdfx, title: edition.title, input: interiorRgb, output: join(dir, pressFile), workDir: dir, epoch });
    written.push(pressFile);

    // 2. The cover sheet, its spine as wide as the interior is thick.
    const layout = pageLayout(config.page);
    const spine = spineWidth(interior.pages, press.paper, press.coverBoard);
    const geometry = { width: layout.width.pt / MM, height: layout.height.pt / MM, spine, bleed: press.bleed };
    const coverHtml = join(dir, '.cover-sheet.html');
    temp.push(coverHtml);
    // Set in the print fonts, one file per face with its real name, like the interior (print-fonts.ts).
    const coverFonts = join(dir, '.cover-fonts');
    temp.push(coverFonts);
    const set = fontSetFor(context.locale.script);
    const used = codePointsOf([coverSheetHtml(context, geometry, ''), GENERATED_TEXT]);
    const faces = await printFonts({ set, used });
    await mkdir(coverFonts, { recursive: true });
    for (const f of faces.files) await writeFile(join(coverFonts, f.name), f.data);
    const siteFonts = await readFile(join(dir, 'site/assets/fonts.css'), 'utf8').catch(() => '');
    await writeFile(join(coverFonts, 'fonts.css'), printFontsCss(set, faces, used, { fileUrl: '', sliceUrl: '../site/assets/fonts/', site: { css: siteFonts, base: '../site/assets/' } }));
    await writeFile(coverHtml, coverSheetHtml(context, geometry, '.cover-fonts/fonts.css'));
    const coverRgb = join(dir, '.cover-sheet.pdf');
    temp.push(coverRgb);
    await writeFile(coverRgb, await printCover(options.session, coverHtml, dir, file, geometry, date));
    const coverFile = coverName(book.id, editionId);
    await convertToPdfx({ gs, flavour: press.pdfx, title: edition.title, input: coverRgb, output: join(dir, coverFile), workDir: dir, epoch });
    written.push(coverFile);

    // 3. Preflight: what the printer's preflight would reject.
    for (const name of written) {
      const result = await preflight(await readFile(join(dir, name)));
      const problems: string[] = [];
      if (result.pdfx !== PDFX_VERSION[press.pdfx].version) problems.push(`PDF/X version is ${result.pdfx ?? 'missing'}`);
      if (result.outputIntents !== 1) problems.push(`${result.outputIntents} PDF/X output intents`);
      if (result.pagesWithoutBoxes.length) problems.push(`no TrimBox/BleedBox on page ${result.pagesWithoutBoxes.join(', ')}`);
      if (result.pagesWithAnnotations.length) problems.push(`annotations on page ${result.pagesWithAnnotations.join(', ')}`);
      if (result.unembeddedFonts.length) problems.push(`fonts not embedded: ${result.unembeddedFonts.join(', ')}`);
      if (result.rgbObjects || result.rgbOperators) problems.push(`RGB left: ${result.rgbObjects} colour spaces, ${result.rgbOperators} content streams`);
      if (problems.length) report(file, 'press-check', `${name}: ${problems.join('; ')}`);
    }
    return { ok: !file.messages.some((m) => m.fatal === true && m.ruleId?.startsWith('press-')), written, pages: interior.pages, spine };
  } catch (error) {
    const reason = error instanceof GhostscriptError ? error.message : `the press files failed: ${error instanceof Error ? error.message : String(error)}`;
    report(file, 'press-ghostscript', reason);
    return { ok: false, written };
  } finally {
    for (const path of temp) await rm(path, { recursive: true, force: true });
    await rm(join(dir, `.pdfx-${press.pdfx}.ps`), { force: true });
  }
}

/** Print the cover sheet HTML with the edition's tab; TrimBox is the sheet less the bleed. */
async function printCover(session: BrowserSession, html: string, root: string, file: VFile, g: { bleed: number; width: number; height: number; spine: number }, date: Date): Promise<Uint8Array> {
  const page = await session.page();
  const guard = await guardPage(page);
  guard.begin({ root, onEvent: (event) => report(file, 'pdf-page-error', `cover sheet: ${'url' in event ? event.url : event.message}`) });
  try {
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => true));
    const bytes = await page.pdf({ preferCSSPageSize: true, printBackground: true, waitForFonts: true, tagged: false, outline: false });
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const sheet = coverSheetSize(g);
    const b = g.bleed * MM;
    const [w, h] = [sheet.width * MM, sheet.height * MM];
    doc.setCreationDate(date);
    doc.setModificationDate(date);
    doc.setProducer('Annals (Chromium, pdf-lib)');
    neutralColoursToGray(doc); // black type in K alone (neutral-to-gray.ts)
    for (const p of doc.getPages()) setBoxes(p, { bleed: { x: 0, y: 0, width: w, height: h }, trim: { x: b, y: b, width: w - 2 * b, height: h - 2 * b } });
    return await doc.save({ useObjectStreams: false });
  } finally {
    guard.end();
  }
}
