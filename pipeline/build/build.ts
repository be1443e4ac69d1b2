/**
 * The whole pipeline, in order: every selected book, each either replayed from the build cache (nothing
 * it depends on changed) or built edition by edition (build-edition.ts, which lists the stages of one
 * edition in order and is loaded only when an edition is built), then the checks across a book's
 * editions and, for a release, the manifest.
 */
import { createBuildSession, type BuildSession } from '../base/build-session.ts';
import { listBooks, loadBook, selectBooks, type LoadedBook, type Project } from '../config/load-book.ts';
import type { VFile } from 'vfile';
import type { OutputIo } from '../html/write-output.ts';
import { prepareOutputFolder } from '../html/output-folder.ts';
import type { ProcessedEdition } from '../check/edition-consistency.ts';
import { environmentEpoch, resolveSourceDateEpoch } from '../release/source-date-epoch.ts';
import { writeManifest } from '../release/manifest.ts';
import { checkRelease } from '../press/release-checks.ts';
import { collect, hasErrors, report, type Diagnostic } from '../report/diagnostics.ts';
import type { BuildCache } from './build-cache.ts';
import { countErrors, reportOutputError, stopwatch, writesFormat } from './build-support.ts';
import type { BuildMemo } from '../base/memo.ts';
import type { IndicatorStore, ResultsCache } from '../indicators/store.ts';
import type { ProgressSink } from '../report/progress.ts';
import { createBrowserSession, type BrowserSession } from '../pdf/browser.ts';
import type { PrintResult } from '../pdf/print-options.ts';
import type { PrintSwitches } from '../pdf/print-switches.ts';
import { createSearchIndexer, type SearchIndexer } from '../site/search-index.ts';
import { compareSource, type CompareWith } from '../site/compare-source.ts';
import type { BookOutcome, BuildHere } from './book-threads.ts';

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
  /** Books, editions, chapters and PDF pages as they go (pipeline/report/progress.ts). Default: nothing. */
  progress?: ProgressSink;
  /** Skip work whose inputs did not change (pipeline/build/build-cache.ts). Default: none, everything is built. */
  cache?: BuildCache;
  /** Also validate every indicator framework and its data, used by a chapter or not (`annals check`). */
  checkIndicators?: boolean;
  /** Indicator results kept between builds (the preview keeps one). Default: a fresh cache per build. */
  indicatorCache?: ResultsCache;
  /**
   * Chart SVGs, loaded indicator frameworks and CSL engines kept between builds by content hash of their
   * inputs (pipeline/base/memo.ts; the preview keeps one). Same output as without. Default: none.
   */
  memo?: BuildMemo;
  /**
   * Threads that build books side by side, the main thread included (book-threads.ts): with more than one,
   * books are built in worker threads too, when no browser, comparison, injected I/O or in-memory cache is
   * involved (an HTML, EPUB or check run of the command line). Same output and report. Default: 1.
   */
  threads?: number;
  /** The browser that prints PDFs (tests, bench). Default: one launched on first use and closed at the end. */
  browser?: BrowserSession;
  /**
   * The PDF stage's switches for measuring and comparing (pdf/print-switches.ts; the command line reads
   * them from ANNALS_PRINT_TABS, ANNALS_MAKE_UP, ANNALS_MAKE_UP_TAIL, ANNALS_SPAN_KEEPS). Default: none
   * set, the normal print.
   */
  print?: PrintSwitches;
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
  /**
   * The build's one time in seconds since 1970 (build-session.ts): the date of the PDF, EPUB and press
   * files, and of a release's manifest. Default: SOURCE_DATE_EPOCH from the environment, read once by
   * buildAll; a release without it takes the last commit's time (release/source-date-epoch.ts); none:
   * each book's year.
   */
  sourceDateEpoch?: number;
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

/**
 * The books of a worker thread (book-threads.ts, book-worker.ts): each its own outcome, all of them
 * sharing one indicator store; `timings`, when given, collects the book's stage timings.
 */
export function bookRunner(options: BuildOptions): (id: string, timings?: Record<string, number>) => Promise<BookOutcome> {
  let store: IndicatorStore | undefined;
  const indicators = async () => (store ??= (await import('../indicators/store.ts')).createIndicatorStore(options.project.indicators, options.indicatorCache, options.memo?.frameworks, { draws: !options.checkOnly }));
  return async (id, timings) => {
    const session = createBuildSession({ sourceDateEpoch: options.sourceDateEpoch });
    const results = await buildBook(id, timings ? { ...options, timings } : options, session, indicators);
    return { files: [...session.files], results };
  };
}

