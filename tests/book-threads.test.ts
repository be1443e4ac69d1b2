/**
 * Books side by side in worker threads (pipeline/build/book-threads.ts): a check of every sample book in
 * two threads reports exactly what one thread reports, in the same order, with the same results, errors
 * included; progress events come from every thread. (The HTML bytes of a two-thread build are
 * tests/byte-identity.test.ts's concern.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildAll } from '../pipeline/build/build.ts';
import type { ProgressEvent } from '../pipeline/report/progress.ts';
import { copyProject } from './preview-helpers.ts';

test('a check in two threads reports what a check in one thread reports', async (t) => {
  const project = copyProject({ books: ['china-report-2026', 'world-report-2026', 'yearbook-2026'], indicators: true });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  // Errors in two books, so both threads have something to report.
  project.edit('manuscripts/yearbook-2026/zh/01-features.md', (s) => `${s.trimEnd()}\n\n::figur[x]\n`);
  project.edit('manuscripts/china-report-2026/zh/01-overview.md', (s) => `${s.trimEnd()}\n\n:::tabel\n:::\n`);
  const events: ProgressEvent[] = [];
  const one = await buildAll({ project, format: 'html', checkOnly: true, checkIndicators: true, search: false });
  const two = await buildAll({ project, format: 'html', checkOnly: true, checkIndicators: true, search: false, threads: 2, progress: (e) => events.push(e) });
  assert.equal(one.ok, false);
  assert.equal(two.ok, false);
  assert.ok(one.diagnostics.filter((d) => d.severity === 'error').length >= 2);
  assert.deepEqual(two.diagnostics, one.diagnostics);
  assert.deepEqual(two.editions, one.editions);
  const done = events.filter((e) => e.kind === 'edition-done').map((e) => `${e.book}/${e.edition}`).sort();
  assert.deepEqual(done, one.editions.map((e) => `${e.book}/${e.edition}`).sort(), 'every edition reported done once');
});
