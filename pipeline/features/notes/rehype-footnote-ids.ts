/**
 * GFM footnotes get ids like `fn-1` / `fnref-1`, the same in every chapter. The print edition holds all
 * chapters in one document, so each chapter's footnote ids are prefixed with the chapter slug.
 */
import type { Element, Root } from 'hast';
import { visit } from '../../base/visit.ts';
import type { VFile } from 'vfile';

export function rehypeFootnoteIds() {
  return (tree: Root, file: VFile) => {
    const prefix = `${file.data.chapter!.slug}-`;
    const rename = (value: string) => (/^(fn|fnref)-/.test(value) ? prefix + value : value);
    visit(tree, 'element', (node: Element) => {
      const { id, href, ariaDescribedBy } = node.properties;
      if (typeof id === 'string') node.properties.id = rename(id);
      if (typeof href === 'string' && href.startsWith('#')) node.properties.href = '#' + rename(href.slice(1));
      if (Array.isArray(ariaDescribedBy)) node.properties.ariaDescribedBy = ariaDescribedBy.map((v) => rename(String(v)));
      if (id === 'footnote-label') node.properties.id = prefix + 'footnote-label';
    });
  };
}
