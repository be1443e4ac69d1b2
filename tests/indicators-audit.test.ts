/**
 * The index's audit (issue 18): coherence statistics against values computed by hand, the outlier rule,
 * fixed goalposts against a hand computation of a back year, and the seeded Monte Carlo's determinism.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coherenceOf } from '../pipeline/indicators/coherence.ts';
import { computeIndex, computeYear } from '../pipeline/indicators/compute.ts';
import { loadFramework } from '../pipeline/indicators/load.ts';
import { COMPOSITE, type Dataset, type SeriesData } from '../pipeline/indicators/model.ts';
import { Framework } from '../pipeline/indicators/schema.ts';
import { cronbachAlpha, excessKurtosis, pearson, skewness, symmetricEigenvalues } from '../pipeline/indicators/statistics.ts';
import { treat } from '../pipeline/indicators/transform.ts';
import { uncertaintyOf, withinUncertainty } from '../pipeline/indicators/uncertainty.ts';

const MINI = new URL('./fixtures/indicators/mini/mini/2026', import.meta.url).pathname;
const EPS = 1e-9;

function close(actual: number | undefined, expected: number, what = '') {
  assert.ok(actual != null && Math.abs(actual - expected) <= EPS, `${what}: expected ${expected}, got ${actual}`);
}

/**
 * Three items over four entities:  x1 = 1 2 3 4,  x2 = 2 1 4 3,  x3 = 1 3 2 4.
 * Deviations from the mean 2.5: x1 −1.5 −.5 .5 1.5, x2 −.5 −1.5 1.5 .5, x3 −1.5 .5 −.5 1.5; each Σd² = 5.
 *   r(x1,x2) = (.75+.75+.75+.75)/5 = 0.6;  r(x1,x3) = (2.25−.25−.25+2.25)/5 = 0.8;  r(x2,x3) = 0/5 = 0.
 *   Cronbach's α: item variances 5/3 each (Σ = 5); totals 4 6 9 11, variance 29/3;
 *   α = 3/2 · (1 − 5 / (29/3)) = 3/2 · 14/29 = 21/29.
 *   PCA: R = I + A with A's eigenvalues the roots of λ³ − (0.36 + 0.64)λ = 0, i.e. 1, 0, −1;
 *   so R's are 2, 1, 0 and the variance explained 2/3, 1/3, 0.
 */
const X1 = [1, 2, 3, 4];
const X2 = [2, 1, 4, 3];
const X3 = [1, 3, 2, 4];

test('statistics: correlation, Cronbach’s α and PCA by hand', () => {
  close(pearson(X1, X2), 0.6, 'r12');
  close(pearson(X1, X3), 0.8, 'r13');
  close(pearson(X2, X3), 0, 'r23');
  close(cronbachAlpha([X1, X2, X3]), 21 / 29, 'alpha');
  const eig = symmetricEigenvalues([
    [1, 0.6, 0.8],
    [0.6, 1, 0],
    [0.8, 0, 1],
  ]);
  [2, 1, 0].forEach((v, i) => close(eig[i], v, `eigenvalue ${i}`));
});

test('statistics: skewness and excess kurtosis by hand', () => {
  // 0 0 0 0 10: mean 2; m2 = (4·4 + 64)/5 = 16, m3 = (4·(−8) + 512)/5 = 96, m4 = (4·16 + 4096)/5 = 832.
  close(skewness([0, 0, 0, 0, 10]), 96 / 16 ** 1.5, 'skew = 1.5');
  close(excessKurtosis([0, 0, 0, 0, 10]), 832 / 256 - 3, 'kurtosis = 0.25');
});

/** A framework of one dimension with the three items as indicators (min–max keeps correlations and α, all ranges being 1…4). */
function itemsFramework(): { framework: Framework; data: Dataset } {
  const entities = ['E1', 'E2', 'E3', 'E4'];
  const framework = Framework.parse({
    id: 'items',
    edition: 2026,
    title: 'Items',
    years: { current: 2024 },
    groups: [{ id: 'g', name: 'G' }],
    entities: entities.map((id) => ({ id, name: id, group: 'g' })),
    dimensions: [
      {
        id: 'd',
        name: 'D',
        weight: 1,
        children: ['x1', 'x2', 'x3'].map((id, i) => ({ id, name: id, weight: i === 2 ? 0.333334 : 0.333333 })),
      },
    ],
  });
  const series = (id: string, xs: number[]): SeriesData => ({
    id,
    name: id,
    unit: '',
    source: 'hand',
    licence: 'CC0-1.0',
    illustrative: false,
    values: new Map(entities.map((e, i) => [e, new Map([[2024, xs[i]!]])])),
  });
  return { framework, data: new Map([series('x1', X1), series('x2', X2), series('x3', X3)].map((s) => [s.id, s])) };
}

