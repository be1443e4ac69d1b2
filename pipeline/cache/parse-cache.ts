/**
 * Parsed chapters are reused. Parsing is most of a chapter's cost (micromark: ~25 ms for a 10 KB chapter)
 * and a pure function of the chapter's text and the pipeline's code, so the Markdown tree is kept under
 * the hash of both and handed back as a fresh copy (v8 serialisation keeps every field, `undefined`
 * included). The per-chapter transforms (`run`) are not cached: they carry state through the edition in
 * chapter order (the slugger's heading ids, book-wide figure counters, index anchor ids), so a chapter's
 * result depends on every chapter before it; they are cheap and run for every chapter on every build.
 */
import v8 from 'node:v8';
import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';
import type { ChapterProcessor } from '../markdown/processor.ts';
import { digest, pipelineVersion } from './hash.ts';
import type { CacheStore } from './store.ts';

export interface ParseCachingProcessor extends ChapterProcessor {
  /** Keys of the trees this build used (a successful build prunes the rest). */
  readonly used: ReadonlySet<string>;
  /** How many chapters were parsed, and how many came from the cache. */
  readonly stats: { parsed: number; reused: number };
}

/** `processor` with its `parse` answered from `store` when the chapter's text was parsed before. */
export function withParseCache(processor: ChapterProcessor, store: CacheStore): ParseCachingProcessor {
  const used = new Set<string>();
  const stats = { parsed: 0, reused: 0 };
  const version = pipelineVersion();
  return {
    used,
    stats,
    parse(file: VFile): MdastRoot {
      const text = typeof file.value === 'string' ? file.value : Buffer.from(file.value ?? '');
      const key = digest('mdast', version, text);
      used.add(key);
      const held = store.get(key);
      if (held) {
        try {
          const tree = v8.deserialize(held) as MdastRoot;
          stats.reused += 1;
          return tree;
        } catch {
          // A damaged entry is parsed again below and overwritten.
        }
      }
      const tree = processor.parse(file);
      stats.parsed += 1;
      store.set(key, v8.serialize(tree));
      return tree;
    },
    run: (tree, file) => processor.run(tree, file),
  };
}
