/**
 * The features of pipeline/features/ (issue 13): one list, one folder each, and the book-wide stage runs
 * their passes in the list's order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { Root } from 'hast';
import { FEATURES } from '../pipeline/features/index.ts';
import type { BookWidePass } from '../pipeline/features/feature.ts';
import type { BookIndex } from '../pipeline/html/book-index.ts';
import { resolveReferences, startBookWide } from '../pipeline/build/book-wide.ts';
import { repoRoot } from './helpers.ts';

test('no two features handle the same directive, and each feature has its folder', () => {
  const owners = new Map<string, string[]>();
  for (const feature of FEATURES) for (const name of feature.directives) owners.set(name, [...(owners.get(name) ?? []), feature.name]);
  assert.deepEqual([...owners].filter(([, by]) => by.length > 1), []);
  const names = FEATURES.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, 'feature names are unique');
  const missing = names.filter((name) => !existsSync(join(repoRoot, 'pipeline', 'features', name, `${name}-feature.ts`)));
  assert.deepEqual(missing, []);
});

test('the directives the chapter processor knows are the features\' (figures, equations, citations …)', () => {
  const known = FEATURES.flatMap((f) => f.directives);
  for (const name of ['figure', 'table', 'box', 'equation', 'signature', 'entry', 'cite', 'idx', 'ref', 'pageref', 'chart', 'value', 'stats-table', 'chronicle', 'lang']) {
    assert.ok(known.includes(name), `${name} is handled by a feature`);
  }
});

test('a feature gives roles only to directives it handles; figures and entries are the labelled blocks', () => {
  const strays = FEATURES.flatMap((f) => Object.values(f.roles ?? {}).flat().filter((name) => !f.directives.includes(name)).map((name) => `${f.name}: ${name}`));
  assert.deepEqual(strays, []);
  const labelled = FEATURES.flatMap((f) => f.roles?.labelled ?? []).sort();
  assert.deepEqual(labelled, ['box', 'entry', 'figure', 'table']);
  const keys = FEATURES.flatMap((f) => f.roles?.keyLabels ?? []).sort();
  assert.deepEqual(keys, ['cite', 'pageref', 'ref', 'value']);
});

test('book-wide passes run in the features\' order on every chapter, then finish once with all chapters', async () => {
  const calls: string[] = [];
  const pass = (name: string): BookWidePass => ({
    rehype: [() => (_tree: Root, file: VFile) => void calls.push(`${name}:${file.basename}`)],
    finish: (chapters) => void calls.push(`${name} finished ${chapters.length}`),
  });
  const features = [
    { name: 'a', directives: [], bookWide: () => pass('a') },
    { name: 'b', directives: [] },
    { name: 'c', directives: [], bookWide: () => pass('c') },
  ];
  const index: BookIndex = { ids: new Map(), labels: new Map(), byFile: new Map(), bySlug: new Map(), suggest: () => undefined };
  const chapters = ['01-one.md', '02-two.md'].map((path) => {
    const file = new VFile({ path, value: '' });
    file.data.hast = { type: 'root', children: [] };
    return file;
  });
  const passes = startBookWide(features, index);
  assert.equal(passes.length, 2, 'a feature without a book-wide part has no pass');
  await resolveReferences({ chapters, index, passes });
  assert.deepEqual(calls, ['a:01-one.md', 'c:01-one.md', 'a:02-two.md', 'c:02-two.md', 'a finished 2', 'c finished 2']);
});
