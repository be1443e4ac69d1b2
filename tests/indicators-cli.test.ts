/**
 * `annals indicators`: the terminal table, CSV and XLSX of the mini framework, byte-identical between
 * runs; exit codes for an unknown framework and for a framework with errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { runIndicators } from '../pipeline/commands/indicators.ts';
import { indicatorsOutput } from '../pipeline/cli.ts';
import { repoRoot } from './helpers.ts';

const MINI = join(repoRoot, 'tests/fixtures/indicators/mini');

async function run(indicators: string, out: string, extra: Partial<Parameters<typeof runIndicators>[0]> & { json?: boolean } = {}) {
  const { json = false, ...options } = extra;
  const outcome = await runIndicators({ framework: 'mini', root: repoRoot, indicators, out, ...options });
  return indicatorsOutput(outcome, { json, root: repoRoot });
}

test('prints the ranking and writes identical CSV and XLSX on every run', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-indicators-cli-'));
  try {
    const first = await run(MINI, out);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.split('\n');
    assert.equal(lines[0], '迷你指数 2026 (数据年份 2024)');
    assert.match(lines[1]!, /^排名 +代码 +名称 +综合得分 +梯队 +得分变化 +位次变化 +接入 +安全$/);
    assert.match(lines[3]!, /^ +1 +AAA +甲国 +68\.00 +第一梯队 +0\.00 +0 +50\.00 +95\.00$/);
    assert.match(lines[4]!, /^ +2 +BBB +乙国 +51\.00 +第二梯队 +−3\.00 +0 +75\.00 +15\.00$/);
    assert.equal(lines[6], '2024年的12项指标值中，本年观测12项，沿用此前年份0项，以中位数插补0项（详见 --audit）');
    const csv = readFileSync(join(out, 'indicators/mini-2026.csv'), 'utf8');
    assert.equal(csv.split('\r\n')[1], '1,AAA,甲国,68.00,第一梯队,0.00,0,50.00,95.00');
    const xlsx = readFileSync(join(out, 'indicators/mini-2026.xlsx'));
    await new Promise((r) => setTimeout(r, 1100)); // a second later: any clock in the files would show
    assert.equal((await run(MINI, out)).code, 0);
    assert.deepEqual(readFileSync(join(out, 'indicators/mini-2026.xlsx')), xlsx, 'same XLSX bytes');
    assert.equal(readFileSync(join(out, 'indicators/mini-2026.csv'), 'utf8'), csv, 'same CSV');
    const zip = await JSZip.loadAsync(xlsx);
    assert.ok(Object.values(zip.files).every((f) => f.date.toISOString() === '2026-01-01T00:00:00.000Z'), 'fixed zip dates');
    const core = await zip.file('docProps/core.xml')!.async('string');
    assert.match(core, /<dcterms:created[^>]*>2026-01-01T00:00:00Z</);
    const sheets = await zip.file('xl/workbook.xml')!.async('string');
    for (const name of ['排名', '各级得分', '原始数据', '数据来源']) assert.ok(sheets.includes(`name="${name}"`), `sheet ${name}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('exit 2 for an unknown framework, 1 (nothing written) for a framework with errors', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-indicators-cli-'));
  try {
    const missing = await run(MINI, out, { framework: 'nope' });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no framework indicators\/nope\/framework\.yaml/);
    const broken = join(out, 'broken');
    cpSync(MINI, broken, { recursive: true });
    const fw = join(broken, 'mini/2026/framework.yaml');
    writeFileSync(fw, readFileSync(fw, 'utf8').replace('weight: 0.75', 'weight: 0.7'));
    const failed = await run(broken, out);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /framework\.yaml:37:5 error weights of the children of `safety` sum to 0\.95/);
    assert.match(failed.stderr, /nothing written/);
    assert.equal(failed.stdout, '');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('--audit prints coverage, coherence and rank intervals and writes the same JSON and XLSX twice', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-indicators-cli-'));
  try {
    const fixture = join(out, 'fixture');
    cpSync(MINI, fixture, { recursive: true });
    const fw = join(fixture, 'mini/2026/framework.yaml');
    writeFileSync(fw, readFileSync(fw, 'utf8').replace('tiers:', 'uncertainty: {draws: 100, seed: 3, aggregations: [geometric]}\ntiers:'));
    // BBB's governance 2024 is carried forward from 2023 (lookback 1).
    const data = join(fixture, 'mini/2026/data/series.yaml');
    writeFileSync(data, readFileSync(data, 'utf8').replace('BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6}'));
    const first = await run(fixture, out, { audit: true, lang: 'en' });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Coverage \(2024, ranked entities\): observed 11 \(91\.7%\), carried forward 1 \(8\.3%\), imputed 0 \(0%\), of 12/);
    assert.match(first.stdout, /Rank intervals\n/);
    assert.match(first.stdout, /wrote .*mini-2026-audit\.json and .*mini-2026-audit\.xlsx/);
    const json = readFileSync(join(out, 'indicators/mini-2026-audit.json'), 'utf8');
    const xlsx = readFileSync(join(out, 'indicators/mini-2026-audit.xlsx'));
    const audit = JSON.parse(json);
    assert.deepEqual(audit.coverage.totals, { observed: 11, carried: 1, imputed: 0, missing: 0 });
    assert.deepEqual(audit.coverage.entities[1].carriedFrom, { governance: 2023 });
    assert.deepEqual(audit.coverage.indicators.governance, { observed: 2, carried: 1, imputed: 0, missing: 0, share: 1 });
    assert.deepEqual(Object.keys(audit.uncertainty.entities), ['AAA', 'BBB', 'CCC']);
    assert.equal(audit.coherence.n, 3);
    assert.equal((await run(fixture, out, { audit: true, lang: 'en' })).code, 0);
    assert.equal(readFileSync(join(out, 'indicators/mini-2026-audit.json'), 'utf8'), json, 'same JSON (seeded Monte Carlo)');
    assert.deepEqual(readFileSync(join(out, 'indicators/mini-2026-audit.xlsx')), xlsx, 'same XLSX bytes');
    const sheets = await (await JSZip.loadAsync(xlsx)).file('xl/workbook.xml')!.async('string');
    for (const name of ['Indicator coverage', 'Entity coverage', 'Dimensions', 'Weights', 'Correlations', 'Skew and kurtosis', 'Rank intervals', 'Sensitivity']) {
      assert.ok(sheets.includes(`name="${name}"`), `sheet ${name}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the raw-values sheet is labelled with the series’ names and units, not the indicators’', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-indicators-cli-'));
  try {
    assert.equal((await run(MINI, out)).code, 0);
    const zip = await JSZip.loadAsync(readFileSync(join(out, 'indicators/mini-2026.xlsx')));
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    // `users` is users_total / population × 100: its raw value is the count in millions.
    assert.ok(strings.includes('网民数（百万人）'), 'series name and unit');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the table and sheet words come from the locale files', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-indicators-cli-'));
  try {
    const templates = join(out, 'templates');
    cpSync(join(repoRoot, 'templates/locales'), join(templates, 'locales'), { recursive: true });
    const en = join(templates, 'locales/en.yaml');
    writeFileSync(en, readFileSync(en, 'utf8').replace('cliRank: Rank', 'cliRank: Place').replace('cliSheetRanking: Ranking', 'cliSheetRanking: Standings'));
    const outcome = await runIndicators({ framework: 'mini', root: repoRoot, indicators: MINI, out, templates, lang: 'en' });
    assert.equal(outcome.status, 'written');
    assert.match(outcome.status === 'written' ? outcome.ranking.split('\n')[1]! : '', /^Place +Code +Name +Score /);
    const sheets = await (await JSZip.loadAsync(readFileSync(join(out, 'indicators/mini-2026.xlsx')))).file('xl/workbook.xml')!.async('string');
    assert.ok(sheets.includes('name="Standings"'), 'sheet named from the locale file');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the command module prints nothing and sets no exit code: it returns, cli.ts prints', () => {
  const source = readFileSync(join(repoRoot, 'pipeline/commands/indicators.ts'), 'utf8');
  assert.doesNotMatch(source, /process\.(stdout|stderr|exit)/);
});
