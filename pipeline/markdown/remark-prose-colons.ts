/**
 * A colon in prose is not a directive. remark-directive reads `作者:Zhang San`, `状态:OK`,
 * `London:The MIT Press` (a GB/T 7714 line), `mailto:x@y.cn` and `key:value` as text directives; this
 * plugin, run before any directive plugin, turns such a directive back into its source text when it is
 * written bare — with neither `[label]` nor `{attributes}` — and either
 * - no plugin knows its name (`:Zhang`, `:OK`, `:The`), or
 * - the colon sits inside a word (`key:value`: a letter or digit right before it), even for a known name.
 * A directive with a label or attributes (`:re[fig-1]`) is left for the plugins, so a misspelt one is
 * still reported by remarkUnknownDirectives with its "did you mean".
 */
import type { Root, Text } from 'mdast';
import { visit, SKIP } from '../base/visit.ts';
import type { VFile } from 'vfile';
import type { Directive } from './directive-utils.ts';

export interface ProseColonsOptions {
  /** Every directive name some plugin handles. */
  known: readonly string[];
}

export function remarkProseColons(options: ProseColonsOptions) {
  const known = new Set(options.known);
  return (tree: Root, file: VFile) => {
    const source = String(file.value ?? '');
    visit(tree, 'textDirective', (node, index, parent) => {
      const directive = node as Directive;
      const start = directive.position?.start.offset;
      const end = directive.position?.end.offset;
      if (start == null || end == null || !parent || index == null) return;
      const bare = end - start === directive.name.length + 1;
      if (!bare) return;
      const inWord = start > 0 && /[\p{L}\p{N}]/u.test(source[start - 1]!);
      if (known.has(directive.name) && !inWord) return;
      const text: Text = { type: 'text', value: source.slice(start, end), position: directive.position };
      parent.children[index] = text;
      return SKIP;
    });
  };
}
