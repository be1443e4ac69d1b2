/**
 * Where a blocked request of the print comes from (pipeline/pdf/guard-report.ts): the chapter whose
 * section the asking line of the loaded copy is in, read from the copy parsed as hast.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { VFile } from 'vfile';
import { blockedSource, chapterOpenedBy } from '../pipeline/pdf/guard-report.ts';

const COPY = [
  '<!doctype html><html><head></head><body>',
  '<section class="matter front-chapter" id="preface"><p>前言</p></section>',
  '<section class="chapter numbered" id="ch-1" data-chapter="one">',
  '<p><img src="https://example.org/a.png"></p>',
  '</section>',
  '<section id="ch-2" class="chapter numbered">',
  '<p>第二章</p><img src="x.png">',
  '</section></body></html>',
].join('\n');

test('the last chapter section opened at or before a line, whatever the order of its attributes', () => {
  const tree = fromHtml(COPY);
  assert.equal(chapterOpenedBy(tree, 2), undefined, 'front matter is no chapter');
  assert.equal(chapterOpenedBy(tree, 3), 'ch-1');
  assert.equal(chapterOpenedBy(tree, 5), 'ch-1');
  assert.equal(chapterOpenedBy(tree, 7), 'ch-2');
});

test('a blocked request with no chapter text naming it is placed at the chapter of its line (0-based, as Chromium counts)', () => {
  const one = new VFile({ path: 'one.md', value: '# 一', data: { chapter: { id: 'ch-1' } as never } });
  const two = new VFile({ path: 'two.md', value: '# 二', data: { chapter: { id: 'ch-2' } as never } });
  const context = { sources: [one, two], loaded: () => COPY };
  assert.equal(blockedSource('https://example.org/a.png', 3, context)?.file, one);
  assert.equal(blockedSource('https://example.org/b.png', 6, context)?.file, two);
  assert.equal(blockedSource('https://example.org/c.png', undefined, context), undefined);
});
