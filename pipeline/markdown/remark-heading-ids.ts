/**
 * `## Title {#id}` → the heading gets id `id` and loses the braces. Ids set this way are permanent labels
 * for links and cross-references; headings without one get an id from their text later
 * (rehype-heading-numbers).
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type {} from 'mdast-util-to-hast';

const trailingId = /\s*\{#([A-Za-z][\w:.-]*)\}\s*$/;

export function remarkHeadingIds() {
  return (tree: Root) => {
    visit(tree, 'heading', (heading) => {
      const last = heading.children[heading.children.length - 1];
      if (!last || last.type !== 'text') return;
      const match = trailingId.exec(last.value);
      if (!match) return;
      last.value = last.value.slice(0, match.index);
      heading.data ??= {};
      heading.data.hProperties = { ...heading.data.hProperties, id: match[1]!, dataExplicitId: '' };
    });
  };
}
