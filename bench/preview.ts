/**
 * Bench sections of the build cache and the preview (registered in bench/run.ts). They print figures and
 * the targets of issue 6 as text; nothing is asserted.
 *
 * - `incremental`: cold HTML build of all sample books with the cache, the no-op rebuild (nothing
 *   changed), the no-op check alone, and a rebuild after a one-chapter edit.
 * - `preview`: save → new text on the open page, in headless Chromium, on the world report's zh edition.
 */
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSection } from './run.ts';
import { buildAll } from '../pipeline/build/build.ts';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { createBuildMemo, sweepBuildMemo } from '../pipeline/base/memo.ts';
import { ResultsCache } from '../pipeline/indicators/store.ts';
import { listBooks, projectAt } from '../pipeline/config/load-book.ts';
import { startPreview, type PreviewBuild } from '../pipeline/preview/session.ts';
import { copyProject, launchChromium } from '../tests/preview-helpers.ts';
import { repoRoot } from '../tests/helpers.ts';

const TARGET_RELOAD_MS = 300;
const TARGET_NOOP_MS = 50;

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(48)} ${value}\n`);
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const target = (value: number, goal: number) => `(target < ${goal} ms: ${value < goal ? 'met' : 'not met'})`;

/** A sample chapter to edit: the first numbered chapter of the world report's Chinese edition. */
const EDITED = 'manuscripts/world-report-2026/zh/02-infrastructure.md';

const incremental: BenchSection = {
  name: 'incremental',
  async run() {
    const project = copyProject({ books: listBooks(projectAt(repoRoot)), indicators: true });
    try {
      const t0 = performance.now();
      const cold = await buildAll({ project, format: 'html', cache: createBuildCache(project) });
      const coldMs = performance.now() - t0;
      const chapters = cold.editions.reduce((n, e) => n + e.chapters, 0);
      line('cold HTML build with cache, all sample books', `${ms(coldMs)}, ${cold.editions.length} editions, ${chapters} chapters${cold.ok ? '' : ' (with errors)'}`);

      // A new process would start with an empty memory: a fresh cache object reads out/.cache/ only.
      const cache = createBuildCache(project);
      const t1 = performance.now();
      const noop = await buildAll({ project, format: 'html', cache });
      const noopMs = performance.now() - t1;
      const checkMs = [...cache.stats.values()].reduce((n, s) => n + s.checkMs, 0);
      line('warm rebuild, nothing changed (whole buildAll)', `${ms(noopMs)}, ${noop.editions.filter((e) => e.skipped).length}/${noop.editions.length} editions skipped`);
      line('no-op check (hash inputs, check outputs)', `${checkMs.toFixed(1)} ms for ${cache.stats.size} books ${target(checkMs, TARGET_NOOP_MS)}`);

      // One chapter edited, then its book rebuilt: with the cache, and without it for comparison (same
      // process, same output folder), alternately, three times each.
      const path = join(project.root, EDITED);
      const withCache: number[] = [];
      const without: number[] = [];
      let parsed = 0;
      let reused = 0;
      let written = 0;
      for (let i = 0; i < 3; i++) {
        writeFileSync(path, readFileSync(path, 'utf8').replace(/BENCH-\d+|(?=\n## )/, `BENCH-${i}`));
        const t2 = performance.now();
        const one = await buildAll({ project, books: ['world-report-2026'], format: 'html', cache });
        withCache.push(performance.now() - t2);
        const stats = cache.stats.get('world-report-2026');
        parsed = stats?.parsed ?? 0;
        reused = stats?.reused ?? 0;
        written = one.editions.reduce((n, e) => n + (e.changed?.length ?? 0), 0);
        const t3 = performance.now();
        await buildAll({ project, books: ['world-report-2026'], format: 'html' });
        without.push(performance.now() - t3);
      }
      line('one chapter edited, rebuild of its book (median)', `${ms(median(withCache))} with the cache (${parsed} chapters parsed, ${reused} reused, ${written} files written)`);
      line('  the same rebuild without the cache (median)', ms(median(without)));

      // As the preview rebuilds: one edition, the cache in memory, the build memo; stage by stage.
      const memory = createBuildCache(project, { memory: true });
      const memo = createBuildMemo();
      const indicatorCache = new ResultsCache();
      const previewLike = { project, books: ['world-report-2026'], edition: 'zh', format: 'html' as const, cache: memory, memo, indicatorCache };
      await buildAll(previewLike);
      const timings: Record<string, number> = {};
      const runs: number[] = [];
      const rounds = 10;
      for (let i = 0; i < rounds + 2; i++) {
        writeFileSync(path, readFileSync(path, 'utf8').replace(/BENCH-\d+|(?=\n## )/, `BENCH-P${i}`));
        const t4 = performance.now();
        // The first two warm the JIT for this path: not counted.
        await buildAll({ ...previewLike, ...(i >= 2 ? { timings } : {}) });
        if (i >= 2) runs.push(performance.now() - t4);
        sweepBuildMemo(memo);
      }
      const stats = memory.stats.get('world-report-2026');
      line('world-report-2026/zh rebuilt as the preview does (median)', `${ms(median(runs))} (${stats?.ran ?? 0} chapter run, ${stats?.runsReused ?? 0} reused)`);
      line('  mean per stage', Object.entries(timings).map(([stage, t]) => `${stage} ${(t / rounds).toFixed(0)}`).join(', '));
    } finally {
      rmSync(project.root, { recursive: true, force: true });
    }
  },
};

/** Editions measured by `preview`: the world report (indicator charts and tables) and the yearbook. */
const PREVIEWED = [
  { book: 'world-report-2026', edition: 'zh', chapter: '02-infrastructure.md' },
  { book: 'yearbook-2026', edition: 'zh', chapter: '04-security.md' },
];

const preview: BenchSection = {
  name: 'preview',
  async run() {
    for (const target of PREVIEWED) await previewEdits(target);
  },
};

/** Save → new text on the open page, in headless Chromium, for edits of one chapter of one edition. */
async function previewEdits(target: { book: string; edition: string; chapter: string }): Promise<void> {
  const project = copyProject({ books: [target.book], indicators: true });
  const builds: Array<PreviewBuild & { at: number }> = [];
  const session = await startPreview({ project, book: target.book, edition: target.edition, port: 0 });
  session.onBuild((b) => builds.push({ ...b, at: performance.now() }));
  const browser = await launchChromium();
  const name = `${target.book}/${target.edition}`;
  try {
    const page = await browser.newPage();
    await page.goto(`${session.url}${target.chapter.replace(/^\d{2}-/, '').replace(/\.md$/, '.html')}`, { waitUntil: 'load' });
    const path = join(project.manuscripts, target.book, target.edition, target.chapter);
    const total: number[] = [];
    const build: number[] = [];
    const toBuild: number[] = [];
    const runs = 7;
    for (let i = 0; i < runs; i++) {
      await page.waitForFunction(() => document.documentElement.dataset.annalsPreview === 'connected', { timeout: 60_000 });
      const marker = `BENCH-EDIT-${i}`;
      const text = readFileSync(path, 'utf8').replace(/BENCH-EDIT-\d+|(?=\n## )/, `${marker}`);
      const seen = builds.length;
      const saved = performance.now();
      writeFileSync(path, text);
      await page.waitForFunction((m) => document.body?.innerText.includes(m) ?? false, { timeout: 60_000, polling: 5 }, marker);
      const shown = performance.now();
      const done = builds.slice(seen).find((b) => b.reloaded);
      // The first edit warms the JIT for this code path: reported, not counted.
      if (i === 0) {
        line(`${name}: save → new text on the open page, first edit`, `${ms(shown - saved)} (cold JIT, not counted)`);
        continue;
      }
      total.push(shown - saved);
      if (done) {
        build.push(done.ms);
        toBuild.push(done.at - saved);
      }
    }
    const m = median(total);
    line(`${name}: save → new text on the page, median of ${total.length}`, `${ms(m)} ${targetText(m)}; min ${ms(Math.min(...total))}, max ${ms(Math.max(...total))}`);
    line('  of which: the rebuild (median)', ms(median(build)));
    line('  of which: save → rebuild done (watch, debounce, build)', ms(median(toBuild)));
    line('  of which: update event → new text on the page', ms(m - median(toBuild)));
    const t0 = performance.now();
    const noop = await session.rebuild([path]);
    line(`${name}: no-op rebuild (file saved unchanged)`, `${ms(performance.now() - t0)}${noop?.skipped ? ', skipped' : ''}`);
  } finally {
    await browser.close();
    await session.close();
    rmSync(project.root, { recursive: true, force: true });
  }
}

const targetText = (value: number) => target(value, TARGET_RELOAD_MS);

export const previewSections: BenchSection[] = [incremental, preview];
