/**
 * One edition of one book, stage by stage, in order (build.ts runs it for every edition a build needs).
 * Each step is a small module; this file only says what runs when, and why the order matters where it
 * does. It is loaded only when an edition is built: a build whose books are all unchanged (build-cache.ts)
 * never loads the Markdown, HTML, chart or font machinery.
 *
 *   book.yaml ─ load & validate ─┐
 *   NN-slug.md ─ front matter ───┼─ number chapters ─ per chapter: remark → rehype (processor.ts)
 *                                │    ─ book index (all ids and labels) ─ book-wide: links, refs …
 *                                └─ render site + print.html ─ fonts & assets ─ [PDF] ─ rename into out/
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { Root as HastRoot } from 'hast';
import { editionChapters, type LoadedBook } from '../config/load-book.ts';
import { readFrontMatter } from '../markdown/front-matter.ts';
import { authorsPlace, loadPeople, resolveAuthors } from '../locale/people.ts';
import { limitNesting } from '../markdown/nesting-depth.ts';
import { readChapter } from '../markdown/read-chapter.ts';
import { createChapterProcessor, type DirectivePlugin } from '../chapter/processor.ts';
import { buildBookIndex } from '../html/book-index.ts';
import { rehypeInternalLinks } from '../html/rehype-internal-links.ts';
import { renderEdition } from '../html/render-edition.ts';
import { inlineSvgImages } from '../html/inline-svg-images.ts';
import { sanitizeSvg } from '../html/sanitize-svg.ts';
import { rehypeCrossReferences, createCrossReferenceUsage, reportUnreferencedLabels } from '../html/rehype-cross-references.ts';
import { createCitations, rehypeCitations } from '../html/rehype-citations.ts';
import { rehypeChapterNotes } from '../html/rehype-chapter-notes.ts';
import { rehypeYearbookStructure } from '../html/rehype-yearbook-structure.ts';
import { buildLists } from '../html/lists-of-figures.ts';
import { createLineTypography } from '../html/line-typography.ts';
import { buildIndexPage } from '../html/index-page.ts';
import { createDataFiles } from '../config/data-files.ts';
import { remarkCrossReferences, CROSS_REFERENCE_DIRECTIVES } from '../markdown/remark-cross-references.ts';
import { remarkCitations } from '../markdown/remark-citations.ts';
import { remarkIndexTerms } from '../markdown/remark-index-terms.ts';
import { remarkLangSpans } from '../markdown/remark-lang-spans.ts';
import { createIndexMarkCounter } from '../context/index-marks.ts';
import { remarkChronicle } from '../markdown/remark-chronicle.ts';
import { remarkStatsTable } from '../markdown/remark-stats-table.ts';
import { loadTemplates } from '../html/templates.ts';
import { codePointsOf, fontSetFor, selectFonts } from '../fonts/fonts.ts';
import { coverageFor, uncovered } from '../fonts/glyph-coverage.ts';
import { missingGlyphFont } from '../fonts/missing-glyph-font.ts';
import { katexAssets } from '../html/katex-assets.ts';
import { createStaging } from '../html/write-output.ts';
import { createLocale, scriptOf } from '../locale/locale.ts';
import { curlyQuotes } from '../html/rehype-english-quotes.ts';
import { deriveEdition, dropRepeatedMessages } from '../locale/derive-edition.ts';
import { checkEditionConsistency, type ProcessedEdition } from '../check/edition-consistency.ts';
import { reportTwoWayTerms } from '../check/hant-terms.ts';
import { coverWords } from '../imprint/imprint-page.ts';
import { report } from '../report/diagnostics.ts';
import { createEditionCounters, type ChapterInfo, type EditionContext } from '../context/types.ts';
import { digest } from '../base/hash.ts';
import type { BuildMemo } from '../base/memo.ts';
import type { IndicatorStore } from '../indicators/store.ts';
import { indicatorFeature } from '../chapter/indicator-feature.ts';
import { bodyParts, editionPageCss, pdfName, printEditionPdf } from '../pdf/pdf-edition.ts';
import { epubEdition, epubName } from '../epub/epub-edition.ts';
import { comparePages } from '../site/compare-pages.ts';
import { standalonePage } from '../html/render-edition.ts';
import { readdir } from 'node:fs/promises';

import type { BuildOptions, EditionResult } from './build.ts';
import { countErrors, reportOutputError, stopwatch } from './build-support.ts';

/**
 * Features that add directives. Order matters: a later feature may rely on an earlier one's output.
 * `draw`: draw the indicator charts; `annals check` builds and checks their data but draws none (it
 * writes nothing).
 */
