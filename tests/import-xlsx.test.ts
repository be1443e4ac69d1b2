/**
 * `annals indicators import`: workbooks made here with exceljs (nothing binary is committed) are read in
 * the wide and long layouts; entities match by Chinese name with or without 省/市/自治区, by ISO code and
 * by English name; every bad cell is reported at its address and nothing is written when there are errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import { indicatorsImportOutput, runIndicatorsImport } from '../pipeline/commands/indicators-import.ts';
import { createEntityMatcher, stripSuffix } from '../pipeline/import/entity-matcher.ts';
import { repoRoot } from './helpers.ts';

/** A project holding a copy of one framework (the import writes into its data folder). */
function projectWith(framework: string): string {
  const root = mkdtempSync(join(tmpdir(), 'annals-xlsx-'));
  cpSync(join(repoRoot, 'indicators', framework), join(root, 'indicators', framework), { recursive: true });
  return root;
}

async function workbook(path: string, rows: unknown[][], sheetName = 'Sheet1'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  await wb.xlsx.writeFile(path);
  return path;
}

/** `annals indicators import` as cli.ts runs it: its exit code and what it prints. */
async function run(root: string, options: Partial<Parameters<typeof runIndicatorsImport>[0]> & { file: string; framework: string; series: string; json?: boolean }) {
  const { json = false, ...rest } = options;
  const printed = indicatorsImportOutput(await runIndicatorsImport({ root, ...rest }), { json, root });
  return { code: printed.code, out: printed.stdout, err: printed.stderr };
}

test('province names match with and without their administrative suffix', () => {
  assert.equal(stripSuffix('广西壮族自治区'), '广西');
  assert.equal(stripSuffix('内蒙古自治区'), '内蒙古');
  assert.equal(stripSuffix('北京市'), '北京');
  assert.equal(stripSuffix('广东省'), '广东');
  const matcher = createEntityMatcher([
    { id: '110000', name: { zh: '北京市', en: 'Beijing' }, group: 'east' },
    { id: '450000', name: { zh: '广西壮族自治区', en: 'Guangxi' }, group: 'west' },
    { id: 'CHN', name: { zh: '中国', en: 'China' }, group: 'asia', codes: { iso2: 'CN' } },
  ]);
  assert.deepEqual(matcher.match('北京'), { kind: 'matched', id: '110000' });
  assert.deepEqual(matcher.match('北京市'), { kind: 'matched', id: '110000' });
  assert.deepEqual(matcher.match('广西'), { kind: 'matched', id: '450000' });
  assert.deepEqual(matcher.match('广西壮族自治区'), { kind: 'matched', id: '450000' });
  assert.deepEqual(matcher.match('ｃｈｉｎａ'), { kind: 'matched', id: 'CHN' });
  assert.deepEqual(matcher.match('cn'), { kind: 'matched', id: 'CHN' });
  assert.deepEqual(matcher.match('110000'), { kind: 'matched', id: '110000' });
  assert.deepEqual(matcher.match('Beijin'), { kind: 'unknown', suggestion: '110000' });
  assert.equal(matcher.match('火星').kind, 'unknown');
});

test('a wide sheet with bad cells reports each at its cell and writes nothing', async () => {
  const root = projectWith('cidi');
  const file = await workbook(join(root, 'bad.xlsx'), [
    ['各地区光纤宽带用户'], // A1: the title
    ['单位：万户'], // A2
    ['地区', '2022', '2023', '2024年'], // A3: header, years as text and as 2024年
    ['北京市', 10.5, '12.3*', 14], // C4: footnote marker
    ['天津', 8, '…', 9], // C5: placeholder (warning)
    ['河北省', 'n/a?', 20, 21], // B6: not a number
    ['火星省', 1, 2, 3], // A7: unknown entity
    ['北京', 11, 12, 13], // B8, C8, D8: duplicates of row 4
    ['内蒙古自治区', 5, '6', 7], // C9: number stored as text (warning)
    ['数据来源：示例统计局'], // A10: the source
  ]);
  const { code, err } = await run(root, { file, framework: 'cidi', series: 'fibre_users', licence: 'CC BY 4.0' });
  assert.equal(code, 1);
  const expect = [
    ['Sheet1!C4', 'import-footnote-marker', '"12.3*" is a number with the footnote marker "*"'],
    ['Sheet1!C5', 'import-missing-marker', '"…" marks a missing value'],
    ['Sheet1!B6', 'import-not-a-number', '"n/a?" is not a number'],
    ['Sheet1!A7', 'import-unknown-entity', '"火星省" is not an entity of the framework'],
    ['Sheet1!B8', 'import-duplicate', '北京 2022 is given twice: Sheet1!B4 and Sheet1!B8'],
    ['Sheet1!D8', 'import-duplicate', '北京 2024 is given twice: Sheet1!D4 and Sheet1!D8'],
    ['Sheet1!C9', 'import-number-as-text', '"6" is a number stored as text: read as 6'],
  ];
  for (const [cell, rule, message] of expect) {
    const line = err.split('\n').find((l) => l.includes(`${cell}:`) && l.includes(`[${rule}]`));
    assert.ok(line, `${cell} reported as ${rule}:\n${err}`);
    assert.ok(line.includes(message!), `${cell}: ${line}`);
  }
  // C8 (北京 2023) is no duplicate: C4 was not a number.
  assert.ok(!err.includes('Sheet1!C8'), err);
  assert.equal(existsSync(join(root, 'indicators/cidi/2026/data/fibre_users.yaml')), false);
});

