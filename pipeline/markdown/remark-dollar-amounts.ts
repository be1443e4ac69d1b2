/**
 * Dollar signs in prose are not mathematics: `从$5涨到$10` must not set "5涨到" as a formula. Inline math
 * follows Pandoc's rule (its `tex_math_dollars` extension): the opening `$` must have a non-space
 * character right after it, the closing `$` a non-space character right before it, and the closing `$`
 * must not be followed by a digit. remark-math pairs dollars without that rule; this plugin turns an
 * inline formula that breaks it back into its source text. `$$…$$` and `\$` are not affected.
 */
import type { Root, Text } from 'mdast';
import type { InlineMath } from 'mdast-util-math';
import { visit, SKIP } from '../base/visit.ts';
import type { VFile } from 'vfile';

export function remarkDollarAmounts() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value ?? '');
    visit(tree, 'inlineMath', (node: InlineMath, index, parent) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start == null || end == null || !parent || index == null) return;
      const written = source.slice(start, end);
      if (!/^\$[^$]/.test(written) || !/[^$]\$$/.test(written)) return; // $$…$$ inline: left alone
      const afterOpening = written[1]!;
      const beforeClosing = written[written.length - 2]!;
      const afterClosing = source[end] ?? '';
      if (!/\s/.test(afterOpening) && !/\s/.test(beforeClosing) && !/\d/.test(afterClosing)) return;
      const text: Text = { type: 'text', value: written, position: node.position };
      parent.children[index] = text;
      return SKIP;
    });
  };
}
