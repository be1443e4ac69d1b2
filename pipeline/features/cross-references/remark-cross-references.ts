/**
 * Cross-references: `:ref[label]` and `:pageref[label]` become placeholder links
 * (`<a class="xref" data-xref="label" data-xref-kind="ref|pageref">`). Their text and target are filled
 * book-wide by `rehypeCrossReferences`, once every chapter's labels are known.
 */
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

export const CROSS_REFERENCE_DIRECTIVES = ['ref', 'pageref'] as const;

export function remarkCrossReferences() {
  return (tree: Root, file: VFile) => {
    visitDirective(tree, CROSS_REFERENCE_DIRECTIVES, ANY_KIND, (directive) => {
      const label = toString(directive).trim();
      if (directive.type !== 'textDirective') {
        report(file, 'directive-attribute', `write a cross-reference inline: :${directive.name}[label]`, directive);
      }
      if (!label) {
        report(file, 'unknown-label', `:${directive.name} needs a label: :${directive.name}[fig-id]`, directive);
      }
      directive.data = { hName: 'a', hProperties: { className: ['xref'], dataXref: label, dataXrefKind: directive.name } };
      directive.children = [];
    });
  };
}
