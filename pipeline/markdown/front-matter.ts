/**
 * Reads a chapter's YAML front matter (the `yaml` node of remark-frontmatter), validates it and stores it
 * on `file.data.matter`. Problems are reported at the YAML line inside the chapter file.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { loadYaml, validate } from '../config/yaml.ts';
import { frontMatterSchema, type FrontMatter } from '../config/book-schema.ts';
import { report } from '../report/diagnostics.ts';

/** Returns the validated front matter, or undefined (with diagnostics on `file`). */
export function readFrontMatter(tree: Root, file: VFile): FrontMatter | undefined {
  const node = tree.children[0];
  if (!node || node.type !== 'yaml') {
    report(file, 'front-matter-schema', 'the chapter has no front matter', { line: 1, column: 1 });
    return undefined;
  }
  // The YAML text starts on the line after the opening `---`.
  const lineOffset = (node.position?.start.line ?? 1);
  const loaded = loadYaml(file, node.value, lineOffset);
  const matter = validate(loaded, frontMatterSchema, 'front-matter-schema');
  if (matter) file.data.matter = matter;
  return matter;
}
