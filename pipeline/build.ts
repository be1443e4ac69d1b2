/**
 * The whole pipeline, in order. One call builds one edition of one book; `buildAll` runs it for every
 * selected book and edition. Each step is a small module; this file only says what runs when, and why
 * the order matters where it does.
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
import { editionChapters, listBooks, loadBook, selectBooks, type LoadedBook, type Project } from './config/load-book.ts';
import { readFrontMatter } from './markdown/front-matter.ts';
import { authorsPlace, loadPeople, resolveAuthors } from './config/people.ts';
import { limitNesting } from './markdown/nesting-depth.ts';
import { readChapter } from './markdown/read-chapter.ts';
import { createChapterProcessor, type DirectivePlugin } from './markdown/processor.ts';
import { buildBookIndex } from './html/book-index.ts';
import { rehypeInternalLinks } from './html/rehype-internal-links.ts';
import { renderEdition } from './html/render-edition.ts';
import { inlineSvgImages } from './html/inline-svg-images.ts';
import { sanitizeSvg } from './html/sanitize-svg.ts';
import { rehypeCrossReferences, createCrossReferenceUsage, reportUnreferencedLabels } from './html/rehype-cross-references.ts';
import { createCitations, rehypeCitations } from './html/rehype-citations.ts';
import { rehypeChapterNotes } from './html/rehype-chapter-notes.ts';
import { rehypeYearbookStructure } from './html/rehype-yearbook-structure.ts';
import { buildLists } from './html/lists-of-figures.ts';
import { createLineTypography } from './html/line-typography.ts';
import { buildIndexPage } from './html/index-page.ts';
import { createDataFiles } from './config/data-files.ts';
import { remarkCrossReferences, CROSS_REFERENCE_DIRECTIVES } from './markdown/remark-cross-references.ts';
import { remarkCitations } from './markdown/remark-citations.ts';
import { remarkIndexTerms } from './markdown/remark-index-terms.ts';
import { remarkLangSpans } from './markdown/remark-lang-spans.ts';
import { createIndexMarkCounter } from './markdown/index-marks.ts';
import { remarkChronicle } from './markdown/remark-chronicle.ts';
import { remarkStatsTable } from './markdown/remark-stats-table.ts';
import { loadTemplates } from './html/templates.ts';
import { codePointsOf, fontSetFor, selectFonts } from './html/fonts.ts';
import { coverageFor, uncovered } from './html/glyph-coverage.ts';
import { missingGlyphFont } from './html/missing-glyph-font.ts';
import { katexAssets } from './html/katex-assets.ts';
import { createStaging, type OutputIo } from './html/write-output.ts';
import { outputErrorOf, prepareOutputFolder } from './html/output-folder.ts';
import { createLocale, scriptOf } from './locale/locale.ts';
import { curlyQuotes } from './html/rehype-english-quotes.ts';
import { deriveEdition, dropRepeatedMessages } from './locale/derive-edition.ts';
import { checkEditionConsistency, type ProcessedEdition } from './check/edition-consistency.ts';
import { reportTwoWayTerms } from './check/hant-terms.ts';
import { resolveSourceDateEpoch } from './release/source-date-epoch.ts';
import { writeManifest } from './release/manifest.ts';
import { checkRelease } from './press/release-checks.ts';
import { coverWords } from './press/imprint-page.ts';
import { collect, hasErrors, report, type Diagnostic } from './report/diagnostics.ts';
import { createEditionCounters, type ChapterInfo, type EditionContext } from './types.ts';
import type { BuildCache } from './cache/build-cache.ts';
import { digest } from './cache/hash.ts';
import type { BuildMemo } from './cache/memo.ts';
import { createIndicatorStore, type IndicatorStore, type ResultsCache } from './indicators/store.ts';
import { indicatorFeature } from './markdown/indicator-feature.ts';
import type { ProgressSink } from './report/progress.ts';
import { createBrowserSession, type BrowserSession } from './pdf/browser.ts';
import { bodyParts, editionPageCss, pdfName, printEditionPdf } from './pdf/pdf-edition.ts';
import type { PrintResult } from './pdf/print-pdf.ts';
import { epubEdition, epubName } from './epub/epub-edition.ts';
import { createSearchIndexer, type SearchIndexer } from './site/search-index.ts';
import { compareSource, type CompareWith } from './site/compare-source.ts';
import { comparePages } from './site/compare-pages.ts';
import { standalonePage } from './html/render-edition.ts';
import { readdir } from 'node:fs/promises';

/** html: the site; pdf: site and PDF; epub: site and EPUB; all: site, PDF and EPUB. */
export type Format = 'html' | 'pdf' | 'epub' | 'all';