test('coherence report of a computed year: α, PCA and correlations of the normalised scores', () => {
  const { framework, data } = itemsFramework();
  const year = computeYear(framework, data, 2024);
  assert.deepEqual(year.problems, []);
  assert.deepEqual(year.entities, ['E1', 'E2', 'E3', 'E4']);
  const report = coherenceOf(framework, year);
  assert.equal(report.n, 4);
  assert.deepEqual(report.indicators, ['x1', 'x2', 'x3']);
  close(report.correlations[0]![1], 0.6, 'r12');
  close(report.correlations[0]![2], 0.8, 'r13');
  close(report.correlations[1]![2], 0, 'r23');
  const d = report.dimensions.find((x) => x.id === 'd')!;
  close(d.alpha, 21 / 29, 'alpha');
  [2 / 3, 1 / 3, 0].forEach((v, i) => close(d.explained[i], v, `explained ${i}`));
  [2, 1, 0].forEach((v, i) => close(report.pca.eigenvalues[i], v, `all-indicator eigenvalue ${i}`));
  // The composite is the dimension: a correlation of 1, an effective weight of 1.
  close(report.withComposite.d, 1, 'dimension with composite');
  const w = report.weights.find((x) => x.id === 'd')!;
  close(w.nominal, 1, 'nominal');
  close(w.effective, 1, 'effective');
  // Effective weights of the items share out the dimension's weight by r² with the composite.
  const items = report.weights.filter((x) => x.parent === 'd');
  close(
    items.reduce((a, x) => a + x.effective, 0),
    1,
    'item effective weights sum to the parent’s',
  );
  assert.deepEqual(d.negative, []);
  assert.deepEqual(report.negative, []);
  // x3 read as lower-is-better: its scores are mirrored, so r(x1, x3) = −0.8 and r(x2, x3) = −0 (not negative).
  const flipped = Framework.parse({
    ...framework,
    dimensions: [{ ...framework.dimensions[0]!, children: framework.dimensions[0]!.children!.map((c) => (c.id === 'x3' ? { ...c, direction: 'lower' } : c)) }],
  });
  const negative = coherenceOf(flipped, computeYear(flipped, data, 2024)).negative;
  assert.equal(negative.length, 1);
  assert.deepEqual(negative[0]!.slice(0, 2), ['x1', 'x3']);
  close(negative[0]![2], -0.8, 'r13 mirrored');
});

test('outlier rule: winsorised one point, or logged when winsorising is not allowed', () => {
  // Nine 1s and a 100: skew (n−2)/√(n−1) = 8/3 > 2, excess kurtosis (n²−3n+3)/(n−1) − 3 = 73/9 − 3 ≈ 5.11 > 3.5.
  const input = Object.fromEntries([...Array.from({ length: 9 }, (_, i) => [`E${i}`, 1] as const), ['BIG', 100] as const]);
  const rule = { skew: 2, kurtosis: 3.5, winmax: 5 };
  const w = treat(input, rule);
  close(w.treatment.before.skew, 8 / 3, 'skew before');
  close(w.treatment.before.kurtosis, 73 / 9 - 3, 'kurtosis before');
  assert.equal(w.treatment.method, 'winsorise');
  assert.equal(w.treatment.points, 1);
  assert.equal(w.values.BIG, 1); // set to the next value in
  const l = treat(input, { ...rule, winmax: 0 });
  assert.equal(l.treatment.method, 'log');
  close(l.values.BIG, Math.log10(100 - 1 + 1), 'log10(x − min + 1)');
  close(l.values.E0, 0, 'the minimum maps to 0');
  assert.equal(treat({ A: 1, B: 2, C: 3 }, rule).treatment.method, 'none');
});

