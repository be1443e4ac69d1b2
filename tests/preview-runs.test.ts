/**
 * Chapter runs reused by a preview (pipeline/build/run-cache.ts): after edits that move the state chapters
 * hand on to each other — automatic heading ids, index anchors (idx-N), figure numbers through the book —
 * and edits that leave it alone, a rebuild with reused runs gives the same bytes and the same diagnostics
 * as a clean build, and reruns exactly the chapters the edit reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBuildCache, type BuildCache } from '../pipeline/build/build-cache.ts';
import { createBuildMemo } from '../pipeline/base/memo.ts';
import { ResultsCache } from '../pipeline/indicators/store.ts';
import { assertSameTree, copyProject, type EditableProject } from './preview-helpers.ts';

const YEARBOOK = 'yearbook-2026';
const REPORT = 'world-report-2026';

interface Previewing {
  project: EditableProject;
  cache: BuildCache;
  build(): Promise<{ result: BuildResult; ran: number; reused: number }>;
}

/** A project copy and a preview-like build loop over one edition; every build is compared with a clean one. */
function previewing(t: { after(fn: () => void): void }, book: string, edition: string): Previewing {
  const project = copyProject({ books: [book], indicators: true });
  const cache = createBuildCache(project, { memory: true });
  const memo = createBuildMemo();
  const indicatorCache = new ResultsCache();
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  return {
    project,
    cache,
    async build() {
      const result = await buildAll({ project, books: [book], edition, format: 'html', cache, memo, indicatorCache });
      const out = mkdtempSync(join(tmpdir(), 'annals-clean-'));
      outs.push(out);
      const clean = await buildAll({ project: { ...project, out }, books: [book], edition, format: 'html' });
      assert.equal(result.ok, clean.ok);
      assert.deepEqual(result.diagnostics, clean.diagnostics, 'the same diagnostics as a clean build');
      // A failed build writes nothing (the preview keeps its last good output): only successes compare.
      if (clean.ok) assertSameTree(join(project.out, book, edition), join(out, book, edition));
      const stats = cache.stats.get(book)!;
      return { result, ran: stats.ran ?? 0, reused: stats.runsReused ?? 0 };
    },
  };
}

