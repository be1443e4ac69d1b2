/**
 * What an editor waits for (`npm run bench -- e2e`): whole commands in fresh processes, wall time and peak
 * memory (the process and all its children, Chromium included, sampled every 50 ms from /proc): the
 * proportional set size (PSS, each shared page split between the processes that map it: what the tree
 * takes together) and, for comparison with earlier figures, the RSS summed over the processes (which
 * counts the pages Chromium's processes share once per process). Times and memory come from separate
 * runs: reading smaps_rollup of every process of the tree 20 times a second cost 8–10 s of CPU during a
 * 15 s print on two cores, and made the command 2–4 s slower (world report zh: 12.3 s without the
 * sampler, 14.1–16.7 s with it). The timed runs are not sampled; one more run of a book's Annals build and
 * bare print is, for their peaks.
 *
 * 1. Start-up: `annals --version`, `--help`, `check` of the sample books, a cold HTML build of all of them
 *    (`--no-cache`), a no-op build (the same build again, everything unchanged), and a check and an HTML
 *    build after one chapter was edited (in a copy of the sample books; the cache of the last run is there).
 * 2. One edition end to end (HTML and PDF: `--format pdf`, which writes the site and the PDF, without the
 *    search index and the EPUB; `--no-cache`) for the world report zh (74 pages) and the synthetic 300- and
 *    1,000-page books: Annals as it is (parallel printing where it applies), with every format (the
 *    default `annals build`: the search index and the EPUB too), and with
 *    ANNALS_PRINT_TABS=1 (the same runs on one tab, one after another: the same bytes), and with the build
 *    cache whose record of the book is removed before each round (the book rebuilt and printed again, its
 *    print fonts read from out/.cache/print-fonts/); then, on the print.html that build wrote, one bare Chromium print
 *    with a cold browser (bench/bare-print.mjs; the browser Annals prints with, the headless shell where it is
 *    installed, and then also the full browser, the reference of the figures before 2026-12-03) and, with ANNALS_BENCH_PEERS=1, pagedjs-cli and
 *    @vivliostyle/cli, installed into a cache folder outside package.json (ANNALS_BENCH_PEERS_DIR,
 *    default ~/.cache/annals-bench-peers). Never in CI.
 *
 * Each figure is the median of ANNALS_BENCH_ROUNDS runs (default 3); ANNALS_BENCH_BOOKS limits the books
 * (world-report-2026/zh, synthetic-300, synthetic-1000); ANNALS_BENCH_STARTUP=0 leaves out part 1.
 * Figures only: nothing here asserts.
 *
 * `npm run bench -- startup` runs part 1 alone and prints it as one table: wall and CPU time of each
 * command side by side. With ANNALS_BENCH_BEFORE=<git ref> it adds a column for the code at that ref
 * (exported with `git archive` into a temporary folder beside this checkout's node_modules, compiled, and
 * run on its own sample books), the two taking turns round by round so that both meet the same load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../pipeline/pdf/browser.ts';
import { findBrowser, isHeadlessShell } from '../pipeline/pdf/find-browser.ts';
import { repoRoot } from '../tests/helpers.ts';
import { syntheticProject } from './synthetic-book.ts';
import { line, mb, type BenchSection } from './run.ts';

/** The full browser, for the reference row beside a headless shell's bare print. */
const FULL_BROWSER = '/usr/bin/chromium';

export const e2eSections: BenchSection[] = [{ name: 'startup', run: startupSection }, { name: 'e2e', run }];

