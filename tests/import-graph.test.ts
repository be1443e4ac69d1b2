/**
 * The folders of pipeline/ import each other in one direction only (issue 13): no cycle between folders,
 * and every import goes down the layering listed in pipeline/README.md ("Folders and layers").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycles, featureImports, importGraph } from '../scripts/import-graph.ts';

/**
 * The layering, lowest first (pipeline/README.md). A folder may import folders of lower layers only, never
 * a folder of its own layer or above. `.` is pipeline/ itself (cli.ts).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['base', 'report'],
  ['config'],
  ['indicators'],
  ['locale'],
  ['context', 'fonts'],
  ['charts', 'site', 'imprint', 'import', 'release'],
  ['markdown', 'html'],
  ['features'],
  ['chapter', 'check', 'pdf', 'epub'],
  ['press'],
  ['build'],
  ['commands', 'preview'],
  ['.'],
];

const layerOf = new Map(LAYERS.flatMap((folders, level) => folders.map((folder) => [folder, level] as const)));
const graph = importGraph();

test('no two folders of pipeline/ import each other, directly or through others', () => {
  const found = cycles(graph.edges);
  const report = found.map((group) => {
    const edges = group.flatMap((a) => group.flatMap((b) => (graph.witnesses.get(`${a} → ${b}`) ? [`${a} → ${b}: ${[...new Set(graph.witnesses.get(`${a} → ${b}`))].join(', ')}`] : [])));
    return `${group.join(' ⇄ ')}\n  ${edges.join('\n  ')}`;
  });
  assert.deepEqual(report, []);
});

test('every folder of pipeline/ has a place in the layering', () => {
  const unplaced = [...graph.edges.keys()].filter((folder) => !layerOf.has(folder)).sort();
  assert.deepEqual(unplaced, [], 'add the new folder to LAYERS here and to the list in pipeline/README.md');
});

test('every import between folders goes to a lower layer', () => {
  const upward: string[] = [];
  for (const [from, targets] of graph.edges) {
    for (const to of targets) {
      if (!layerOf.has(from) || !layerOf.has(to)) continue; // reported by the test above
      if (layerOf.get(to)! >= layerOf.get(from)!) upward.push(`${from} → ${to} (${[...new Set(graph.witnesses.get(`${from} → ${to}`))].join(', ')})`);
    }
  }
  assert.deepEqual(upward.sort(), []);
});

test('a feature folder imports no other feature folder, and only features/index.ts imports feature folders', () => {
  assert.deepEqual(featureImports(), []);
});

test('the cycle finder sees a cycle through three folders and ignores a chain', () => {
  const edges = (pairs: string[][]) => {
    const map = new Map<string, Set<string>>();
    for (const [a, b] of pairs) {
      if (!map.has(a!)) map.set(a!, new Set());
      if (!map.has(b!)) map.set(b!, new Set());
      map.get(a!)!.add(b!);
    }
    return map;
  };
  assert.deepEqual(cycles(edges([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']])), [['a', 'b', 'c']]);
  assert.deepEqual(cycles(edges([['a', 'b'], ['b', 'c'], ['a', 'c']])), []);
});
