/** Small helpers shared by the directive plugins. */
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import type { Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import type { Node } from 'unist';
import type { VisitorResult } from 'unist-util-visit';
import { visitMatching } from '../base/visit.ts';

export type Directive = ContainerDirective | LeafDirective | TextDirective;

/** A node that mdast-util-to-hast turns into `<tag …>children</tag>`. */
export function element(tag: string, properties: Record<string, unknown>, children: RootContent[] | PhrasingContent[] = []): any {
  return { type: 'annalsElement', data: { hName: tag, hProperties: properties }, children };
}

export function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

/**
 * The `[label]` of a directive as phrasing content. For leaf and text directives it is the children; for
 * containers it is the first paragraph flagged `directiveLabel` (removed from the children).
 */
export function takeLabel(node: Directive): PhrasingContent[] {
  if (node.type !== 'containerDirective') return node.children as PhrasingContent[];
  const first = node.children[0];
  if (first && first.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel) {
    node.children.shift();
    return (first as Paragraph).children;
  }
  return [];
}

/** The three ways a directive is written: `:name` (text), `::name` (leaf), `:::name` (container). */
export type DirectiveKind = Directive['type'];

/** Every kind: for plugins that accept a directive in any form and report the wrong one themselves. */
export const ANY_KIND: readonly DirectiveKind[] = ['textDirective', 'leafDirective', 'containerDirective'];

/** Where a visited directive sits, and how to put something else in its place. */
export interface DirectivePlace {
  parent: Parent;
  index: number;
  /**
   * Puts `nodes` where the directive was (none: removes it). The nodes must fit the parent: phrasing
   * content inside a paragraph, flow content elsewhere. Any unist node is taken, since the plugins also
   * insert nodes that only carry `data.hName` (see `element()`), which mdast's types do not know.
   */
  replace(...nodes: Array<Nodes | (Node & Record<string, unknown>)>): void;
}

/**
 * Calls `handler` for every directive named `name` (or one of `names`) written in one of the `kind`s, in
 * document order, with its parent and index. The handler may return what a unist-util-visit visitor returns
 * (`SKIP`, `[SKIP, index]` after replacing the directive …). Directives of other names or kinds are left
 * for other plugins; `remarkUnknownDirectives` reports the ones nobody handled.
 */
export function visitDirective(
  tree: Root,
  name: string | readonly string[],
  kind: DirectiveKind | readonly DirectiveKind[],
  handler: (directive: Directive, place: DirectivePlace) => VisitorResult,
): void {
  const match = directiveMatcher(name, kind);
  visitMatching(tree, (node) => match(node) !== undefined, (node, index, unistParent) => {
    if (unistParent === undefined || index === undefined) return;
    const directive = node as Directive;
    const parent = unistParent as Parent;
    const replace: DirectivePlace['replace'] = (...nodes) => {
      parent.children.splice(index, 1, ...(nodes as typeof parent.children));
    };
    return handler(directive, { parent, index, replace });
  });
}

/**
 * The test `visitDirective` applies to each node: the node as a directive named `name` (or one of `names`)
 * written in one of the `kind`s, else undefined. For a plugin that must see its directives and other nodes
 * in one document-order pass (figures count titled images and `::figure`s in one sequence; equations
 * render `$…$` and number `:::equation`s as they come); every other plugin uses `visitDirective`.
 */
export function directiveMatcher(name: string | readonly string[], kind: DirectiveKind | readonly DirectiveKind[]): (node: Node) => Directive | undefined {
  const names = new Set(typeof name === 'string' ? [name] : name);
  const kinds = new Set<string>(typeof kind === 'string' ? [kind] : kind);
  return (node) => (kinds.has(node.type) && names.has((node as Directive).name) ? (node as Directive) : undefined);
}