const ROUNDS = Math.max(1, Number(process.env.ANNALS_BENCH_ROUNDS ?? 3) || 3);
const only = (process.env.ANNALS_BENCH_BOOKS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const BIN = join(repoRoot, 'bin/annals.js');

interface Measured {
  seconds: number;
  /** CPU seconds (user + system) of the process and the children it waited for (Chromium's too), from /usr/bin/time. */
  cpu?: number;
  /** Peak PSS of the process tree, bytes. */
  peak: number;
  /** Peak of the RSS summed over the process tree, bytes (over-counts shared pages). */
  rssSum: number;
  code: number | null;
  stderr: string;
}

const TIME = '/usr/bin/time';
const CPU_MARK = 'annals-bench-cpu';

/**
 * Run a command to its end; wall time, CPU time (through /usr/bin/time when it is there: on a busy
 * machine the CPU time is the steadier figure) and the peak memory of it and all its descendants.
 */
function measure(cmd: string, args: string[], env: Record<string, string | undefined> = {}, cwd = repoRoot, memory = false): Promise<Measured> {
  if (existsSync(TIME)) [cmd, args] = [TIME, ['-f', `${CPU_MARK} %U %S`, cmd, ...args]];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    let rssSum = 0;
    const sample = () => {
      if (!child.pid) return;
      const m = treeMemory(child.pid);
      peak = Math.max(peak, m.pss);
      rssSum = Math.max(rssSum, m.rss);
    };
    const timer = memory ? setInterval(sample, 50) : undefined;
    child.on('close', (code) => {
      clearInterval(timer);
      const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(stderr);
      resolve({ seconds: (performance.now() - t0) / 1000, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, peak, rssSum, code, stderr });
    });
  });
}

/** PSS and RSS of a process and all its descendants (Linux /proc; smaps_rollup), bytes. */
function treeMemory(root: number): { pss: number; rss: number } {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* ended meanwhile */
    }
  }
  const kb = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  let pss = 0;
  let rss = 0;
  const walk = (pid: number) => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += kb(rollup, 'Pss');
      rss += kb(rollup, 'Rss');
    } catch {
      /* ended meanwhile */
    }
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return { pss, rss };
}

/**
 * ROUNDS timed runs of a command (`make(false)`), and with `memory` one more that samples its memory
 * (`make(true)`, not timed): its peaks are the figures' peaks.
 */
async function rounds(label: string, make: (memory: boolean) => Promise<Measured>, options: { quiet?: boolean; memory?: boolean } = {}): Promise<Summary> {
  const all: Measured[] = [];
  for (let i = 0; i < ROUNDS; i++) all.push(await make(false));
  const sampled = options.memory ? await make(true) : undefined;
  const result = summary(all, sampled);
  if (!options.quiet) report(label, all, result);
  return result;
}

interface Summary {
  seconds: number;
  cpu?: number;
  /** Peaks of the sampled run, when there was one. */
  peak?: number;
  rssSum?: number;
  failed: boolean;
}

/** Medians of the wall and CPU times of the timed runs, and the peaks of the sampled run (when there was one). */
function summary(all: Measured[], sampled?: Measured): Summary {
  const seconds = median(all.map((m) => m.seconds));
  const cpu = all.every((m) => m.cpu !== undefined) ? median(all.map((m) => m.cpu!)) : undefined;
  const failed = all.some((m) => m.code !== 0) || (sampled !== undefined && sampled.code !== 0);
  return { seconds, cpu, ...(sampled ? { peak: sampled.peak, rssSum: sampled.rssSum } : {}), failed };
}

/** One line per command: the median, every run, memory (when sampled), and the last lines of a failed run's errors. */
function report(label: string, all: Measured[], { seconds, cpu, peak, rssSum }: Summary = summary(all)): void {
  const failed = all.find((m) => m.code !== 0);
  const memory = peak !== undefined ? `, peak ${mb(peak)} PSS (${mb(rssSum ?? 0)} RSS summed)` : '';
  line(`  ${label}`, `${seconds.toFixed(2)} s (${all.map((m) => m.seconds.toFixed(2)).join(', ')})${cpu !== undefined ? `, CPU ${cpu.toFixed(2)} s` : ''}${memory}${failed ? `  FAILED (exit ${failed.code}): ${failed.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 200)}` : ''}`);
}