/**
 * Whether the books of this build may be built in worker threads: not with a browser (a PDF), a comparison,
 * injected file I/O, a kept indicator cache or an in-memory build cache (a preview), which one thread owns.
 */
function threadable(options: BuildOptions): boolean {
  const format = options.format ?? 'all';
  const noBrowser = options.checkOnly === true || format === 'html' || format === 'epub';
  return noBrowser && !options.compared && !options.outputIo && !options.indicatorCache && options.cache?.options.memory !== true;
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
    // The environment is read here, once; every stage gets the time from the build's session.
    const sourceDateEpoch = options.sourceDateEpoch ?? environmentEpoch();
    return await buildBooks({ ...options, sourceDateEpoch, browser: options.browser ?? own, search: options.search ?? search, ...(compared ? { compared } : {}) });
  } finally {
    await own?.close();
    await search?.close();
  }
}

/** Builds the earlier version a `--compare` build is marked against (HTML only, no search, no cache). */
async function buildComparedVersion(options: BuildOptions, against: CompareWith): Promise<{ ok: true; compared: NonNullable<BuildOptions['compared']> } | { ok: false; result: BuildResult }> {
  const fail = (message: string): { ok: false; result: BuildResult } => {
    const session = createBuildSession();
    report(session.cli, 'compare-failed', message);
    return { ok: false, result: { editions: [], diagnostics: collect(session.files, options.project.root), ok: false } };
  };
  const source = compareSource(options.project, against);
  if (!source.ok) return fail(source.error);
  const { compare: _compare, cache: _cache, progress: _progress, timings: _timings, ...rest } = options;
  const old = await buildBooks({ ...rest, project: source.project, format: 'html', search: false, release: false, checkIndicators: false });
  if (!old.ok) {
    const first = old.diagnostics.find((d) => d.severity === 'error');
    return fail(`the version ${source.label} to compare with does not build${first ? `: ${first.message}` : ''}`);
  }
  return { ok: true, compared: { out: source.project.out, label: source.label } };
}

async function buildBooks(options: BuildOptions): Promise<BuildResult> {
  const { project } = options;
  // A release takes its one time from the environment, else from the last commit (prepareBuild reports
  // when neither gives one).
  const releasing = options.release === true && options.checkOnly !== true;
  const session = createBuildSession({ sourceDateEpoch: releasing ? (options.sourceDateEpoch ?? resolveSourceDateEpoch(project.root)?.seconds) : options.sourceDateEpoch });
  const { cli, files } = session;
  const results: EditionResult[] = [];
  const all = listBooks(project);
  const { selected, unknown } = selectBooks(all, options.books ?? []);
  // One indicator store per build: every edition of every book shares one computation per framework.
  // Made (and its modules loaded) when the first edition is built or every framework is checked.
  let store: IndicatorStore | undefined;
  const indicators = async () => (store ??= (await import('../indicators/store.ts')).createIndicatorStore(project.indicators, options.indicatorCache, options.memo?.frameworks, { draws: !options.checkOnly }));
  for (const name of unknown) {
    report(cli, 'book-not-found', `no book "${name}" under manuscripts/ (books: ${all.join(', ') || 'none'})`);
  }
  if (!(await prepareBuild(options, session, selected.length > 0))) return { editions: [], diagnostics: collect(files, project.root), ok: false };
  const threads = Math.min(options.threads ?? 1, selected.length);
  if (threads > 1 && threadable(options)) {
    // Each book's files apart, joined in book order: the report of one book after another (book-threads.ts).
    const { buildBooksInThreads } = await import('./book-threads.ts');
    const buildHere: BuildHere = async (id, building) => {
      const book = createBuildSession({ sourceDateEpoch: session.sourceDateEpoch, cli });
      const results = await buildBook(id, options, book, indicators, building);
      return { files: [...book.files], results };
    };
    const outcomes = await buildBooksInThreads({ ids: selected, threads, options: { ...options, sourceDateEpoch: session.sourceDateEpoch }, ...(options.cache ? { cache: options.cache.options } : {}), buildHere });
    for (const outcome of outcomes) {
      session.add(...outcome.files);
      results.push(...outcome.results);
    }
  } else {
    for (const outcome of await buildBooksInTurn(selected, options, session, indicators)) {
      session.add(...outcome.files);
      results.push(...outcome.results);
    }
  }
  // `check` validates every framework and its data, also those no chapter uses yet; with a cache, the last
  // such check is replayed when indicators/ and the pipeline did not change (check-cache.ts).
  if (options.checkIndicators && !options.cache?.replayIndicatorCheck(session)) {
    const all = await indicators();
    all.all();
    session.add(...all.files());
    options.cache?.recordIndicatorCheck(all.files());
  }
  if (options.release) {
    for (const file of files) for (const m of file.messages) if (m.fatal === false) m.fatal = true; // warnings are errors
  }
  const diagnostics = collect(files, project.root);
  const ok = !hasErrors(diagnostics) && results.every((r) => r.ok);
  if (ok && options.release && !options.checkOnly) {
    const chromium = options.browser?.info()?.version; // set when this build printed a PDF
    return { editions: results, diagnostics, ok, manifest: await writeManifest(project.out, { sourceDateEpoch: session.sourceDateEpoch!, chromium }) };
  }
  return { editions: results, diagnostics, ok };
}

