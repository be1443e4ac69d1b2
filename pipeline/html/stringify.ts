/**
 * HTML text of a finished hast tree, through rehype-stringify: the compiler that ends the unified chain
 * (remark-parse → remark-rehype → rehype-stringify). The book's pages are assembled from several trees
 * (an article, the contents, the sidebar) after the book-wide passes, so each is compiled on its own;
 * the settings are rehype-stringify's defaults, the same as hast-util-to-html's, except that a `raw` node
 * is written as it is: the only raw nodes are the SVG images inlined from sanitised text
 * (inline-svg-images.ts); the chapter processor parses and sanitises any raw HTML of a manuscript and
 * leaves none in its trees.
 */
import type { Element, ElementContent, Root } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';

/** Frozen once: a processor holds no state between calls. */
const compiler = unified().use(rehypeStringify, { allowDangerousHtml: true }).freeze();

export function stringifyHtml(node: Root | Element | ElementContent[]): string {
  const root: Root = Array.isArray(node) ? { type: 'root', children: node } : node.type === 'root' ? node : { type: 'root', children: [node] };
  return compiler.stringify(root);
}
