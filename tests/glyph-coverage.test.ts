/**
 * Which code points an edition's faces draw (pipeline/fonts/glyph-coverage.ts): the ranges the @fontsource
 * packages declare, narrowed by a face's own `unicodeRange`, with KaTeX's faces left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverageFor, coverageOf } from '../pipeline/fonts/glyph-coverage.ts';
import { fontSetFor, type FontSet } from '../pipeline/fonts/fonts.ts';

const cp = (s: string) => s.codePointAt(0)!;

test('a face covers what its package declares, narrowed by its own unicodeRange', () => {
  const set = (unicodeRange?: string): FontSet => ({
    ...fontSetFor('en'),
    faces: [{ pkg: 'noto-sans-math', family: 'Noto Sans Math', weight: 400, style: 'normal', ...(unicodeRange ? { unicodeRange } : {}) }],
  });
  // The package declares U+0000-00FF among others, and nothing of Malayalam.
  const whole = coverageOf(set());
  assert.ok(whole.covers(cp('A')) && whole.covers(cp('a')));
  assert.ok(!whole.covers(0x0d06));
  // Narrowed to the capitals (and to a range the package lacks, which adds nothing).
  const capitals = coverageOf(set('U+0041-005A,U+0D00-0D7F'));
  assert.ok(capitals.covers(cp('A')) && capitals.covers(cp('Z')));
  assert.ok(!capitals.covers(cp('a')) && !capitals.covers(cp('@')) && !capitals.covers(0x0d06));
  // Outside Unicode: nothing.
  assert.ok(!whole.covers(-1) && !whole.covers(0x110000));
});

test('the script sets: Chinese faces cover hanzi, no face covers Malayalam', () => {
  for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
    const coverage = coverageFor(script);
    assert.ok(coverage.covers(cp('A')) && coverage.covers(cp('∑')), script);
    assert.ok(!coverage.covers(0x0d06), script);
  }
  assert.ok(coverageFor('zh-Hans').covers(cp('国')) && coverageFor('zh-Hant').covers(cp('國')));
});
