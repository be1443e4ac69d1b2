/**
 * Uncertainty and sensitivity analysis of the composite ranking (the JRC/OECD Handbook's step 7, as in
 * COINr): the assumptions a reviewer could reasonably have made otherwise are drawn at random — each varied
 * weight times a uniform factor in [1 − w, 1 + w], one of the declared normalisations, aggregations and
 * median imputations — and the index is recomputed for every draw. Out come, per entity, the median rank
 * and an interval of ranks; per assumption, how far it moves ranks on its own.
 *
 * Deterministic: the draws come from mulberry32 seeded with `uncertainty.seed`, in a fixed order (per draw:
 * imputation, normalisation, aggregation, then the weights in tree order), so the same framework and data
 * give the same intervals on every machine. Pure: framework and dataset in, numbers out.
 *
 * Fast: indicator scores depend only on the imputation and the normalisation, so they are computed once per
 * combination (at most a dozen full computations), with the scores of every node whose children's weights
 * do not vary; a draw only re-aggregates what its weights change and re-ranks.
 */
import { computeYear } from './compute.ts';
import { COMPOSITE, isIndicator, type Dataset, type YearResult } from './model.ts';
import type { Aggregation, Framework, ImputeMethod, Node, Normalise, Uncertainty } from './schema.ts';
import { mulberry32 } from './statistics.ts';

export type Assumption = 'weights' | 'normalisation' | 'aggregation' | 'imputation';

export interface EntityUncertainty {
  /** Rank in the published (nominal) computation. */
  nominal: number;
  /** Median rank over the draws (the mean of the two middle ranks when the number of draws is even). */
  median: number;
  /** Interval of ranks holding `interval` of the draws (nearest-rank percentiles, see docs/indicators.md). */
  lo: number;
  hi: number;
  /** Share of draws in which the entity ranks first. */
  first: number;
}

export interface SensitivityRow {
  assumption: Assumption;
  /** Mean over entities and draws of |rank − nominal rank| when only this assumption varies. */
  meanShift: number;
  /** Largest |rank − nominal rank| of any entity in any draw when only this assumption varies. */
  maxShift: number;
}

export interface UncertaintyResult {
  year: number;
  settings: Uncertainty;
  /** Entity → ranks over the draws (ranked entities of the nominal computation). */
  entities: Record<string, EntityUncertainty>;
  /** Assumptions that vary, with their effect alone, largest mean shift first. */
  sensitivity: SensitivityRow[];
  /** Number of entities whose interval spans more than 5 places (hi − lo > 5). */
  wide: number;
}

interface Variant {
  imputation: ImputeMethod | null;
  normalisation: Normalise | null;
}

/** The Monte Carlo for the year `year` of `framework` (which must have `uncertainty`). */
export function uncertaintyOf(framework: Framework, data: Dataset, year: number = framework.years.current): UncertaintyResult {
  const settings = framework.uncertainty!;
  const nominal = computeYear(framework, data, year);
  const nominalRanks = nominal.ranks[COMPOSITE] ?? {};
  const model = simulationOf(framework, data, year, nominal.entities);
  const all = new Set<Assumption>(['weights', 'normalisation', 'aggregation', 'imputation']);
  const result = rankIntervals(runDraws(model, all), nominal.entities, nominalRanks, settings.interval);
  const sensitivity = sensitivityOf(model, nominalRanks);
  const wide = Object.values(result).filter((r) => r.hi - r.lo > 5).length;
  return { year, settings, entities: result, sensitivity, wide };
}

/**
 * What a check needs of the analysis, without its draws (`annals check` reports on the directives that use
 * it and renders nothing): the settings, and each ranked entity at its published rank. An entity has an
 * entry exactly when it has one in `uncertaintyOf`, so a check reports what a build reports.
 */
export function undrawnUncertainty(framework: Framework, nominal: YearResult): UncertaintyResult {
  const entities: Record<string, EntityUncertainty> = {};
  const ranks = nominal.ranks[COMPOSITE] ?? {};
  for (const id of nominal.entities) {
    const rank = ranks[id]!;
    entities[id] = { nominal: rank, median: rank, lo: rank, hi: rank, first: rank === 1 ? 1 : 0 };
  }
  return { year: nominal.year, settings: framework.uncertainty!, entities, sensitivity: [], wide: 0 };
}

