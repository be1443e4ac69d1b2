/**
 * HTML text of a finished hast tree, through rehype-stringify: the compiler that ends the unified chain
 * (remark-parse → remark-rehype → rehype-stringify). The book's pages are assembled from several trees
 * (an article, the contents, the sidebar) after the book-wide passes, so each is compiled on its own;
 * the settings are rehype-stringify's defaults, the same as hast-util-to-html's.
 */
import type { Element, ElementContent, Root } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';

/** Frozen once: a processor holds no state between calls. */
const compiler = unified().use(rehypeStringify).freeze();

export function stringifyHtml(node: Root | Element | ElementContent[]): string {
  const root: Root = Array.isArray(node) ? { type: 'root', children: node } : node.type === 'root' ? node : { type: 'root', children: [node] };
  return compiler.stringify(root);
}
