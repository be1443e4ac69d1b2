/** Small helpers shared by the directive plugins. */
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import type { Paragraph, PhrasingContent, RootContent } from 'mdast';

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