/** The alternatives the draws choose from, and the indicator scores of each variant (computed once). */
interface Simulation {
  framework: Framework;
  settings: Uncertainty;
  /** The ranked entities of the nominal computation, the order of every score array. */
  entities: string[];
  /** The alternatives of each assumption, the framework's own choice first (null = as published). */
  imputations: Array<ImputeMethod | null>;
  normalisations: Array<Normalise | null>;
  aggregations: Aggregation[];
  /** The nodes whose weights are varied. */
  varied: string[];
  /** Indicator scores of a variant, as arrays in the order of `entities`. */
  scoresOf: (v: Variant) => Map<string, Float64Array>;
}

function simulationOf(framework: Framework, data: Dataset, year: number, entities: string[]): Simulation {
  const settings = framework.uncertainty!;
  const ownMedian = framework.missing.methods.some((m) => m !== 'previous-year');
  const imputations: Array<ImputeMethod | null> = [null, ...(ownMedian ? settings.imputations.filter((m) => !framework.missing.methods.includes(m)) : [])];
  const normalisations: Array<Normalise | null> = [null, ...settings.normalisations.map(alternativeNormalisation)];
  const aggregations: Aggregation[] = [framework.aggregation, ...settings.aggregations.filter((a) => a !== framework.aggregation)];
  // Indicator scores per (imputation, normalisation), computed once, as arrays in the order of `entities`.
  const leafScores = new Map<string, Map<string, Float64Array>>();
  const scoresOf = (v: Variant) => {
    const key = `${imputations.indexOf(v.imputation)}:${normalisations.indexOf(v.normalisation)}`;
    let s = leafScores.get(key);
    if (!s) {
      const scores = computeYear(variantFramework(framework, v), data, year).scores;
      s = new Map(Object.entries(scores).map(([id, byEntity]) => [id, Float64Array.from(entities, (e) => byEntity[e] ?? NaN)]));
      leafScores.set(key, s);
    }
    return s;
  };
  return { framework, settings, entities, imputations, normalisations, aggregations, varied: variedNodes(framework, settings.weightLevel), scoresOf };
}

/** The composite ranks of each draw (`settings.draws` of them, from `settings.seed`), varying only `vary`. */
function runDraws(model: Simulation, vary: ReadonlySet<Assumption>): Int32Array[] {
  const { framework, settings, entities, varied } = model;
  const random = mulberry32(settings.seed);
  const pick = <T>(xs: readonly T[], on: boolean): T => {
    const u = random(); // always drawn, so one assumption's draws do not shift another's
    return on ? xs[Math.min(xs.length - 1, Math.floor(u * xs.length))]! : xs[0]!;
  };
  const out: Int32Array[] = [];
  for (let d = 0; d < settings.draws; d++) {
    const imputation = pick(model.imputations, vary.has('imputation'));
    const normalisation = pick(model.normalisations, vary.has('normalisation'));
    const top = pick(model.aggregations, vary.has('aggregation'));
    const factor = new Map<string, number>();
    for (const id of varied) {
      const u = random();
      factor.set(id, vary.has('weights') ? 1 - settings.weights + 2 * settings.weights * u : 1);
    }
    const leaves = model.scoresOf({ imputation, normalisation });
    out.push(ranksOf(aggregateTree(framework, leaves, entities.length, factor, top), framework.tieTolerance));
  }
  return out;
}

/** Each entity's median rank, its central `interval` of ranks, and its share of first places over the draws. */
function rankIntervals(draws: Int32Array[], entities: string[], nominalRanks: Record<string, number>, interval: number): Record<string, EntityUncertainty> {
  const tail = (1 - interval) / 2;
  const result: Record<string, EntityUncertainty> = {};
  entities.forEach((entity, i) => {
    const ranks = Array.from(draws, (d) => d[i]!).sort((a, b) => a - b);
    const n = ranks.length;
    result[entity] = {
      nominal: nominalRanks[entity]!,
      median: n % 2 ? ranks[(n - 1) / 2]! : (ranks[n / 2 - 1]! + ranks[n / 2]!) / 2,
      lo: ranks[Math.max(0, Math.ceil(n * tail) - 1)]!,
      hi: ranks[Math.min(n - 1, Math.ceil(n * (1 - tail)) - 1)]!,
      first: ranks.filter((r) => r === 1).length / n,
    };
  });
  return result;
}

/** One assumption at a time (the same number of draws, the same seed): mean and largest rank shift, largest first. */
function sensitivityOf(model: Simulation, nominalRanks: Record<string, number>): SensitivityRow[] {
  const { settings, entities } = model;
  const sensitivity: SensitivityRow[] = [];
  const active: Array<[Assumption, boolean]> = [
    ['weights', settings.weights > 0 && model.varied.length > 0],
    ['normalisation', model.normalisations.length > 1],
    ['aggregation', model.aggregations.length > 1],
    ['imputation', model.imputations.length > 1],
  ];
  for (const [assumption, on] of active) {
    if (!on) continue;
    let sum = 0;
    let max = 0;
    for (const d of runDraws(model, new Set([assumption]))) {
      entities.forEach((e, i) => {
        const shift = Math.abs(d[i]! - nominalRanks[e]!);
        sum += shift;
        if (shift > max) max = shift;
      });
    }
    sensitivity.push({ assumption, meanShift: sum / (settings.draws * Math.max(1, entities.length)), maxShift: max });
  }
  return sensitivity.sort((a, b) => b.meanShift - a.meanShift);
}