async function run(): Promise<void> {
  const loads = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`\n${ROUNDS} round(s) per figure, median; load average at the start ${loads}; ${availableParallelism()} cores\n`);
  spawnSync(process.execPath, [BIN, '--version']); // compile compiled/ first if it is stale (not timed)

  // 1. Start-up and the HTML builds (ANNALS_BENCH_STARTUP=0 skips them, for figures of the books alone).
  if (process.env.ANNALS_BENCH_STARTUP !== '0') await startup([{ name: 'this checkout', bin: BIN, cwd: repoRoot }]);

  // 2. One edition end to end.
  const browser = findBrowser().path;
  const peers = process.env.ANNALS_BENCH_PEERS === '1' ? installPeers() : undefined;
  const books: Array<{ name: string; root: string; book: string; edition: string; cleanup?: string }> = [];
  if (wanted('world-report-2026/zh')) books.push({ name: 'world-report-2026/zh', root: repoRoot, book: 'world-report-2026', edition: 'zh' });
  for (const pages of [300, 1000]) {
    if (!wanted(`synthetic-${pages}`)) continue;
    const project = syntheticProject(pages);
    // The command reads <root>/templates and <root>/indicators: the repository's.
    for (const d of ['templates', 'indicators']) symlinkSync(join(repoRoot, d), join(project.root, d));
    books.push({ name: `synthetic-${pages}`, root: project.root, book: 'synthetic', edition: 'zh', cleanup: project.root });
  }
  const table: string[] = [];
  for (const b of books) {
    process.stdout.write(`\n${b.name}, one edition, HTML and PDF, cold process, --no-cache\n`);
    const out = mkdtempSync(join(tmpdir(), 'annals-e2e-'));
    const build = (env: Record<string, string | undefined>, format = 'pdf', memory = false) => measure(process.execPath, [BIN, 'build', b.book, '-e', b.edition, '--format', format, '--no-cache', '--root', b.root, '--out', out], env, repoRoot, memory);
    // Not timed: the first command of a book reads node_modules' fonts and Chromium from the disk, which
    // the commands after it find in the page cache (the first Annals round was 1–2 s slower than the rest).
    await build({});
    const annals = await rounds('Annals (--format pdf: the site and the PDF)', (memory) => build({}, 'pdf', memory), { memory: true });
    const every = await rounds('Annals, every format (the default: + search index, EPUB)', () => build({}, 'all'));
    const single = await rounds('Annals, one tab (ANNALS_PRINT_TABS=1)', () => build({ ANNALS_PRINT_TABS: '1' }));
    // With the build cache, its record of the book removed before each round (so the book is built and
    // printed again, its chapters parsed again): what the font cache saves (out/.cache/print-fonts/).
    const cached = () => measure(process.execPath, [BIN, 'build', b.book, '-e', b.edition, '--format', 'pdf', '--root', b.root, '--out', out]);
    await cached(); // fills the font cache (not timed)
    const fontsCached = await rounds('Annals, print fonts from the cache', async () => {
      rmSync(join(out, '.cache', b.book), { recursive: true, force: true });
      return cached();
    });
    const dir = join(out, b.book, b.edition);
    const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf'));
    const pages = pdf ? (readFileSync(join(dir, pdf), 'latin1').match(/\/Type\s*\/Page\b/g) ?? []).length : undefined;
    const html = join(dir, 'print.html');
    const barePrint = (executable: string, memory: boolean) => measure(process.execPath, [join(repoRoot, 'bench/bare-print.mjs'), executable, html, join(out, 'bare.pdf'), JSON.stringify(CHROMIUM_ARGS), isHeadlessShell(executable) ? 'shell' : 'new'], {}, repoRoot, memory);
    const bare = await rounds(`bare Chromium print, cold browser (${browser})`, (memory) => barePrint(browser, memory), { memory: true });
    // The reference of the figures before 2026-12-03: the full browser, when Annals prints with the headless shell.
    const full = isHeadlessShell(browser) && existsSync(FULL_BROWSER) ? await rounds(`bare print with the full browser (${FULL_BROWSER})`, () => barePrint(FULL_BROWSER, false)) : undefined;
    if (!full) line('  bare print with the full browser', isHeadlessShell(browser) ? `not run: no ${FULL_BROWSER}` : 'not run: Annals prints with it (the row above)');
    let paged: Awaited<ReturnType<typeof rounds>> | undefined;
    let vivlio: Awaited<ReturnType<typeof rounds>> | undefined;
    if (peers) {
      // The peers inject their scripts into the page, which print.html's Content-Security-Policy refuses
      // (print-csp.ts): they get a copy without it, beside print.html (same relative URLs).
      const peerHtml = join(dir, 'peer-print.html');
      writeFileSync(peerHtml, readFileSync(html, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, ''));
      paged = await rounds('pagedjs-cli', () => measure(peers.pagedjs, [peerHtml, '-o', join(out, 'paged.pdf'), '--browserArgs', '--no-sandbox', '-t', '1800000'], { PUPPETEER_EXECUTABLE_PATH: browser }));
      vivlio = await rounds('@vivliostyle/cli', () => measure(peers.vivliostyle, ['build', peerHtml, '--single-doc', '-o', join(out, 'vivliostyle.pdf'), '--executable-browser', browser, '--timeout', '1800'], {}, out));
    }
    const cpu = (x: { cpu?: number }) => (x.cpu !== undefined ? `, CPU ${x.cpu.toFixed(1)} s` : '');
    const ratio = (x: { seconds: number; failed: boolean } | undefined) => (!x ? 'ANNALS_BENCH_PEERS=1' : x.failed ? `failed (${x.seconds.toFixed(1)} s)` : `${x.seconds.toFixed(1)} s (${(x.seconds / annals.seconds).toFixed(1)}× Annals)`);
    table.push(`| ${b.name} | ${pages ?? '?'} | ${annals.seconds.toFixed(1)} s${cpu(annals)}, ${mb(annals.peak ?? 0)} | ${every.seconds.toFixed(1)} s${cpu(every)} | ${single.seconds.toFixed(1)} s${cpu(single)} | ${fontsCached.seconds.toFixed(1)} s${cpu(fontsCached)} | ${bare.seconds.toFixed(1)} s${cpu(bare)}, ${mb(bare.peak ?? 0)} | ${(annals.seconds / bare.seconds).toFixed(2)}× | ${full ? `${full.seconds.toFixed(1)} s, ${(annals.seconds / full.seconds).toFixed(2)}×` : '—'} | ${ratio(paged)} | ${ratio(vivlio)} |`);
    rmSync(out, { recursive: true, force: true });
    if (b.cleanup) rmSync(b.cleanup, { recursive: true, force: true });
  }
  process.stdout.write('\n| book | pages | Annals, HTML and PDF (wall, peak PSS) | every format | Annals, one tab | Annals, fonts cached | bare print (cold) | Annals / bare | bare print, full browser; Annals / it | pagedjs-cli | vivliostyle |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
  process.stdout.write(table.join('\n') + '\n');
}

