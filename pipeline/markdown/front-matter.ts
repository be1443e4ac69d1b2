/**
 * Reads a chapter's YAML front matter (the `yaml` node of remark-frontmatter), validates it and stores it
 * on `file.data.matter`. Problems are reported at the YAML line inside the chapter file.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { loadYaml, validate } from '../config/yaml.ts';
import { frontMatterSchema, type FrontMatter } from '../config/book-schema.ts';
import { report } from '../report/diagnostics.ts';
import { digest } from '../base/hash.ts';
import type { HashMemo } from '../base/memo.ts';
import { markMessages, messagesSince, replayMessages, type LoggedFile } from '../base/message-log.ts';

/**
 * Returns the validated front matter, or undefined (with diagnostics on `file`). With `memo` (a
 * preview's), front matter read before — same YAML text at the same line — is not parsed and checked
 * again: the value and its messages come from the memo.
 */
export function readFrontMatter(tree: Root, file: VFile, memo?: HashMemo<unknown>): FrontMatter | undefined {
  const node = tree.children[0];
  if (!node || node.type !== 'yaml') {
    report(file, 'front-matter-schema', 'the chapter has no front matter', { line: 1, column: 1 });
    return undefined;
  }
  // The YAML text starts on the line after the opening `---`.
  const lineOffset = (node.position?.start.line ?? 1);
  const key = memo ? digest('front-matter', String(lineOffset), node.value) : '';
  const kept = memo?.get(key) as { matter: FrontMatter | undefined; messages: LoggedFile[] } | undefined;
  let matter: FrontMatter | undefined;
  if (kept) {
    replayMessages([file], kept.messages.map((m) => ({ ...m, path: file.path })));
    matter = structuredClone(kept.matter);
  } else {
    const mark = markMessages([file]);
    const loaded = loadYaml(file, node.value, lineOffset);
    matter = validate(loaded, frontMatterSchema, 'front-matter-schema');
    memo?.set(key, { matter: structuredClone(matter), messages: messagesSince([file], mark) });
  }
  if (matter) file.data.matter = matter;
  return matter;
}
