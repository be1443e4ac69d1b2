/**
 * `annals check` with the build cache (pipeline/build/check-cache.ts): a check of unchanged books replays
 * the last check's results and diagnostics, errors included; any change to what a book reads checks it
 * again, with the diagnostics a check without the cache gives; the frameworks' check is replayed only
 * while indicators/ is unchanged; a cache that cannot be written does not fail a check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBuildCache, type BuildCache } from '../pipeline/build/build-cache.ts';
import type { Project } from '../pipeline/config/load-book.ts';
import { copyProject } from './preview-helpers.ts';
import { tempProject, writeBook } from './helpers.ts';
import { createBuildSession } from '../pipeline/base/build-session.ts';

const check = (project: Project, cache?: BuildCache, books?: string[]): Promise<BuildResult> =>
  buildAll({ project, format: 'html', checkOnly: true, search: false, ...(books ? { books } : {}), ...(cache ? { cache } : {}) });

test('a check of an unchanged book is replayed; an edited one is checked again, as a check without the cache would', async (t) => {
  // The world report: three editions (zh-Hant derived from zh), citations, cross-references, indicators.
  const project = copyProject({ books: ['world-report-2026'], indicators: true });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const books = ['world-report-2026'];
  const first = createBuildCache(project, { writeFailures: 'ignore' });
  const cold = await check(project, first, books);
  assert.equal(first.stats.get('world-report-2026')!.skipped, false);
  assert.deepEqual(cold.diagnostics, (await check(project, undefined, books)).diagnostics, 'the cache changes no diagnostic');

  // A new process (a new cache object) finds the record on disk.
  const again = createBuildCache(project, { writeFailures: 'ignore' });
  const replayed = await check(project, again, books);
  assert.equal(again.stats.get('world-report-2026')!.skipped, true);
  assert.deepEqual(replayed.diagnostics, cold.diagnostics);
  assert.deepEqual(replayed.editions.map((e) => [e.edition, e.chapters, e.ok]), cold.editions.map((e) => [e.edition, e.chapters, e.ok]));

  // An error in the last zh chapter: that book is checked again; the chapters before it reuse their runs.
  project.edit('manuscripts/world-report-2026/zh/08-development-index.md', (s) => `${s.trimEnd()}\n\n::figur[x]\n`);
  const edited = createBuildCache(project, { writeFailures: 'ignore' });
  const failed = await check(project, edited, books);
  const stats = edited.stats.get('world-report-2026')!;
  assert.equal(stats.skipped, false);
  assert.ok((stats.runsReused ?? 0) > 0, `unchanged chapters reuse their runs (reused ${stats.runsReused}, ran ${stats.ran})`);
  assert.equal(failed.ok, false);
  assert.ok(failed.diagnostics.some((d) => d.ruleId === 'unknown-directive' && d.file.endsWith('zh/08-development-index.md')));
  assert.deepEqual(failed.diagnostics, (await check(project, undefined, books)).diagnostics, 'as a check without the cache');

  // The failed check is replayed too: the same error, the same exit.
  const later = createBuildCache(project, { writeFailures: 'ignore' });
  const replayedFailure = await check(project, later, books);
  assert.equal(later.stats.get('world-report-2026')!.skipped, true);
  assert.equal(replayedFailure.ok, false);
  assert.deepEqual(replayedFailure.diagnostics, failed.diagnostics);

  // A locale file is an input of every book: changing it checks the book again.
  project.edit('templates/locales/zh-Hans.yaml', (s) => `${s.trimEnd()}\n# an edit\n`);
  const localeEdited = createBuildCache(project, { writeFailures: 'ignore' });
  await check(project, localeEdited, books);
  assert.equal(localeEdited.stats.get('world-report-2026')!.skipped, false);
});

test('the check of every framework is replayed while indicators/ is unchanged', async (t) => {
  const project = copyProject({ indicators: true });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const run = () => buildAll({ project, format: 'html', checkOnly: true, checkIndicators: true, search: false, cache: createBuildCache(project, { writeFailures: 'ignore' }) });
  const cold = await run();
  assert.equal(createBuildCache(project).replayIndicatorCheck(createBuildSession()), true);
  assert.deepEqual((await run()).diagnostics, cold.diagnostics);
  // Any file added under indicators/ (or changed) makes the next check check every framework again.
  writeFileSync(join(project.indicators, 'cidi', 'notes.txt'), 'a note\n');
  assert.equal(createBuildCache(project).replayIndicatorCheck(createBuildSession()), false);
  assert.deepEqual((await run()).diagnostics, cold.diagnostics);
  assert.equal(createBuildCache(project).replayIndicatorCheck(createBuildSession()), true, 'recorded again');
});

test('a check whose cache cannot be written still checks and reports', async (t) => {
  const project = tempProject();
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  writeBook(project, { chapters: { '01-a.md': '---\ntitle: 甲\n---\n\n::figur[x]\n' } });
  // out/ is a file: nothing can be written under it.
  const out = join(project.root, 'out');
  writeFileSync(out, 'not a folder');
  const result = await check(project, createBuildCache(project, { writeFailures: 'ignore' }));
  assert.equal(result.ok, false);
  assert.deepEqual(result.diagnostics.map((d) => [d.ruleId, d.line]), [['unknown-directive', 5]]);
  const again = createBuildCache(project, { writeFailures: 'ignore' });
  await check(project, again);
  assert.equal(again.stats.get('test-book')!.skipped, false, 'nothing was kept');
});
