/**
 * One edition of one book, stage by stage, in order (build.ts runs it for every edition a build needs).
 * Each step is a small module; this file only says what runs when, and why the order matters where it
 * does. It is loaded only when an edition is built: a build whose books are all unchanged (build-cache.ts)
 * never loads the Markdown, HTML, chart or font machinery.
 *
 *   book.yaml ─ load & validate ─┐
 *   NN-slug.md ─ front matter ───┼─ number chapters ─ per chapter: remark → rehype (processor.ts)
 *                                │    ─ book index (all ids and labels) ─ book-wide: links, refs …
 *                                └─ render site + print.html ─ fonts & assets ─ [PDF] ─ [EPUB] ─ rename into out/
 *
 * Each numbered stage below is one call; the stages live beside this file (edition-context.ts,
 * parse-chapters.ts, book-wide.ts, render-site.ts, write-edition.ts). Caching wraps them: the chapter
 * processor is wrapped once (`cachedProcessor`), a finished tree is named around its book-wide run
 * (finished-keys.ts), and the PDF stage asks the cache before printing (build-cache.ts `reusePdf`).
 */
import type { BuildSession } from '../base/build-session.ts';
import { type LoadedBook } from '../config/load-book.ts';
import { loadPeople } from '../locale/people.ts';
import { createChapterProcessor, type ChapterProcessor } from '../chapter/processor.ts';
import { editionFeatures } from '../features/index.ts';
import { buildBookIndex } from '../html/book-index.ts';
import { dropRepeatedMessages } from '../locale/derive-edition.ts';
import { checkEditionConsistency, type ProcessedEdition } from '../check/edition-consistency.ts';
import { reportTwoWayTerms } from '../check/hant-terms.ts';
import type { EditionContext } from '../context/types.ts';
import type { IndicatorStore } from '../indicators/store.ts';
import type { SearchIndexer } from '../site/search-index.ts';
import { withTreeMemo } from './parse-cache.ts';
import type { BuildOptions, EditionResult } from './build.ts';
import { countErrors, stopwatch, writesFormat } from './build-support.ts';
import { editionContext } from './edition-context.ts';
import { parseChapters } from './parse-chapters.ts';
import { finishMatter, resolveReferences, startBookWide } from './book-wide.ts';
import { finishedKeys } from './finished-keys.ts';
import { editionFonts, renderSite } from './render-site.ts';
import { markChanges } from './mark-changes.ts';
import { writeEdition } from './write-edition.ts';

/**
 * An edition built up to its output: `write` stages and commits it (stage 6–7), reporting onto `into` (the
 * build's session, or one of its own whose files join the build's later: build.ts runs an HTML-only write
 * while the next edition is built). An edition that stopped earlier (a check, errors) writes nothing.
 */
export interface BuiltEdition {
  write(into: BuildSession): Promise<EditionResult>;
}

