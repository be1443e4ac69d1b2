/**
 * The edition's registry of ids: every chapter, heading, figure, table, box and entry with the chapter that
 * holds it. Built after all chapters ran their per-chapter stages; duplicate ids are reported here at the
 * position of the second one.
 */
import type { Element, Root } from 'hast';
import { SKIP_CHILDREN, walkElements } from './walk-elements.ts';
import type { VFile } from 'vfile';
import { closest } from '../report/closest.ts';
import { report } from '../report/diagnostics.ts';
import type { ChapterInfo, Label } from '../context/types.ts';

export interface BookIndex {
  /** Every element id in the edition → its chapter slug and, for labelled things, the label. */
  ids: Map<string, { chapter: string; label?: Label }>;
  labels: Map<string, Label>;
  /** Chapter file name (02-infrastructure.md) → chapter. */
  byFile: Map<string, ChapterInfo>;
  bySlug: Map<string, ChapterInfo>;
  /** The closest existing id, for "did you mean". */
  suggest(id: string): string | undefined;
}

export function buildBookIndex(files: readonly VFile[]): BookIndex {
  const ids = new Map<string, { chapter: string; label?: Label }>();
  const labels = new Map<string, Label>();
  const byFile = new Map<string, ChapterInfo>();
  const bySlug = new Map<string, ChapterInfo>();
  for (const file of files) {
    const chapter = file.data.chapter!;
    byFile.set(chapter.name, chapter);
    bySlug.set(chapter.slug, chapter);
    const chapterLabel: Label = { id: chapter.id, kind: 'chapter', number: chapter.number != null ? String(chapter.number) : '', text: chapter.label || chapter.title, title: chapter.title, chapter: chapter.slug };
    labels.set(chapter.id, chapterLabel);
    ids.set(chapter.id, { chapter: chapter.slug, label: chapterLabel });
    for (const l of chapter.labels) labels.set(l.id, l);
    walkElements(file.data.hast!, (node: Element) => {
      // Inside a chart's SVG the ids are the chart's own (prefixed per chart), never a link target.
      const skip = node.tagName === 'svg' ? SKIP_CHILDREN : undefined;
      const id = node.properties.id;
      if (typeof id !== 'string') return skip;
      const existing = ids.get(id);
      if (existing) {
        report(file, 'duplicate-id', `the id "${id}" is already used${existing.chapter === chapter.slug ? ' in this chapter' : ` in chapter "${existing.chapter}"`}`, node);
        return skip;
      }
      ids.set(id, { chapter: chapter.slug, label: labels.get(id) });
      return skip;
    });
  }
  return {
    ids,
    labels,
    byFile,
    bySlug,
    suggest: (id) => closest(id, ids.keys()),
  };
}

export type { Root };
