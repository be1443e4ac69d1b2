/**
 * The build memo (pipeline/base/memo.ts) that a preview keeps between rebuilds: chart SVGs, loaded
 * indicator frameworks and CSL engines are reused by content hash, and every build with the memo gives the
 * same bytes and the same diagnostics as a clean build of the same inputs without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { createBuildMemo, HashMemo, type BuildMemo } from '../pipeline/base/memo.ts';
import type { Project } from '../pipeline/config/load-book.ts';
import { ResultsCache } from '../pipeline/indicators/store.ts';
import { assertSameTree, copyProject, type EditableProject } from './preview-helpers.ts';

const BOOK = 'world-report-2026';

/** A clean build (no cache, no memo) of `project`'s inputs into a fresh output folder. */
async function cleanBuild(project: Project, edition?: string): Promise<{ out: string; result: BuildResult }> {
  const out = mkdtempSync(join(tmpdir(), 'annals-clean-'));
  const result = await buildAll({ project: { ...project, out }, format: 'html', ...(edition ? { edition } : {}) });
  return { out, result };
}

/** Build as the preview does (cache, results cache, memo), then compare with a clean build (of `edition`, default all). */
async function buildAndCompare(project: EditableProject, memo: BuildMemo, cache: ReturnType<typeof createBuildCache>, indicatorCache: ResultsCache, outs: string[], edition?: string) {
  const result = await buildAll({ project, format: 'html', cache, indicatorCache, memo, ...(edition ? { edition } : {}) });
  const clean = await cleanBuild(project, edition);
  outs.push(clean.out);
  assert.equal(result.ok, clean.result.ok);
  assert.deepEqual(result.diagnostics, clean.result.diagnostics, 'the same diagnostics');
  assertSameTree(join(project.out, BOOK), join(clean.out, BOOK));
  return result;
}

for (const placement of ['book', 'chapter'] as const) {
  test(`a build with the memo gives byte-identical output to a clean build (references per ${placement})`, async (t) => {
    // The world report: five chart types (map included), two frameworks, citations, three editions (zh-Hant
    // derived from zh, sharing its bibliography and CSL locale).
    const project = copyProject({ books: [BOOK], indicators: true });
    const outs: string[] = [];
    t.after(() => {
      for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
    });
    if (placement === 'chapter') project.edit(`manuscripts/${BOOK}/book.yaml`, (s) => `${s.trimEnd()}\nbibliography: { placement: chapter }\n`);
    const memo = createBuildMemo();
    const cache = createBuildCache(project, { memory: true });
    const indicatorCache = new ResultsCache();

    const first = await buildAndCompare(project, memo, cache, indicatorCache, outs);
    assert.ok(first.ok, JSON.stringify(first.diagnostics.filter((d) => d.severity === 'error').slice(0, 3)));
    assert.ok(memo.charts!.size >= 5, `charts kept (${memo.charts!.size})`);
    assert.ok(memo.frameworks.size >= 1, 'frameworks kept');
    assert.ok(memo.citations.size >= 1, 'a CSL engine kept');

    // One chapter edited (a new paragraph that cites): everything else comes from the memo.
    project.edit(`manuscripts/${BOOK}/zh/02-infrastructure.md`, (s) => s.replace(/(?=\n## )/, '\n\n新增的一段 MEMO-EDIT。\n'));
    const before = { charts: memo.charts!.hits, citations: memo.citations.hits, size: memo.charts!.size };
    const second = await buildAndCompare(project, memo, cache, indicatorCache, outs);
    assert.ok(second.ok);
    assert.match(readFileSync(join(project.out, BOOK, 'zh', 'site', 'infrastructure.html'), 'utf8'), /MEMO-EDIT/);
    // The other chapters' runs are reused whole (run-cache.ts); the edited one runs again.
    const stats = cache.stats.get(BOOK)!;
    assert.ok(stats.ran! >= 1 && stats.runsReused! >= 20, `runs: ${stats.ran} ran, ${stats.runsReused} reused`);
    assert.equal(memo.charts!.size, before.size, 'no chart drawn anew');
    assert.ok(memo.citations.hits > before.citations, 'the CSL engine set up again from the memo');

    // Indicator data edited: the framework is loaded again, the charts that show it are drawn again.
    const data = `indicators/widi/2026/data/fixed_broadband_per_100.yaml`;
    project.edit(data, (s) => s.replace('CHN: {2015: 19.8438', 'CHN: {2015: 29.8438').replace(/(CHN: \{.*2023: )44\.7289/, '$178.7289'));
    const third = await buildAndCompare(project, memo, cache, indicatorCache, outs);
    assert.ok(third.ok);
    assert.ok(memo.charts!.size > before.size, 'the changed charts are drawn anew');
  });
}

test('framework diagnostics are reported on every build with the memo, once, as without it', async (t) => {
  const project = copyProject({ books: [BOOK], indicators: true });
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  // A value out of its declared range: a warning on the data file, at the value.
  project.edit('indicators/widi/2026/data/fixed_broadband_per_100.yaml', (s) => s.replace('ARG: {2015: 15.7689', 'ARG: {2015: 150.7689'));
  const memo = createBuildMemo();
  const cache = createBuildCache(project, { memory: true });
  const indicatorCache = new ResultsCache();
  const first = await buildAndCompare(project, memo, cache, indicatorCache, outs, 'zh');
  const fromData = (r: BuildResult) => r.diagnostics.filter((d) => d.file.includes('fixed_broadband_per_100'));
  assert.ok(fromData(first).length >= 1, JSON.stringify(first.diagnostics.slice(0, 3)));
  for (const i of [1, 2]) {
    project.edit(`manuscripts/${BOOK}/zh/02-infrastructure.md`, (s) => s.replace(/MEMO-\d+|(?=\n## )/, `MEMO-${i}`));
    const again = await buildAndCompare(project, memo, cache, indicatorCache, outs, 'zh');
    assert.deepEqual(fromData(again), fromData(first), `build ${i + 1}: the same framework warnings, not repeated`);
  }
});

test('a memo sweep drops what the last builds did not use, and keeps what they did', () => {
  const memo = new HashMemo<string>();
  memo.set('a', 'A');
  memo.set('b', 'B');
  memo.sweep(2); // build 1 used a and b
  assert.equal(memo.get('a'), 'A'); // build 2 uses a only
  memo.sweep(2);
  assert.equal(memo.size, 2, 'b was used one build ago: kept');
  memo.sweep(2); // build 3 used nothing
  assert.equal(memo.size, 1, 'b unused for two builds: dropped');
  assert.equal(memo.get('a'), 'A');
  memo.sweep(1);
  memo.sweep(1);
  assert.equal(memo.size, 0);
  assert.deepEqual([memo.hits, memo.misses], [2, 0]);
});
