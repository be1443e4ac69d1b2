/**
 * Where each index mark stands, named as a reader finds it: the yearbook entry that holds it (its title),
 * else the closest section heading above it (2.1 Broadband / 一、网络基础设施), else the chapter. The site's
 * index uses these names as the text of its locators (index-page.ts), so every locator says where it leads
 * instead of repeating the chapter's name.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';

export interface IndexPlace {
  /** What the locator says: entry title, numbered section heading, or the chapter's short title. */
  name: string;
  /** What kind of place: an entry's title needs no chapter beside it; a section heading may. */
  kind: 'entry' | 'section' | 'chapter';
  /** The section's number label (2.1 / 一、), when it has one. */
  label?: string;
  /** The id of the place (entry, heading or chapter): marks in one place share one locator. */
  id: string;
}

/** Mark or entry id → its place, for every chapter of the edition. */
export function indexPlaces(files: readonly VFile[]): Map<string, IndexPlace> {
  const places = new Map<string, IndexPlace>();
  for (const file of files) {
    const chapter = file.data.chapter!;
    const headings = new Map(chapter.headings.map((x) => [x.id, x]));
    const tree = file.data.hast as Root | undefined;
    if (!tree) continue;
    const chapterPlace: IndexPlace = { name: chapter.short, id: chapter.id, kind: 'chapter' };
    let section: IndexPlace = chapterPlace;
    const walk = (node: Root | Element, entry: IndexPlace | undefined) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        if (child.tagName === 'svg') continue;
        const id = typeof child.properties.id === 'string' ? child.properties.id : undefined;
        if (/^h[2-4]$/.test(child.tagName) && id) {
          const heading = headings.get(id);
          section = { name: heading ? `${heading.label}${heading.label && !/[、）]$/.test(heading.label) ? ' ' : ''}${heading.text}` : toString(child), id, kind: 'section', ...(heading?.label ? { label: heading.label } : {}) };
          continue;
        }
        if (child.tagName === 'section' && id && typeof child.properties.dataEntryTitle === 'string') {
          const place: IndexPlace = { name: child.properties.dataEntryTitle, id, kind: 'entry' };
          places.set(id, place);
          walk(child, place);
          continue;
        }
        const classes = child.properties.className;
        if (id && Array.isArray(classes) && classes.includes('idx-mark')) places.set(id, entry ?? section);
        walk(child, entry);
      }
    };
    walk(tree, undefined);
  }
  return places;
}

/** Marks of one index heading, one per place, in book order: the site's locators. */
export function distinctPlaces<T extends { id: string }>(marks: readonly T[], places: ReadonlyMap<string, IndexPlace>): Array<{ mark: T; place: IndexPlace | undefined }> {
  const seen = new Set<string>();
  const out: Array<{ mark: T; place: IndexPlace | undefined }> = [];
  for (const mark of marks) {
    const place = places.get(mark.id);
    const key = place?.id ?? mark.id;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ mark, place });
  }
  return out;
}
