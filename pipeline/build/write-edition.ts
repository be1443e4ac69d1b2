/**
 * Stages 5–7 of an edition that reach the disk (build-edition.ts): everything is written into a staging
 * folder — the site, its search index, fonts and assets, then the PDF (and the printer's files) and the
 * EPUB — which replaces out/<book>/<edition>/ only when all of it succeeded (html/write-output.ts). A
 * failed stage discards the staging folder; out/ keeps what it had.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { EditionContext } from '../context/types.ts';
import type { BookIndex } from '../html/book-index.ts';
import { createStaging, runOutputJobs, type CopyOptions, type Staging } from '../html/write-output.ts';
import { katexAssets } from '../html/katex-assets.ts';
import { pdfName, printEditionPdf } from '../pdf/pdf-edition.ts';
import type { SearchIndexer } from '../site/search-index.ts';
import { report } from '../report/diagnostics.ts';
import type { BuildOptions, EditionResult } from './build.ts';
import type { BookMatter } from './book-wide.ts';
import type { EditionFonts, RenderedSite } from './render-site.ts';
import { reportOutputError, writesFormat } from './build-support.ts';

export interface WriteEditionInput extends BookMatter {
  context: EditionContext;
  options: BuildOptions;
  /** The build's session (the output folder and the press files report their problems on files of their own, which join it). */
  session: BuildSession;
  index: BookIndex;
  chapters: readonly VFile[];
  site: RenderedSite;
  fonts: EditionFonts;
  /** The site's search index, being made while the other files are staged. Default: none. */
  search?: ReturnType<SearchIndexer['index']> | undefined;
  /** The build's lap timer (build-support.ts `stopwatch`). */
  lap: (stage: string) => void;
}

export async function writeEdition(input: WriteEditionInput): Promise<EditionResult> {
  const { context, options, lap } = input;
  const { book, editionId, project } = context;
  const outDir = join(project.out, book.id, editionId);
  const failed: EditionResult = { book: book.id, edition: editionId, chapters: input.chapters.length, ok: false };
  // Files whose bytes are already in outDir are only declared, not written (write-output.ts).
  let staging: Staging | undefined;
  try {
    staging = await createStaging(project.out, `${book.id}-${editionId}`, { target: outDir, record: options.cache?.outputRecord(outDir), ...(options.outputIo ? { io: options.outputIo } : {}) });
    // A site whose search index failed is not written: out/ keeps the last good one (the error says why).
    if (!(await stageSite(staging, input))) {
      await staging.discard();
      return failed;
    }
    // 6. PDF, then the printer's files from it. 7. The EPUB is made while Chromium prints when the print
    //    leaves a core free (its CPU work fills this thread's waits for the browser), else after it; it is
    //    staged after the PDF, whose reuse key is taken over the files staged before it.
    const wantsEpub = writesFormat(options, 'epub');
    let epub: ReturnType<typeof makeEpub> | undefined;
    const startEpub = () => {
      epub ??= makeEpub(input);
      epub.catch(() => undefined); // awaited below; if the PDF stage throws first, a failure must not go unhandled
    };
    const pdf = await stagePdf(staging, input, outDir, wantsEpub ? startEpub : undefined);
    // Not started during the print: now, unless the PDF failed (an EPUB that began is let end).
    if (wantsEpub && pdf.ok) startEpub();
    const made = await epub;
    if (!pdf.ok || (wantsEpub && !made)) {
      await staging.discard();
      return failed;
    }
    if (made) {
      await staging.write(made.name, made.bytes);
      lap('epub');
    }
    lap('write');
    const { changed, removed } = await staging.commit();
    lap('commit');
    return { book: book.id, edition: editionId, outDir, chapters: input.chapters.length, ok: true, changed: [...changed, ...removed], ...(pdf.printed ? { pdf: pdf.printed } : {}) };
  } catch (error) {
    await staging?.discard().catch(() => undefined);
    // A file-system failure of the output (read-only, full disk, a file in the way …) is a diagnostic on
    // the output folder; out/ keeps what it had.
    const outFile = new VFile({ path: outDir });
    if (!reportOutputError(outFile, error)) throw error;
    input.session.add(outFile);
    return failed;
  }
}

/**
 * Writes into `staging` many files at a time: a sequence spent most of its time waiting on the file
 * system. One job per path; a later one for a path replaces the earlier.
 */
function outputJobs(staging: Staging) {
  const outputs = new Map<string, () => Promise<void>>();
  return {
    write: (path: string, data: string | Uint8Array) => void outputs.set(path, () => staging.write(path, data)),
    copy: (from: string, path: string, options?: CopyOptions) => void outputs.set(path, () => staging.copy(from, path, options)),
    async flush(): Promise<void> {
      const jobs = [...outputs.values()];
      outputs.clear();
      await runOutputJobs(jobs);
    },
  };
}

/**
 * The site: pages, styles and script, fonts, KaTeX's files and the chapters' assets, then the search index
 * last: Pagefind indexes in its own process while the rest is staged.
 */