test('fixed goalposts: the back year recomputed on the base year’s bounds matches the hand calculation', () => {
  const loaded = loadFramework(MINI);
  // Goalposts from 2024: users 30…90, speed 1…3, incidents 5…15 (governance keeps its fixed 0…10).
  // 2023: users AAA 80 → 100·50/60 = 83.33…, BBB 60 → 50, CCC 30 → 0; everything else as in 2024.
  //   access    AAA 0.5·83.33 + 0.5·0 = 41.67, BBB 0.5·50 + 0.5·100 = 75, CCC 0.5·0 + 0.5·50 = 25
  //   composite AAA 0.6·41.67 + 0.4·95 = 63,   BBB 0.6·75 + 0.4·15 = 51,   CCC 0.6·25 + 0.4·45 = 33
  // 2024 is unchanged (68, 51, 33), so AAA's better user share shows as +5 and BBB, which changed
  // nothing, as 0 (per-year bounds gave BBB −3: AAA's gain had moved the maximum).
  const framework = Framework.parse({ ...loaded.framework!, goalposts: { year: 2024 } });
  const result = computeIndex(framework, loaded.dataset);
  const back = result.previous!;
  close(back.scores.users!.AAA, 250 / 3, 'users AAA 2023');
  close(back.scores[COMPOSITE]!.AAA, 63, 'AAA 2023');
  close(back.scores[COMPOSITE]!.BBB, 51, 'BBB 2023');
  close(back.scores[COMPOSITE]!.CCC, 33, 'CCC 2023');
  close(result.change[COMPOSITE]!.AAA!.score, 5, 'AAA change');
  close(result.change[COMPOSITE]!.BBB!.score, 0, 'BBB change');
  // A base year before the ranked one: scores beyond its range are not clamped (AAA's users 90 on 30…80 = 120).
  const early = computeYear(Framework.parse({ ...loaded.framework!, goalposts: { year: 2023 } }), loaded.dataset, 2024);
  close(early.scores.users!.AAA, 120, 'users AAA 2024 on 2023 goalposts');
  const clamped = computeYear(Framework.parse({ ...loaded.framework!, goalposts: { year: 2023, clamp: true } }), loaded.dataset, 2024);
  close(clamped.scores.users!.AAA, 100, 'clamped');
});

test('Monte Carlo: the same seed gives the same intervals; nothing varied gives the published ranks', () => {
  const loaded = loadFramework(MINI);
  const settings = { draws: 200, seed: 7, weights: 0.5, normalisations: ['zscore', 'percentile'], aggregations: ['geometric'], imputations: ['median'] };
  const framework = Framework.parse({ ...loaded.framework!, uncertainty: settings });
  const a = uncertaintyOf(framework, loaded.dataset);
  const b = uncertaintyOf(framework, loaded.dataset);
  assert.deepEqual(a, b);
  assert.deepEqual(Object.keys(a.entities), ['AAA', 'BBB', 'CCC']);
  for (const u of Object.values(a.entities)) {
    assert.ok(u.lo <= u.median && u.median <= u.hi, 'median inside the interval');
    assert.ok(u.lo <= u.nominal || u.hi >= u.nominal);
  }
  assert.deepEqual(
    a.sensitivity.map((s) => s.assumption).sort(),
    ['aggregation', 'imputation', 'normalisation', 'weights'],
  );
  // No value of the mini data is imputed, so the imputation alone moves nothing.
  assert.deepEqual(a.sensitivity.find((s) => s.assumption === 'imputation'), { assumption: 'imputation', meanShift: 0, maxShift: 0 });
  const still = uncertaintyOf(Framework.parse({ ...loaded.framework!, uncertainty: { draws: 50, seed: 7, weights: 0 } }), loaded.dataset);
  assert.deepEqual(
    Object.fromEntries(Object.entries(still.entities).map(([e, u]) => [e, [u.lo, u.median, u.hi, u.first]])),
    { AAA: [1, 1, 1, 1], BBB: [2, 2, 2, 0], CCC: [3, 3, 3, 0] },
  );
  assert.deepEqual(still.sensitivity, []);
  assert.equal(withinUncertainty(2, { nominal: 1, median: 1, lo: 1, hi: 2, first: 0.5 }), true);
  assert.equal(withinUncertainty(3, { nominal: 1, median: 1, lo: 1, hi: 2, first: 0.5 }), false);
});