export interface BuildOptions {
  project: Project;
  /** Book selectors (folder names, or names without the year). Default: every book. */
  books?: readonly string[];
  /** Only this edition id (zh, en …). Default: every edition. */
  edition?: string;
  /** What to write. Default: all (HTML, PDF and EPUB). */
  format?: Format;
  /** Validate only; write nothing. */
  checkOnly?: boolean;
  /**
   * A release build (docs/editions.md): warnings are errors, SOURCE_DATE_EPOCH is required (or taken from
   * the last commit) and out/manifest.json lists every file with its SHA-256. Default: false.
   */
  release?: boolean;
  /**
   * Also write the printer's files beside each PDF: `<book>-<edition>-press.pdf` (CMYK PDF/X, bleed and
   * boxes) and `<book>-<edition>-cover.pdf` (docs/print-production.md). Needs Ghostscript. Default: the
   * value of `release`.
   */
  press?: boolean;
  /** Crop marks on the press interior's pages. Default: false. */
  marks?: boolean;
  /**
   * A release of a sample book: placeholder imprint data and sample text are reported as information
   * instead of refused (press/release-checks.ts). Default: false.
   */
  allowSample?: boolean;
  /** Called with a line of progress text. Default: nothing. */
  onProgress?: (message: string) => void;
  /** Books, editions, chapters and PDF pages as they go (pipeline/report/progress.ts). Default: nothing. */
  progress?: ProgressSink;
  /** Skip work whose inputs did not change (pipeline/cache/). Default: none, everything is built. */
  cache?: BuildCache;
  /** Also validate every indicator framework and its data, used by a chapter or not (`annals check`). */
  checkIndicators?: boolean;
  /** Indicator results kept between builds (the preview keeps one). Default: a fresh cache per build. */
  indicatorCache?: ResultsCache;
  /**
   * Chart SVGs, loaded indicator frameworks and CSL engines kept between builds by content hash of their
   * inputs (pipeline/cache/memo.ts; the preview keeps one). Same output as without. Default: none.
   */
  memo?: BuildMemo;
  /** The browser that prints PDFs (tests, bench). Default: one launched on first use and closed at the end. */
  browser?: BrowserSession;
  /** Aborting stops the build's browser at once (Ctrl-C in a preview). Default: none. */
  signal?: AbortSignal;
  /** The output's file writes and renames (tests simulate a full disk or a cross-device rename). Default: node:fs. */
  outputIo?: OutputIo;
  /** Milliseconds per stage, added up over the build's editions (the bench prints them). Default: not kept. */
  timings?: Record<string, number>;
  /**
   * Builds each site's search index (pipeline/site/search-index.ts). Default: one Pagefind service started
   * on first use and stopped at the end of the build. `false`: no search index (the search box says so).
   */
  search?: SearchIndexer | false;
  /**
   * Mark the site against an earlier version (docs/site.md): the manuscripts of a git ref, or a folder.
   * That version is built first (HTML only, into a temporary folder). Default: none, the normal build.
   */
  compare?: CompareWith;
  /** Set by buildAll when comparing: the earlier version's output folder and its name. */
  compared?: { out: string; label: string };
}

export interface EditionResult {
  book: string;
  edition: string;
  /** Output folder (absent for checks and failed builds). */
  outDir?: string;
  chapters: number;
  ok: boolean;
  /** Nothing the book depends on changed since its last build: nothing was rebuilt or written. */
  skipped?: boolean;
  /** Output files written or removed (relative to `outDir`); files whose bytes did not change are not. */
  changed?: string[];
  /** The PDF printed in this build: its pages, and how many Chromium prints it took (pdf/print-pdf.ts). */
  pdf?: Pick<PrintResult, 'pages' | 'prints' | 'lateWithFront' | 'reprints'>;
}

export interface BuildResult {
  editions: EditionResult[];
  diagnostics: Diagnostic[];
  ok: boolean;
  /** out/manifest.json, written by a successful release build. */
  manifest?: string;
}