/**
 * What a build that writes needs before any book: a release's one time (the session's, which every stage
 * that writes a date reads), then the output folder — made level by level, checked to be a folder, and
 * cleared of staging folders left by builds that were killed (output-folder.ts). False, with the problem
 * reported on the command line's file, when the build cannot start; out/ is then as it was.
 */
async function prepareBuild(options: BuildOptions, session: BuildSession, anyBook: boolean): Promise<boolean> {
  if (options.checkOnly) return true;
  if (options.release && session.sourceDateEpoch === undefined) {
    report(session.cli, 'release-epoch', 'a release build needs SOURCE_DATE_EPOCH (not set, or not a number, and no git commit to take it from)');
    return false;
  }
  if (!anyBook) return true;
  try {
    await prepareOutputFolder(options.project.out);
    return true;
  } catch (error) {
    if (!reportOutputError(session.cli, error)) throw error;
    return false;
  }
}

/**
 * A book's editions, one after another. With neither a PDF nor an EPUB to make, an edition's output is
 * written while the next edition (or the next book) is built: most of that write is waiting for its search
 * index, which Pagefind makes in its own process. The writes still run one at a time, in edition order,
 * after `after` (the writes of the book before); `written` settles when they are done. Each reports
 * onto a session of its own, joined to the build's once all editions are built, so that an edition's
 * error count (build-edition.ts) never sees another's messages.
 */
async function buildEditions(book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession, processed: ProcessedEdition[], indicators: () => Promise<IndicatorStore>, after: Promise<unknown>): Promise<{ written: Promise<EditionResult[]> }> {
  const { buildEdition } = await import('./build-edition.ts');
  const overlap = !writesFormat(options, 'pdf') && !writesFormat(options, 'epub');
  const done = (result: EditionResult) => {
    options.progress?.({ kind: 'edition-done', book: book.id, edition: result.edition, ok: result.ok, chapters: result.chapters });
    return result;
  };
  const writes: Array<Promise<{ result: EditionResult; files: readonly VFile[] }>> = [];
  let previous: Promise<unknown> = after;
  for (const editionId of editionIds) {
    options.progress?.({ kind: 'edition', book: book.id, edition: editionId });
    const built = await buildEdition(book, editionId, options, session, processed, await indicators());
    const into = overlap ? createBuildSession({ sourceDateEpoch: session.sourceDateEpoch, cli: session.cli }) : session;
    const write = previous.then(() => built.write(into)).then((result) => ({ result: done(result), files: into === session ? [] : into.files }));
    previous = write.catch(() => undefined); // a failed write is thrown below, after the others
    writes.push(write);
    if (!overlap) await write;
  }
  const joined = async () => {
    const settled = await Promise.allSettled(writes);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const written = settled.map((s) => (s as PromiseFulfilledResult<{ result: EditionResult; files: readonly VFile[] }>).value);
    for (const { files } of written) session.add(...files);
    return written.map((w) => w.result);
  };
  const written = joined();
  written.catch(() => undefined); // awaited by the book's end (startBook)
  return { written };
}