/** A version of the command: its bin/annals.js, run in `cwd` (whose sample books it builds). */
interface Variant {
  name: string;
  bin: string;
  cwd: string;
  /** Environment of its runs (e.g. ANNALS_THREADS=1). Default: none beyond the bench's. */
  env?: Record<string, string>;
}

/** The start-up commands, each as one row: every variant's median wall time and CPU time side by side. */
/**
 * A start-up command. `out` is the variant's output folder; `root` a copy of the variant's sample books
 * (manuscripts/, with its templates/ and indicators/ linked) that a command may edit, made once per variant.
 */
interface StartupCommand {
  label: string;
  args: (out: string, root: string) => string[];
  before?: (v: Variant, out: string, root: string) => Promise<unknown>;
  eachRound?: (out: string, root: string, round: number) => void;
}

/** The chapter the "after an edit" rows change: a sentence added at its end, another one each round. */
const EDITED_CHAPTER = 'manuscripts/world-report-2026/zh/03-innovation.md';

/** Append a sentence (new each round, so the chapter really changed) to EDITED_CHAPTER in `root`. */
function editChapter(root: string, round: number): void {
  appendFileSync(join(root, EDITED_CHAPTER), `\n基准测试第${round + 1}次修改时补充的一句话，用来让这一章的内容发生变化。\n`);
}

