/**
 * The build cache (out/.cache/): what lets a repeated `annals build`, and every rebuild of a preview, skip
 * work whose inputs did not change. Three levels, from coarse to fine:
 *
 * 1. **Book.** The hash of everything a book's editions depend on — the pipeline's code and lockfile, the
 *    whole book folder (book.yaml, every edition's chapters: a derived edition reads its source's; images,
 *    data, references), templates/ (locales included), SOURCE_DATE_EPOCH — with the selected editions and
 *    the format, and what its chapters read of indicators/ (the reads of its chapter runs, run-cache.ts:
 *    the frameworks they resolved and used, the map geometries they drew; nothing else in a book reads
 *    indicators/). When the hash equals the one recorded at the book's last successful build, every read
 *    recorded then gets the same answer now and every output is still there, nothing of the book is
 *    rebuilt; the results and the warnings (the editions' own and the cross-edition consistency check's)
 *    are replayed from the record. The unit is the book, not the edition, because the consistency check
 *    compares all of a book's editions. An edit of a framework no chapter of the book uses leaves it
 *    replayed.
 * 2. **PDF.** When an edition is rebuilt but print.html and everything under site/ except the site's pages
 *    (styles, fonts, images) are byte-identical to what its last PDF was printed from, and book.yaml is too,
 *    the previous PDF is carried over instead of printed again (`reusePdf`, called by the PDF stage).
 * 3. **Chapter.** Parsed Markdown trees are kept per chapter text (parse-cache.ts), and whole chapter
 *    runs (the per-chapter stages' output) by text, place, shared inputs (not indicators/) and the state
 *    the chapters before leave, with the reads of indicators/ each run took, checked when it is reused
 *    (run-cache.ts): a rebuilt book reruns only the chapters that used what changed.
 * 4. **Check.** `annals check` keeps a record of its own per book (under the same book key and reads) and
 *    one for the indicator frameworks (check-cache.ts: on all of indicators/, which it all reads), and its
 *    chapter runs apart from a build's (it draws no chart). A cache write the file system refuses fails a
 *    build but not a check (`writeFailures`).
 *
 * Output files are written only when their bytes change (write-output.ts).
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { BuildOptions, EditionResult, Format } from './build.ts';
import type { LoadedBook, Project } from '../config/load-book.ts';
import type { ChapterProcessor } from '../chapter/processor.ts';
import type { OutputRecord, Staging } from '../html/write-output.ts';
import type { EditionContext } from '../context/types.ts';
import { createTreeHasher, digest, hashFile, hashTree, listTree, pipelineVersion, type TreeOptions } from '../base/hash.ts';
import { markMessages, messagesSince, replayMessages, type LoggedFile, type MessageMark } from '../base/message-log.ts';
import { withParseCache, type ParseCachingProcessor } from './parse-cache.ts';
import { withRunCache, type RunCachingProcessor } from './run-cache.ts';
import { absolutePaths, CHECK_RECORD_VERSION, checkRecordOf, relativePaths, replayCheck, type CheckRecord } from './check-cache.ts';
import { createStore, type CacheStore } from '../base/store.ts';
import type { Read } from '../base/read-log.ts';
import { indicatorReads, type IndicatorReads } from '../indicators/indicator-reads.ts';
import { writeFileAtomicSync } from '../base/write-atomic.ts';

export interface BuildCacheOptions {
  /** Keep parsed chapters in memory between builds as well as on disk (a preview). Default: false. */
  memory?: boolean;
  /**
   * What a write of the cache that the file system refuses does: `throw` (a build reports it as
   * `output-failed`), or `ignore`: the entry is not kept and the next run does the work again (`annals
   * check`, which writes no output and must not fail because of out/). Default: throw.
   */
  writeFailures?: 'throw' | 'ignore';
}

/** What the cache did for one book in the last build. */
export interface BookCacheStats {
  /** Nothing the book depends on changed: nothing was rebuilt. */
  skipped: boolean;
  /** Milliseconds spent hashing the inputs and checking the outputs. */
  checkMs: number;
  /** Chapters parsed, and chapters whose parsed tree came from the cache. */
  parsed: number;
  reused: number;
  /** Chapters whose per-chapter stages ran, and chapters whose run was reused. */
  ran?: number;
  runsReused?: number;
}

/** Started before a book's editions are built; `end` records them when all of them succeeded. */
export interface BookRecording {
  end(results: readonly EditionResult[]): Promise<void>;
}

