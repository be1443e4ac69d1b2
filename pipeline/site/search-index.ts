/**
 * The site's search index, built by Pagefind (docs/site.md) from the rendered pages in memory: no pages
 * are read back from disk, and the index files come back as bytes for the staging folder, so a failed
 * build leaves out/ as it was. Pagefind segments Chinese itself (the pages carry `lang`).
 *
 * What is indexed is marked in the pages: `<main data-pagefind-body>` on chapters and the references (the
 * cover, the lists and the index repeat the chapters), `data-pagefind-weight` on entry titles and index
 * marks, `data-pagefind-ignore` on the sidebar, breadcrumbs and chart drawings (pipeline/site/).
 *
 * Pagefind runs as one service process per build, driven from a worker thread (search-worker.ts) so that
 * its answers are read while the build's own thread is busy with the next edition: both are started on
 * the first index and stopped by `close()` (build.ts calls it at the end).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../base/worker-script.ts';

export interface SearchIndexer {
  /**
   * Index the `.html` pages of `pages` (paths relative to the site folder) → files of `pagefind/`, by path.
   * Never rejects: when Pagefind or its thread fails, the answer has no files and says why in `errors`
   * (the build reports them as `site-search-index`), so a failure waits for the write that reports it.
   */
  index(pages: ReadonlyMap<string, string>): Promise<{ files: Map<string, Uint8Array>; errors: string[] }>;
  /** Stop the Pagefind service and its thread, when they were started. */
  close(): Promise<void>;
}

/** What the build's thread asks the search worker. */
export type SearchRequest = { kind: 'index'; id: number; pages: Array<[string, string]> } | { kind: 'close' };

/** The worker's answer to one `index` request. */
export type SearchReply = { id: number; files: Array<[string, Uint8Array]>; errors: string[] } | { id: number; failed: string };

interface Pending {
  resolve(value: { files: Map<string, Uint8Array>; errors: string[] }): void;
  reject(error: Error): void;
}

/** One search thread: its requests waiting for an answer, and its exit. */
interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  ended: Promise<void>;
}

function startThread(): Thread {
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const onReply = (reply: SearchReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiting) return;
    if ('failed' in reply) waiting.reject(new Error(reply.failed));
    else waiting.resolve({ files: new Map(reply.files), errors: reply.errors });
  };
  const { worker, ended } = startWorker('search-worker', 'pipeline/site/search-worker.ts', onReply, failAll, 'the search index thread stopped before it answered');
  return { worker, pending, ended };
}

export function createSearchIndexer(): SearchIndexer {
  // The thread, once asked for: two sites indexed at once share it.
  let thread: Thread | undefined;
  let nextId = 0;
  return {
    async index(pages) {
      if (!thread) {
        const started = startThread();
        // A thread that stopped (crashed) is not asked again: the next site starts another.
        void started.ended.then(() => thread === started && (thread = undefined));
        thread = started;
      }
      const { worker, pending } = thread;
      // In path order, so the same pages give the same index files; pages without a searchable body (cover,
      // lists, index) would be read only to be left out.
      const chosen = [...pages].filter(([path, content]) => path.endsWith('.html') && content.includes('data-pagefind-body')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const id = nextId++;
      const answer = new Promise<{ files: Map<string, Uint8Array>; errors: string[] }>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ kind: 'index', id, pages: chosen } satisfies SearchRequest);
      return answer.catch((error: unknown) => ({ files: new Map<string, Uint8Array>(), errors: [error instanceof Error ? error.message : String(error)] }));
    },
    async close() {
      if (!thread) return;
      const { worker, ended } = thread;
      thread = undefined;
      worker.postMessage({ kind: 'close' } satisfies SearchRequest);
      await ended;
    },
  };
}
