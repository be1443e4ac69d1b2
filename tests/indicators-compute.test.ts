/**
 * The index computation against a framework computed by hand, plus properties every composite index
 * must have. Fixture: tests/fixtures/indicators/mini/mini/2026 (3 entities, 2 dimensions, 4 indicators).
 *
 * Hand computation for 2024 (min–max to 0–100 unless stated):
 *
 *   users      = users_total / population × 100  → AAA 9/10·100 = 90, BBB 30/50·100 = 60, CCC 3/10·100 = 30
 *                min–max over 30…90               → AAA 100, BBB 50, CCC 0
 *   speed      = log10(speed)                    → AAA 1, BBB 3, CCC 2
 *                min–max over 1…3                 → AAA 0, BBB 100, CCC 50
 *   incidents  lower is better, 5 / 15 / 10      → min–max AAA 0, BBB 100, CCC 50 → mirrored 100, 0, 50
 *   governance fixed bounds 0…10, 8 / 6 / 3      → AAA 80, BBB 60, CCC 30
 *
 *   access     = 0.5·users + 0.5·speed           → AAA 50,  BBB 75,  CCC 25
 *   safety     = 0.75·incidents + 0.25·governance→ AAA 95,  BBB 15,  CCC 45
 *   composite  = 0.6·access + 0.4·safety         → AAA 68,  BBB 51,  CCC 33
 *   ranks AAA 1, BBB 2, CCC 3; tiers (min 60 / 40 / —) AAA 1, BBB 2, CCC 3
 *
 * 2023 differs only in AAA's users_total (8): users AAA 80 → min–max over 30…80: AAA 100, BBB 60, CCC 0;
 *   access AAA 50, BBB 80, CCC 25; composite AAA 68, BBB 0.6·80 + 0.4·15 = 54, CCC 33.
 *   change 2024 vs 2023: AAA 0, BBB −3, CCC 0; ranks unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeIndex, computeYear } from '../pipeline/indicators/compute.ts';
import { loadFramework } from '../pipeline/indicators/load.ts';
import { COMPOSITE, type Dataset } from '../pipeline/indicators/model.ts';
import { competitionRanks, naturalBreaks, assignTiers, orderByRank } from '../pipeline/indicators/rank.ts';
import { Framework } from '../pipeline/indicators/schema.ts';
import { percentile, applyTransforms } from '../pipeline/indicators/transform.ts';
import { aggregate } from '../pipeline/indicators/aggregate.ts';

const MINI = new URL('./fixtures/indicators/mini/mini/2026', import.meta.url).pathname;
const EPS = 1e-9;

function close(actual: number | undefined, expected: number, what = '') {
  assert.ok(actual != null && Math.abs(actual - expected) <= EPS, `${what}: expected ${expected}, got ${actual}`);
}

function loadMini() {
  const loaded = loadFramework(MINI);
  assert.deepEqual(
    loaded.files.flatMap((f) => f.messages.map((m) => `${m.ruleId}: ${m.reason}`)),
    [],
    'the fixture is clean',
  );
  return { framework: loaded.framework!, dataset: loaded.dataset };
}

test('mini framework: scores computed by hand', () => {
  const { framework, dataset } = loadMini();
  const result = computeIndex(framework, dataset);
  const s = result.current.scores;
  const expected: Record<string, [number, number, number]> = {
    users: [100, 50, 0],
    speed: [0, 100, 50],
    incidents: [100, 0, 50],
    governance: [80, 60, 30],
    access: [50, 75, 25],
    safety: [95, 15, 45],
    [COMPOSITE]: [68, 51, 33],
  };
  for (const [node, [a, b, c]] of Object.entries(expected)) {
    close(s[node]!.AAA, a, `${node} AAA`);
    close(s[node]!.BBB, b, `${node} BBB`);
    close(s[node]!.CCC, c, `${node} CCC`);
  }
  close(result.current.raw.users!.AAA, 9, 'raw users AAA (before transform)');
  close(result.current.transformed.users!.AAA, 90, 'transformed users AAA');
  close(result.current.transformed.speed!.BBB, 3, 'log10 speed BBB');
  assert.deepEqual(result.current.ranks[COMPOSITE], { AAA: 1, BBB: 2, CCC: 3 });
  assert.deepEqual(result.current.tiers, { AAA: '1', BBB: '2', CCC: '3' });
});

test('mini framework: previous year and change', () => {
  const { framework, dataset } = loadMini();
  const result = computeIndex(framework, dataset);
  assert.equal(result.previous?.year, 2023);
  close(result.previous!.scores[COMPOSITE]!.AAA, 68, '2023 AAA');
  close(result.previous!.scores[COMPOSITE]!.BBB, 54, '2023 BBB');
  close(result.previous!.scores[COMPOSITE]!.CCC, 33, '2023 CCC');
  close(result.change[COMPOSITE]!.AAA!.score, 0, 'change AAA');
  close(result.change[COMPOSITE]!.BBB!.score, -3, 'change BBB');
  assert.equal(result.change[COMPOSITE]!.BBB!.rank, 0);
  close(result.change.access!.BBB!.score, -5, 'access change BBB');
});

test('geometric aggregation: S = Π sᵢ^(wᵢ/Σw); a zero child makes zero', () => {
  const { framework, dataset } = loadMini();
  const geo = Framework.parse({ ...framework, aggregation: 'geometric' });
  const r = computeYear(geo, dataset, 2024);
  // Nodes without their own `aggregation` inherit the framework's, so access = users^0.5·speed^0.5 is
  // 0 for AAA (speed 0) and CCC (users 0) and √(50·100) for BBB; safety BBB = 0^0.75·60^0.25 = 0.
  close(r.scores.access!.BBB, Math.sqrt(50 * 100), 'access BBB');
  close(r.scores.access!.AAA, 0, 'access AAA');
  close(r.scores.safety!.AAA, 100 ** 0.75 * 80 ** 0.25, 'safety AAA');
  close(r.scores[COMPOSITE]!.BBB, 0, 'composite BBB');
  close(r.scores[COMPOSITE]!.CCC, 0, 'composite CCC');
  close(r.scores[COMPOSITE]!.AAA, 0, 'composite AAA');
  close(aggregate([{ score: 64, weight: 2 }, { score: 1, weight: 1 }], 'geometric'), 16, '64^(2/3)·1^(1/3)');
  close(aggregate([{ score: 50, weight: 3 }, { score: 80, weight: 1 }], 'arithmetic'), 57.5, '(3·50 + 80)/4');
});

test('ties: standard competition ranking 1224, ties listed in framework order', () => {
  const ranks = competitionRanks({ a: 90, b: 80, c: 80, d: 70, e: 80 + 1e-12 });
  assert.deepEqual(ranks, { a: 1, b: 2, c: 2, d: 5, e: 2 });
  assert.deepEqual(orderByRank(ranks, ['e', 'd', 'c', 'b', 'a']), ['a', 'e', 'c', 'b', 'd']);
  // Through the whole computation: identical data give identical scores and a shared rank.
  const { framework, dataset } = loadMini();
  const twin = structuredClone(dataset);
  for (const s of twin.values()) s.values.set('CCC', new Map(s.values.get('BBB')));
  const r = computeYear(framework, twin, 2024);
  assert.equal(r.ranks[COMPOSITE]!.BBB, r.ranks[COMPOSITE]!.CCC);
  assert.deepEqual(Object.values(r.ranks[COMPOSITE]!).sort(), [1, 2, 2].sort());
});

test('tiers: thresholds and natural breaks', () => {
  const levels = [
    { id: 'a', name: 'A', min: 60 },
    { id: 'b', name: 'B', min: 40 },
    { id: 'c', name: 'C' },
  ];
  assert.deepEqual(assignTiers({ x: 60, y: 59.99, z: 10 }, { method: 'thresholds', of: COMPOSITE, levels }), { x: 'a', y: 'b', z: 'c' });
  assert.deepEqual(naturalBreaks([1, 2, 3, 10, 11, 12, 30, 31], 3), [30, 10, 1]);
  assert.deepEqual(naturalBreaks([5, 5, 5], 4), [5, 5, 5]);
  const tiers = assignTiers({ p: 31, q: 30, r: 12, s: 11, t: 10, u: 3, v: 2, w: 1 }, { method: 'natural-breaks', of: COMPOSITE, levels });
  assert.deepEqual(tiers, { p: 'a', q: 'a', r: 'b', s: 'b', t: 'b', u: 'c', v: 'c', w: 'c' });
});

test('transforms: percentile (PERCENTILE.INC) and cap', () => {
  close(percentile([1, 2, 3, 4, 5], 90), 4.6, 'p90');
  close(percentile([10], 50), 10, 'single');
  const out = applyTransforms({ a: 1, b: 2, c: 3, d: 4, e: 100 }, [{ method: 'cap', percentile: 75 }]);
  assert.deepEqual(out.values, { a: 1, b: 2, c: 3, d: 4, e: 4 });
  const bad = applyTransforms({ a: 0, b: 10 }, [{ method: 'log', base: 10, offset: 0 }]);
  assert.deepEqual(Object.keys(bad.values), ['b']);
  assert.match(bad.failed.a!, /log of 0/);
});

test('missing values: previous year, group median, drop, fail', () => {
  const { framework, dataset } = loadMini();
  const data = structuredClone(dataset);
  data.get('governance')!.values.get('AAA')!.delete(2024); // 2023 has 8 → previous-year
  data.get('incidents')!.values.get('BBB')!.clear(); // no year → group-median of north = AAA's 5
  const r = computeYear(framework, data, 2024);
  close(r.raw.governance!.AAA, 8, 'previous year');
  assert.deepEqual(r.origin.governance!.AAA, { year: 2023, method: 'previous-year' });
  close(r.raw.incidents!.BBB, 5, 'group median');
  assert.deepEqual(
    r.problems.map((p) => `${p.kind} ${'series' in p ? p.series : ''} ${'entity' in p ? p.entity : ''}`),
    ['imputed incidents BBB', 'fallback-year governance AAA'], // in tree order of the indicators
  );
  const drop = computeYear(Framework.parse({ ...framework, missing: { policy: 'drop' } }), data, 2024);
  assert.deepEqual(drop.entities, ['CCC']);
  assert.deepEqual(drop.dropped, ['AAA', 'BBB']);
  const fail = computeYear(Framework.parse({ ...framework, missing: { policy: 'fail' } }), data, 2024);
  assert.ok(fail.problems.every((p) => p.kind === 'missing'));
  assert.equal(fail.problems.length, 2);
});

// ── Properties ──────────────────────────────────────────────────────────────────────────────────────

/** A small deterministic generator (mulberry32), so property cases are the same on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(seed: number, options: { normalise?: 'minmax' | 'zscore' | 'frontier'; aggregation?: 'arithmetic' | 'geometric' } = {}) {
  const random = rng(seed);
  const entities = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'];
  const series = ['s1', 's2', 's3', 's4', 's5'];
  const w = () => 0.1 + random();
  const weights = (n: number) => {
    const raw = Array.from({ length: n }, w);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / sum);
  };
  const [d1, d2] = weights(2);
  const [a, b, c] = weights(3);
  const [e, f] = weights(2);
  const framework = Framework.parse({
    id: 'prop',
    edition: 2026,
    title: 'prop',
    years: { current: 2024 },
    groups: [{ id: 'g', name: 'g' }],
    entities: entities.map((id) => ({ id, name: id, group: 'g' })),
    normalise: { method: options.normalise ?? 'minmax' },
    aggregation: options.aggregation ?? 'arithmetic',
    dimensions: [
      {
        id: 'd1',
        name: 'd1',
        weight: d1,
        children: [
          { id: 's1', name: 's1', weight: a },
          { id: 's2', name: 's2', weight: b, transform: 'log' },
          { id: 's3', name: 's3', weight: c, direction: 'lower' },
        ],
      },
      { id: 'd2', name: 'd2', weight: d2, children: [{ id: 's4', name: 's4', weight: e }, { id: 's5', name: 's5', weight: f, transform: { method: 'cap', percentile: 80 } }] },
    ],
  });
  const dataset: Dataset = new Map();
  for (const id of series) {
    dataset.set(id, {
      id,
      name: id,
      unit: '',
      source: 'test',
      licence: 'CC0-1.0',
      illustrative: true,
      values: new Map(entities.map((ent) => [ent, new Map([[2024, 1 + Math.round(random() * 1000) / 10]])])),
    });
  }
  return { framework, dataset, entities };
}

test('property: raising a higher-is-better value never lowers the entity’s score', () => {
  for (const normalise of ['minmax', 'zscore', 'frontier'] as const) {
    for (const aggregation of ['arithmetic', 'geometric'] as const) {
      if (normalise === 'zscore' && aggregation === 'geometric') continue; // z-scores can be negative
      for (let seed = 1; seed <= 25; seed++) {
        const { framework, dataset, entities } = randomCase(seed, { normalise, aggregation });
        const before = computeYear(framework, dataset, 2024).scores[COMPOSITE]!;
        for (const entity of entities) {
          for (const series of ['s1', 's2', 's4', 's5']) {
            const raised = structuredClone(dataset);
            const row = raised.get(series)!.values.get(entity)!;
            row.set(2024, row.get(2024)! * 1.5 + 3);
            const after = computeYear(framework, raised, 2024).scores[COMPOSITE]!;
            assert.ok(after[entity]! >= before[entity]! - EPS, `${normalise}/${aggregation} seed ${seed}: raising ${series} of ${entity} lowered ${before[entity]} to ${after[entity]}`);
          }
          // And lowering a lower-is-better value never lowers it either.
          const lowered = structuredClone(dataset);
          const row = lowered.get('s3')!.values.get(entity)!;
          row.set(2024, row.get(2024)! / 2);
          const after = computeYear(framework, lowered, 2024).scores[COMPOSITE]!;
          assert.ok(after[entity]! >= before[entity]! - EPS, `lowering s3 of ${entity} lowered its score`);
        }
      }
    }
  }
});

test('property: scaling all weights together changes nothing', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { framework, dataset } = randomCase(seed);
    const scaled = structuredClone(framework);
    const scale = (nodes: typeof scaled.dimensions, k: number) => {
      for (const n of nodes) {
        n.weight *= k;
        if (n.children) scale(n.children, k * 1.7);
      }
    };
    scale(scaled.dimensions, 3.25);
    const a = computeYear(framework, dataset, 2024);
    const b = computeYear(scaled, dataset, 2024);
    for (const [node, scores] of Object.entries(a.scores)) {
      for (const [entity, s] of Object.entries(scores)) close(b.scores[node]![entity], s, `seed ${seed} ${node} ${entity}`);
    }
    assert.deepEqual(b.ranks, a.ranks);
  }
});

test('property: lower-is-better inverts (negated values, flipped direction, same scores)', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { framework, dataset } = randomCase(seed);
    const flipped = structuredClone(framework);
    const s1 = flipped.dimensions[0]!.children![0]!;
    s1.direction = 'lower';
    const negated = structuredClone(dataset);
    for (const row of negated.get('s1')!.values.values()) for (const [y, v] of row) row.set(y, -v);
    const a = computeYear(framework, dataset, 2024);
    const b = computeYear(flipped, negated, 2024);
    for (const [entity, s] of Object.entries(a.scores.s1!)) close(b.scores.s1![entity], s, `s1 ${entity}`);
    for (const [entity, s] of Object.entries(a.scores[COMPOSITE]!)) close(b.scores[COMPOSITE]![entity], s, `composite ${entity}`);
  }
});

test('computation is deterministic and independent of entity order in the data', () => {
  const { framework, dataset } = loadMini();
  const reversed: Dataset = new Map([...dataset].reverse().map(([k, s]) => [k, { ...s, values: new Map([...s.values].reverse()) }]));
  assert.deepEqual(computeYear(framework, reversed, 2024).scores, computeYear(framework, dataset, 2024).scores);
});
