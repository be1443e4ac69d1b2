/**
 * Books built side by side (BuildOptions.threads). The books of a run share nothing but their inputs, so
 * worker threads (book-worker.ts) take books from the same queue as the main thread, each thread with its
 * own memo, indicator store and search service (the same output: every memo is keyed by content). A
 * derived edition (zh-Hant) reuses its source edition's trees, so a book's editions stay in one thread.
 *
 * A worker is started only when the main thread is about to build a book (not replay it from the cache)
 * and books are left in the queue: a build of unchanged books stays in one thread. Every book's
 * diagnostics are kept apart and joined in book order at the end, so the report, its order and the exit
 * code are those of one book after another.
 */
import { Worker } from 'node:worker_threads';
import type { VFile } from 'vfile';
import { workerScript } from '../base/worker-script.ts';
import { replayMessages, type LoggedFile } from '../base/message-log.ts';
import type { BuildOptions, EditionResult } from './build.ts';
import type { BuildCacheOptions } from './build-cache.ts';
import type { ProgressEvent } from '../report/progress.ts';

/** What one book left: its files with their diagnostics, and its editions' results. */
export interface BookOutcome {
  files: VFile[];
  results: EditionResult[];
}

/** Builds one book in this thread; calls `building` just before it builds (rather than replays) the book. */
export type BuildHere = (id: string, building: () => void) => Promise<BookOutcome>;

/** The options a worker builds with: what can cross to a thread (no functions, no open browser or cache). */
export interface WorkerInput {
  /** The queue: the index of the next book to claim, shared by every thread (Atomics). */
  next: SharedArrayBuffer;
  ids: string[];
  options: Pick<BuildOptions, 'project' | 'edition' | 'format' | 'checkOnly' | 'release' | 'press' | 'marks' | 'allowSample' | 'sourceDateEpoch'>;
  /** The build cache's options; absent: no cache. */
  cache?: BuildCacheOptions;
  /** Make a search index (a Pagefind service of the worker's own). */
  search: boolean;
  /** Keep a memo for the books of the thread (as the command line does). */
  memo: boolean;
  /** Add up stage timings and send them back. */
  timings: boolean;
}

export type WorkerMessage =
  | { kind: 'progress'; event: ProgressEvent }
  | { kind: 'book'; index: number; logged: LoggedFile[]; results: EditionResult[]; timings?: Record<string, number> }
  | { kind: 'failed'; message: string; stack?: string }
  | { kind: 'end' };

export interface BookThreadsOptions {
  ids: readonly string[];
  /** Threads in all, the main thread included (at least 2 to start a worker). */
  threads: number;
  options: BuildOptions;
  cache?: BuildCacheOptions;
  buildHere: BuildHere;
}

/** The outcome of every book, in the order of `ids`. */
export async function buildBooksInThreads(input: BookThreadsOptions): Promise<BookOutcome[]> {
  const { ids, options } = input;
  const outcomes: BookOutcome[] = ids.map(() => ({ files: [], results: [] }));
  const next = new SharedArrayBuffer(4);
  const queue = new Int32Array(next);
  const workers: Array<{ worker: Worker; done: Promise<void> }> = [];
  const startWorkers = () => {
    if (workers.length > 0 || Atomics.load(queue, 0) >= ids.length) return;
    for (let i = 1; i < input.threads; i++) workers.push(startWorker({ next, ids: [...ids], options: transferable(options), ...(input.cache ? { cache: input.cache } : {}), search: options.search !== false, memo: options.memo !== undefined, timings: options.timings !== undefined }, outcomes, options));
  };
  try {
    for (let i = Atomics.add(queue, 0, 1); i < ids.length; i = Atomics.add(queue, 0, 1)) {
      options.progress?.({ kind: 'book', book: ids[i]!, index: i + 1, total: ids.length });
      outcomes[i] = await input.buildHere(ids[i]!, startWorkers);
    }
    await Promise.all(workers.map((w) => w.done));
  } catch (error) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw error;
  }
  return outcomes;
}

function transferable(options: BuildOptions): WorkerInput['options'] {
  const { project, edition, format, checkOnly, release, press, marks, allowSample, sourceDateEpoch } = options;
  // The project's folders only: a caller's project object may carry functions (tests), which cannot cross.
  const { root, manuscripts, templates, indicators, out } = project;
  return { project: { root, manuscripts, templates, indicators, out }, edition, format, checkOnly, release, press, marks, allowSample, sourceDateEpoch };
}

function startWorker(data: WorkerInput, outcomes: BookOutcome[], options: BuildOptions): { worker: Worker; done: Promise<void> } {
  const source = workerScript('book-worker', 'pipeline/build/book-worker.ts');
  const worker = new Worker(source.code, { workerData: data, eval: source.eval });
  const done = new Promise<void>((resolve, reject) => {
    let ended = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') options.progress?.(message.event);
      else if (message.kind === 'book') {
        const outcome = outcomes[message.index]!;
        replayMessages(outcome.files, message.logged);
        outcome.results.push(...message.results);
        if (options.timings && message.timings) for (const [stage, ms] of Object.entries(message.timings)) options.timings[stage] = (options.timings[stage] ?? 0) + ms;
      } else if (message.kind === 'failed') reject(Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {}));
      else ended = true;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (ended && code === 0 ? resolve() : reject(new Error(`a book worker thread stopped (exit code ${code}) before it finished`))));
  });
  return { worker, done };
}
