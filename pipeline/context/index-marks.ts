/**
 * Index marks: the places the back-of-book index points at. `:idx` marks and the chronicle's `terms:`
 * add them to `file.data.indexMarks`; each mark has an anchor id `idx-N`, numbered through the edition in
 * book order (the per-chapter stages run chapter by chapter), so `idx-1` is the first mark of the book.
 */
import type { Position } from 'unist';
import type { VFile } from 'vfile';

export interface IndexMark {
  /** Anchor id of the marked place: idx-N (or an entry's id for entries indexed under their title). */
  id: string;
  /** The heading the mark is listed under. */
  term: string;
  /** Sub-entry under the heading, if any. */
  sub?: string;
  /** Explicit sort key of the heading (pinyin or ASCII), e.g. "rengong zhineng jia xingdong". */
  sort?: string;
  /** A cross-reference instead of a locator: the heading reads "term 见 see" / "term, see see". */
  see?: string;
  /** `entry` for a yearbook entry indexed under its own title. Default: term. */
  kind?: 'term' | 'entry';
  /** Slug of the chapter that holds the mark. */
  chapter: string;
  position?: Position;
}

declare module 'vfile' {
  interface DataMap {
    /** The index marks of this chapter, in document order. */
    indexMarks: IndexMark[];
  }
}

/** Hands out the anchor ids idx-1, idx-2, … of one edition. */
export interface IndexMarkCounter {
  next(): string;
}

/** The edition's counter of index anchors, kept in `counters.indexMarks` (EditionContext.counters). */
export function createIndexMarkCounter(counters: { indexMarks: number }): IndexMarkCounter {
  return { next: () => `idx-${++counters.indexMarks}` };
}

/** Record a mark on the chapter and return its anchor id. */
export function addIndexMark(file: VFile, counter: IndexMarkCounter, mark: Omit<IndexMark, 'id' | 'chapter'>): string {
  const id = counter.next();
  (file.data.indexMarks ??= []).push({ id, chapter: file.data.chapter!.slug, ...mark });
  return id;
}