const STARTUP: StartupCommand[] = [
  { label: 'annals --version', args: () => ['--version'] },
  { label: 'annals --help', args: () => ['--help'] },
  // Cold: no cache of an earlier check (it is removed before every round); unchanged: the same check again.
  { label: 'annals check (all sample books, cold)', args: (out) => ['check', '--out', out], eachRound: (out) => rmSync(join(out, '.cache'), { recursive: true, force: true }) },
  {
    label: 'annals check (all sample books, unchanged)',
    args: (out) => ['check', '--out', out],
    before: (v, out) => measure(process.execPath, [v.bin, 'check', '--out', out], v.env ?? {}, v.cwd),
  },
  { label: 'annals build --format html --no-cache (all, cold)', args: (out) => ['build', '--format', 'html', '--no-cache', '--out', out] },
  // The same build again with the cache that the cold build (which keeps none) did not fill: one build fills it first.
  {
    label: 'annals build --format html (no-op)',
    args: (out) => ['build', '--format', 'html', '--out', out],
    before: (v, out) => measure(process.execPath, [v.bin, 'build', '--format', 'html', '--out', out], v.env ?? {}, v.cwd),
  },
  // What an editor waits for most often: one chapter changed since the last check or build (the cache of
  // that check or build is there; the book of that chapter is checked or built again, its unchanged
  // chapters' runs reused).
  {
    label: 'annals check after editing one chapter',
    args: (out, root) => ['check', '--root', root, '--out', out],
    before: (v, out, root) => measure(process.execPath, [v.bin, 'check', '--root', root, '--out', out], v.env ?? {}, v.cwd),
    eachRound: (_out, root, round) => editChapter(root, round),
  },
  {
    label: 'annals build --format html after editing one chapter',
    args: (out, root) => ['build', '--format', 'html', '--root', root, '--out', out],
    before: (v, out, root) => measure(process.execPath, [v.bin, 'build', '--format', 'html', '--root', root, '--out', out], v.env ?? {}, v.cwd),
    eachRound: (_out, root, round) => editChapter(root, round),
  },
];

/** A copy of the sample books of `cwd` to edit: manuscripts/ copied, templates/ and indicators/ linked. */
function editableCopy(cwd: string): string {
  const root = mkdtempSync(join(tmpdir(), 'annals-edit-'));
  cpSync(join(cwd, 'manuscripts'), join(root, 'manuscripts'), { recursive: true });
  for (const folder of ['templates', 'indicators']) symlinkSync(join(cwd, folder), join(root, folder));
  return root;
}

async function startup(variants: Variant[]): Promise<void> {
  process.stdout.write('\nstart-up and HTML, wall time (CPU time), median (targets: --version/--help ≤ 0.2 s, check ≤ 1.5 s, cold HTML build ≤ 3 s, no-op build ≤ 0.5 s)\n');
  const reference = await rounds('node -e 0', () => measure(process.execPath, ['-e', '0']), { quiet: true });
  const rows = [`| command | ${variants.map((v) => v.name).join(' | ')} |`, `|---|${variants.map(() => '---:|').join('')}`];
  rows.push(`| node -e 0 (Node's own start) | ${variants.map(() => cell(reference)).join(' | ')} |`);
  const outs = variants.map(() => mkdtempSync(join(tmpdir(), 'annals-startup-')));
  const roots = variants.map((v) => editableCopy(v.cwd));
  for (const command of STARTUP) {
    for (const [i, v] of variants.entries()) await command.before?.(v, outs[i]!, roots[i]!);
    // Round by round, each variant in turn: a change of load hits all of them alike.
    const runs: Measured[][] = variants.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, v] of variants.entries()) {
        command.eachRound?.(outs[i]!, roots[i]!, r);
        runs[i]!.push(await measure(process.execPath, [v.bin, ...command.args(outs[i]!, roots[i]!)], v.env ?? {}, v.cwd));
      }
    }
    for (const [i, v] of variants.entries()) report(`${command.label} — ${v.name}`, runs[i]!);
    rows.push(`| ${command.label} | ${runs.map((all) => cell(summary(all))).join(' | ')} |`);
  }
  for (const folder of [...outs, ...roots]) rmSync(folder, { recursive: true, force: true });
  process.stdout.write(`\n${rows.join('\n')}\n`);
}

