/**
 * A container directive (`:::box`) whose closing `:::` is missing runs to the end of the chapter (or of
 * the block quote or list item around it), swallowing everything after it — headings included — without
 * a word. Each such container is an error at its opening line (`directive-unclosed`). So is an opening
 * whose `[label]` has no `]` on its line (`:::box[标题`): no directive is read, and the line prints as text.
 *
 * A container is closed when the last line of its source is a fence of colons, and that fence is its own:
 * not the fence of a container nested last inside it (which ends where it ends).
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

/** `:::box[label` or `::figure[label` with the label's `]` missing on the opening line. */
const UNCLOSED_LABEL = /^(:{2,})([A-Za-z][\w-]*)\[[^\]\n]*(?:\n|$)/;

export function remarkUnclosedDirectives() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value ?? '');
    visit(tree, 'containerDirective', (node) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start == null || end == null) return;
      const written = source.slice(start, end);
      const lastLine = written.slice(written.lastIndexOf('\n') + 1);
      const last = node.children.at(-1);
      const closedByChild = last?.type === 'containerDirective' && last.position?.end.offset === end;
      if (written.includes('\n') && /^[\s>]*:{3,}\s*$/.test(lastLine) && !closedByChild) return;
      report(file, 'directive-unclosed', `\`:::${node.name}\` is never closed: it runs to the end of ${end >= source.trimEnd().length ? 'the chapter' : 'its block'} and takes in everything after it`, node.position!.start);
    });
    // An opening whose [label] has no ] on its line is no directive at all: it prints as written.
    visit(tree, 'paragraph', (node) => {
      const first = node.children[0];
      const open = first?.type === 'text' ? UNCLOSED_LABEL.exec(first.value) : null;
      if (open) report(file, 'directive-unclosed', `\`${open[1]}${open[2]}[\` has no \`]\` on its line: it is not read as a directive, and prints as written`, node.position?.start, {
        hint: `Close the label on the opening line (${open[1]}${open[2]}[…]); a container's content goes on the lines below it, then a line of colons.`,
      });
    });
  };
}
