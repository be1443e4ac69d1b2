/**
 * The compiled command (bin/annals.js → compiled/, scripts/compile.js): it is compiled again when a source
 * changed, it writes the same site as the TypeScript sources, and it loads heavy npm packages only for
 * the work that needs them (read from a log of every package the process loads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { compile, isStale } from '../scripts/compile.js';
import { repoRoot, tempProject, writeBook } from './helpers.ts';

const LOGGER = join(repoRoot, 'tests/fixtures/package-log/package-log.mjs');
/** Loaded only by the work that needs them (docs/pdf.md, Speed; jszip and subset-font by the EPUB); the test book has no index or derived edition. (KaTeX is not in the list: remark-math loads a copy of its own.) */
const HEAVY = ['puppeteer', 'puppeteer-core', 'pdf-lib', 'echarts', 'exceljs', 'citeproc', '@citation-js/core', 'pdfjs-dist', 'esbuild', 'tsx', 'opencc-js', 'pinyin-pro', 'jszip', 'subset-font'];

let runs = 0;
/** Run bin/annals.js; `packages` lists the npm packages the process loaded. */
function annals(args: string[], env: Record<string, string> = {}) {
  const log = join(tmpdir(), `annals-packages-${process.pid}-${runs++}.log`);
  const r = spawnSync(process.execPath, ['--import', LOGGER, join(repoRoot, 'bin/annals.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', ANNALS_PACKAGE_LOG: log, ...env },
  });
  let packages: string[] = [];
  try {
    packages = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
  } catch {
    /* nothing loaded */
  }
  rmSync(log, { force: true });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages };
}

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.cache') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

test('compiled/ is compiled again when a source it was built from changes', async () => {
  const { inputs } = await compile();
  // zod, yaml and the Markdown machinery are bundled (scripts/compile.js BUNDLED), the heavy packages are not.
  const chunks = readdirSync(join(repoRoot, 'compiled/chunks')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(repoRoot, 'compiled/chunks', f), 'utf8'));
  for (const pkg of ['zod', 'yaml', 'unified', 'micromark']) assert.ok(chunks.some((c) => c.includes(`// node_modules/${pkg}/`)), `${pkg} in a chunk`);
  for (const pkg of ['echarts', 'puppeteer', 'citeproc']) assert.ok(!chunks.some((c) => c.includes(`// node_modules/${pkg}/`)), `${pkg} stays in node_modules`);
  assert.ok(inputs.includes('pipeline/cli.ts') && inputs.includes('pipeline/build/build.ts'), 'the bundle starts at pipeline/cli.ts');
  assert.ok(inputs.includes('pipeline/pdf/print-pdf.ts'), 'modules loaded with import() are compiled too');
  assert.equal(isStale(), false);
  // A source edited after the build: the next command compiles first.
  const source = join(repoRoot, 'pipeline/base/tool-root.ts');
  const later = new Date(Date.now() + 2000);
  utimesSync(source, later, later);
  assert.equal(isStale(), true);
  const before = statSync(join(repoRoot, 'compiled/build-info.json')).mtimeMs;
  const r = annals(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  assert.ok(statSync(join(repoRoot, 'compiled/build-info.json')).mtimeMs > before, 'build-info.json rewritten');
  // The source's time is in the future, so compiled/ counts as stale until then; build once more after it.
  const wait = later.getTime() - Date.now() + 20;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await compile();
  assert.equal(isStale(), false);
});

test('--version and --help load no package but commander', () => {
  for (const args of [['--version'], ['--help'], ['build', '--help']]) {
    const r = annals(args);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.packages, ['commander'], args.join(' '));
  }
});