function cell(m: { seconds: number; cpu?: number }): string {
  return `${m.seconds.toFixed(2)} s${m.cpu !== undefined ? ` (${m.cpu.toFixed(2)} s)` : ''}`;
}

async function startupSection(): Promise<void> {
  const loads = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`\n${ROUNDS} round(s) per figure, median; load average at the start ${loads}; ${availableParallelism()} cores\n`);
  spawnSync(process.execPath, [BIN, '--version']); // compile compiled/ first if it is stale (not timed)
  const ref = process.env.ANNALS_BENCH_BEFORE;
  const before = ref ? exportedVersion(ref) : undefined;
  try {
    // ANNALS_BENCH_ONE_THREAD=1 adds this checkout with its books built one after another (ANNALS_THREADS=1).
    const oneThread: Variant[] = process.env.ANNALS_BENCH_ONE_THREAD === '1' ? [{ name: 'this checkout, one thread', bin: BIN, cwd: repoRoot, env: { ANNALS_THREADS: '1' } }] : [];
    await startup([{ name: 'this checkout', bin: BIN, cwd: repoRoot }, ...oneThread, ...(before ? [before] : [])]);
  } finally {
    if (before) rmSync(before.cwd, { recursive: true, force: true });
  }
}

/** The code at a git ref, exported into a temporary folder beside this checkout's node_modules and compiled. */
function exportedVersion(ref: string): Variant {
  const short = spawnSync('git', ['rev-parse', '--short', ref], { cwd: repoRoot, encoding: 'utf8' });
  if (short.status !== 0) throw new Error(`ANNALS_BENCH_BEFORE: no git ref ${ref}`);
  const dir = mkdtempSync(join(tmpdir(), 'annals-before-'));
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: repoRoot, maxBuffer: 1 << 30 });
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (archive.status !== 0 || tar.status !== 0) throw new Error(`cannot export ${ref}: ${archive.stderr}${tar.stderr}`);
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const compiled = spawnSync(process.execPath, ['scripts/compile.js'], { cwd: dir, encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`cannot compile ${ref}: ${compiled.stderr}`);
  return { name: `before (${short.stdout.trim()})`, bin: join(dir, 'bin/annals.js'), cwd: dir };
}

/** pagedjs-cli and @vivliostyle/cli in a cache folder of their own (never in package.json). */
function installPeers(): { pagedjs: string; vivliostyle: string } {
  const dir = process.env.ANNALS_BENCH_PEERS_DIR ?? join(homedir(), '.cache', 'annals-bench-peers');
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name);
  if (!existsSync(bin('pagedjs-cli')) || !existsSync(bin('vivliostyle'))) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`installing pagedjs-cli and @vivliostyle/cli into ${dir}\n`);
    const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', 'pagedjs-cli', '@vivliostyle/cli'], {
      stdio: 'inherit',
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    });
    if (r.status !== 0) throw new Error(`npm install of the peer tools failed (exit ${r.status})`);
  }
  return { pagedjs: bin('pagedjs-cli'), vivliostyle: bin('vivliostyle') };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
