/**
 * A walk over the elements of a hast tree, in document order, for the book-wide passes that run over
 * every chapter on every build (links, cross-references, citations, the id index, lists of figures).
 * `unist-util-visit` does the same for any node type but copies the ancestor list at every node, which
 * on chapters with large tables costs several times the work of the pass itself; these passes need
 * neither the ancestors nor other node types.
 *
 * The visitor may change the element's properties and children (the walk then goes into the new
 * children); returning `SKIP_CHILDREN` leaves the element's children out.
 */
import type { Element, Root } from 'hast';

export const SKIP_CHILDREN = Symbol('skip children');

export type ElementVisitor = (node: Element) => void | typeof SKIP_CHILDREN;

export function walkElements(tree: Root | Element, visitor: ElementVisitor): void {
  const children = tree.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.type !== 'element') continue;
    if (visitor(child) === SKIP_CHILDREN) continue;
    walkElements(child, visitor);
  }
}
