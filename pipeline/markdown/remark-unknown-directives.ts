/**
 * Runs after every directive plugin: a directive that none of them handled is reported as
 * `unknown-directive` (with a "did you mean") and rendered as its literal source text, so nothing vanishes
 * silently. A text directive that is really prose (`10:30`, `ratio 1:a`) is left as text; bare colons in
 * prose (`作者:Zhang San`) were already turned back into text by remarkProseColons.
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import type { Directive } from './directive-utils.ts';
import { closest } from '../report/closest.ts';

export interface UnknownDirectivesOptions {
  /** Every directive name some plugin handles. */
  known: readonly string[];
}

export function remarkUnknownDirectives(options: UnknownDirectivesOptions) {
  const known = new Set(options.known);
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent) => {
      if (node.type !== 'textDirective' && node.type !== 'leafDirective' && node.type !== 'containerDirective') return;
      const directive = node as Directive;
      if (directive.type === 'textDirective' && !/^[A-Za-z]/.test(directive.name) && parent && index != null) {
        // `2022:2023`, `10:30`: prose, not a directive.
        parent.children[index] = { type: 'text', value: sourceOf(directive, file) };
        return;
      }
      if ((directive.data as { hName?: string } | undefined)?.hName) return; // handled
      if (known.has(directive.name)) return; // handled later (rehype stage)
      const near = closest(directive.name, [...known]);
      const prefix = directive.type === 'textDirective' ? ':' : directive.type === 'leafDirective' ? '::' : ':::';
      report(file, 'unknown-directive', `unknown directive \`${prefix}${directive.name}\``, directive, {
        hint: near ? `Did you mean \`${prefix}${near}\`? Known directives are listed in docs/directives.md.` : undefined,
      });
      if (parent && index != null) {
        const source = sourceOf(directive, file);
        parent.children[index] = directive.type === 'textDirective' ? { type: 'text', value: source } : ({ type: 'paragraph', children: [{ type: 'text', value: source }] });
      }
    });
  };
}


function sourceOf(directive: Directive, file: VFile): string {
  const { position } = directive;
  if (file.value && position?.start.offset != null && position.end.offset != null) return String(file.value).slice(position.start.offset, position.end.offset);
  return ':' + directive.name;
}
