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
import { SKIP } from '../../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, element, visitDirective } from '../../markdown/directive-utils.ts';

export const SIGNATURE_DIRECTIVES = ['signature'] as const;

export function remarkSignature() {
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'signature', ANY_KIND, (directive, { index, replace }) => {
      if (directive.type !== 'containerDirective') {
        report(file, 'directive-attribute', 'write the signature as a container: :::signature, its lines as paragraphs, then :::', directive);
        if (directive.type === 'leafDirective') replace(element('p', {}, directive.children));
        else replace(...directive.children);
        return [SKIP, index];
      }
      const replacement = element('div', { className: ['signature'] }, directive.children);
      replacement.position = directive.position;
      replace(replacement);
      return SKIP;
    });
  };
}
