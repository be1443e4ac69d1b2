/**
 * Chapter runs, books and indicators/ (pipeline/build/run-cache.ts, build-cache.ts,
 * pipeline/indicators/indicator-reads.ts): a repeated build with the on-disk cache reruns only the chapters
 * whose frameworks changed — an edit of a framework's data reruns the chapters that use it, an edit of a
 * framework no chapter uses rebuilds nothing (the book is replayed), a new framework edition reruns only
 * the chapters whose lookup it answers differently — and each build gives the bytes and diagnostics of a
 * build without the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, type BuildOptions } from '../pipeline/build/build.ts';
import { createBuildMemo } from '../pipeline/base/memo.ts';
import { ResultsCache } from '../pipeline/indicators/store.ts';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { assertSameTree, copyProject, PREVIEW_BOOK, PREVIEW_FIXTURE, type EditableProject } from './preview-helpers.ts';

/** The fixture book with three chapters that use frameworks: the latest widi, widi 2026 by year (with its methodology), cidi. */
function indicatorProject(): EditableProject {
  const project = copyProject({ fixture: PREVIEW_FIXTURE, indicators: true });
  const chapter = (name: string, title: string, body: string) => writeFileSync(join(project.root, 'manuscripts', PREVIEW_BOOK, 'en', name), `---\ntitle: ${title}\n---\n\n${body}`);
  chapter('03-world.md', 'World', 'The index covers :value{framework=widi of=count} countries; :value{framework=widi of=name rank=1} ranks first.\n\n::ranking-table[World ranking]{#tab-world framework=widi top=5}\n');
  // The generated methodology appendix reads the framework like any directive.
  chapter('04-world-2026.md', 'World 2026', 'In the 2026 edition, :value{framework=widi year=2026 of=name rank=1} leads with :value{framework=widi year=2026 of=score rank=1} points.\n\n::methodology[Indicators and weights]{#tab-method framework=widi year=2026}\n');
  chapter('05-china.md', 'China', ':value{framework=cidi of=name rank=1} ranks first among :value{framework=cidi of=count} provinces.\n\n::chart[China map]{#fig-china type=map framework=cidi approval="GS(2026)0000号"}\n');
  project.edit(`manuscripts/${PREVIEW_BOOK}/book.yaml`, (s) => s.replace('      - 02-second.md', '      - 02-second.md\n      - 03-world.md\n      - 04-world-2026.md\n      - 05-china.md'));
  // A framework no chapter uses: cidi under another id.
  cpSync(join(project.indicators, 'cidi'), join(project.indicators, 'spare'), { recursive: true });
  project.edit('indicators/spare/2026/framework.yaml', (s) => s.replace(/^id: cidi$/m, 'id: spare'));
  return project;
}

/**
 * A build with a fresh cache object over the on-disk cache (a repeated `annals build`), or with a preview's
 * memory cache, memo and results cache, checked against a build without any.
 */
async function cachedBuild(project: EditableProject, outs: string[], preview?: Pick<BuildOptions, 'cache' | 'memo' | 'indicatorCache'>): Promise<{ ran: number; reused: number } | 'replayed'> {
  const cache = preview?.cache ?? createBuildCache(project);
  const result = await buildAll({ project, books: [PREVIEW_BOOK], format: 'html', ...preview, cache });
  const out = mkdtempSync(join(tmpdir(), 'annals-clean-'));
  outs.push(out);
  const clean = await buildAll({ project: { ...project, out }, books: [PREVIEW_BOOK], format: 'html' });
  assert.ok(clean.ok, JSON.stringify(clean.diagnostics.filter((d) => d.severity === 'error').slice(0, 3)));
  assert.equal(result.ok, true);
  assert.deepEqual(result.diagnostics, clean.diagnostics, 'the same diagnostics as a build without the cache');
  assertSameTree(join(project.out, PREVIEW_BOOK, 'en'), join(out, PREVIEW_BOOK, 'en'));
  const stats = cache.stats.get(PREVIEW_BOOK)!;
  return stats.skipped ? 'replayed' : { ran: stats.ran ?? 0, reused: stats.runsReused ?? 0 };
}

