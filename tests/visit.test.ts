/**
 * visit (pipeline/base/visit.ts): the plugins' tree walk must do what unist-util-visit does — same nodes,
 * same order, same index and parent, and the same answer to SKIP, EXIT, a next index and a tree changed
 * under the walk — since the plugins were written against unist-util-visit. Each case runs both walks on
 * two copies of one parsed chapter and compares what they saw and the tree they left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root } from 'mdast';
import type { Node, Parent } from 'unist';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit as unistVisit, type VisitorResult } from 'unist-util-visit';
import { EXIT, SKIP, visit, visitMatching } from '../pipeline/base/visit.ts';

const source = [
  '# Title {#t}',
  '',
  'Text *em :a[one]* and :b[two] with `code`.',
  '',
  '::a[three]{x=1}',
  '',
  ':::box[four]',
  'inside :a[five] **strong**',
  '',
  '- item one',
  '- item :a[six]',
  ':::',
  '',
  '| h | i |',
  '|---|---|',
  '| :a[seven] | z |',
].join('\n');

const parse = () => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).parse(source) as Root;

type Visitor = (node: Node, index: number | undefined, parent: Parent | undefined) => VisitorResult;

/** Runs `make()`'s visitor with both walks (with or without a type test); returns what each saw and left. */
function both(make: () => Visitor, type?: string): { ours: unknown; theirs: unknown } {
  const run = (walk: (tree: Root, visitor: Visitor) => void) => {
    const tree = parse();
    const seen: string[] = [];
    const visitor = make();
    walk(tree, (node, index, parent) => {
      seen.push(`${node.type}@${index ?? '-'}<${parent?.type ?? '-'}`);
      return visitor(node, index, parent);
    });
    return { seen, tree: JSON.stringify(tree) };
  };
  const ours = run((tree, v) => (type ? visit(tree, type, v as never) : visit(tree, v as never)));
  const theirs = run((tree, v) => (type ? unistVisit(tree, type, v as never) : unistVisit(tree, v as never)));
  return { ours, theirs };
}

test('every node, or every node of a type, in the same order with the same index and parent', () => {
  for (const type of [undefined, 'text', 'textDirective', 'listItem', 'root']) {
    const { ours, theirs } = both(() => () => undefined, type);
    assert.deepEqual(ours, theirs, `type ${type}`);
    assert.ok((ours as { seen: string[] }).seen.length > 0);
  }
});

test('SKIP leaves the children out, EXIT ends the walk, a number is the next index', () => {
  const cases: Array<[string, () => Visitor]> = [
    ['skip paragraphs', () => (node) => (node.type === 'paragraph' ? SKIP : undefined)],
    ['skip as a tuple', () => (node) => (node.type === 'containerDirective' ? [SKIP] : undefined)],
    ['exit at the first directive', () => (node) => (node.type === 'leafDirective' ? EXIT : undefined)],
    ['exit inside a list', () => (node) => (node.type === 'listItem' ? [EXIT] : undefined)],
    ['jump back once', () => {
      let jumped = false;
      return (node, index) => {
        if (node.type !== 'leafDirective' || jumped) return undefined;
        jumped = true;
        return index! - 1;
      };
    }],
  ];
  for (const [name, make] of cases) {
    const { ours, theirs } = both(make);
    assert.deepEqual(ours, theirs, name);
  }
  const { ours } = both(cases[2]![1]);
  assert.ok(!(ours as { seen: string[] }).seen.some((s) => s.startsWith('containerDirective')), 'nothing after EXIT');
});

test('a tree changed during the walk: replaced, removed and inserted nodes are walked as unist-util-visit walks them', () => {
  const cases: Array<[string, () => Visitor]> = [
    ['replace a directive by two texts, go on after them', () => (node, index, parent) => {
      if (node.type !== 'textDirective' || !parent) return undefined;
      parent.children.splice(index!, 1, { type: 'text', value: 'A' } as Node, { type: 'text', value: 'B' } as Node);
      return [SKIP, index! + 2];
    }],
    ['remove a block and carry on at its place (its children are still walked)', () => (node, index, parent) => {
      if (node.type !== 'leafDirective' || !parent) return undefined;
      parent.children.splice(index!, 1);
      return index;
    }],
    ['replace without saying where to go on', () => (node, index, parent) => {
      if (node.type !== 'containerDirective' || !parent) return undefined;
      parent.children.splice(index!, 1, { type: 'paragraph', children: [{ type: 'text', value: 'new' }] } as Node);
      return undefined;
    }],
    ['a new children array for the node being visited', () => (node) => {
      if (node.type !== 'list') return undefined;
      (node as Parent).children = [...(node as Parent).children].reverse();
      return undefined;
    }],
  ];
  for (const [name, make] of cases) {
    const { ours, theirs } = both(make);
    assert.deepEqual(ours, theirs, name);
  }
});

test('visitMatching calls the visitor for the nodes its test accepts only, and still walks inside the others', () => {
  const tree = parse();
  const seen: string[] = [];
  visitMatching(tree, (node) => node.type === 'textDirective', (node, index, parent) => {
    seen.push(`${(node as unknown as { name: string }).name}@${index}<${parent?.type}`);
  });
  assert.deepEqual(seen, ['a@1<emphasis', 'b@3<paragraph', 'a@1<paragraph', 'a@1<paragraph', 'a@0<tableCell']);
});
