/**
 * The build cache (out/.cache/): what lets a repeated `annals build`, and every rebuild of a preview, skip
 * work whose inputs did not change. Three levels, from coarse to fine:
 *
 * 1. **Book.** The hash of everything a book's editions depend on — the pipeline's code and lockfile, the
 *    whole book folder (book.yaml, every edition's chapters: a derived edition reads its source's; images,
 *    data, references), templates/ (locales included), indicators/, SOURCE_DATE_EPOCH — with the selected
 *    editions and the format. When it equals the hash recorded at the book's last successful build and
 *    every output is still there, nothing of the book is rebuilt; the results and the warnings (the
 *    editions' own and the cross-edition consistency check's) are replayed from the record. The unit is
 *    the book, not the edition, because the consistency check compares all of a book's editions.
 * 2. **PDF.** When an edition is rebuilt but print.html and everything under site/ except the site's pages
 *    (styles, fonts, images) are byte-identical to what its last PDF was printed from, and book.yaml is too,
 *    the previous PDF is carried over instead of printed again (`reusePdf`, called by the PDF stage).
 * 3. **Chapter.** Parsed Markdown trees are kept per chapter text (parse-cache.ts), and whole chapter
 *    runs (the per-chapter stages' output) by text, place, shared inputs and the state the chapters
 *    before leave (run-cache.ts).
 *
 * Output files are written only when their bytes change (write-output.ts).
 */
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { VFile } from 'vfile';
import type { BuildOptions, EditionResult, Format } from './build.ts';
import type { LoadedBook, Project } from '../config/load-book.ts';
import type { ChapterProcessor } from '../chapter/processor.ts';
import type { OutputRecord, Staging } from '../html/write-output.ts';
import type { EditionContext } from '../context/types.ts';
import { createTreeHasher, digest, hashFile, hashTree, listTree, pipelineVersion, type TreeOptions } from '../base/hash.ts';
import { markMessages, messagesSince, replayMessages, type LoggedFile, type MessageMark } from '../base/message-log.ts';
import { withParseCache, type ParseCachingProcessor } from './parse-cache.ts';
import { withRunCache, type RunCachingProcessor, type RunStore } from './run-cache.ts';
import { createStore, type CacheStore } from '../base/store.ts';

export interface BuildCacheOptions {
  /** Keep parsed chapters in memory between builds as well as on disk (a preview). Default: false. */
  memory?: boolean;
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
  /**
   * The results of the book's last build when nothing it depends on changed (its diagnostics are added
   * back onto `files`), or undefined: build it, between `begin` and `end`.
   */
  lookup(book: LoadedBook, editionIds: readonly string[], options: BuildOptions, files: VFile[]): EditionResult[] | undefined;
  begin(book: LoadedBook, editionIds: readonly string[], options: BuildOptions, files: VFile[]): BookRecording;
  /**
   * The edition's chapter processor, with parsed trees and whole chapter runs reused (parse-cache.ts,
   * run-cache.ts). `files` is the build's list of files (a reused run adds its data files' messages).
   */
  processor(context: EditionContext, processor: ChapterProcessor, files: VFile[]): ChapterProcessor;
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
}

const MANIFEST_VERSION = 1;

export function createBuildCache(project: Project, options: BuildCacheOptions = {}): BuildCache {
  const dir = join(project.out, '.cache');
  const manifests = manifestFiles(dir);
  /** Parsed trees and chapter runs per edition (on disk, and in memory for a preview). */
  const parseStores = storesUnder(dir, 'parse', options.memory);
  const runStores = storesUnder(dir, 'runs', options.memory);
  /** The editions' chapter processors wrapped in the parse cache and in the run cache, per `book/edition`. */
  const wrappers = new Map<string, { parse: ParseCachingProcessor; run: RunCachingProcessor }>();
  const stats = new Map<string, BookCacheStats>();
  /** Print keys computed by `reusePdf` during the current build, per `book/edition`. */
  const printKeys = new Map<string, string>();
  /** The format of the build under way, per book. */
  const formats = new Map<string, Format>();
  /** Output records per edition folder (memory only). */
  const records = new Map<string, OutputRecord>();
  // A file is read and hashed once per process unless it changed (templates/ and indicators/ are shared
  // by every book; a preview rehashes only the files that changed).
  const tree = createTreeHasher();
  const keyOf = (book: LoadedBook, editionIds: readonly string[]) => digest(bookKey(project, book, tree), [...editionIds].sort().join(','));

  return {
    dir,
    stats,
    lookup(book, editionIds, buildOptions, files) {
      if (buildOptions.checkOnly) return undefined;
      const started = performance.now();
      const manifest = manifests.read(book.id);
      const hit = manifest !== undefined && manifest.key === keyOf(book, editionIds) && covers(manifest.format, buildOptions.format ?? 'all') && editionsIntact(project, book.id, editionIds, manifest);
      stats.set(book.id, { skipped: hit, checkMs: performance.now() - started, parsed: 0, reused: 0 });
      return hit ? replayBook(project, book.id, editionIds, manifest, files, buildOptions) : undefined;
    },
    begin(book, editionIds, buildOptions, files) {
      const format = buildOptions.format ?? 'all';
      // The key is taken before the build: a file saved while the build runs makes the next build run too.
      const key = buildOptions.checkOnly ? '' : keyOf(book, editionIds);
      const mark: MessageMark = markMessages(files);
      formats.set(book.id, format);
      const ids = editionIds.map((e) => `${book.id}/${e}`);
      for (const id of ids) for (const map of [wrappers, printKeys]) map.delete(id);
      return {
        async end(results) {
          const [own, runs] = [ids.map((id) => wrappers.get(id)?.parse), ids.map((id) => wrappers.get(id)?.run)];
          stats.set(book.id, bookStats(stats.get(book.id), own, runs));
          // Paths relative to the project, so a moved project (out/ included) still finds its files.
          const messages = messagesSince(files, mark).map((f) => ({ ...f, path: isAbsolute(f.path) ? relative(project.root, f.path) : f.path }));
          const failed = messages.some((f) => f.messages.some((m) => m.fatal === true));
          if (buildOptions.checkOnly || failed || results.length !== editionIds.length || !results.every((r) => r.ok && r.outDir)) return;
          const editions = await editionRecords(book, results, manifests.read(book.id)?.editions, printKeys);
          manifests.write(book.id, { version: MANIFEST_VERSION, key, format, editions, messages });
          // What this build did not use is dropped from the editions' stores.
          for (const [i, e] of editionIds.entries()) if (own[i]) parseStores(book.id, e).prune(own[i].used);
          for (const run of runs) run?.prune();
        },
      };
    },
    processor(context, processor, files) {
      const id = `${context.book.id}/${context.editionId}`;
      const parse = withParseCache(processor, parseStores(context.book.id, context.editionId));
      const environment = digest(environmentKey(project, context.book, tree), context.editionId);
      const run = withRunCache(parse, { store: runStores(context.book.id, context.editionId), environment, context, files });
      wrappers.set(id, { parse, run });
      return run;
    },
    outputRecord(outDir) {
      return options.memory ? held(records, outDir, () => new Map()) : undefined;
    },
    async reusePdf(book, editionId, staging, outDir) {
      const record = manifests.read(book.id)?.editions[editionId]?.pdf;
      const usable = record !== undefined && record.files.every((f) => existsSync(join(outDir, f)));
      // The key is taken before printing, and recorded with the PDF that gets printed: the next build
      // compares its own staging folder before printing with it.
      if (!usable && formats.get(book.id) === 'html') return false;
      const key = await printKey(staging.paths(), staging.locate, book);
      printKeys.set(`${book.id}/${editionId}`, key);
      if (!usable || key !== record!.key) return false;
      for (const f of record!.files) staging.keep(f);
      return true;
    },
  };
}

