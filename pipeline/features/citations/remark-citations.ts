/**
 * Citations: `:cite[key]`, `:cite[key1,key2]`, `:cite[key]{locator="45"}` become placeholders
 * `<span class="citation" data-cite="key1,key2" data-locator="45">`, numbered and rendered book-wide by
 * `rehypeCitations` (the numbers follow the order of first citation through the book).
 */
import type { Properties } from 'hast';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

const ATTRIBUTES = new Set(['locator']);

export function remarkCitations() {
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'cite', ANY_KIND, (directive) => {
      if (directive.type !== 'textDirective') report(file, 'directive-attribute', 'write a citation inline: :cite[key]', directive);
      const attrs = directive.attributes ?? {};
      for (const name of Object.keys(attrs)) {
        if (!ATTRIBUTES.has(name)) report(file, 'directive-attribute', `:cite has no attribute \`${name}\` (use locator="45")`, directive);
      }
      const keys = toString(directive)
        .split(/[,，;；\s]+/)
        .map((k) => k.trim())
        .filter(Boolean);
      if (keys.length === 0) report(file, 'unknown-citation', 'a citation needs at least one key: :cite[key]', directive);
      const props: Properties = { className: ['citation'], dataCite: keys.join(',') };
      if (attrs.locator) props.dataLocator = attrs.locator;
      directive.data = { hName: 'span', hProperties: props };
      directive.children = [];
    });
  };
}
