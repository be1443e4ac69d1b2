/**
 * The chapter title comes from the front matter and is rendered by the template; a `#` heading inside the
 * chapter would be a second title, so it is reported and demoted to `##`.
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

export function remarkChapterHeadings() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'heading', (heading) => {
      if (heading.depth === 1) {
        report(file, 'heading-level', 'a chapter must not contain a level-1 heading (#); the title comes from the front matter', heading);
        heading.depth = 2;
      }
    });
  };
}