test('an HTML build from compiled/ loads no print, chart, spreadsheet or citation package and writes what the sources write', () => {
  const project = tempProject();
  symlinkSync(join(repoRoot, 'templates'), join(project.root, 'templates'));
  mkdirSync(join(project.root, 'indicators'), { recursive: true });
  writeBook(project, {
    chapters: {
      '01-one.md': '---\ntitle: 总论\n---\n\n## 概况 {#overview}\n\n正文一段，见[分论](#detail)。\n',
      '02-two.md': '---\ntitle: 分论\n---\n\n## 细节 {#detail}\n\n| 项目 | 数值 |\n|---|---:|\n| 甲 | 1 |\n',
    },
  });
  const compiled = annals(['build', '--format', 'html', '--no-cache', '--root', project.root, '--out', join(project.root, 'out-dist')]);
  assert.equal(compiled.code, 0, compiled.stderr);
  // The log sees the pipeline's packages, so an absent package was really not loaded (a package bundled into
  // compiled/ counts as loaded with the chunk that holds it: tests/fixtures/package-log/package-of.mjs).
  for (const pkg of ['unified', 'remark-parse', 'hast-util-to-html', 'yaml']) assert.ok(compiled.packages.includes(pkg), `${pkg} in ${compiled.packages}`);
  for (const pkg of HEAVY) assert.ok(!compiled.packages.includes(pkg), `${pkg} loaded by an HTML build`);

  const source = annals(['build', '--format', 'html', '--no-cache', '--root', project.root, '--out', join(project.root, 'out-src')], { ANNALS_FROM_SOURCE: '1' });
  assert.equal(source.code, 0, source.stderr);
  assert.ok(source.packages.includes('tsx'), 'ANNALS_FROM_SOURCE=1 runs the TypeScript sources');
  const a = filesUnder(join(project.root, 'out-dist'));
  const b = filesUnder(join(project.root, 'out-src'));
  assert.ok(a.size > 3);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [path, bytes] of a) assert.ok(bytes === b.get(path), `${path} differs`);
  rmSync(project.root, { recursive: true, force: true });
});

test('annals check draws no chart and makes no index page: a book with a map and an index loads neither ECharts nor pinyin-pro', () => {
  // The China report has a choropleth (::chart{type=map}) and index marks (:idx), and a derived edition.
  const r = annals(['check', 'china-report', '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /check succeeded: 2 edition\(s\)/);
  assert.ok(r.packages.includes('remark-parse') && r.packages.includes('opencc-js'), `the chapters were checked: ${r.packages}`);
  for (const pkg of ['echarts', 'pinyin-pro', 'hyphen', 'puppeteer', 'pdf-lib', 'jszip', 'subset-font']) assert.ok(!r.packages.includes(pkg), `${pkg} loaded by a check`);
});

test('a check of unchanged books replays them from the cache without loading the Markdown or HTML packages', () => {
  const project = tempProject();
  symlinkSync(join(repoRoot, 'templates'), join(project.root, 'templates'));
  mkdirSync(join(project.root, 'indicators'), { recursive: true });
  writeBook(project, { chapters: { '01-one.md': '---\ntitle: 总论\n---\n\n## 概况\n\n正文一段。\n' } });
  const args = ['check', '--root', project.root];
  const first = annals(args);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(first.packages.includes('remark-parse'), 'the first check parses Markdown');
  const again = annals(args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /check succeeded: 1 edition\(s\)/);
  for (const pkg of ['unified', 'remark-parse', 'micromark', 'hast-util-to-html', ...HEAVY]) {
    assert.ok(!again.packages.includes(pkg), `${pkg} loaded by a check of an unchanged book`);
  }
  // An edited chapter is checked again.
  project.write('manuscripts/test-book/zh/01-one.md', '---\ntitle: 总论\n---\n\n::figur[x]\n');
  const edited = annals(args);
  assert.equal(edited.code, 1);
  assert.match(edited.stderr, /01-one\.md:5:1 error unknown directive/);
  rmSync(project.root, { recursive: true, force: true });
});

test('a build of unchanged books replays them from the cache without loading the Markdown or HTML packages', () => {
  const project = tempProject();
  symlinkSync(join(repoRoot, 'templates'), join(project.root, 'templates'));
  mkdirSync(join(project.root, 'indicators'), { recursive: true });
  writeBook(project, { chapters: { '01-one.md': '---\ntitle: 总论\n---\n\n## 概况\n\n正文一段。\n' } });
  const args = ['build', '--format', 'html', '--root', project.root];
  const first = annals(args);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(first.packages.includes('remark-parse'), 'the first build parses Markdown');
  const again = annals(args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /unchanged/);
  // The book's configuration is still read and checked (yaml and zod, bundled into compiled/), nothing of the edition stages.
  assert.ok(again.packages.includes('yaml'), `yaml in ${again.packages}`);
  for (const pkg of ['unified', 'remark-parse', 'micromark', 'hast-util-to-html', 'hast-util-raw', 'mustache', 'subset-font', 'jszip', 'ora', ...HEAVY]) {
    assert.ok(!again.packages.includes(pkg), `${pkg} loaded by a build of an unchanged book`);
  }
  rmSync(project.root, { recursive: true, force: true });
});