export interface BuildCache {
  /** out/.cache */
  dir: string;
  /** The options it was made with (a worker thread makes a cache of its own with them: book-threads.ts). */
  readonly options: BuildCacheOptions;
  /**
   * The results of the book's last build (or, for `checkOnly`, its last check: check-cache.ts) when nothing
   * it depends on changed (its diagnostics are added back onto the session), or undefined: build it, between
   * `begin` and `end`.
   */
  lookup(book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession): EditionResult[] | undefined;
  begin(book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession): BookRecording;
  /**
   * `annals check` of every indicator framework: when indicators/ and the pipeline are as at the last such
   * check, its diagnostics are added back onto the session and true is returned; otherwise false, and the
   * caller checks them and hands the checked files to `recordIndicatorCheck`.
   */
  replayIndicatorCheck(session: BuildSession): boolean;
  recordIndicatorCheck(checked: readonly VFile[]): void;
  /**
   * The edition's chapter processor, with parsed trees and whole chapter runs reused (parse-cache.ts,
   * run-cache.ts). A reused run adds its data files' messages to the build's session.
   */
  processor(context: EditionContext, processor: ChapterProcessor, session: BuildSession): ChapterProcessor;
  /**
   * For the PDF stage, before printing `stagingDir/print.html`: when nothing the PDF depends on changed
   * since the PDF in `outDir` was printed, copy it (and the other PDF files printed with it) into the
   * staging folder and return true; the stage then skips printing.
   */
  reusePdf(book: LoadedBook, editionId: string, staging: Staging, outDir: string): Promise<boolean>;
  /**
   * What this process last committed into `outDir` (write-output.ts), so an unchanged output costs a
   * `stat`: kept with `memory` (a preview), undefined otherwise (files are compared by reading them).
   */
  outputRecord(outDir: string): OutputRecord | undefined;
  /** Per book id: what the cache did in the last build. */
  readonly stats: ReadonlyMap<string, BookCacheStats>;
}

interface EditionRecord {
  chapters: number;
  /** Output files (relative to the edition folder) and their sizes, to notice a damaged output. */
  outputs: Record<string, number>;
  /** The PDF files of the edition and the hash of what they were printed from. */
  pdf?: { key: string; files: string[] };
}

interface BookManifest {
  version: typeof MANIFEST_VERSION;
  /** Hash of the inputs and the selected editions of the last successful build. */
  key: string;
  /** What that build wrote. */
  format: Format;
  editions: Record<string, EditionRecord>;
  /** The diagnostics of that build. */
  messages: LoggedFile[];
  /** What its chapters read of indicators/ (run-cache.ts), each with the answer it got. */
  reads: Read[];
}

const MANIFEST_VERSION = 2;
const MANIFEST = 'manifest.json';
const CHECK = 'check.json';
const INDICATORS_CHECK = 'indicators-check.json';

/** JSON records under the cache folder, each written whole and renamed into place. */
interface RecordFiles {
  read<T extends { version: number }>(name: string, version: number): T | undefined;
  write(name: string, value: unknown): void;
}

function recordFiles(dir: string, ignoreWriteFailures: boolean): RecordFiles {
  return {
    read<T extends { version: number }>(name: string, version: number) {
      try {
        const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
        return value.version === version ? value : undefined;
      } catch {
        return undefined;
      }
    },
    write(name, value) {
      const path = join(dir, name);
      try {
        writeFileAtomicSync(path, JSON.stringify(value));
      } catch (error) {
        if (!ignoreWriteFailures) throw error;
      }
    },
  };
}

/** What the pieces of the cache share: the project, its records and stores, and the state of the build under way. */
interface CacheParts {
  project: Project;
  dir: string;
  records: RecordFiles;
  /** The store in this folder under the cache (one object per folder and process). */
  storeAt(...parts: string[]): CacheStore;
  /** The key of a book with these editions, for a build or a check. */
  /** `epoch`: the build's one time (it dates the PDF and EPUB). */
  keyOf(book: LoadedBook, editionIds: readonly string[], check: boolean, epoch: number | undefined): string;
  /** A hasher of folder trees that reads a file again only when it changed. */
  tree: (dir: string, options?: TreeOptions) => string;
  /** The reads of the project's indicators/, answered from the disk (indicator-reads.ts). */
  reads: IndicatorReads;
  processors: Map<string, ParseCachingProcessor>;
  runners: Map<string, RunCachingProcessor>;
  /** Print keys computed by `reusePdf` during the current build, per `book/edition`. */
  printKeys: Map<string, string>;
  /** The format of the build under way, per book; a check's books are in `checking`. */
  formats: Map<string, Format>;
  checking: Set<string>;
}

