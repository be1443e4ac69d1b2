/**
 * Citations: `:cite[key]`, `:cite[key1,key2]`, `:cite[key]{locator="45"}` become placeholders
 * `<span class="citation" data-cite="key1,key2" data-locator="45">`, numbered and rendered book-wide by
 * `rehypeCitations` (the numbers follow the order of first citation through the book).
 */
import type { Properties } from 'hast';
import type { Parents, Root, Text } from 'mdast';
import { location } from 'vfile-location';
import { visit } from '../../base/visit.ts';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

const ATTRIBUTES = new Set(['locator']);

/** A Pandoc citation key: `@` (or `-@`) that follows no letter, digit or address character, so `admin@example.com` is none. */
const KEY = String.raw`(?<![\p{L}\p{N}_.+-])-?@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*)`;
/** A Pandoc citation, `[@key]`, `[@key, p. 45]` or `[see @a; @b]`, which Markdown keeps as plain text. */
const PANDOC_CITATION = new RegExp(String.raw`\[[^\[\]@]{0,40}${KEY}[^\[\]]*\]`, 'gu');
const PANDOC_KEY = new RegExp(KEY, 'gu');

export function remarkCitations() {
  return (tree: Root, file: VFile) => {
    // A manuscript from a Pandoc workflow cites with [@key]: it would print as it is, brackets and all.
    const source = String(file.value ?? '');
    let points: ReturnType<typeof location> | undefined; // made on the first match: most chapters have none
    /**
     * Where the match is in the source: in its text node when the node has a position and sits on one
     * line; else (a text node split by GFM's e-mail and URL literals, which keeps no position) the first
     * place in its paragraph where the same text is written.
     */
    const placeOf = (node: Text, index: number, text: string, parent: Parents | undefined) => {
      const start = node.position?.start;
      if (start && !node.value.slice(0, index).includes('\n')) return { line: start.line, column: start.column + index };
      const from = parent?.position?.start.offset;
      const at = from == null ? -1 : source.indexOf(text, from);
      return (at >= 0 ? (points ??= location(file)).toPoint(at) : undefined) ?? parent;
    };
    if (source.includes('@')) visit(tree, 'text', (node, _index, parent) => {
      for (const m of node.value.matchAll(PANDOC_CITATION)) {
        const keys = [...m[0].matchAll(PANDOC_KEY)].map((k) => k[1]!.replace(/[.:]$/, ''));
        report(file, 'pandoc-citation', `${m[0]} is Pandoc's citation syntax, printed here as it is: write :cite[${keys.join(',')}]`, placeOf(node, m.index, m[0], parent));
      }
    });
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