async function stageSite(staging: Staging, input: WriteEditionInput): Promise<boolean> {
  const { site, context, lap } = input;
  const { fonts, standIn } = input.fonts;
  const out = outputJobs(staging);
  for (const [path, html] of site.pages) out.write(path, html);
  for (const [name, css] of site.styles) out.write(`site/assets/${name}`, css);
  out.write('site/assets/site.js', site.templates.read('site.js'));
  out.write('site/assets/fonts.css', standIn ? `${fonts.css}${standIn.css}\n` : fonts.css);
  // The font files come from installed packages: linked where the file system allows (write-output.ts).
  for (const slice of fonts.slices) out.copy(slice.file, `site/assets/fonts/${slice.name}`, { shared: true });
  if (standIn) out.write(`site/assets/fonts/${standIn.name}`, standIn.data);
  // Mathematics: the KaTeX stylesheet and its woff2 fonts, only when some chapter contains math.
  if (input.chapters.some((f) => f.data.math === true)) {
    const katex = katexAssets();
    out.write('site/assets/katex.css', katex.css);
    for (const font of katex.fonts) out.copy(font.file, `site/assets/fonts/${font.name}`, { shared: true });
  }
  const assets = new Set(input.chapters.flatMap((f) => f.data.assets ?? []));
  for (const asset of [...assets].sort()) {
    const svg = site.svgImages.get(asset);
    if (svg !== undefined) out.write(`site/${asset}`, svg);
    else out.copy(join(context.book.dir, asset), `site/${asset}`);
  }
  await out.flush();
  if (input.search) {
    lap('write');
    const indexed = await input.search;
    if (indexed.errors.length) {
      // On the book's file: the session's own, or one for this write's session (build.ts).
      const bookFile = input.session.find(context.book.file.path) ?? new VFile({ path: context.book.file.path });
      input.session.add(bookFile);
      for (const error of indexed.errors) report(bookFile, 'site-search-index', `search index: ${error}`);
      return false;
    }
    for (const [path, bytes] of indexed.files) out.write(`site/pagefind/${path}`, bytes);
    await out.flush();
    lap('search index (waiting and writing)');
  }
  return true;
}

interface StagedPdf {
  ok: boolean;
  /** The PDF printed in this build (none when it was carried over or not made). */
  printed?: EditionResult['pdf'];
}

/**
 * With a cache, the previous PDF is carried over when nothing it depends on changed (also in an HTML-only
 * build, so a preview does not drop a still-valid PDF). Otherwise staging/print.html is printed here,
 * before the rename.
 */
async function stagePdf(staging: Staging, input: WriteEditionInput, outDir: string, onSpareCore?: () => void): Promise<StagedPdf> {
  const { context, options } = input;
  const { book, editionId } = context;
  const name = pdfName(book.id, editionId);
  const reused = (await options.cache?.reusePdf(book, editionId, staging, outDir)) ?? false;
  // An HTML-only build does not make the PDF, so it leaves the one an earlier build wrote in place.
  if (!reused && options.format === 'html' && existsSync(join(outDir, name))) staging.keep(name);
  if (reused || !writesFormat(options, 'pdf') || !options.browser) return { ok: true };
  const onPages = (page: number, total?: number) => options.progress?.({ kind: 'pdf-page', book: book.id, edition: editionId, page, total });
  await staging.materialize(); // Chromium prints from the staging folder: all of it must be there
  const pdf = await printEditionPdf({ session: options.browser, context, dir: staging.dir, outDir, build: input.session, parts: input.site.printParts, ...(input.site.printCopy ? { copy: input.site.printCopy } : {}), onPages, ...(onSpareCore ? { onSpareCore } : {}), cacheDir: options.cache?.dir, ...(options.print ? { switches: options.print } : {}), ...(options.outputIo ? { writeFile: options.outputIo.writeFile } : {}) });
  if (!pdf.ok) return { ok: false };
  staging.add(name);
  const printed = { pages: pdf.pages, prints: pdf.prints, lateWithFront: pdf.lateWithFront, reprints: pdf.reprints };
  if (!(options.press ?? options.release)) return { ok: true, printed };
  return { ok: await stagePress(staging, input, outDir), printed };
}

/** The printer's files from the screen PDF (release builds, --press): press interior and cover. */
async function stagePress(staging: Staging, input: WriteEditionInput, outDir: string): Promise<boolean> {
  const { context, options } = input;
  const screenPdf = pdfName(context.book.id, context.editionId);
  const pressFile = new VFile({ path: join(outDir, screenPdf) });
  input.session.add(pressFile);
  // Loaded on use, like the PDF stage: most builds make no press files.
  const { printPressFiles } = await import('../press/press-edition.ts');
  const made = await printPressFiles({ session: options.browser!, context, dir: staging.dir, screenPdf, marks: options.marks, file: pressFile });
  if (!made.ok) return false;
  for (const name of made.written) staging.add(name);
  return true;
}

/** The same finished trees as the site, as one EPUB 3 file (pipeline/epub/); undefined when it failed. */
async function makeEpub(input: WriteEditionInput): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  const { context, site } = input;
  const { book, editionId } = context;
  const readAsset = async (asset: string) => {
    const svg = site.svgImages.get(asset);
    return svg !== undefined ? new TextEncoder().encode(svg) : readFileSync(join(book.dir, asset)); // SVGs sanitised (and converted), as in the site
  };
  const stylesheet = site.templates.read('epub.css');
  // Loaded here: the EPUB brings a zip writer and the font subsetter, which an HTML build or a check never needs.
  const { epubEdition, epubName } = await import('../epub/epub-edition.ts');
  const epub = await epubEdition({ context, index: input.index, chapters: input.chapters, frontMatter: input.frontMatter, backMatter: input.backMatter, stylesheet, readAsset }).catch((error: Error) => {
    report(book.file, 'epub-failed', `the EPUB of ${book.id}/${editionId} could not be made: ${error.message}`);
    return undefined;
  });
  return epub ? { name: epubName(book.id, editionId), bytes: epub } : undefined;
}