export function features(context: EditionContext, files: VFile[], store: IndicatorStore, memo: BuildMemo | undefined, draw = true): DirectivePlugin[] {
  // Scholarly apparatus and yearbook structures (docs/directives.md). Index marks are numbered idx-1, idx-2 …
  // through the edition by one counter shared by :idx and the chronicle's `terms:`.
  const marks = createIndexMarkCounter(context.counters);
  const data = createDataFiles({ bookDir: context.book.dir, files });
  return [
    // Indicator tables, charts and values (docs/indicators.md): ::ranking-table and ::chart expand into
    // :::table / ::figure first, so they are numbered with the chapter's own tables and figures.
    indicatorFeature({ context, store, files, draw, ...(memo ? { svgMemo: memo.charts } : {}) }),
    // ::stats-table expands into a :::table before the built-in directives, so it is numbered with them.
    { names: ['stats-table'], expand: [[remarkStatsTable, { context, data }]] },
    { names: CROSS_REFERENCE_DIRECTIVES, remark: [remarkCrossReferences] },
    { names: ['cite'], remark: [remarkCitations] },
    { names: ['idx'], remark: [[remarkIndexTerms, { counter: marks }]] },
    // Text in another language than the chapter's (docs/directives.md): <span lang>.
    { names: ['lang'], remark: [remarkLangSpans] },
    { names: ['chronicle'], remark: [[remarkChronicle, { context, data, counter: marks }]] },
    // After rehype-footnote-ids: notes at the chapter's end; then the yearbook's 类目/分目/条目 for TOC and heads.
    { names: [], rehype: [[rehypeChapterNotes, { context }], [rehypeYearbookStructure, { context }]] },
  ];
}