export function createBuildCache(project: Project, options: BuildCacheOptions = {}): BuildCache {
  const dir = join(project.out, '.cache');
  const ignoreWriteFailures = options.writeFailures === 'ignore';
  const stores = new Map<string, CacheStore>();
  const tree = createTreeHasher();
  const parts: CacheParts = {
    project,
    dir,
    records: recordFiles(dir, ignoreWriteFailures),
    storeAt: (...path) => held(stores, join(dir, ...path), (at) => createStore({ dir: at, memory: options.memory, ignoreWriteFailures })),
    // A file is read and hashed once per process unless it changed (templates/ and indicators/ are shared
    // by every book; a preview rehashes only the files that changed).
    keyOf: (book, editionIds, check, epoch) => digest(bookKey(project, book, epoch, tree), [...editionIds].sort().join(','), ...(check ? ['check'] : [])),
    tree,
    reads: indicatorReads(project.indicators),
    processors: new Map(),
    runners: new Map(),
    printKeys: new Map(),
    formats: new Map(),
    checking: new Set(),
  };
  const stats = new Map<string, BookCacheStats>();
  /** Output records per edition folder (memory only). */
  const outputs = new Map<string, OutputRecord>();
  const indicatorsKey = () => digest('check-indicators', pipelineVersion(), tree(project.indicators));
  return {
    dir,
    options,
    stats,
    lookup(book, editionIds, buildOptions, session) {
      const started = performance.now();
      const results = buildOptions.checkOnly ? lookupCheck(parts, book, editionIds, buildOptions, session) : lookupBuild(parts, book, editionIds, buildOptions, session);
      stats.set(book.id, { skipped: results !== undefined, checkMs: performance.now() - started, parsed: 0, reused: 0 });
      return results;
    },
    begin: (book, editionIds, buildOptions, session) => beginBook(parts, stats, book, editionIds, buildOptions, session),
    replayIndicatorCheck(session) {
      const record = parts.records.read<CheckRecord>(INDICATORS_CHECK, CHECK_RECORD_VERSION);
      if (record?.key !== indicatorsKey()) return false;
      replayMessages(session, absolutePaths(record.messages, project.root));
      return true;
    },
    recordIndicatorCheck(checked) {
      const messages = relativePaths(messagesSince(checked, markMessages([])), project.root);
      parts.records.write(INDICATORS_CHECK, { version: CHECK_RECORD_VERSION, key: indicatorsKey(), editions: {}, messages } satisfies CheckRecord);
    },
    processor: (context, processor, session) => chapterProcessor(parts, context, processor, session),
    outputRecord(outDir) {
      return options.memory ? held(outputs, outDir, () => new Map()) : undefined;
    },
    async reusePdf(book, editionId, staging, outDir) {
      const record = manifestOf(parts, book.id)?.editions[editionId]?.pdf;
      const usable = record !== undefined && record.files.every((f) => existsSync(join(outDir, f)));
      // The key is taken before printing, and recorded with the PDF that gets printed: the next build
      // compares its own staging folder before printing with it.
      if (!usable && parts.formats.get(book.id) === 'html') return false;
      const key = await printKey(staging.paths(), staging.locate, book);
      parts.printKeys.set(`${book.id}/${editionId}`, key);
      if (!usable || key !== record!.key) return false;
      for (const f of record!.files) staging.keep(f);
      return true;
    },
  };
}

/** The value of `map` at `key`, made (from the key) and kept on first use. */
function held<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make(key)));
  return value;
}

/** The book's manifest (`<book>/manifest.json`); a missing, damaged or older one reads as none. */
function manifestOf(parts: CacheParts, bookId: string): BookManifest | undefined {
  return parts.records.read<BookManifest>(join(bookId, MANIFEST), MANIFEST_VERSION);
}