export async function buildEdition(book: LoadedBook, editionId: string, options: BuildOptions, session: BuildSession, processed: ProcessedEdition[], store: IndicatorStore): Promise<BuiltEdition> {
  const errorsBefore = countErrors(session.files, options.release);
  const lap = stopwatch(options.timings);
  const result = (ok: boolean, chapters: number): BuiltEdition => ({ write: async () => ({ book: book.id, edition: editionId, chapters, ok }) });
  warmBrowser(options);

  // 1. The edition's context: locale, chapter list (missing and unlisted files are reported on book.yaml).
  //    A derived edition (zh-Hant from zh) brings its converter and converted book-level strings.
  const { context, convert, glossary } = editionContext({ project: options.project, book, editionId, session, memo: options.memo });

  // 2. Parse every chapter and read its front matter first: chapter numbers depend on which chapters are
  //    numbered, and every later stage needs its chapter's number. The book's people (people.yaml) give
  //    the bylines. (With a cache, a chapter whose text was parsed before is not parsed again.)
  const people = loadPeople(book.dir, session);
  //    The features (features/index.ts) add their directives; `annals check` draws no chart.
  const features = editionFeatures({ context, session, store, draw: !options.checkOnly, ...(options.memo ? { memo: options.memo } : {}) });
  const processor = cachedProcessor(context, createChapterProcessor(context, features), options, session);
  const parsed = parseChapters({ context, processor, people, session, parsed: options.memo?.parsed });
  const chapters = parsed.map((p) => p.file);
  lap('load and parse');

  // 3. Per-chapter stages (remark → rehype), in chapter order so book-wide counters stay in order.
  for (const [i, { file, tree }] of parsed.entries()) {
    options.progress?.({ kind: 'chapter', book: book.id, edition: editionId, index: i + 1, total: parsed.length, name: file.basename ?? '' });
    file.data.hast = await processor.run(tree, file);
  }
  processed.push({ id: editionId, edition: context.edition, chapters });
  lap('chapters');

  // 4. Book-wide stages need every chapter's ids and labels: build the index, then resolve links and run
  //    the features' passes (cross-references, then citations numbered in book order); with a run cache,
  //    each finished tree is named.
  const index = buildBookIndex(chapters);
  const passes = startBookWide(features, index);
  await resolveReferences({ chapters, index, passes, around: finishedKeys(processor, index, passes) });
  // A derived edition writes every word one way (pipeline/check/hant-terms.ts); the converter saw them all.
  const twoWayTerms = () => convert && reportTwoWayTerms({ book, editionId, convert, ...(glossary ? { glossary } : {}) });
  // A check stops here: what follows only shapes pages (lists, the list of references, the index page,
  // line typography) and reports nothing; it was a fifth of a check's time.
  if (options.checkOnly) {
    twoWayTerms();
    lap('book-wide');
    return result(countErrors(session.files, options.release) === errorsBefore, chapters.length);
  }
  const matter = finishMatter(context, chapters, features);
  // After the index page and the lists: their generated words went through the converter too.
  twoWayTerms();
  lap('book-wide');
  if (countErrors(session.files, options.release) > errorsBefore) return result(false, chapters.length);

  // 5. Render the site and print.html, then the fonts the rendered text needs, then write everything
  //    into a staging folder that replaces out/<book>/<edition>/ only when all of it succeeded.
  const site = await renderSite({ context, index, chapters, ...matter, session, articles: options.memo?.articles, pdfCopy: Boolean(options.browser) && writesFormat(options, 'pdf') });
  lap('render');
  // --compare: mark what changed since the earlier version, and add the summary page (pipeline/site/).
  if (options.compared && options.format !== 'pdf') {
    await markChanges({ context, templates: site.templates, pages: site.pages, chapters, compared: options.compared });
    lap('compare');
  }
  // Pagefind works in its own process: it indexes while fonts are chosen and files are staged.
  const search = startSearchIndex(site.pages, options);
  const fonts = await editionFonts(context, site, (options.press ?? options.release) === true);
  lap('fonts');
  // 6. PDF and 7. EPUB are staged with the site (write-edition.ts), before the rename.
  return { write: (into) => writeEdition({ context, options, session: into, index, chapters, ...matter, site, fonts, search, lap }) };
}

/**
 * The print browser starts now, while the HTML is built: the call spawns Chromium at once (puppeteer is
 * loaded and connected later, pdf/launch-chromium.ts), and its start, 0.6–1.2 s, runs in Chromium's own
 * processes on another core (the PDF stage awaits it; a failed launch is reported there).
 */
function warmBrowser(options: BuildOptions): void {
  if (options.browser && !options.checkOnly && writesFormat(options, 'pdf')) options.browser.page().catch(() => undefined);
}

/**
 * The chapter processor wrapped in the build's caches: with the on-disk cache, parsed trees and whole
 * chapter runs are reused (build-cache.ts); without it, the editions of the run that read the same
 * chapter files (a derived edition reads its source's) parse each file once (parse-cache.ts `withTreeMemo`).
 */
function cachedProcessor(context: EditionContext, created: ChapterProcessor, options: BuildOptions, session: BuildSession): ChapterProcessor {
  if (options.cache) return options.cache.processor(context, created, session);
  if (!options.memo) return created;
  const { config, editionId } = context;
  const folderOf = (id: string) => config.editions[id]?.derive?.from ?? id;
  const shared = !options.edition && Object.keys(config.editions).some((id) => id !== editionId && folderOf(id) === folderOf(editionId));
  return withTreeMemo(created, options.memo.trees, shared);
}

/** The site's search index, from the pages as they will be written (pipeline/site/search-index.ts). */
function startSearchIndex(pages: ReadonlyMap<string, string>, options: BuildOptions): ReturnType<SearchIndexer['index']> | undefined {
  if (!options.search || options.format === 'pdf') return undefined;
  const sitePages = new Map([...pages].filter(([path]) => path.startsWith('site/')).map(([path, html]) => [path.slice('site/'.length), html]));
  const job = options.search.index(sitePages);
  job.catch(() => {}); // awaited when the site is staged; a failure must not go unhandled while other work runs
  return job;
}

/**
 * After all of a book's editions: editions of one book must match (chapters, labelled blocks, indicator
 * references), which needs all of them; then zh-Hant's reports of files it read from zh are dropped.
 */
export function finishBook(book: LoadedBook, processed: ProcessedEdition[], root: string): void {
  checkEditionConsistency(book, processed, { root });
  dropRepeatedMessages(processed); // zh-Hant reads zh's files: report their problems once
}
