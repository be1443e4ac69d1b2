/**
 * A footnote reference without a definition (`[^x]` and no `[^x]: …`) is left as literal text by GFM,
 * silently. Report each one at its position under `undefined-footnote` (a warning: the text stays as
 * typed), with the nearest defined label as a suggestion.
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { report } from '../report/diagnostics.ts';
import { closest } from '../report/closest.ts';

export function remarkUndefinedFootnotes() {
  return (tree: Root, file: VFile) => {
    const defined = new Set<string>();
    visit(tree, 'footnoteDefinition', (node) => {
      defined.add(node.identifier);
    });
    const place = location(file);
    visit(tree, 'text', (node) => {
      const offset = node.position?.start.offset;
      if (offset == null) return;
      for (const match of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
        const label = match[1]!;
        const near = closest(label, defined);
        report(file, 'undefined-footnote', `footnote [^${label}] has no definition`, place.toPoint(offset + match.index), {
          hint: near ? `Did you mean [^${near}]? Otherwise add a definition: [^${label}]: 注释文字` : `Add a definition on its own line: [^${label}]: 注释文字`,
        });
      }
    });
  };
}
