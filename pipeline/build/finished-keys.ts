/**
 * The chapter-run cache's part in the book-wide stages (run-cache.ts): a chapter's finished tree is named
 * by its run, by what the book-wide stages read (the book index: ids, labels, chapters) and by what each
 * feature's pass says it depends on before the chapter (the citations before it), so rendering need not
 * hash the tree (`file.data.renderKey`, html/render-edition.ts). Without a run cache the stages run
 * unwrapped and no tree is named.
 */
import type { ChapterProcessor } from '../chapter/processor.ts';
import type { BookIndex } from '../html/book-index.ts';
import type { BookWidePass } from '../features/feature.ts';
import { digest } from '../base/hash.ts';
import type { ChapterStep } from './book-wide.ts';

export function finishedKeys(processor: ChapterProcessor, index: BookIndex, passes: readonly BookWidePass[]): ChapterStep | undefined {
  const identity = processor.identity?.bind(processor);
  if (!identity) return undefined;
  const indexKey = digest('book-index', JSON.stringify([...index.ids]), JSON.stringify([...index.labels]), JSON.stringify([...index.bySlug]));
  return async (file, step) => {
    const run = identity(file.data.hast!);
    const before = run ? passes.map((pass) => pass.key?.() ?? '') : [];
    await step();
    if (run) file.data.renderKey = digest('finished-chapter', run, indexKey, ...before);
  };
}