test('an indicator edit reruns only the chapters that use that framework', async (t) => {
  const project = indicatorProject();
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  assert.deepEqual(await cachedBuild(project, outs), { ran: 5, reused: 0 });

  // A value of widi's data: the two chapters that use widi run again; the others are reused.
  project.edit('indicators/widi/2026/data/internet_users_pct.yaml', (s) => s.replace('CHN: {2015: 50.3,', 'CHN: {2015: 50.4,'));
  assert.deepEqual(await cachedBuild(project, outs), { ran: 2, reused: 3 });

  // A framework no chapter uses: the book's last build is replayed whole.
  project.edit('indicators/spare/2026/data/gdp.yaml', (s) => `${s}\n# edited\n`);
  assert.equal(await cachedBuild(project, outs), 'replayed');

  // The map's geometry: the chapter that draws the map runs again.
  project.edit('indicators/geo/china_provinces.geojson', (s) => s.replace(/\n?$/, '\n'));
  assert.deepEqual(await cachedBuild(project, outs), { ran: 1, reused: 4 });
});

test('a new framework edition reruns only the chapters whose lookup it changes', async (t) => {
  const project = indicatorProject();
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  await cachedBuild(project, outs);
  // widi 2027: the chapter asking for the latest widi runs again; `year=2026` and cidi's chapter do not.
  cpSync(join(project.indicators, 'widi', '2026'), join(project.indicators, 'widi', '2027'), { recursive: true });
  project.edit('indicators/widi/2027/framework.yaml', (s) => s.replace(/^edition: 2026$/m, 'edition: 2027'));
  assert.deepEqual(await cachedBuild(project, outs), { ran: 1, reused: 4 });
  // A new framework that no chapter names: the book is replayed.
  cpSync(join(project.indicators, 'spare'), join(project.indicators, 'other'), { recursive: true });
  project.edit('indicators/other/2026/framework.yaml', (s) => s.replace(/^id: spare$/m, 'id: other'));
  assert.equal(await cachedBuild(project, outs), 'replayed');
});

test('a preview rebuild after an indicator edit reruns only the chapters that use the framework', async (t) => {
  const project = indicatorProject();
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  const preview = { cache: createBuildCache(project, { memory: true }), memo: createBuildMemo(), indicatorCache: new ResultsCache() };
  assert.deepEqual(await cachedBuild(project, outs, preview), { ran: 5, reused: 0 });
  project.edit('indicators/cidi/2026/data/gdp.yaml', (s) => `${s}\n# edited\n`);
  assert.deepEqual(await cachedBuild(project, outs, preview), { ran: 1, reused: 4 });
});

test('annals check with the cache: an indicator edit rechecks only the chapters that use the framework', async (t) => {
  const project = indicatorProject();
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const check = async () => {
    const cache = createBuildCache(project, { writeFailures: 'ignore' });
    const result = await buildAll({ project, books: [PREVIEW_BOOK], checkOnly: true, cache });
    const clean = await buildAll({ project, books: [PREVIEW_BOOK], checkOnly: true });
    assert.deepEqual(result.diagnostics, clean.diagnostics, 'the same diagnostics as a check without the cache');
    const stats = cache.stats.get(PREVIEW_BOOK)!;
    return stats.skipped ? 'replayed' : { ran: stats.ran ?? 0, reused: stats.runsReused ?? 0 };
  };
  assert.deepEqual(await check(), { ran: 5, reused: 0 });
  project.edit('indicators/widi/2026/data/internet_users_pct.yaml', (s) => s.replace('CHN: {2015: 50.3,', 'CHN: {2015: 50.4,'));
  assert.deepEqual(await check(), { ran: 2, reused: 3 });
  project.edit('indicators/spare/2026/data/gdp.yaml', (s) => `${s}\n# edited\n`);
  assert.equal(await check(), 'replayed');
});

test('a moved project still replays its book: the reads name paths inside indicators/', async (t) => {
  const project = indicatorProject();
  const outs: string[] = [];
  const moved = mkdtempSync(join(tmpdir(), 'annals-moved-'));
  t.after(() => {
    for (const dir of [project.root, moved, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  await cachedBuild(project, outs);
  cpSync(project.root, moved, { recursive: true });
  const there: EditableProject = { ...project, ...projectAt(moved) };
  assert.equal(await cachedBuild(there, outs), 'replayed');
});