/** The value of `map` at `key`, made and kept on first use. */
function held<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** The books' manifests under `dir` (`<book>/manifest.json`); a missing, damaged or older one reads as none. */
function manifestFiles(dir: string) {
  const manifestPath = (bookId: string) => join(dir, bookId, 'manifest.json');
  return {
    read(bookId: string): BookManifest | undefined {
      try {
        const m = JSON.parse(readFileSync(manifestPath(bookId), 'utf8')) as BookManifest;
        return m.version === MANIFEST_VERSION ? m : undefined;
      } catch {
        return undefined;
      }
    },
    write(bookId: string, manifest: BookManifest): void {
      const path = manifestPath(bookId);
      mkdirSync(join(dir, bookId), { recursive: true });
      writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(manifest));
      renameSync(`${path}.${process.pid}.tmp`, path);
    },
  };
}

/** One store per edition under `dir/<book>/<edition>/<kind>`, made on first use and kept. */
function storesUnder(dir: string, kind: 'parse' | 'runs', memory: boolean | undefined): (bookId: string, editionId: string) => CacheStore {
  const stores = new Map<string, CacheStore>();
  return (bookId, editionId) => held(stores, `${bookId}/${editionId}`, () => createStore({ dir: join(dir, bookId, editionId, kind), memory }));
}

/** Every selected edition's recorded outputs are still there, at their recorded sizes. */
function editionsIntact(project: Project, bookId: string, editionIds: readonly string[], manifest: BookManifest): boolean {
  return editionIds.every((e) => manifest.editions[e] && outputsIntact(join(project.out, bookId, e), manifest.editions[e]!.outputs));
}

/** A book skipped by the cache: its recorded diagnostics back onto `files`, its editions' results. */
function replayBook(project: Project, bookId: string, editionIds: readonly string[], manifest: BookManifest, files: VFile[], options: BuildOptions): EditionResult[] {
  replayMessages(files, manifest.messages.map((f) => ({ ...f, path: f.path.startsWith('<') ? f.path : resolve(project.root, f.path) })));
  return editionIds.map((e) => {
    const result: EditionResult = { book: bookId, edition: e, outDir: join(project.out, bookId, e), chapters: manifest.editions[e]!.chapters, ok: true, skipped: true, changed: [] };
    options.progress?.({ kind: 'edition-done', book: bookId, edition: e, ok: true, chapters: result.chapters, skipped: true });
    return result;
  });
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

/** The records of a successful build's editions (outputs and sizes, PDF files and print key), over the previous ones. */
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

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A build of `built` wrote everything a build of `wanted` writes. */
function covers(built: Format, wanted: Format): boolean {
  return built === wanted || built === 'all';
}

/** The hash of everything a book's editions depend on (see the file comment). */
export function bookKey(project: Project, book: LoadedBook, tree: (dir: string) => string = (dir) => hashTree(dir)): string {
  return digest('book', pipelineVersion(), book.id, process.env.SOURCE_DATE_EPOCH ?? '', tree(book.dir), tree(project.templates), tree(project.indicators));
}

/**
 * The hash of what every chapter run of a book shares (run-cache.ts): the book key's inputs without the
 * editions' Markdown chapters, whose text is part of each run's own key.
 */
function environmentKey(project: Project, book: LoadedBook, tree: (dir: string, options?: TreeOptions) => string): string {
  const notChapters: TreeOptions = { exclude: (rel, isDirectory) => !isDirectory && rel.endsWith('.md') };
  return digest('run-environment', pipelineVersion(), book.id, process.env.SOURCE_DATE_EPOCH ?? '', tree(book.dir, notChapters), tree(project.templates), tree(project.indicators));
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