/** Features that add directives. Order matters: a later feature may rely on an earlier one's output. */
function features(context: EditionContext, files: VFile[], store: IndicatorStore, memo: BuildMemo | undefined): DirectivePlugin[] {
  // Scholarly apparatus and yearbook structures (docs/directives.md). Index marks are numbered idx-1, idx-2 …
  // through the edition by one counter shared by :idx and the chronicle's `terms:`.
  const marks = createIndexMarkCounter(context.counters);
  const data = createDataFiles({ bookDir: context.book.dir, files });
  return [
    // Indicator tables, charts and values (docs/indicators.md): ::ranking-table and ::chart expand into
    // :::table / ::figure first, so they are numbered with the chapter's own tables and figures.
    indicatorFeature({ context, store, files, ...(memo ? { svgMemo: memo.charts } : {}) }),
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

export async function buildAll(options: BuildOptions): Promise<BuildResult> {
  // One print browser for the whole build: launched by the first PDF, shared by every edition, and
  // closed when the build ends, fails or is interrupted (pipeline/pdf/browser.ts).
  const own = options.browser ? undefined : createBrowserSession({ signal: options.signal });
  // Likewise one Pagefind service for every site of the build.
  const search = options.search === undefined ? createSearchIndexer() : undefined;
  try {
    let compared: BuildOptions['compared'];
    if (options.compare && !options.checkOnly) {
      const old = await buildComparedVersion(options, options.compare);
      if (!old.ok) return old.result;
      compared = old.compared;
    }
    return await buildBooks({ ...options, browser: options.browser ?? own, search: options.search ?? search, ...(compared ? { compared } : {}) });
  } finally {
    await own?.close();
    await search?.close();
  }
}

/** Builds the earlier version a `--compare` build is marked against (HTML only, no search, no cache). */
async function buildComparedVersion(options: BuildOptions, against: CompareWith): Promise<{ ok: true; compared: NonNullable<BuildOptions['compared']> } | { ok: false; result: BuildResult }> {
  const fail = (message: string): { ok: false; result: BuildResult } => {
    const cli = new VFile({ path: '<command line>' });
    report(cli, 'compare-failed', message);
    return { ok: false, result: { editions: [], diagnostics: collect([cli], options.project.root), ok: false } };
  };
  const source = compareSource(options.project, against);
  if (!source.ok) return fail(source.error);
  const { compare: _compare, cache: _cache, progress: _progress, onProgress: _onProgress, timings: _timings, ...rest } = options;
  const old = await buildBooks({ ...rest, project: source.project, format: 'html', search: false, release: false, checkIndicators: false });
  if (!old.ok) {
    const first = old.diagnostics.find((d) => d.severity === 'error');
    return fail(`the version ${source.label} to compare with does not build${first ? `: ${first.message}` : ''}`);
  }
  return { ok: true, compared: { out: source.project.out, label: source.label } };
}

async function buildBooks(options: BuildOptions): Promise<BuildResult> {
  const { project } = options;
  const files: VFile[] = [];
  const results: EditionResult[] = [];
  const all = listBooks(project);
  const { selected, unknown } = selectBooks(all, options.books ?? []);
  const cli = new VFile({ path: '<command line>' });
  files.push(cli);
  // One indicator store per build: every edition of every book shares one computation per framework.
  const store = createIndicatorStore(project.indicators, options.indicatorCache, options.memo?.frameworks);
  for (const name of unknown) {
    report(cli, 'book-not-found', `no book "${name}" under manuscripts/ (books: ${all.join(', ') || 'none'})`);
  }
  // A release has one time, SOURCE_DATE_EPOCH; set it for every stage (the PDF metadata reads it).
  if (options.release && !options.checkOnly) {
    const epoch = resolveSourceDateEpoch(project.root);
    if (!epoch) {
      report(cli, 'release-epoch', 'a release build needs SOURCE_DATE_EPOCH (not set, or not a number, and no git commit to take it from)');
      return { editions: [], diagnostics: collect(files, project.root), ok: false };
    }
    process.env.SOURCE_DATE_EPOCH = String(epoch.seconds);
  }
  // The output folder first: made level by level, checked to be a folder, and cleared of staging
  // folders left by builds that were killed (output-folder.ts). A problem here stops the build before
  // any work, with out/ as it was.
  if (!options.checkOnly && selected.length > 0) {
    try {
      await prepareOutputFolder(project.out);
    } catch (error) {
      if (!reportOutputError(cli, error)) throw error;
      return { editions: [], diagnostics: collect(files, project.root), ok: false };
    }
  }
  for (const [i, id] of selected.entries()) {
    options.progress?.({ kind: 'book', book: id, index: i + 1, total: selected.length });
    const book = loadBook(project, id);
    files.push(book.file);
    if (!book.config) continue;
    const editionIds = Object.keys(book.config.editions).filter((e) => !options.edition || e === options.edition);
    if (options.edition && editionIds.length === 0) {
      report(book.file, 'edition-not-found', `book "${id}" has no edition "${options.edition}" (editions: ${Object.keys(book.config.editions).join(', ')})`);
    }
    // A release refuses placeholder imprint data, sample text and missing imprint fields before building
    // anything (press/release-checks.ts): nothing of a refused book is written.
    if (options.release) {
      const before = countErrors(files);
      checkRelease(book, editionIds, files, { allowSample: options.allowSample ?? false });
      if (countErrors(files) > before) continue;
    }
    // With a cache, a book whose inputs all hash as at its last successful build is not rebuilt: its
    // results and diagnostics come from the cache (pipeline/cache/build-cache.ts).
    const check = stopwatch(options.timings);
    const cached = options.cache?.lookup(book, editionIds, options, files);
    check('cache check');
    if (cached) {
      results.push(...cached);
      continue;
    }
    const recording = options.cache?.begin(book, editionIds, options, files);
    check('cache check');
    const first = results.length;
    const processed: ProcessedEdition[] = [];
    for (const editionId of editionIds) {
      options.onProgress?.(`${id}/${editionId}`);
      options.progress?.({ kind: 'edition', book: id, edition: editionId });
      const result = await buildEdition(book, editionId, options, files, processed, store);
      results.push(result);
      options.progress?.({ kind: 'edition-done', book: id, edition: editionId, ok: result.ok, chapters: result.chapters });
    }
    // Editions of one book must match (chapters, labelled blocks, indicator references): needs all of them.
    check('editions');
    checkEditionConsistency(book, processed, { root: project.root });
    dropRepeatedMessages(processed); // zh-Hant reads zh's files: report their problems once
    try {
      await recording?.end(results.slice(first));
    } catch (error) {
      if (!reportOutputError(cli, error)) throw error;
    }
    check('consistency and cache record');
  }
  // `check` validates every framework and its data, also those no chapter uses yet.
  if (options.checkIndicators) {
    store.all();
    for (const file of store.files()) if (!files.includes(file)) files.push(file);
  }
  if (options.release) {
    for (const file of files) for (const m of file.messages) if (m.fatal === false) m.fatal = true; // warnings are errors
  }
  const diagnostics = collect(files, project.root);
  const ok = !hasErrors(diagnostics) && results.every((r) => r.ok);
  if (ok && options.release && !options.checkOnly) {
    const chromium = options.browser?.info()?.version; // set when this build printed a PDF
    return { editions: results, diagnostics, ok, manifest: await writeManifest(project.out, { sourceDateEpoch: Number(process.env.SOURCE_DATE_EPOCH), chromium }) };
  }
  return { editions: results, diagnostics, ok };
}

async function buildEdition(book: LoadedBook, editionId: string, options: BuildOptions, files: VFile[], processed: ProcessedEdition[], store: IndicatorStore): Promise<EditionResult> {
  const { project } = options;
  const config = book.config!;
  const errorsBefore = countErrors(files, options.release);
  const lap = stopwatch(options.timings);

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
  const created = createChapterProcessor(context, features(context, files, store, options.memo));
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
      const pdf = await printEditionPdf({ session: options.browser, context, dir: staging.dir, outDir, files, onPages });
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
        const { printPressFiles } = await import('./press/press-edition.ts');
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

/** Report a file-system failure of the output as `output-failed`; false for any other error. */
function reportOutputError(file: VFile, error: unknown): boolean {
  const failure = outputErrorOf(error);
  if (!failure) return false;
  report(file, 'output-failed', failure.message);
  return true;
}

/** A lap timer adding into `timings` (a no-op without it). */
function stopwatch(timings: Record<string, number> | undefined): (stage: string) => void {
  if (!timings) return () => {};
  let mark = performance.now();
  return (stage) => {
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - mark);
    mark = now;
  };
}

/** Errors so far; in a release, warnings count too (an edition with warnings is not written). */
function countErrors(files: readonly VFile[], release = false): number {
  return files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === true || (release && m.fatal === false)).length, 0);
}

/** An English edition's title, subtitle, byline, publisher and description with curly quotes (world's → world’s). */
function bookStringsQuoted<E extends { title: string; subtitle?: string | undefined; byline?: string | undefined; publisher?: string | undefined; description?: string | undefined }>(edition: E): E {
  const q = (s: string | undefined) => (s === undefined ? s : curlyQuotes(s));
  return { ...edition, title: curlyQuotes(edition.title), subtitle: q(edition.subtitle), byline: q(edition.byline), publisher: q(edition.publisher), description: q(edition.description) };
}

