/**
 * GFM's bare-URL autolinks run on through Chinese text: `访问https://www.cac.gov.cn，了解更多` links
 * `https://www.cac.gov.cn，了解更多`. A bare autolink ends at its first CJK character or full-width
 * punctuation mark; the rest goes back into the text. (Links written as `<…>` or `[…](…)` are untouched.)
 */
import type { Link, Root, Text } from 'mdast';
import { visit, SKIP } from '../base/visit.ts';
import type { VFile } from 'vfile';

/** Han, kana and Hangul letters, CJK punctuation (U+3000–303F) and full-width forms (U+FF00–FFEF). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

export function remarkAutolinkCjk() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value ?? '');
    visit(tree, 'link', (node: Link, index, parent) => {
      if (!parent || index == null || node.children.length !== 1 || node.children[0]!.type !== 'text') return;
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start == null || end == null) return;
      const written = source.slice(start, end);
      const label = node.children[0] as Text;
      if (written !== label.value) return; // not a bare autolink
      const cut = written.search(CJK);
      if (cut <= 0) return;
      const rest = written.slice(cut);
      node.url = node.url.slice(0, node.url.length - rest.length);
      label.value = written.slice(0, cut);
      const { start: first, end: last } = node.position!;
      const split = { line: first.line, column: first.column + cut, offset: start + cut };
      node.position = { start: first, end: split };
      label.position = { start: first, end: split };
      parent.children.splice(index + 1, 0, { type: 'text', value: rest, position: { start: split, end: last } });
      return SKIP;
    });
  };
}
