/**
 * `visit` as unist-util-visit has it — preorder, `(node, index, parent)`, an optional unist-util-is test,
 * the visitor's `SKIP`, `EXIT` and next index obeyed the same way — for the plugins that walk every chapter
 * of every edition. unist-util-visit-parents does per node what these walks do not need: a closure, a
 * renamed function (`Object.defineProperty`, for stack traces) and a copy of the ancestor list; on the
 * sample books that was ~0.5 s of a cold check's ~4 s of CPU. Only the forms the plugins use are offered:
 * a node type as the test (or none), one visitor (no `{enter, exit}`), in document order (no `reverse`).
 *
 * Like unist-util-visit, the walk reads the tree as it goes: nodes a visitor puts after the one it visits
 * are walked, and after a visitor ran, the children of the node it was given (even one it took out of
 * the tree) are walked unless it returned `SKIP`.
 */
import type { Node, Parent } from 'unist';
import { CONTINUE, EXIT, SKIP, type ActionTuple, type BuildVisitor, type VisitorResult } from 'unist-util-visit';

export { CONTINUE, EXIT, SKIP };

type AnyVisitor = (node: Node, index: number | undefined, parent: Parent | undefined) => VisitorResult;

const NOTHING: ActionTuple = [];

/** Calls `visitor` for every node of `tree` whose type is `type` (or every node), the tree's root included. */
export function visit<Tree extends Node, Type extends string>(tree: Tree, type: Type, visitor: BuildVisitor<Tree, Type>): void;
export function visit<Tree extends Node>(tree: Tree, visitor: BuildVisitor<Tree>): void;
export function visit(tree: Node, typeOrVisitor: string | AnyVisitor, maybeVisitor?: AnyVisitor): void {
  if (typeof typeOrVisitor === 'function') walk(tree, undefined, undefined, undefined, typeOrVisitor);
  else walk(tree, undefined, undefined, (node) => node.type === typeOrVisitor, maybeVisitor!);
}

/** The same walk with a test of one's own: `visitor` is called for the nodes `match` accepts. */
export function visitMatching(tree: Node, match: (node: Node) => boolean, visitor: AnyVisitor): void {
  walk(tree, undefined, undefined, match, visitor);
}

function walk(node: Node, index: number | undefined, parent: Parent | undefined, match: ((node: Node) => boolean) | undefined, visitor: AnyVisitor): ActionTuple {
  let result = NOTHING;
  if (match === undefined || match(node)) {
    result = toResult(visitor(node, index, parent));
    if (result[0] === EXIT) return result;
  }
  const asParent = node as Parent;
  if (asParent.children && result[0] !== SKIP) {
    let offset = 0;
    // `children` read at each step: a visitor may replace the array as well as its items.
    while (offset > -1 && offset < asParent.children.length) {
      const sub = walk(asParent.children[offset]!, offset, asParent, match, visitor);
      if (sub[0] === EXIT) return sub;
      offset = typeof sub[1] === 'number' ? sub[1] : offset + 1;
    }
  }
  return result;
}

function toResult(value: VisitorResult): ActionTuple {
  if (Array.isArray(value)) return value as ActionTuple;
  if (typeof value === 'number') return [CONTINUE, value];
  return value === null || value === undefined ? NOTHING : [value];
}
