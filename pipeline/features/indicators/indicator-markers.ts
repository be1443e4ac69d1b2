/**
 * Indicator directives that expand into numbered blocks (`::ranking-table` → `:::table`, `::chart` →
 * `::figure`) leave a marker: a copy of the original directive, flagged, so that the edition facts
 * (pipeline/markdown/remark-edition-facts.ts), which run after the expansion, still record which framework
 * and entities the chapter refers to. `remarkIndicatorMarkers` removes the markers before HTML.
 * A directive that cannot be rendered becomes a visible placeholder, so the gap shows in the proof.
 */
import type { Paragraph, Root } from 'mdast';
import { SKIP, visit } from '../../base/visit.ts';
import type { Directive } from '../../markdown/directive-utils.ts';

interface MarkerData {
  indicatorMarker?: true;
}

export function marker(directive: Directive): Directive {
  return {
    type: 'leafDirective',
    name: directive.name,
    attributes: { ...directive.attributes },
    children: [],
    position: directive.position,
    data: { indicatorMarker: true } as MarkerData,
  } as Directive;
}

export function isMarker(node: unknown): boolean {
  return !!(node as { data?: MarkerData }).data?.indicatorMarker;
}

/** Visible text in place of a directive that could not be rendered (its problem is reported). */
export function placeholder(directive: Directive): Paragraph {
  const attrs = directive.attributes ?? {};
  const what = [directive.name, attrs.framework, attrs.type, attrs.entity ?? attrs.entities, attrs.dimension ?? attrs.indicator].filter(Boolean).join(' ');
  return {
    type: 'paragraph',
    children: [{ type: 'text', value: `[${what}]` }],
    position: directive.position,
    data: { hProperties: { className: ['indicator-error'] } },
  };
}

/** Remove the markers (runs in the remark phase, after the edition facts were recorded). */
export function remarkIndicatorMarkers() {
  return (tree: Root) => {
    visit(tree, (node, index, parent) => {
      if (parent && index != null && isMarker(node)) {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
    });
  };
}
