/**
 * One test per bad-input case: each copies the clean mini fixture (tests/fixtures/indicators/mini), makes
 * one edit shown in the test, and asserts the diagnostic's rule id, message and line:column. The line
 * numbers are those of the fixture files, so a reader can check them against the files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, type Diagnostic } from '../pipeline/report/diagnostics.ts';
import { createIndicatorStore } from '../pipeline/indicators/store.ts';
import { billionLaughs } from './helpers.ts';

const MINI = new URL('./fixtures/indicators/mini', import.meta.url).pathname;

/** Copy the fixture, apply `edits` (file → [from, to]), load it through the store, return diagnostics. */
function diagnose(edits: Record<string, Array<[string, string]>>): Diagnostic[] {
  const root = mkdtempSync(join(tmpdir(), 'annals-indicators-'));
  try {
    cpSync(MINI, root, { recursive: true });
    for (const [file, replacements] of Object.entries(edits)) {
      const path = join(root, 'mini', '2026', file);
      let text = readFileSync(path, 'utf8');
      for (const [from, to] of replacements) {
        assert.ok(text.includes(from), `fixture ${file} contains ${JSON.stringify(from)}`);
        text = text.replace(from, to);
      }
      writeFileSync(path, text);
    }
    const store = createIndicatorStore(root);
    store.get('mini');
    return collect(store.files(), root).map((d) => ({ ...d, hint: undefined }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const F = 'framework.yaml';
const D = 'data/series.yaml';

function only(diagnostics: Diagnostic[], ruleId: string): Diagnostic {
  const hits = diagnostics.filter((d) => d.ruleId === ruleId);
  assert.equal(hits.length, 1, `one ${ruleId} in ${JSON.stringify(diagnostics, null, 1)}`);
  return hits[0]!;
}

function where(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}`;
}

test('clean fixture: no diagnostics', () => {
  assert.deepEqual(diagnose({}), []);
});

test('weights not summing to 1', () => {
  const d = only(diagnose({ [F]: [['weight: 0.75', 'weight: 0.7']] }), 'indicator-weights');
  assert.equal(d.message, 'weights of the children of `safety` sum to 0.95, not 1 (incidents 0.7, governance 0.25)');
  assert.equal(where(d), 'mini/2026/framework.yaml:37:5');
  assert.equal(d.severity, 'error');
});

test('weights of the dimensions', () => {
  const d = only(diagnose({ [F]: [['weight: 0.6', 'weight: 0.5']] }), 'indicator-weights');
  assert.equal(d.message, 'weights of the dimensions sum to 0.9, not 1 (access 0.5, safety 0.4)');
  assert.equal(where(d), 'mini/2026/framework.yaml:20:1');
});

test('duplicate node id', () => {
  const d = only(diagnose({ [F]: [['- id: governance', '- id: incidents']] }), 'indicator-duplicate-id');
  assert.equal(d.message, 'duplicate node id `incidents` (first used on line 38)');
  assert.equal(where(d), 'mini/2026/framework.yaml:42:13');
});

test('duplicate entity id', () => {
  const d = only(diagnose({ [F]: [['{id: CCC,', '{id: BBB,']] }), 'indicator-duplicate-id');
  assert.equal(d.message, 'duplicate entity id `BBB` (first used on line 11)');
  assert.equal(where(d), 'mini/2026/framework.yaml:12:10');
});

test('duplicate series id across data', () => {
  const diagnostics = diagnose({ [D]: [['- id: population', '- id: users_total']] });
  const d = only(diagnostics, 'indicator-duplicate-id');
  assert.equal(d.message, 'duplicate series id `users_total` (first defined in series.yaml:2)');
  assert.equal(where(d), 'mini/2026/data/series.yaml:11:9');
  // The denominator is now missing too.
  assert.equal(only(diagnostics, 'indicator-denominator').message, 'denominator `population` of indicator `users` is not a series in the data');
});

test('unknown entity in data', () => {
  const d = only(diagnose({ [D]: [['      CCC: {2023: 3, 2024: 3}\n  - id: population', '      XYZ: {2023: 3, 2024: 3}\n  - id: population']] }), 'indicator-unknown-entity');
  assert.equal(d.message, 'unknown entity `XYZ` in series `users_total`');
  assert.equal(where(d), 'mini/2026/data/series.yaml:10:7');
});

test('unknown group of an entity', () => {
  const d = only(diagnose({ [F]: [['group: south}', 'group: west}']] }), 'indicator-unknown-group');
  assert.equal(d.message, 'entity `CCC` has unknown group `west`');
  assert.equal(where(d), 'mini/2026/framework.yaml:12:49');
});

test('non-numeric value', () => {
  const d = only(diagnose({ [D]: [['AAA: {2023: 8, 2024: 9}', 'AAA: {2023: 8, 2024: "9,0"}']] }), 'indicator-value');
  assert.equal(d.message, '`users_total` of `AAA` in 2024 is not a number: the text "9,0"');
  assert.equal(where(d), 'mini/2026/data/series.yaml:8:28');
});

test('a .nan value is named as written, not as null', () => {
  const d = only(diagnose({ [D]: [['AAA: {2023: 8, 2024: 9}', 'AAA: {2023: 8, 2024: .nan}']] }), 'indicator-value');
  assert.equal(d.message, '`users_total` of `AAA` in 2024 is not a number: .nan');
  assert.equal(where(d), 'mini/2026/data/series.yaml:8:28');
});

test('a YAML alias bomb in indicator data is an error at its first alias, not a crash', () => {
  const bomb = billionLaughs();
  const diagnostics = diagnose({ [D]: [['series:', `${bomb.text}series:`]] });
  const d = only(diagnostics, 'yaml-aliases');
  assert.match(d.message, /aliases expand to more than 100 copies/);
  assert.equal(where(d), `mini/2026/data/series.yaml:${bomb.firstAliasLine}:${bomb.firstAliasColumn}`);
});

test('value out of range', () => {
  const d = only(diagnose({ [D]: [['BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6, 2024: 60}']] }), 'indicator-value');
  assert.equal(d.message, '`governance` of `BBB` in 2024 is 60, outside the range 0–10');
  assert.equal(where(d), 'mini/2026/data/series.yaml:46:28');
});

test('missing value under the fail policy', () => {
  const diagnostics = diagnose({
    [F]: [['policy: impute', 'policy: fail']],
    [D]: [['BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6}']],
  });
  const d = only(diagnostics, 'indicator-missing-value');
  assert.equal(d.message, 'no value of `governance` for `BBB` in 2024 (the policy is `fail`); the entity is left out');
  assert.equal(where(d), 'mini/2026/data/series.yaml:46:12');
});

test('missing value imputed: a warning per series and year', () => {
  const diagnostics = diagnose({ [D]: [['BBB: {2023: 6, 2024: 6}', 'BBB: {2022: 6}']] });
  const d = only(diagnostics, 'indicator-imputed');
  assert.equal(d.severity, 'warning');
  // lookback is 1: 2023 has no value either, so the median of BBB's group (north: AAA 8) is used.
  assert.equal(d.message, '1 value of `governance` for 2024 imputed: BBB (group-median)');
  assert.equal(where(d), 'mini/2026/data/series.yaml:38:9');
});

test('missing value taken from the previous year: info', () => {
  const d = only(diagnose({ [D]: [['BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6}']] }), 'indicator-fallback-year');
  assert.equal(d.severity, 'info');
  assert.equal(d.message, '1 value of `governance` for 2024 taken from an earlier year: BBB (2023)');
});

test('missing value under the drop policy', () => {
  const diagnostics = diagnose({
    [F]: [['policy: impute', 'policy: drop']],
    [D]: [['BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6}']],
  });
  const d = only(diagnostics, 'indicator-entity-dropped');
  assert.equal(d.message, '`BBB` dropped from the 2024 ranking: no value of `governance`');
  assert.equal(d.severity, 'warning');
});

test('denominator series missing', () => {
  const d = only(diagnose({ [F]: [['denominator: population', 'denominator: people']] }), 'indicator-denominator');
  assert.equal(d.message, 'denominator `people` of indicator `users` is not a series in the data');
  assert.equal(where(d), 'mini/2026/framework.yaml:29:54');
});

test('zero denominator value', () => {
  const d = only(diagnose({ [D]: [['CCC: {2023: 10, 2024: 10}', 'CCC: {2023: 10, 2024: 0}']] }), 'indicator-denominator');
  assert.equal(d.message, '`users` of `CCC` in 2024: the denominator `population` is 0; the entity is left out');
});

test('unknown series of an indicator', () => {
  const d = only(diagnose({ [F]: [['series: users_total', 'series: user_total']] }), 'indicator-unknown-series');
  assert.equal(d.message, 'indicator `users` uses series `user_total`, which no data file defines');
  assert.equal(where(d), 'mini/2026/framework.yaml:28:17');
});

test('schema: unknown direction and misspelt key', () => {
  const diagnostics = diagnose({ [F]: [['direction: lower', 'direction: down'], ['normalise: {method: minmax', 'normalize: {method: minmax']] });
  const schema = diagnostics.filter((d) => d.ruleId === 'indicator-schema');
  assert.equal(schema.length, 2);
  assert.match(schema[0]!.message, /^`dimensions\.1\.children\.0\.direction`: Invalid option: expected one of "higher"\|"lower"/);
  assert.equal(where(schema[0]!), 'mini/2026/framework.yaml:41:20');
  assert.match(schema[1]!.message, /^`dimensions\.1\.children\.1`: Unrecognized key: "normalize"/);
  assert.equal(where(schema[1]!), 'mini/2026/framework.yaml:42:9'); // the node holding the key
});

test('log of a non-positive value', () => {
  const d = only(diagnose({ [D]: [['CCC: {2023: 100, 2024: 100}', 'CCC: {2023: 100, 2024: 0}']] }), 'indicator-value');
  assert.equal(d.message, '`speed` of `CCC` in 2024: log of 0 (value 0) is undefined; the entity is left out');
  assert.equal(where(d), 'mini/2026/data/series.yaml:28:30');
});

// ── Inputs that used to pass silently (issue 18) ────────────────────────────────────────────────────

test('a data year with no observation at all is an error at `years.current`', () => {
  const diagnostics = diagnose({ [F]: [['years: {current: 2024, previous: 2023}', 'years: {current: 2025, previous: 2024}']] });
  const d = only(diagnostics, 'indicator-empty-year');
  assert.equal(d.message, 'the data has no observation at all in 2025: its ranking would be made of carried-forward and imputed values only; nothing is ranked');
  assert.equal(where(d), 'mini/2026/framework.yaml:5:18');
  assert.equal(d.severity, 'error');
});

test('an entity with no data of its own is an error at the entity, and is not ranked', () => {
  const diagnostics = diagnose({ [F]: [['group: south}\n', 'group: south}\n  - {id: DDD, name: {zh: 丁国, en: Dland}, group: north}\n']] });
  const d = only(diagnostics, 'indicator-no-data');
  assert.equal(d.message, '`DDD` has no data of its own in 2024 (every indicator would be imputed); the entity is not ranked');
  assert.equal(where(d), 'mini/2026/framework.yaml:13:10');
  assert.equal(d.severity, 'error');
});

test('threshold tiers listed out of order are an error at the first `min` out of order', () => {
  const d = only(diagnose({ [F]: [['Tier 1}, min: 60}', 'Tier 1}, min: 40}'], ['Tier 2}, min: 40}', 'Tier 2}, min: 60}']] }), 'indicator-tiers');
  assert.equal(d.message, 'tier `2` (min 60) is listed after tier `1` (min 40): threshold tiers go from the highest `min` down');
  assert.equal(where(d), 'mini/2026/framework.yaml:18:52');
});

test('a decimal comma in a flow map (`9,5`) is named as split by YAML, at the stray key', () => {
  const d = only(diagnose({ [D]: [['AAA: {2023: 8, 2024: 9}', 'AAA: {2023: 8, 2024: 9,5}']] }), 'indicator-value');
  assert.equal(
    d.message,
    '`9,5` (series `users_total`, entity `AAA`) was split by YAML at the comma into the value 9 and a key `5`: write a decimal point (9.5), or quote the text',
  );
  assert.equal(where(d), 'mini/2026/data/series.yaml:8:30');
});

test('an entity under `coverage.min` is not ranked, with a warning at the entity', () => {
  const root = mkdtempSync(join(tmpdir(), 'annals-indicators-'));
  try {
    cpSync(MINI, root, { recursive: true });
    const f = join(root, 'mini', '2026', F);
    writeFileSync(f, readFileSync(f, 'utf8').replace('missing: {', 'coverage: {min: 0.7}\nmissing: {'));
    const d = join(root, 'mini', '2026', D);
    // BBB keeps users and speed (2 of 4 indicators = 50 %); incidents and governance are imputed.
    writeFileSync(d, readFileSync(d, 'utf8').replace('BBB: {2023: 15, 2024: 15}', 'BBB: null').replace('BBB: {2023: 6, 2024: 6}', 'BBB: null'));
    const store = createIndicatorStore(root);
    const entry = store.get('mini')!;
    const diagnostics = collect(store.files(), root);
    const w = only(diagnostics, 'indicator-coverage');
    assert.equal(w.message, '`BBB` has data of its own for 50 % of the indicators in 2024, under `coverage.min` 70 %; the entity is not ranked');
    assert.equal(where(w), 'mini/2026/framework.yaml:11:10');
    assert.equal(w.severity, 'warning');
    const current = entry.result!.current;
    assert.deepEqual(current.entities, ['AAA', 'CCC']);
    assert.deepEqual(Object.keys(current.ranks.composite!), ['AAA', 'CCC']);
    assert.deepEqual(current.coverage.BBB, { observed: 2, carried: 0, imputed: 2, missing: 0, share: 0.5 });
    assert.deepEqual(current.indicatorCoverage.incidents, { observed: 2, carried: 0, imputed: 1, missing: 0, share: 2 / 3 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('uncertainty alternatives that vary nothing are warned about where they are listed', () => {
  const diagnostics = diagnose({ [F]: [['tiers:', 'uncertainty: {draws: 10, aggregations: [arithmetic], imputations: [group-median]}\ntiers:']] });
  const got = diagnostics.filter((d) => d.ruleId === 'indicator-uncertainty').map((d) => `${where(d)} ${d.severity} ${d.message}`);
  assert.deepEqual(got, [
    'mini/2026/framework.yaml:14:41 warning `uncertainty.aggregations` lists `arithmetic`, the framework\'s own aggregation: it varies nothing',
    'mini/2026/framework.yaml:14:68 warning `uncertainty.imputations` lists `group-median`, the framework\'s own method: it varies nothing',
  ]);
});