/** A build's lookup: the last build's results when the key matches, it wrote what this one writes, and its outputs are all there. */
function lookupBuild(parts: CacheParts, book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession): EditionResult[] | undefined {
  const format = options.format ?? 'all';
  const manifest = manifestOf(parts, book.id);
  const outDirOf = (e: string) => join(parts.project.out, book.id, e);
  const hit =
    manifest !== undefined &&
    manifest.key === parts.keyOf(book, editionIds, false, session.sourceDateEpoch) &&
    readsHold(parts, manifest.reads) &&
    covers(manifest.format, format) &&
    editionIds.every((e) => manifest.editions[e] && outputsIntact(outDirOf(e), manifest.editions[e]!.outputs));
  if (!hit) return undefined;
  replayMessages(session, absolutePaths(manifest.messages, parts.project.root));
  return editionIds.map((e) => {
    const result: EditionResult = { book: book.id, edition: e, outDir: outDirOf(e), chapters: manifest.editions[e]!.chapters, ok: true, skipped: true, changed: [] };
    options.progress?.({ kind: 'edition-done', book: book.id, edition: e, ok: true, chapters: result.chapters, skipped: true });
    return result;
  });
}

/** Every read of indicators/ a book's last build (or check) took gets the answer it got then. */
function readsHold(parts: CacheParts, reads: readonly Read[]): boolean {
  const answers = new Map<string, string>();
  return reads.every((read) => held(answers, read.question, parts.reads.answer) === read.answer);
}

/** A check's lookup: the last check's results when its key matches (check-cache.ts). */
function lookupCheck(parts: CacheParts, book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession): EditionResult[] | undefined {
  const record = parts.records.read<CheckRecord>(join(book.id, CHECK), CHECK_RECORD_VERSION);
  if (record?.key !== parts.keyOf(book, editionIds, true, session.sourceDateEpoch) || !readsHold(parts, record.reads ?? [])) return undefined;
  return replayCheck(record, book.id, editionIds, session, parts.project.root, options.progress);
}

function beginBook(parts: CacheParts, stats: Map<string, BookCacheStats>, book: LoadedBook, editionIds: readonly string[], options: BuildOptions, session: BuildSession): BookRecording {
  const format = options.format ?? 'all';
  const check = options.checkOnly === true;
  // The key is taken before the build: a file saved while the build runs makes the next build run too.
  const key = parts.keyOf(book, editionIds, check, session.sourceDateEpoch);
  const mark: MessageMark = markMessages(session.files);
  // What the book's chapter runs read of indicators/, those reused included (run-cache.ts notes theirs).
  const readMark = session.reads.mark();
  parts.formats.set(book.id, format);
  if (check) parts.checking.add(book.id);
  else parts.checking.delete(book.id);
  for (const e of editionIds) {
    parts.processors.delete(`${book.id}/${e}`);
    parts.runners.delete(`${book.id}/${e}`);
    parts.printKeys.delete(`${book.id}/${e}`);
  }
  return {
    async end(results) {
      const own = editionIds.map((e) => parts.processors.get(`${book.id}/${e}`));
      const runs = editionIds.map((e) => parts.runners.get(`${book.id}/${e}`));
      stats.set(book.id, bookStats(stats.get(book.id), own, runs));
      const messages = relativePaths(messagesSince(session.files, mark), parts.project.root);
      const reads = session.reads.since(readMark).map(({ question, answer }) => ({ question, answer }));
      if (check) {
        const record = checkRecordOf(key, editionIds, results, messages, reads);
        if (record) parts.records.write(join(book.id, CHECK), record);
      } else {
        const failed = messages.some((f) => f.messages.some((m) => m.fatal === true));
        if (failed || results.length !== editionIds.length || !results.every((r) => r.ok && r.outDir)) return;
        const editions = await editionRecords(book, results, manifestOf(parts, book.id)?.editions, parts.printKeys);
        parts.records.write(join(book.id, MANIFEST), { version: MANIFEST_VERSION, key, format, editions, messages, reads } satisfies BookManifest);
      }
      for (const [i, e] of editionIds.entries()) {
        const processor = own[i];
        if (processor) parts.storeAt(book.id, e, 'parse').prune(processor.used);
        runs[i]?.prune();
      }
    },
  };
}

/** What the parse and run caches of a built book's editions did. */
function bookStats(entry: BookCacheStats | undefined, own: Array<ParseCachingProcessor | undefined>, runs: Array<RunCachingProcessor | undefined>): BookCacheStats {
  return {
    ...(entry ?? { skipped: false, checkMs: 0, parsed: 0, reused: 0 }),
    skipped: false,
    parsed: sum(own.map((p) => p?.stats.parsed ?? 0)),
    reused: sum(own.map((p) => p?.stats.reused ?? 0)),
    ran: sum(runs.map((r) => r?.runStats.ran ?? 0)),
    runsReused: sum(runs.map((r) => r?.runStats.reused ?? 0)),
  };
}

/**
 * The records of a successful build's editions, over the previous ones: what each wrote (to notice a
 * damaged output), its PDF files and the key they were printed from.
 */