test('a clean wide sheet is written with its unit, source and title, in framework order', async () => {
  const root = projectWith('cidi');
  const file = await workbook(join(root, 'ok.xlsx'), [
    ['各地区光纤宽带用户'],
    ['单位：万户'],
    ['地区', 2023, 2024],
    ['天津', 8, '-'],
    ['北京市', 10.5, 14],
    ['广西壮族自治区', 3.25, 4],
    ['数据来源：示例统计局'],
  ]);
  const dry = await run(root, { file, framework: 'cidi', series: 'fibre_users', licence: 'CC BY 4.0', dryRun: true });
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /checked indicators\/cidi\/2026\/data\/fibre_users\.yaml: 3 entities/);
  assert.equal(existsSync(join(root, 'indicators/cidi/2026/data/fibre_users.yaml')), false, '--dry-run writes nothing');
  const { code, out, err } = await run(root, { file, framework: 'cidi', series: 'fibre_users', licence: 'CC BY 4.0' });
  assert.equal(code, 0, err);
  assert.match(out, /wrote indicators\/cidi\/2026\/data\/fibre_users\.yaml: 3 entities, 2023–2024, 5 values/);
  assert.match(err, /Sheet1!C4: "-" marks a missing value: left out .*\[import-missing-marker\]/);
  const text = readFileSync(join(root, 'indicators/cidi/2026/data/fibre_users.yaml'), 'utf8');
  const data = parse(text) as { series: Array<Record<string, unknown>> };
  assert.deepEqual(data.series[0], {
    id: 'fibre_users',
    name: '各地区光纤宽带用户',
    unit: '万户',
    source: '示例统计局',
    licence: 'CC BY 4.0',
    values: { '110000': { 2023: 10.5, 2024: 14 }, '120000': { 2023: 8 }, '450000': { 2023: 3.25, 2024: 4 } },
  });
  // Beijing (110000) comes before Tianjin (120000), as in framework.yaml.
  assert.ok(text.indexOf("'110000'") < text.indexOf("'120000'"));
});

test('a long sheet with ISO codes and English names updates an existing series, keeping its metadata', async () => {
  const root = projectWith('widi');
  const file = await workbook(
    join(root, 'long.xlsx'),
    [
      ['Country', 'Year', 'Value'],
      ['CHN', 2024, 93.1],
      ['Japan', 2024, 87.25],
      ['de', 2023, 91],
      ['CHN', 2024, 94],
    ],
    'data',
  );
  const bad = await run(root, { file, framework: 'widi', series: 'internet_users_pct' });
  assert.equal(bad.code, 1);
  assert.match(bad.err, /data!C5: CHN 2024 is given twice: data!C2 and data!C5 .*\[import-duplicate\]/);

  const good = await workbook(join(root, 'long-ok.xlsx'), [
    ['Country', 'Year', 'Value'],
    ['CHN', 2024, 93.1],
    ['Japan', 2024, 87.25],
    ['de', 2023, 91],
  ]);
  const { code, out, err } = await run(root, { file: good, framework: 'widi', series: 'internet_users_pct' });
  assert.equal(code, 0, err);
  assert.match(out, /3 values \(2 changed, the series' other values kept\)/);
  const data = parse(readFileSync(join(root, 'indicators/widi/2026/data/internet_users_pct.yaml'), 'utf8')) as { series: Array<Record<string, unknown>> };
  const s = data.series[0]!;
  assert.equal(s.code, 'IT.NET.USER.ZS'); // kept from the series as it was
  assert.equal(s.licence, 'CC BY 4.0');
  const values = s.values as Record<string, Record<string, number>>;
  assert.equal(values.CHN![2024], 93.1);
  assert.equal(values.JPN![2024], 87.25);
  assert.equal(values.DEU![2023], 91);
  assert.equal(values.CHN![2015], 50.3); // a year the workbook does not give is kept
  assert.ok(Object.keys(values).length >= 40, 'the other entities are kept');
});

test('a sheet without a header row or without a unit is refused with the reason', async () => {
  const root = projectWith('cidi');
  const noHeader = await workbook(join(root, 'nohead.xlsx'), [['北京', 1], ['天津', 2]]);
  const a = await run(root, { file: noHeader, framework: 'cidi', series: 'x', unit: '%', source: 's', licence: 'l', name: 'n' });
  assert.equal(a.code, 1);
  assert.match(a.err, /no header row in sheet "Sheet1".*\[import-layout\]/);
  const noUnit = await workbook(join(root, 'nounit.xlsx'), [['地区', 2023, 2024], ['北京', 1, 2]]);
  const b = await run(root, { file: noUnit, framework: 'cidi', series: 'x', licence: 'l', name: 'n' });
  assert.equal(b.code, 1);
  assert.match(b.err, /the series "x" has no unit, source: give --unit, --source .*\[import-metadata\]/);
  const c = await run(root, { file: noUnit, framework: 'nope', series: 'x' });
  assert.equal(c.code, 2);
});