export async function buildEdition(book: LoadedBook, editionId: string, options: BuildOptions, files: VFile[], processed: ProcessedEdition[], store: IndicatorStore): Promise<EditionResult> {
  const { project } = options;
  const config = book.config!;
  const errorsBefore = countErrors(files, options.release);
  const lap = stopwatch(options.timings);
  // The print browser starts now, while the HTML is built: a cold launch takes 0.5–1 s, mostly in
  // Chromium's own processes (the PDF stage awaits it; a failed launch is reported there).
  const format = options.format ?? 'all';
  if (options.browser && !options.checkOnly && (format === 'pdf' || format === 'all')) options.browser.page().catch(() => undefined);

  // 1. The edition's context: locale, chapter list (missing and unlisted files are reported on book.yaml).
  //    A derived edition (zh-Hant from zh) brings its converter and converted book-level strings.
  const derived = deriveEdition(book, editionId, files, options.memo?.opencc);
  const { convert, sourceLang, glossary } = derived;
  // English book-level strings (cover, imprint) get the typographic quotes the chapters get.
  const edition = scriptOf(derived.edition.lang) === 'en' ? bookStringsQuoted(derived.edition) : derived.edition;
  const locale = createLocale(edition.lang, project.templates, { convert, sourceLang, largeUnits: config.numbers.largeUnits, ...(options.memo ? { parsed: options.memo.parsed } : {}) });
  const sources = editionChapters(book, editionId, edition);
  const context: EditionContext = { project, book, config, editionId, edition, locale, chapters: sources, slugger: new GithubSlugger(), counters: createEditionCounters() };

  // 2. Parse every chapter and read its front matter first: chapter numbers depend on which chapters are
  //    numbered, and every later stage needs its chapter's number.
  //    (With a cache, a chapter whose text was parsed before is not parsed again.)
  // The book's people (people.yaml): bylines by id, printed in the edition's language.
  const people = loadPeople(book.dir, files);
  const created = createChapterProcessor(context, features(context, files, store, options.memo, !options.checkOnly));
  const processor = options.cache ? options.cache.processor(context, created, files) : created;
  const chapterFiles: VFile[] = [];
  let number = 0;
  const parsed = sources.map((source) => {
    const file = readChapter(source.path); // invalid UTF-8 and NUL bytes are reported at their line
    files.push(file);
    // Before anything recursive sees the text: a chapter nested thousands of levels deep is cut and reported.
    limitNesting(file);
    chapterFiles.push(file);
    // The front matter is all this step needs: a cache answers it without the whole tree (parse-cache.ts).
    const head = processor.head?.(file);
    const whole = head ? undefined : processor.parse(file);
    const tree = () => whole ?? processor.parse(file);
    const matter = readFrontMatter(head ?? whole!, file, options.memo?.parsed);
    const numbered = matter?.numbered ?? true;
    const yamlNode = (head ?? whole!).children[0];
    const frontYaml = yamlNode?.type === 'yaml' ? yamlNode : undefined;
    const byline = resolveAuthors(matter?.authors ?? [], people, locale, file, frontYaml);
    const authorsAt = authorsPlace(frontYaml);
    if (numbered) number += 1;
    const chapter: ChapterInfo = {
      slug: source.slug,
      name: source.name,
      id: matter?.id ?? `ch-${source.slug}`,
      title: matter?.title ?? source.slug,
      short: matter?.short ?? matter?.title ?? source.slug,
      authors: byline.names,
      ...(byline.ids ? { authorIds: byline.ids } : {}),
      ...(authorsAt ? { authorsAt } : {}),
      number: numbered ? number : undefined,
      label: numbered && config.kind === 'report' ? locale.chapterLabel(number) : '',
      headings: [],
      labels: [],
    };
    file.data.chapter = chapter;
    return { file, tree };
  });
  lap('load and parse');

  // 3. Per-chapter stages (remark → rehype), in chapter order so book-wide counters stay in order.
  for (const [i, { file, tree }] of parsed.entries()) {
    options.progress?.({ kind: 'chapter', book: book.id, edition: editionId, index: i + 1, total: parsed.length, name: file.basename ?? '' });
    file.data.hast = await processor.run(tree, file);
  }
  processed.push({ id: editionId, edition, chapters: chapterFiles });
  lap('chapters');

  // 4. Book-wide stages need every chapter's ids and labels: build the index, then resolve links and
  //    cross-references (both count as references to a label), then number citations in book order.
  const index = buildBookIndex(chapterFiles);
  const usage = createCrossReferenceUsage();
  const citations = createCitations(context, files, options.memo?.citations);
  const bookWide = unified()
    .use(rehypeInternalLinks, { index })
    .use(rehypeCrossReferences, { context, index, usage })
    .use(rehypeCitations, { citations })
    .freeze();
  // With the chapter-run cache, a chapter's finished tree is named by its run, what the book-wide stages
  // read (the index: ids, labels, chapters) and the citations before it, so rendering need not hash it.
  const identity = processor.identity?.bind(processor);
  const indexKey = identity ? digest('book-index', JSON.stringify([...index.ids]), JSON.stringify([...index.labels]), JSON.stringify([...index.bySlug])) : '';
  for (const file of chapterFiles) {
    const run = identity?.(file.data.hast!);
    const before = run ? JSON.stringify(citations.processor()?.cited() ?? []) : '';
    file.data.hast = (await bookWide.run(file.data.hast!, file)) as HastRoot;
    if (run) file.data.renderKey = digest('finished-chapter', run, indexKey, citations.placement, before);
  }
  reportUnreferencedLabels(chapterFiles, usage);
  // Front and back matter need the finished chapters: lists of figures and tables (front), the list of
  // references (placement: book) and the index (back).
  const frontMatter = buildLists(context, chapterFiles);
  const backMatter = [citations.backMatter(), buildIndexPage(context, chapterFiles)].filter((m) => m !== undefined);
  // Line typography last, on every finished tree (generated words included): punctuation compression,
  // no-break spans, table cells that keep words whole (pipeline/html/line-typography.ts).
  const typography = createLineTypography(context);
  for (const file of chapterFiles) file.data.hast = typography.runSync(file.data.hast!, file);
  for (const m of [...frontMatter, ...backMatter]) m.html = typography.runSync(m.html);
  // A derived edition writes every word one way (pipeline/check/hant-terms.ts); the converter saw them all.
  if (convert) reportTwoWayTerms({ book, editionId, convert, ...(glossary ? { glossary } : {}) });
  lap('book-wide');

  const failed = countErrors(files, options.release) > errorsBefore;
  if (failed || options.checkOnly) {
    return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: !failed };
  }

  // 5. Render the site and print.html, then the fonts the rendered text needs, then write everything
  //    into a staging folder that replaces out/<book>/<edition>/ only when all of it succeeded.
  const templates = loadTemplates(project.templates, config.template ?? config.kind);
  const parts = bodyParts(chapterFiles.map((f) => f.data.chapter!), backMatter);
  const pageCss = editionPageCss(context, parts, 'standalone');
  const pages = renderEdition({ context, index, templates, chapters: chapterFiles, frontMatter, backMatter, pageCss, ...(options.memo ? { articles: options.memo.articles } : {}) });
  const styles = ['base.css', 'layout.css', 'site.css', 'print.css'].map((name) => [name, templates.read(name)] as const);
  // SVG images are text: a derived edition (zh-Hant) shows them converted like its chapters, and the
  // fonts must cover them (print.html inlines them, pipeline/pdf/inline-svg.ts).
  // Every SVG is sanitised first (sanitize-svg.ts: no script, handler, foreignObject or external reference);
  // what was removed is a warning at the SVG file. The sanitised text is what is inlined and copied.
  const svgImages = new Map([...new Set(chapterFiles.flatMap((f) => f.data.assets ?? []))].filter((a) => a.endsWith('.svg')).map((a) => [a, locale.convert(safeSvg(join(book.dir, a), files))]));
  const svgTexts = [...svgImages.values()];
  // …and they are written into the pages (inline-svg-images.ts): an SVG loaded by <img> cannot use the
  // book's web fonts. print.html names them under site/.
  if (svgImages.size > 0) {
    for (const [path, html] of pages) {
      pages.set(path, await inlineSvgImages(html, (src) => svgImages.get(path === 'print.html' ? src.replace(/^site\//, '') : src)));
    }
  }
  lap('render');
  // --compare: mark what changed since the earlier version, and add the summary page (pipeline/site/).
  if (options.compared && options.format !== 'pdf') {
    const oldSite = join(options.compared.out, book.id, editionId, 'site');
    const old = new Map<string, string>();
    for (const name of await readdir(oldSite).catch(() => [] as string[])) {
      if (name.endsWith('.html')) old.set(`site/${name}`, readFileSync(join(oldSite, name), 'utf8'));
    }
    comparePages({
      pages,
      old,
      chapters: chapterFiles.map((f) => f.data.chapter!).map((c) => ({ path: `site/${c.slug}.html`, title: c.label ? `${c.label} ${c.title}` : c.title })),
      locale,
      against: options.compared.label,
      renderPage: (title, content) => standalonePage(context, templates, { title, content }),
    });
    lap('compare');
  }
  // The search index of the site, from the pages as they will be written (pipeline/site/search-index.ts).
  // Pagefind works in its own process: it indexes while fonts are chosen and files are staged.
  const sitePages = new Map([...pages].filter(([path]) => path.startsWith('site/')).map(([path, html]) => [path.slice('site/'.length), html]));
  const searchJob = options.search && options.format !== 'pdf' ? options.search.index(sitePages) : undefined;
  searchJob?.catch(() => {}); // awaited below; a failure must not go unhandled while other work runs
  // The cover sheet of a press build is set in the edition's fonts too: its words count.
  const coverText = (options.press ?? options.release) ? [coverWords(context)] : [];
  const used = codePointsOf([...pages.values(), ...styles.map(([, css]) => css), ...svgTexts, ...coverText]);
  const fonts = selectFonts(fontSetFor(locale.script), used);
  // Characters no face has (each reported at its line by rehype-glyph-coverage) get the build's stand-in.
  const standIn = await missingGlyphFont(uncovered(coverageFor(locale.script), used));
  lap('fonts');
  const outDir = join(project.out, book.id, editionId);
  // Files whose bytes are already in outDir are only declared, not written (write-output.ts).
  let staging: Awaited<ReturnType<typeof createStaging>> | undefined;
  try {
    staging = await createStaging(project.out, `${book.id}-${editionId}`, { target: outDir, record: options.cache?.outputRecord(outDir), ...(options.outputIo ? { io: options.outputIo } : {}) });
    for (const [path, html] of pages) await staging.write(path, html);
    for (const [name, css] of styles) await staging.write(`site/assets/${name}`, css);
    await staging.write('site/assets/site.js', templates.read('site.js'));
    if (searchJob) {
      lap('write');
      const indexed = await searchJob;
      for (const error of indexed.errors) report(book.file, 'site-search-index', `search index: ${error}`);
      for (const [path, bytes] of indexed.files) await staging.write(`site/pagefind/${path}`, bytes);
      lap('search index (waiting and writing)');
    }
    await staging.write('site/assets/fonts.css', standIn ? `${fonts.css}${standIn.css}\n` : fonts.css);
    for (const slice of fonts.slices) await staging.copy(slice.file, `site/assets/fonts/${slice.name}`);
    if (standIn) await staging.write(`site/assets/fonts/${standIn.name}`, standIn.data);
    // Mathematics: the KaTeX stylesheet and its woff2 fonts, only when some chapter contains math.
    if (chapterFiles.some((f) => f.data.math === true)) {
      const katex = katexAssets();
      await staging.write('site/assets/katex.css', katex.css);
      for (const font of katex.fonts) await staging.copy(font.file, `site/assets/fonts/${font.name}`);
    }
    const assets = new Set(chapterFiles.flatMap((f) => f.data.assets ?? []));
    for (const asset of [...assets].sort()) {
      const svg = svgImages.get(asset);
      if (svg !== undefined) await staging.write(`site/${asset}`, svg);
      else await staging.copy(join(book.dir, asset), `site/${asset}`);
    }
    // 6. PDF. With a cache, the previous PDF is carried over when nothing it depends on changed (also in an
    //    HTML-only build, so a preview does not drop a still-valid PDF). Otherwise (issue: PDF editions)
    //    print staging/print.html here, before the rename.
    const pdfReused = (await options.cache?.reusePdf(book, editionId, staging, outDir)) ?? false;
    // An HTML-only build does not make the PDF, so it leaves the one an earlier build wrote in place.
    if (!pdfReused && options.format === 'html' && existsSync(join(outDir, pdfName(book.id, editionId)))) staging.keep(pdfName(book.id, editionId));
    let printed: EditionResult['pdf'];
    if (!pdfReused && ((options.format ?? 'all') === 'pdf' || (options.format ?? 'all') === 'all') && options.browser) {
      const onPages = (page: number, total?: number) => options.progress?.({ kind: 'pdf-page', book: book.id, edition: editionId, page, total });
      await staging.materialize(); // Chromium prints from the staging folder: all of it must be there
      const pdf = await printEditionPdf({ session: options.browser, context, dir: staging.dir, outDir, files, onPages, cacheDir: options.cache?.dir });
      if (!pdf.ok) {
        await staging.discard();
        return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: false };
      }
      staging.add(pdfName(book.id, editionId));
      printed = { pages: pdf.pages, prints: pdf.prints, lateWithFront: pdf.lateWithFront, reprints: pdf.reprints };
      // 7. The printer's files from the screen PDF (release builds, --press): press interior and cover.
      if (options.press ?? options.release) {
        const pressFile = new VFile({ path: join(outDir, pdfName(book.id, editionId)) });
        files.push(pressFile);
        // Loaded on use, like the PDF stage: most builds make no press files.
        const { printPressFiles } = await import('../press/press-edition.ts');
        const made = await printPressFiles({ session: options.browser, context, dir: staging.dir, screenPdf: pdfName(book.id, editionId), marks: options.marks, file: pressFile });
        if (!made.ok) {
          await staging.discard();
          return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: false };
        }
        for (const name of made.written) staging.add(name);
      }
    }
    // 7. EPUB: the same finished trees as the site, as one EPUB 3 file (pipeline/epub/). After the PDF,
    //    whose reuse key is taken over the files staged before it.
    if ((options.format ?? 'all') === 'epub' || (options.format ?? 'all') === 'all') {
      const readAsset = async (asset: string) => {
        const svg = svgImages.get(asset);
        return svg !== undefined ? new TextEncoder().encode(svg) : readFileSync(join(book.dir, asset)); // SVGs sanitised (and converted), as in the site
      };
      const stylesheet = templates.read('epub.css');
      const epub = await epubEdition({ context, index, chapters: chapterFiles, frontMatter, backMatter, stylesheet, readAsset }).catch((error: Error) => {
        report(book.file, 'epub-failed', `the EPUB of ${book.id}/${editionId} could not be made: ${error.message}`);
        return undefined;
      });
      if (!epub) {
        await staging.discard();
        return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: false };
      }
      await staging.write(epubName(book.id, editionId), epub);
      lap('epub');
    }
    lap('write');
    const { changed, removed } = await staging.commit();
    lap('commit');
    return { book: book.id, edition: editionId, outDir, chapters: chapterFiles.length, ok: true, changed: [...changed, ...removed], ...(printed ? { pdf: printed } : {}) };
  } catch (error) {
    await staging?.discard().catch(() => undefined);
    // A file-system failure of the output (read-only, full disk, a file in the way …) is a diagnostic on
    // the output folder; out/ keeps what it had.
    const outFile = new VFile({ path: outDir });
    if (!reportOutputError(outFile, error)) throw error;
    files.push(outFile);
    return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: false };
  }
}

