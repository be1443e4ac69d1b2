/**
 * A container directive (`:::box`) whose closing `:::` is missing runs to the end of the chapter (or of
 * the block quote or list item around it), swallowing everything after it — headings included — without
 * a word. Each such container is an error at its opening line (`directive-unclosed`).
 *
 * A container is closed when the last line of its source is a fence of colons, and that fence is its own:
 * not the fence of a container nested last inside it (which ends where it ends).
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

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
  };
}
