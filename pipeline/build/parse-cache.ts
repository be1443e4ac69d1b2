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
import type { ChapterProcessor } from '../chapter/processor.ts';
import { digest, pipelineVersion } from '../base/hash.ts';
import type { CacheStore } from '../base/store.ts';
import type { HashMemo } from '../base/memo.ts';

export interface ParseCachingProcessor extends ChapterProcessor {
  /** Keys of the trees this build used (a successful build prunes the rest). */
  readonly used: ReadonlySet<string>;
  /** How many chapters were parsed, and how many came from the cache. */
  readonly stats: { parsed: number; reused: number };
}

/**
 * `processor` with its `parse` answered from `store` when the chapter's text was parsed before, and a
 * `head` (the front matter node alone) that is kept apart, so numbering the chapters reads a few bytes
 * per chapter; the whole tree is read back only for a chapter whose per-chapter stages run.
 */
export function withParseCache(processor: ChapterProcessor, store: CacheStore): ParseCachingProcessor {
  const used = new Set<string>();
  const stats = { parsed: 0, reused: 0 };
  const version = pipelineVersion();
  /** Trees parsed in this build for `head`, handed to the `parse` that follows. */
  const fresh = new WeakMap<VFile, MdastRoot>();
  /** Chapters already counted as reused (by their head). */
  const counted = new WeakSet<VFile>();
  /** Keys per file, hashed once (`head` and then `parse` ask for the same file). */
  const keys = new WeakMap<VFile, { tree: string; head: string }>();
  const keysOf = (file: VFile) => {
    let held = keys.get(file);
    if (!held) {
      const text = typeof file.value === 'string' ? file.value : Buffer.from(file.value ?? '');
      const tree = digest('mdast', version, text);
      held = { tree, head: digest('mdast-head', tree) };
      keys.set(file, held);
      used.add(held.tree);
      used.add(held.head);
    }
    return held;
  };
  const read = (key: string): MdastRoot | undefined => {
    const held = store.get(key);
    if (!held) return undefined;
    try {
      return v8.deserialize(held) as MdastRoot;
    } catch {
      return undefined; // a damaged entry is parsed again and overwritten
    }
  };
  const parse = (file: VFile): MdastRoot => {
    const kept = fresh.get(file);
    if (kept) {
      fresh.delete(file);
      return kept;
    }
    const keys = keysOf(file);
    const held = read(keys.tree);
    if (held) {
      if (!counted.has(file)) stats.reused += 1;
      return held;
    }
    const tree = processor.parse(file);
    stats.parsed += 1;
    store.set(keys.tree, v8.serialize(tree));
    store.set(keys.head, v8.serialize(headOf(tree)));
    return tree;
  };
  return {
    used,
    stats,
    parse,
    head(file: VFile): MdastRoot {
      const keys = keysOf(file);
      const held = read(keys.head);
      if (held) {
        counted.add(file);
        stats.reused += 1;
        return held;
      }
      const tree = parse(file);
      fresh.set(file, tree);
      return headOf(tree);
    },
    run: (tree, file) => processor.run(tree, file),
  };
}

/** The tree's front matter node alone (or an empty root). */
function headOf(tree: MdastRoot): MdastRoot {
  const first = tree.children[0];
  return { type: 'root', children: first?.type === 'yaml' ? [first] : [] };
}

/**
 * `processor` whose `parse` shares trees between the editions of one run that read the same chapter files
 * (a derived edition, zh-Hant, reads its source's): a tree parsed by an edition that `keeps` is kept in
 * `memo` (v8 serialisation, by the hash of the text) and handed to the next edition as a fresh copy, which
 * takes a fraction of parsing it again. Without `keeps` (no other edition of the run reads these files)
 * nothing is serialised. For runs without the on-disk parse cache (`--no-cache`, `annals check`).
 */
export function withTreeMemo(processor: ChapterProcessor, memo: HashMemo<Buffer>, keeps: boolean): ChapterProcessor {
  return {
    ...processor,
    parse(file) {
      const key = digest('mdast', typeof file.value === 'string' ? file.value : Buffer.from(file.value ?? ''));
      const held = memo.get(key);
      if (held) return v8.deserialize(held) as MdastRoot;
      const tree = processor.parse(file);
      if (keeps) memo.set(key, v8.serialize(tree));
      return tree;
    },
  };
}
