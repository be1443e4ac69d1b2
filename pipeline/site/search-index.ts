/**
 * The site's search index, built by Pagefind (docs/site.md) from the rendered pages in memory: no pages
 * are read back from disk, and the index files come back as bytes for the staging folder, so a failed
 * build leaves out/ as it was. Pagefind segments Chinese itself (the pages carry `lang`).
 *
 * What is indexed is marked in the pages: `<main data-pagefind-body>` on chapters and the references (the
 * cover, the lists and the index repeat the chapters), `data-pagefind-weight` on entry titles and index
 * marks, `data-pagefind-ignore` on the sidebar, breadcrumbs and chart drawings (pipeline/site/).
 *
 * Pagefind runs as one service process per build: `close()` stops it (build.ts calls it at the end).
 */
import type { PagefindIndex } from 'pagefind';

export interface SearchIndexer {
  /** Index the `.html` pages of `pages` (paths relative to the site folder) → files of `pagefind/`, by path. */
  index(pages: ReadonlyMap<string, string>): Promise<{ files: Map<string, Uint8Array>; errors: string[] }>;
  /** Stop the Pagefind service, when one was started. */
  close(): Promise<void>;
}

/** Pagefind's ready-made interfaces: the site has its own (templates/base/site.js), so they are not copied. */
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\b/;

export function createSearchIndexer(): SearchIndexer {
  let service: typeof import('pagefind') | undefined;
  return {
    async index(pages) {
      service ??= await import('pagefind');
      const created = await service.createIndex({});
      if (!created.index) return { files: new Map(), errors: created.errors };
      const index: PagefindIndex = created.index;
      const errors = [...created.errors];
      try {
        // In path order, so the same pages give the same index files.
        for (const [path, content] of [...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          // Pages without a searchable body (cover, lists, index) would be read only to be left out.
          if (!path.endsWith('.html') || !content.includes('data-pagefind-body')) continue;
          const added = await index.addHTMLFile({ url: `/${path}`, content });
          errors.push(...added.errors);
        }
        const got = await index.getFiles();
        errors.push(...got.errors);
        return { files: new Map(got.files.filter((f) => !UNUSED.test(f.path)).map((f) => [f.path, f.content])), errors };
      } finally {
        await index.deleteIndex();
      }
    },
    async close() {
      if (service) await service.close();
      service = undefined;
    },
  };
}
