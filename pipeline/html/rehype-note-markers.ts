/**
 * Where note and citation markers sit. A marker follows its word without a space ("disadvantage[1]",
 * not "disadvantage [1]": the author's space before `:cite` or `[^note]` is dropped), and in Chinese
 * editions it sits before the closing punctuation of its sentence or clause (“……支持①。”, not
 * “……支持。①”), as Chinese books set it. English keeps the marker after the punctuation.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { classesOf } from './text-runs.ts';
import { walkElements } from './walk-elements.ts';

export interface NoteMarkersOptions {
  /** The edition's script: Chinese editions move the marker before the closing punctuation. */
  script: Script;
}

const CLOSING = '。，；：！？、';

/** A citation link or the superscript of a footnote reference. */
export function isMarker(node: ElementContent | undefined): node is Element {
  if (node?.type !== 'element') return false;
  if (node.tagName === 'a' && classesOf(node).includes('citation')) return true;
  return node.tagName === 'sup' && node.children.some((c) => c.type === 'element' && c.properties.dataFootnoteRef !== undefined);
}

export function rehypeNoteMarkers(options: NoteMarkersOptions) {
  const cjk = options.script !== 'en';
  return (tree: Root) => {
    walkElements(tree, (parent) => {
      const children = parent.children;
      for (let i = 1; i < children.length; i++) {
        if (!isMarker(children[i])) continue;
        const prev = children[i - 1]!;
        if (prev.type !== 'text') continue;
        prev.value = prev.value.replace(/[ \t\n]+$/, '');
        const last = prev.value.at(-1);
        if (cjk && last && CLOSING.includes(last)) {
          prev.value = prev.value.slice(0, -1);
          // The mark goes after this marker and any markers right after it (……支持①②。).
          let j = i;
          while (isMarker(children[j + 1])) j++;
          children.splice(j + 1, 0, { type: 'text', value: last });
        }
      }
    });
  };
}
