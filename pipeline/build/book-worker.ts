/**
 * A worker thread of book-threads.ts: it claims books from the queue it shares with the main thread and
 * builds each as the main thread would (build.ts `bookRunner`), with a memo, an indicator store, a cache
 * object and a search service of its own, and sends back each book's diagnostics and results and every
 * progress event. Compiled into compiled/book-worker.js (scripts/compile.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { markMessages, messagesSince } from '../base/message-log.ts';
import { createBuildMemo } from '../base/memo.ts';
import { createSearchIndexer } from '../site/search-index.ts';
import { createBuildCache } from './build-cache.ts';
import { bookRunner, type BuildOptions } from './build.ts';
import type { WorkerInput, WorkerMessage } from './book-threads.ts';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

async function work(input: WorkerInput): Promise<void> {
  const queue = new Int32Array(input.next);
  const search = input.search ? createSearchIndexer() : undefined;
  let timings: Record<string, number> | undefined;
  const options: BuildOptions = {
    ...input.options,
    progress: (event) => post({ kind: 'progress', event }),
    search: search ?? false,
    ...(input.memo ? { memo: createBuildMemo() } : {}),
    ...(input.cache ? { cache: createBuildCache(input.options.project, input.cache) } : {}),
  };
  const run = bookRunner(options);
  try {
    for (let i = Atomics.add(queue, 0, 1); i < input.ids.length; i = Atomics.add(queue, 0, 1)) {
      options.progress?.({ kind: 'book', book: input.ids[i]!, index: i + 1, total: input.ids.length });
      timings = input.timings ? {} : undefined;
      const outcome = await run(input.ids[i]!, timings);
      post({ kind: 'book', index: i, logged: messagesSince(outcome.files, markMessages([])), results: outcome.results, ...(timings ? { timings } : {}) });
    }
  } finally {
    await search?.close();
  }
}

work(workerData as WorkerInput).then(
  () => post({ kind: 'end' }),
  (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) }),
);
