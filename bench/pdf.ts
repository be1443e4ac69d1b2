/**
 * PDF figures (`npm run bench -- pdf`): for the sample books and for a synthetic 300-page and 1,000-page
 * book, the seconds of every stage of the PDF print (pipeline/pdf/print-pdf.ts), pages per second, and
 * the peak memory of this process and of Chromium (all its processes, sampled every 50 ms); then one bare
 * Chromium print of the same print.html (page.goto + page.pdf, nothing else) for comparison.
 * Figures only: nothing here asserts.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VFile } from 'vfile';
import { buildAll } from '../pipeline/build/build.ts';
import { loadBook, projectAt, type Project } from '../pipeline/config/load-book.ts';
import { repoRoot } from '../tests/helpers.ts';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createLocale, scriptOf } from '../pipeline/locale/locale.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pageCss, pageLayout } from '../pipeline/pdf/page-css.ts';
import { metadataDate } from '../pipeline/pdf/pdf-metadata.ts';
import { environmentEpoch } from '../pipeline/release/source-date-epoch.ts';
import { printEdition } from '../pipeline/pdf/print-pdf.ts';
import type { MakeUpResult } from '../pipeline/pdf/make-up.ts';
import type { SpanKeepResult } from '../pipeline/pdf/span-keeps.ts';
import { syntheticProject } from './synthetic-book.ts';
import { line, mb, type BenchSection } from './run.ts';

export const pdfSections: BenchSection[] = [{ name: 'pdf', run }];

/**
 * ANNALS_BENCH_BOOKS limits the books: comma-separated `book/edition`, `synthetic-300`, `synthetic-1000`,
 * e.g. `ANNALS_BENCH_BOOKS=world-report-2026/zh,synthetic-300`.
 */
const only = (process.env.ANNALS_BENCH_BOOKS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name: string) => only.length === 0 || only.includes(name);

async function run(): Promise<void> {
  const session = createBrowserSession();
  try {
    // The sample books: HTML first (not timed here), then each edition's PDF.
    const samples = projectAt(repoRoot, mkdtempSync(join(tmpdir(), 'annals-bench-pdf-')));
    await buildAll({ project: samples, format: 'html' });
    for (const book of readdirSync(samples.out).filter((d) => !d.startsWith('.')).sort()) {
      for (const edition of readdirSync(join(samples.out, book)).sort()) {
        if (!wanted(`${book}/${edition}`)) continue;
        await printAndCompare(session, samples, book, edition, `${book}/${edition}`);
      }
    }
    rmSync(samples.out, { recursive: true, force: true });

    // Synthetic books.
    for (const pages of [300, 1000]) {
      if (!wanted(`synthetic-${pages}`)) continue;
      const project = syntheticProject(pages);
      const t0 = performance.now();
      await buildAll({ project, format: 'html' });
      line(`synthetic ${pages}: HTML build (for reference)`, `${((performance.now() - t0) / 1000).toFixed(2)} s`);
      await printAndCompare(session, project, 'synthetic', 'zh', `synthetic ~${pages} pages`);
      rmSync(project.root, { recursive: true, force: true });
    }
  } finally {
    await session.close();
  }
}

/**
 * Rounds per book (ANNALS_BENCH_ROUNDS, default 3): each round prints the book with Annals and then
 * bare, both on the warm browser, and the medians are compared. The machine is shared and has two
 * cores, so a single pair of runs can be off by a third either way.
 */
const ROUNDS = Math.max(1, Number(process.env.ANNALS_BENCH_ROUNDS ?? 3) || 3);