/** A rank change is within the uncertainty when the previous rank lies inside this year's interval. */
export function withinUncertainty(previousRank: number, u: EntityUncertainty): boolean {
  return previousRank >= u.lo && previousRank <= u.hi;
}

/** z-scores are drawn as T-scores (50 + 10·z), so geometric means stay defined for all but extreme values. */
function alternativeNormalisation(method: 'minmax' | 'zscore' | 'percentile'): Normalise {
  if (method === 'zscore') return { method, mean: 50, sd: 10 };
  return { method } as Normalise;
}

function variantFramework(framework: Framework, v: Variant): Framework {
  const mapTree = (nodes: Node[]): Node[] =>
    nodes.map((n) => (isIndicator(n) ? { ...n, ...(v.normalisation ? { normalise: v.normalisation } : {}), ...(v.imputation ? { missing: swapMedian(n.missing, v.imputation) } : {}) } : { ...n, children: mapTree(n.children!) }));
  return {
    ...framework,
    ...(v.normalisation ? { normalise: v.normalisation, goalposts: undefined } : {}),
    ...(v.imputation ? { missing: { ...framework.missing, methods: framework.missing.methods.map((m) => (m === 'previous-year' ? m : v.imputation!)) } } : {}),
    dimensions: mapTree(framework.dimensions),
  };
}

function swapMedian(missing: Node['missing'], method: ImputeMethod): Node['missing'] {
  if (!missing?.methods) return missing;
  return { ...missing, methods: missing.methods.map((m) => (m === 'previous-year' ? m : method)) };
}

function variedNodes(framework: Framework, level: Uncertainty['weightLevel']): string[] {
  if (level === 'dimensions') return framework.dimensions.map((d) => d.id);
  const out: string[] = [];
  const walk = (nodes: Node[]) => nodes.forEach((n) => (out.push(n.id), n.children && walk(n.children)));
  walk(framework.dimensions);
  return out;
}

/**
 * The composite of every entity for one draw, on plain arrays (this runs once per draw): each node's
 * children combined with their weights times the draw's factors, as `aggregate` does (weights normalised
 * by their sum; geometric: a child score ≤ 0 makes 0).
 */
function aggregateTree(framework: Framework, nodes: ReadonlyMap<string, Float64Array>, n: number, factor: ReadonlyMap<string, number>, top: Aggregation): Float64Array {
  // A node none of whose children's weights vary keeps the score computed with the published weights.
  const scoreOf = (node: Node): Float64Array | undefined =>
    isIndicator(node) || !node.children!.some((c) => factor.has(c.id)) ? nodes.get(node.id) : combine(node.children!, node.aggregation ?? framework.aggregation);
  const combine = (children: Node[], method: Aggregation): Float64Array => {
    const parts: Array<{ w: number; s: Float64Array }> = [];
    for (const c of children) {
      const w = c.weight * (factor.get(c.id) ?? 1);
      const s = scoreOf(c);
      if (s && w > 0) parts.push({ w, s });
    }
    const total = parts.reduce((a, p) => a + p.w, 0);
    const out = new Float64Array(n);
    for (let e = 0; e < n; e++) {
      if (total <= 0) out[e] = NaN;
      else if (method === 'arithmetic') {
        let sum = 0;
        for (const p of parts) sum += p.w * p.s[e]!;
        out[e] = sum / total;
      } else {
        let log = 0;
        let zero = false;
        for (const p of parts) {
          const x = p.s[e]!;
          if (x <= 0) zero = true;
          else log += (p.w / total) * Math.log(x);
        }
        out[e] = zero ? 0 : Math.exp(log);
      }
    }
    return out;
  };
  return combine(framework.dimensions, top);
}

/** Standard competition ranks (1 + the number of scores higher by more than `tolerance`); NaN ranks last. */
function ranksOf(scores: Float64Array, tolerance: number): Int32Array {
  const n = scores.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) {
      out[i] = n;
      continue;
    }
    let higher = 0;
    for (let j = 0; j < n; j++) if (scores[j]! > s + tolerance) higher++;
    out[i] = 1 + higher;
  }
  return out;
}
