/**
 * The worker thread of search-index.ts: it talks to the Pagefind service from an event loop of its own.
 * Pagefind answers each added page over a pipe; on the build's thread every answer waited until the build
 * let its event loop turn, so a site's 30 pages took 3–5 s of waiting while the build was busy with the
 * next edition. Here the pages go in one after another, in path order (the same pages give the same index
 * files), and the index files go back as bytes. Compiled into compiled/search-worker.js (scripts/compile.js).
 */
import { parentPort } from 'node:worker_threads';
import type { PagefindIndex } from 'pagefind';
import type { SearchReply, SearchRequest } from './search-index.ts';

/** Pagefind's ready-made interfaces: the site has its own (templates/base/site.js), so they are not copied. */
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\b/;

let service: typeof import('pagefind') | undefined;

/**
 * What Pagefind's wrapper logs (`console.error` in pagefind/lib/service.js: "Service stopped" with its
 * cause, a stack included) is kept, not printed: a failed index's answer ends with the distinct lines
 * logged while it was made (at most four), and the build reports them in its `site-search-index`
 * diagnostic; an index that succeeds drops what was logged meanwhile.
 */
const logged: string[] = [];
console.error = (...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));

async function index(pages: ReadonlyArray<readonly [string, string]>): Promise<{ files: Array<[string, Uint8Array]>; errors: string[] }> {
  service ??= await import('pagefind');
  const created = await service.createIndex({});
  if (!created.index) return { files: [], errors: created.errors };
  const built: PagefindIndex = created.index;
  const errors = [...created.errors];
  try {
    for (const [path, content] of pages) {
      const added = await built.addHTMLFile({ url: `/${path}`, content });
      errors.push(...added.errors);
    }
    const got = await built.getFiles();
    errors.push(...got.errors);
    return { files: got.files.filter((f) => !UNUSED.test(f.path)).map((f) => [f.path, f.content]), errors };
  } finally {
    await built.deleteIndex();
  }
}

const port = parentPort!;
port.on('message', (request: SearchRequest) => {
  if (request.kind === 'close') {
    void (service?.close() ?? Promise.resolve()).finally(() => port.close());
    return;
  }
  const from = logged.length;
  index(request.pages).then(
    (result) => {
      logged.splice(from);
      const reply: SearchReply = { id: request.id, ...result };
      port.postMessage(reply, result.files.map(([, bytes]) => bytes.buffer as ArrayBuffer));
    },
    (error: unknown) => {
      const lines = logged.splice(from);
      const said = [error instanceof Error ? error.message : String(error), ...lines.filter((line, i) => lines.indexOf(line) === i).slice(-4)];
      port.postMessage({ id: request.id, failed: said.join('; ') } satisfies SearchReply);
    },
  );
});
