import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usedInRanges } from '../pipeline/epub/epub-fonts.ts';
import { mergeRanges } from '../pipeline/fonts/fonts.ts';

test('usedInRanges gives the characters of a slice that the text uses, in order, as testing each against every range does', () => {
  // A small deterministic generator: the same cases on every run.
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const used = new Set(Array.from({ length: next(300) }, () => next(0x3000)));
    const ranges: Array<[number, number]> = Array.from({ length: 1 + next(12) }, () => {
      const a = next(0x3000);
      return [a, a + next(400)];
    });
    const naive = [...used].filter((c) => ranges.some(([a, b]) => c >= a && c <= b)).sort((x, y) => x - y);
    assert.deepEqual(usedInRanges([...used].sort((x, y) => x - y), mergeRanges(ranges)), naive);
  }
  assert.deepEqual(usedInRanges([], [[0, 10]]), []);
  assert.deepEqual(usedInRanges([5, 10, 11, 20], [[10, 11], [20, 20]]), [10, 11, 20]);
});