async function printAndCompare(session: BrowserSession, project: Project, bookId: string, edition: string, label: string): Promise<void> {
  const book = loadBook(project, bookId);
  const config = book.config!;
  const ed = config.editions[edition]!;
  const dir = join(project.out, bookId, edition);
  const layout = pageLayout(config.page);
  const fonts = fontSetFor(scriptOf(ed.lang));
  await session.page(); // launch outside the timings
  // The page make-up pass as a build runs it (ANNALS_MAKE_UP=0: without it, for comparison).
  const locale = createLocale(ed.lang, join(repoRoot, 'templates'));
  const makeUp = process.env.ANNALS_MAKE_UP === '0' ? undefined : { tableLabel: locale.t('table'), continuedLabel: locale.t('tableContinued') };
  const runs: Array<{ makeUp?: MakeUpResult; spanKeeps?: SpanKeepResult; seconds: number; timings: Record<string, number>; pages: number; bytes: number; ok: boolean; reprints: number; prints: number; lateWithFront: boolean; tabs: number; messages: string; node: number; chromium: number }> = [];
  const bares: Array<{ seconds: number; pages: number; chromium: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const memory = sampleMemory(session);
    const file = new VFile({ path: join(dir, 'print.html') });
    const t0 = performance.now();
    const result = await printEdition({
      makeUp,
      session,
      dir,
      output: 'bench.pdf',
      file,
      layout,
      pageCss: (parts, sections) => pageCss({ layout, bookTitle: ed.title, parts, sections, fonts }, 'pdf'),
      fonts,
      metadata: { title: ed.title, keywords: ed.keywords, lang: ed.lang, creator: 'Annals bench', producer: 'Annals bench', date: metadataDate(config.year, environmentEpoch()) },
      contentsTitle: locale.t('contents'),
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = memory.stop();
    runs.push({ seconds, makeUp: result.makeUp, spanKeeps: result.spanKeeps, timings: result.timings, pages: result.pages, bytes: result.bytes, ok: result.ok, reprints: result.reprints, prints: result.prints, lateWithFront: result.lateWithFront, tabs: result.tabs, messages: file.messages.map((m) => m.reason).join('; '), ...peak });

    // One bare Chromium print of the same HTML (nothing else: no request guard, no tags), in a fresh tab
    // of the same warm browser.
    const browser = (await session.page()).browser();
    const tab = await browser.newPage();
    const bare = sampleMemory(session);
    const t1 = performance.now();
    await tab.goto(pathToFileURL(join(dir, 'print.html')).href, { waitUntil: 'load' });
    const bytes = await tab.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
    const bareSeconds = (performance.now() - t1) / 1000;
    const barePeak = bare.stop();
    await tab.close();
    bares.push({ seconds: bareSeconds, pages: (Buffer.from(bytes).toString('latin1').match(/\/Type \/Page\b/g) ?? []).length, chromium: barePeak.chromium });
  }
  const run = runs[0]!;
  const seconds = median(runs.map((r) => r.seconds));
  const bareSeconds = median(bares.map((b) => b.seconds));
  process.stdout.write(`\n${label} (median of ${ROUNDS} rounds)\n`);
  if (!runs.every((r) => r.ok)) line('  (print reported problems)', runs.find((r) => !r.ok)!.messages.slice(0, 200));
  for (const stage of Object.keys(run.timings)) if (stage !== 'launch') line(`  ${stage}`, `${(median(runs.map((r) => r.timings[stage] ?? 0)) / 1000).toFixed(2)} s`);
  if (run.spanKeeps && run.spanKeeps.parts > 0) line('  spanning headings: measured, given a break, time', `${run.spanKeeps.headings} in ${run.spanKeeps.parts} parts, ${run.spanKeeps.kept.length}, ${(median(runs.map((r) => r.spanKeeps?.ms ?? 0)) / 1000).toFixed(2)} s`);
  if (!makeUp) line('  (page make-up pass off: ANNALS_MAKE_UP=0)', '');
  else if (run.makeUp) line('  make-up: first layout, changes, parts', `${(median(runs.map((r) => r.makeUp?.firstLayoutMs ?? 0)) / 1000).toFixed(2)} s, ${run.makeUp.splits} splits, ${run.makeUp.floats} floats, ${run.makeUp.moved} moved; ${run.makeUp.partMs.map(([id, n, ms]) => `${id} ${n}/${ms} ms`).join(', ')}`);
  line('  total', `${seconds.toFixed(2)} s (${runs.map((r) => r.seconds.toFixed(2)).join(', ')}), ${run.pages} pages, ${(run.pages / seconds).toFixed(1)} pages/s, ${mb(run.bytes)}`);
  line('  Chromium prints per run', `${run.prints}${run.lateWithFront ? ' (late parts printed with print 2)' : ''}; body on ${run.tabs} tab(s) at once; repeated for a missed font slice: ${runs.reduce((n, r) => n + r.reprints, 0)} in all rounds`);
  line('  peak memory: node / Chromium (all processes)', `${mb(Math.max(...runs.map((r) => r.node)))} / ${mb(Math.max(...runs.map((r) => r.chromium)))}`);
  line('  bare Chromium print (goto + pdf)', `${bareSeconds.toFixed(2)} s (${bares.map((b) => b.seconds.toFixed(2)).join(', ')}), ${bares[0]!.pages} pages, Chromium ${mb(Math.max(...bares.map((b) => b.chromium)))}`);
  line('  Annals PDF / bare print', `${(seconds / bareSeconds).toFixed(2)}×`);
  rmSync(join(dir, 'bench.pdf'), { force: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Peak RSS of this process and of the browser's process group, sampled until `stop()`. */
function sampleMemory(session: BrowserSession): { stop(): { node: number; chromium: number } } {
  let node = 0;
  let chromium = 0;
  const sample = () => {
    node = Math.max(node, process.memoryUsage().rss);
    const pid = session.pid();
    if (pid) chromium = Math.max(chromium, groupRss(pid));
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { node, chromium };
    },
  };
}

/** RSS in bytes of every process in the process group `pgid` (Linux /proc). */
function groupRss(pgid: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}
