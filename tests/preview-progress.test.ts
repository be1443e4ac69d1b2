/**
 * Progress output: plain lines when not on a terminal (CI logs), for books, editions, chapters and PDF
 * pages; a terminal that reports no width gets plain lines too (a spinner there never finishes drawing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildAll } from '../pipeline/build/build.ts';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { createTerminalProgress } from '../pipeline/report/progress.ts';
import { rmSync } from 'node:fs';
import { copyProject, PREVIEW_FIXTURE } from './preview-helpers.ts';

function sink(props: { isTTY?: boolean; columns?: number } = {}) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, props);
  return { stream, text: () => text };
}

test('a build prints plain progress lines when not on a terminal, and says when it skipped', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const out = sink();
  const progress = await createTerminalProgress({ stream: out.stream });
  const cache = createBuildCache(project);
  await buildAll({ project, format: 'html', cache, progress: progress.sink });
  await buildAll({ project, format: 'html', cache, progress: progress.sink });
  progress.stop();
  assert.equal(
    out.text(),
    [
      'building preview-book-2026/en',
      '  chapter 1/2 01-first.md',
      '  chapter 2/2 02-second.md',
      'preview-book-2026/en done (2 chapters)',
      'preview-book-2026/en unchanged, skipped',
      '',
    ].join('\n'),
  );
});

test('PDF pages are reported about ten times per edition, not once per page', async () => {
  const out = sink();
  const { sink: report } = await createTerminalProgress({ stream: out.stream });
  report({ kind: 'edition', book: 'b', edition: 'zh' });
  for (let page = 1; page <= 200; page++) report({ kind: 'pdf-page', book: 'b', edition: 'zh', page, total: 200 });
  const lines = out.text().trim().split('\n');
  assert.equal(lines[0], 'building b/zh');
  assert.ok(lines.length >= 10 && lines.length <= 13, `${lines.length} lines`);
  assert.equal(lines.at(-1), '  PDF page 200/200');
});

test('a terminal without a width gets plain lines, not a spinner', async () => {
  const out = sink({ isTTY: true, columns: 0 });
  const { sink: report, stop } = await createTerminalProgress({ stream: out.stream });
  report({ kind: 'edition', book: 'b', edition: 'en' });
  report({ kind: 'edition-done', book: 'b', edition: 'en', ok: true, chapters: 3 });
  stop();
  assert.equal(out.text(), 'building b/en\nb/en done (3 chapters)\n');
});

test('on a terminal the spinner (loaded only then) keeps a line for each edition done', async () => {
  const out = sink({ isTTY: true, columns: 80 });
  // What ora asks of a terminal stream besides write().
  Object.assign(out.stream, { cursorTo: () => true, moveCursor: () => true, clearLine: () => true });
  const { sink: report, stop } = await createTerminalProgress({ stream: out.stream, interactive: true });
  report({ kind: 'edition', book: 'b', edition: 'en' });
  report({ kind: 'edition-done', book: 'b', edition: 'en', ok: true, chapters: 3 });
  stop();
  assert.match(out.text(), /b\/en · 3 chapters · \d+\.\ds/);
  assert.doesNotMatch(out.text(), /building b\/en\n/, 'not the plain lines');
});
