/**
 * Where note and citation markers sit. A marker follows its word without a space ("disadvantage[1]",
 * not "disadvantage [1]": the author's space before `:cite` or `[^note]` is dropped), and in Chinese
 * editions it sits before the closing punctuation of its sentence or clause (“……支持①。”, not
 * “……支持。①”), as Chinese books set it. English keeps the marker after the punctuation. In every
 * script the marker is kept on the line of the character before it (and of the closing mark after it).
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { classesOf } from './text-runs.ts';
import { SKIP_CHILDREN, walkElements } from './walk-elements.ts';

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
      // A span this stage made: its marker is already glued.
      if (parent.tagName === 'span' && classesOf(parent).includes('nobreak')) return SKIP_CHILDREN;
      const children = parent.children;
      for (let i = 1; i < children.length; i++) {
        if (!isMarker(children[i])) continue;
        const prev = children[i - 1]!;
        if (prev.type !== 'text') continue;
        prev.value = prev.value.replace(/[ \t\n]+$/, '');
        // The marker and any markers right after it (……支持①②。).
        let j = i;
        while (isMarker(children[j + 1])) j++;
        const last = prev.value.at(-1);
        let closing: ElementContent[] = [];
        if (cjk && last && CLOSING.includes(last)) {
          prev.value = prev.value.slice(0, -1);
          closing = [{ type: 'text', value: last }];
        }
        const glued = glue(prev, children.slice(i, j + 1), closing);
        if (glued) children.splice(i - 1, j - i + 2, ...glued);
        else children.splice(j + 1, 0, ...closing);
      }
    });
  };
}

/**
 * The last character before the markers, the markers and the closing mark after them, in one
 * `<span class="nobreak">`: the print sets a page-note reference as an inline block, after which and
 * before which a line may break, so "results." could end a line and its marker "1" stand alone on the
 * next. One character is enough (a line never breaks inside a word but at a hyphenation point). Undefined
 * when no character precedes the markers; else what replaces the text and the markers.
 */
function glue(prev: { type: 'text'; value: string }, markers: ElementContent[], closing: ElementContent[]): ElementContent[] | undefined {
  const chars = Array.from(prev.value);
  const last = chars.pop();
  if (last === undefined || /\s/.test(last)) return undefined;
  const span: Element = { type: 'element', tagName: 'span', properties: { className: ['nobreak'] }, children: [{ type: 'text', value: last }, ...markers, ...closing] };
  const before = chars.join('');
  return before ? [{ type: 'text', value: before }, span] : [span];
}