/** An SVG image's text, sanitised; each removal is an `svg-sanitized` warning on the SVG file. */
function safeSvg(path: string, files: VFile[]): string {
  const { svg, removed } = sanitizeSvg(readFileSync(path, 'utf8'));
  if (removed.length > 0) {
    const file = new VFile({ path });
    files.push(file);
    for (const what of removed) report(file, 'svg-sanitized', `removed from the SVG image: ${what}`);
  }
  return svg ?? '<svg xmlns="http://www.w3.org/2000/svg"/>';
}

/** An English edition's title, subtitle, byline, publisher and description with curly quotes (world's → world’s). */
function bookStringsQuoted<E extends { title: string; subtitle?: string | undefined; byline?: string | undefined; publisher?: string | undefined; description?: string | undefined }>(edition: E): E {
  const q = (s: string | undefined) => (s === undefined ? s : curlyQuotes(s));
  return { ...edition, title: curlyQuotes(edition.title), subtitle: q(edition.subtitle), byline: q(edition.byline), publisher: q(edition.publisher), description: q(edition.description) };
}

/**
 * After all of a book's editions: editions of one book must match (chapters, labelled blocks, indicator
 * references), which needs all of them; then zh-Hant's reports of files it read from zh are dropped.
 */
export function finishBook(book: LoadedBook, processed: ProcessedEdition[], root: string): void {
  checkEditionConsistency(book, processed, { root });
  dropRepeatedMessages(processed); // zh-Hant reads zh's files: report their problems once
}