/**
 * The books of a one-thread build, one after another. A book whose last editions are still being written
 * (an HTML-only build: the write waits for the search index, which Pagefind makes in its own process) does
 * not hold up the next book: that book is built meanwhile, and its writes follow the earlier book's. Each
 * book reports onto a session of its own, joined in book order: the report is that of one book after another.
 */
async function buildBooksInTurn(ids: readonly string[], options: BuildOptions, session: BuildSession, indicators: () => Promise<IndicatorStore>): Promise<BookOutcome[]> {
  const outcomes: Array<Promise<BookOutcome>> = [];
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for (const [i, id] of ids.entries()) {
      options.progress?.({ kind: 'book', book: id, index: i + 1, total: ids.length });
      const book = createBuildSession({ sourceDateEpoch: session.sourceDateEpoch, cli: session.cli });
      const { written } = await startBook(id, options, book, indicators, writing);
      const outcome = written.then((results) => ({ files: [...book.files], results }));
      outcome.catch(() => undefined); // awaited below, after the books that follow are built
      writing = outcome.catch(() => undefined);
      outcomes.push(outcome);
    }
  } catch (error) {
    await Promise.allSettled(outcomes);
    throw error;
  }
  return Promise.all(outcomes);
}

/** One book, to its end (its writes, the checks across its editions and the cache's record). */
async function buildBook(id: string, options: BuildOptions, session: BuildSession, indicators: () => Promise<IndicatorStore>, building?: () => void): Promise<EditionResult[]> {
  return (await startBook(id, options, session, indicators, Promise.resolve(), building)).written;
}

/**
 * One book, built up to its writes: its editions replayed from the cache when nothing it depends on
 * changed, else built one by one; `written` settles when they are written (after `after`, the writes of
 * the book before it), the checks across its editions are made and the cache's record. Diagnostics go onto
 * the session; `building`, when given, is called just before the book is built rather than replayed
 * (book-threads.ts). The wrapper object keeps the promise from being awaited here.
 */
async function startBook(id: string, options: BuildOptions, session: BuildSession, indicators: () => Promise<IndicatorStore>, after: Promise<unknown>, building?: () => void): Promise<{ written: Promise<EditionResult[]> }> {
  const book = loadBook(options.project, id);
  session.add(book.file);
  if (!book.config) return { written: Promise.resolve([]) };
  const editionIds = Object.keys(book.config.editions).filter((e) => !options.edition || e === options.edition);
  if (options.edition && editionIds.length === 0) {
    report(book.file, 'edition-not-found', `book "${id}" has no edition "${options.edition}" (editions: ${Object.keys(book.config.editions).join(', ')})`);
  }
  // A release refuses placeholder imprint data, sample text and missing imprint fields before building
  // anything (press/release-checks.ts): nothing of a refused book is written.
  if (options.release) {
    const before = countErrors(session.files);
    checkRelease(book, editionIds, session, { allowSample: options.allowSample ?? false });
    if (countErrors(session.files) > before) return { written: Promise.resolve([]) };
  }
  // With a cache, a book whose inputs all hash as at its last successful build (or, for a check, its last
  // check) is not rebuilt: its results and diagnostics come from the cache (pipeline/build/build-cache.ts).
  const check = stopwatch(options.timings);
  const cached = options.cache?.lookup(book, editionIds, options, session);
  check('cache check');
  if (cached) return { written: Promise.resolve(cached) };
  building?.();
  const recording = options.cache?.begin(book, editionIds, options, session);
  check('cache check');
  const processed: ProcessedEdition[] = [];
  // The edition stages are loaded here, for the first book that needs building.
  const { finishBook } = await import('./build-edition.ts');
  const { written } = await buildEditions(book, editionIds, options, session, processed, indicators, after);
  check('editions');
  // The parsed chapters the book's editions shared (parse-cache.ts `withTreeMemo`): no other book reads
  // those files, so they are dropped (25–40 KB a chapter, serialised).
  options.memo?.trees.sweep(0);
  const finished = async () => {
    const results = await written;
    // Editions of one book must match (chapters, labelled blocks, indicator references): needs all of them.
    finishBook(book, processed, options.project.root);
    try {
      await recording?.end(results);
    } catch (error) {
      if (!reportOutputError(session.cli, error)) throw error;
    }
    check('consistency and cache record');
    return results;
  };
  const promise = finished();
  promise.catch(() => undefined); // the caller awaits it, maybe after building the next book
  return { written: promise };
}