async function editionRecords(book: LoadedBook, results: readonly EditionResult[], previous: Record<string, EditionRecord> | undefined, printKeys: ReadonlyMap<string, string>): Promise<Record<string, EditionRecord>> {
  const editions: Record<string, EditionRecord> = { ...previous };
  for (const result of results) {
    const outDir = result.outDir!;
    const outputs = Object.fromEntries(listTree(outDir).map((rel) => [rel, statSync(join(outDir, rel)).size]));
    const pdfFiles = Object.keys(outputs).filter((rel) => !rel.includes('/') && rel.endsWith('.pdf'));
    editions[result.edition] = {
      chapters: result.chapters,
      outputs,
      pdf: pdfFiles.length ? { key: printKeys.get(`${book.id}/${result.edition}`) ?? (await printKey(listTree(outDir), (rel) => join(outDir, rel), book)), files: pdfFiles } : undefined,
    };
  }
  return editions;
}

/**
 * The edition's processor with the parse cache and the chapter-run cache. A check's runs draw no chart
 * (build-edition.ts `features`), so they are kept apart from a build's, under `check-runs`.
 */
function chapterProcessor(parts: CacheParts, context: EditionContext, processor: ChapterProcessor, session: BuildSession): ChapterProcessor {
  const { book, editionId } = context;
  const id = `${book.id}/${editionId}`;
  const check = parts.checking.has(book.id);
  const wrapped = withParseCache(processor, parts.storeAt(book.id, editionId, 'parse'));
  parts.processors.set(id, wrapped);
  const store = parts.storeAt(book.id, editionId, check ? 'check-runs' : 'runs');
  const shared = digest(environmentKey(parts.project, book, parts.tree, context.sourceDateEpoch), editionId);
  const runner = withRunCache(wrapped, { store, environment: check ? digest(shared, 'check') : shared, context, session, answer: parts.reads.answer });
  parts.runners.set(id, runner);
  return runner;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A build of `built` wrote everything a build of `wanted` writes. */
function covers(built: Format, wanted: Format): boolean {
  return built === wanted || built === 'all';
}

/**
 * The hash of what a book's editions depend on besides indicators/ (see the file comment); what its
 * chapters read of indicators/ is kept with the record and checked apart (`readsHold`).
 */
export function bookKey(project: Project, book: LoadedBook, epoch: number | undefined, tree: (dir: string) => string = (dir) => hashTree(dir)): string {
  return digest('book', pipelineVersion(), book.id, epoch === undefined ? '' : String(epoch), tree(book.dir), tree(project.templates));
}

/**
 * The hash of what every chapter run of a book shares (run-cache.ts): the book key's inputs without the
 * editions' Markdown chapters, whose text is part of each run's own key, and without indicators/: a run
 * is kept with the reads of it that it took (the frameworks it resolved and used), checked when it is
 * reused, so an edit under indicators/ reruns only the chapters that used what changed.
 */
function environmentKey(project: Project, book: LoadedBook, tree: (dir: string, options?: TreeOptions) => string, epoch: number | undefined): string {
  const notChapters: TreeOptions = { exclude: (rel, isDirectory) => !isDirectory && rel.endsWith('.md') };
  return digest('run-environment', pipelineVersion(), book.id, epoch === undefined ? '' : String(epoch), tree(book.dir, notChapters), tree(project.templates));
}

function outputsIntact(outDir: string, outputs: Record<string, number>): boolean {
  if (!existsSync(outDir)) return false;
  for (const [rel, size] of Object.entries(outputs)) {
    try {
      if (statSync(join(outDir, rel)).size !== size) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The hash of what the PDF is printed from: print.html and everything under site/ except the site's own
 * pages (styles, fonts, images), book.yaml (page setup) and the pipeline's code. PDF outputs at the top of
 * the edition folder are left out, so the hash of a staging folder before printing equals the hash of the
 * committed folder after.
 */
async function printKey(files: readonly string[], locate: (rel: string) => string, book: LoadedBook): Promise<string> {
  const hash = createHash('sha256');
  hash.update(digest('print', pipelineVersion(), hashFile(join(book.dir, 'book.yaml'))));
  const inputs = [...files].sort().filter((rel) => rel === 'print.html' || (rel.startsWith('site/') && !/^site\/[^/]+\.html$/.test(rel)));
  for (const rel of inputs) {
    const bytes = await readFile(locate(rel));
    hash.update(`${rel}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
