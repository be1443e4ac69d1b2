/**
 * The signature under a preface or an editorial note (落款): who wrote it and when, set right-aligned in
 * the book's Kai voice (templates/base/base.css, `.signature`).
 *
 *     :::signature
 *     世界互联网发展报告课题组
 *
 *     2026年6月
 *     :::
 *
 * becomes `<div class="signature">` with one paragraph per line. Written as a leaf or text directive it is
 * reported (`directive-attribute`) and its text kept as a plain paragraph.
 */
import type { Root } from 'mdast';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { element, type Directive } from './directive-utils.ts';

export const SIGNATURE_DIRECTIVES = ['signature'] as const;

export function remarkSignature() {
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return;
      const directive = node as Directive;
      if (directive.name !== 'signature' || !parent || index == null) return;
      if (directive.type !== 'containerDirective') {
        report(file, 'directive-attribute', 'write the signature as a container: :::signature, its lines as paragraphs, then :::', directive);
        if (directive.type === 'leafDirective') parent.children[index] = element('p', {}, directive.children);
        else parent.children.splice(index, 1, ...(directive.children as never[]));
        return [SKIP, index];
      }
      const replacement = element('div', { className: ['signature'] }, directive.children);
      replacement.position = directive.position;
      parent.children[index] = replacement;
      return SKIP;
    });
  };
}
