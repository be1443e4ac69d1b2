/**
 * visitDirective (pipeline/markdown/directive-utils.ts): the one way a remark plugin finds its directives —
 * by name and kind, in document order, with a place to replace them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { ANY_KIND, directiveMatcher, visitDirective } from '../pipeline/markdown/directive-utils.ts';

const parse = (markdown: string) => unified().use(remarkParse).use(remarkDirective).parse(markdown) as Root;

const source = ['Text :a[one] and :b[two].', '', '::a[three]', '', ':::a[four]', 'inside :a[five]', ':::'].join('\n');

test('visits only the named directives of the given kinds, in document order, outer before inner', () => {
  const seen: string[] = [];
  visitDirective(parse(source), 'a', ANY_KIND, (directive) => {
    seen.push(`${directive.type}:${toString(directive).split('inside')[0]}`);
  });
  assert.deepEqual(seen, ['textDirective:one', 'leafDirective:three', 'containerDirective:four', 'textDirective:five']);

  const leaves: string[] = [];
  visitDirective(parse(source), ['a', 'b'], 'leafDirective', (directive) => void leaves.push(toString(directive)));
  assert.deepEqual(leaves, ['three']);

  const texts: string[] = [];
  visitDirective(parse(source), ['a', 'b'], ['textDirective'], (directive) => void texts.push(toString(directive)));
  assert.deepEqual(texts, ['one', 'two', 'five']);
});

test('replace() puts nodes where the directive was, or removes it', () => {
  const tree = parse('Before :a[x] after.\n\n::a[gone]\n\nLast.');
  visitDirective(tree, 'a', ANY_KIND, (directive, place) => {
    if (directive.type === 'textDirective') place.replace({ type: 'text', value: 'X' }, { type: 'text', value: 'Y' });
    else place.replace();
  });
  assert.deepEqual(tree.children.map((node) => toString(node)), ['Before XY after.', 'Last.']);
});

test('the handler sees its parent and index, and what it returns steers the walk', () => {
  const tree = parse(':::a\n:a[inner]\n:::');
  const seen: string[] = [];
  visitDirective(tree, 'a', ANY_KIND, (directive, { parent, index }) => {
    seen.push(`${directive.type} at ${parent.type}[${index}]`);
    return 'skip'; // SKIP: do not enter the container
  });
  assert.deepEqual(seen, ['containerDirective at root[0]']);
});

test('directiveMatcher is visitDirective\'s test, for a pass that also sees other nodes', () => {
  const match = directiveMatcher(['a'], ['leafDirective', 'containerDirective']);
  const seen: string[] = [];
  visit(parse(source), (node) => {
    if (node.type === 'paragraph') seen.push('paragraph');
    const directive = match(node);
    if (directive) seen.push(`${directive.type}:${toString(directive).split('inside')[0]}`);
  });
  // The container's [label] is a paragraph of its own, then the paragraph inside it.
  assert.deepEqual(seen, ['paragraph', 'leafDirective:three', 'containerDirective:four', 'paragraph', 'paragraph']);
});