test('yearbook: edits that add index anchors and repeat a heading rerun the chapters after them, and only when needed', async (t) => {
  const p = previewing(t, YEARBOOK, 'zh');
  const first = await p.build();
  assert.ok(first.result.ok);
  assert.equal(first.ran, 11);

  // Prose only, in the first entries chapter: that chapter runs again, the other ten are reused.
  p.project.edit(`manuscripts/${YEARBOOK}/zh/03-content.md`, (s) => s.replace(/(?=\n## )/, '\n\n补充说明一段 RUNS-PROSE。\n'));
  const prose = await p.build();
  assert.deepEqual([prose.ran, prose.reused], [1, 10]);
  assert.match(readFileSync(join(p.project.out, YEARBOOK, 'zh', 'site', 'content.html'), 'utf8'), /RUNS-PROSE/);

  // An index term in an early chapter: every later chapter with index anchors gets new idx-N ids.
  p.project.edit(`manuscripts/${YEARBOOK}/zh/01-features.md`, (s) => s.replace('全国网信系统围绕', '全国:idx[网信系统]围绕'));
  const marks = await p.build();
  assert.ok(marks.ran >= 8, `chapters rerun after a new index anchor: ${marks.ran}`);

  // A heading with an automatic id; then the same heading in a later chapter, while the first one's run
  // is reused: the later heading's id must still see the earlier one (概述-1).
  p.project.edit(`manuscripts/${YEARBOOK}/zh/03-content.md`, (s) => s.replace(/(?=\n## )/, '\n\n## 概述\n\n增加的分目 RUNS-HEADING。\n'));
  await p.build();
  p.project.edit(`manuscripts/${YEARBOOK}/zh/05-informatization.md`, (s) => s.replace(/(?=\n## )/, '\n\n## 概述\n\n另一个分目 RUNS-HEADING-2。\n'));
  const repeated = await p.build();
  assert.equal(repeated.ran, 1);
  assert.match(readFileSync(join(p.project.out, YEARBOOK, 'zh', 'site', 'informatization.html'), 'utf8'), /id="概述-1"/);

  // Back to prose: all reused again but the edited chapter.
  p.project.edit(`manuscripts/${YEARBOOK}/zh/04-security.md`, (s) => s.replace(/(?=\n## )/, '\n\nRUNS-PROSE-2。\n'));
  const again = await p.build();
  assert.deepEqual([again.ran, again.reused], [1, 10]);
});

test('a data file warning raised by a reused chapter run is still reported, once', async (t) => {
  const p = previewing(t, YEARBOOK, 'zh');
  // A chronicle event outside the book's year: a warning on chronicle.yaml, raised while the chronicle
  // chapter runs.
  p.project.edit(`manuscripts/${YEARBOOK}/data/chronicle.yaml`, (s) => s.replace('- date: 2025-01-20', '- date: 2024-01-20'));
  const first = await p.build();
  const fromData = (r: BuildResult) => r.diagnostics.filter((d) => d.file.endsWith('chronicle.yaml'));
  assert.equal(fromData(first.result).length, 1, JSON.stringify(first.result.diagnostics));
  p.project.edit(`manuscripts/${YEARBOOK}/zh/05-informatization.md`, (s) => s.replace(/(?=\n## )/, '\n\nRUNS-DATA。\n'));
  const second = await p.build();
  assert.equal(second.ran, 1, 'the chronicle run is reused');
  assert.deepEqual(fromData(second.result), fromData(first.result));
});

test('figures numbered through the book: a new figure renumbers the figures of the chapters after it', async (t) => {
  const p = previewing(t, REPORT, 'en');
  p.project.edit(`manuscripts/${REPORT}/book.yaml`, (s) => s.replace(/^editions:/m, 'figureNumbering: book\neditions:'));
  const first = await p.build();
  assert.ok(first.result.ok, JSON.stringify(first.result.diagnostics.slice(0, 3)));
  const chapters = first.ran;
  p.project.edit(`manuscripts/${REPORT}/en/02-infrastructure.md`, (s) => s.replace(/(?=\n## )/, '\n\n::figure[An added figure]{#fig-runs-added src="images/infrastructure-layers-en.svg" source="Test"}\n\nSee :ref[fig-runs-added].\n'));
  const added = await p.build();
  assert.ok(added.ran > 1 && added.ran < chapters, `runs after a new figure: ${added.ran} of ${chapters}`);
});

test('front matter problems are reported on every rebuild, also when the front matter comes from the memo', async (t) => {
  const p = previewing(t, YEARBOOK, 'zh');
  await p.build();
  p.project.edit(`manuscripts/${YEARBOOK}/zh/05-informatization.md`, (s) => s.replace(/^title: (.*)$/m, 'title: $1\nnumbered: maybe'));
  const broken = await p.build();
  const problem = (r: BuildResult) => r.diagnostics.filter((d) => d.file.endsWith('05-informatization.md') && d.ruleId === 'front-matter-schema');
  assert.equal(problem(broken.result).length, 1, JSON.stringify(broken.result.diagnostics.slice(0, 3)));
  p.project.edit(`manuscripts/${YEARBOOK}/zh/04-security.md`, (s) => s.replace(/(?=\n## )/, '\n\nRUNS-MATTER。\n'));
  const again = await p.build();
  assert.deepEqual(problem(again.result), problem(broken.result));
});

test('a citation added early renumbers the references of later chapters whose runs are reused', async (t) => {
  const p = previewing(t, REPORT, 'zh');
  await p.build();
  // wb2021wdr is first cited in chapter 4: citing it in chapter 2 moves the numbers of chapters 3–7.
  p.project.edit(`manuscripts/${REPORT}/zh/02-infrastructure.md`, (s) => s.replace(/(?=\n## )/, '\n\n新增引用一处:cite[wb2021wdr]。\n'));
  const cited = await p.build();
  assert.equal(cited.ran, 1, 'only the edited chapter runs; the others are renumbered book-wide');
});

test('a chapter that stops being numbered changes the references to later chapters in a chapter whose run is reused', async (t) => {
  const p = previewing(t, REPORT, 'zh');
  await p.build();
  // Chapter 5 unnumbered: 第六章 becomes 第五章, and the overview's :ref[ch-cybersecurity] must say so,
  // although the overview itself is unchanged (its run is reused; only the book-wide stage differs).
  p.project.edit(`manuscripts/${REPORT}/zh/05-digital-government.md`, (s) => s.replace(/^title: (.*)$/m, 'title: $1\nnumbered: false'));
  const renumbered = await p.build();
  assert.ok(renumbered.reused >= 4, `runs reused: ${renumbered.reused}`);
  assert.match(readFileSync(join(p.project.out, REPORT, 'zh', 'site', 'overview.html'), 'utf8'), /第五章/);
});
