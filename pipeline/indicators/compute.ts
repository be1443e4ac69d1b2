/**
 * The index computation, in order: resolve each indicator's value per entity (observed, or by the missing
 * policy) → transform → normalise → aggregate up the tree → composite → ranks → tiers; then the same for
 * the previous year and the change between them. Pure: a framework and a dataset in, results out; every
 * imputation or failure is returned as a `Problem` for the caller to report at a YAML position.
 */
import { aggregate } from './aggregate.ts';
import { COMPOSITE, isIndicator, seriesOf, type Change, type CoverageCount, type Dataset, type IndexResult, type Problem, type ValueOrigin, type YearResult } from './model.ts';
import { normalise } from './normalise.ts';
import { assignTiers, competitionRanks } from './rank.ts';
import type { Framework, MissingPolicy, Node } from './schema.ts';
import { applyTransforms, type CrossSection } from './transform.ts';

export interface ComputeOptions {
  /** Data year to rank. Default: `framework.years.current`. */
  year?: number;
  /** Year to compare with. Default: `framework.years.previous`; `null` for none. */
  previousYear?: number | null;
}

export function computeIndex(framework: Framework, data: Dataset, options: ComputeOptions = {}): IndexResult {
  const year = options.year ?? framework.years.current;
  const previousYear = options.previousYear === null ? undefined : (options.previousYear ?? framework.years.previous);
  // The goalposts are the same for every year: computed once.
  const posts = framework.goalposts ? goalpostsOf(framework, data, framework.goalposts.year) : undefined;
  const current = computeYear(framework, data, year, posts);
  const result: IndexResult = { framework, current, change: {} };
  if (previousYear != null && previousYear !== year) {
    const previous = computeYear(framework, data, previousYear, posts);
    result.previous = previous;
    result.change = changeBetween(previous, current);
  }
  return result;
}

/** Score and rank change of every node for the entities ranked in both years. */
export function changeBetween(previous: YearResult, current: YearResult): Record<string, Record<string, Change>> {
  const change: Record<string, Record<string, Change>> = {};
  for (const [node, scores] of Object.entries(current.scores)) {
    const before = previous.scores[node];
    if (!before) continue;
    const row: Record<string, Change> = {};
    for (const [entity, s] of Object.entries(scores)) {
      const p = before[entity];
      const r0 = previous.ranks[node]?.[entity];
      const r1 = current.ranks[node]?.[entity];
      if (p == null || r0 == null || r1 == null) continue;
      row[entity] = { score: s - p, rank: r0 - r1 };
    }
    change[node] = row;
  }
  return change;
}

// ── One year ────────────────────────────────────────────────────────────────────────────────────────

interface Resolved {
  values: CrossSection;
  origin: Record<string, ValueOrigin>;
}

/** Indicator id → the fixed min–max bounds of `framework.goalposts` (see `goalpostsOf`). */
export type GoalpostBounds = Map<string, { min: number; max: number; clamp: boolean }>;

/** What the steps of one year share: the inputs, and the problems and exclusions they add to as they go. */
interface YearState {
  framework: Framework;
  data: Dataset;
  year: number;
  entityIds: string[];
  groupOf: Map<string, string>;
  /** The indicators that can be computed (known series and denominators). */
  leaves: Node[];
  /** Whether any indicator has an observation of the year itself. */
  observedInYear: boolean;
  problems: Problem[];
  /** Entities not ranked this year. */
  excluded: Set<string>;
}

/**
 * The index of one data year. `posts`: the framework's goalposts when the caller has computed them already
 * (they are the same for every year); default: computed here when the framework has `goalposts`.
 */
export function computeYear(framework: Framework, data: Dataset, year: number, posts?: GoalpostBounds): YearResult {
  const state = yearState(framework, data, year);
  const { leaves, entityIds, excluded } = state;
  // 1. Values per indicator (and per denominator), observed or by the missing-value policy.
  const { resolved, denominators } = resolveLeaves(state);
  const { coverage, indicatorCoverage } = coverageOf(state, resolved);
  excludeByCoverage(state, coverage);
  dropStaleProblems(state);
  // 2. Transform over the included entities.
  const transformed = transformLeaves(state, resolved, denominators);
  const included = entityIds.filter((e) => !excluded.has(e));
  for (const leaf of leaves) transformed.set(leaf.id, pick(transformed.get(leaf.id)!, excluded));
  // Fixed goalposts: the base year's transformed range of each indicator, computed without goalposts.
  const goalposts = framework.goalposts ? (posts ?? goalpostsOf(framework, data, framework.goalposts.year)) : undefined;
  // 3. Normalise each indicator; 4. aggregate up the tree.
  const scores = scoreTree(state, transformed, included, goalposts);
  // 5. Ranks of every node; tiers.
  const ranks: Record<string, Record<string, number>> = {};
  for (const [node, s] of Object.entries(scores)) ranks[node] = competitionRanks(s, framework.tieTolerance);
  const tiers = framework.tiers && scores[framework.tiers.of] ? assignTiers(scores[framework.tiers.of]!, framework.tiers) : {};

  const raw: Record<string, Record<string, number>> = {};
  const origin: Record<string, Record<string, ValueOrigin>> = {};
  const transformedOut: Record<string, Record<string, number>> = {};
  for (const leaf of leaves) {
    const r = resolved.get(leaf.id)!;
    raw[leaf.id] = pick(r.values, excluded);
    origin[leaf.id] = pick(r.origin, excluded);
    transformedOut[leaf.id] = transformed.get(leaf.id)!;
  }
  return {
    year,
    entities: included,
    dropped: entityIds.filter((e) => excluded.has(e)),
    raw,
    origin,
    transformed: transformedOut,
    scores,
    ranks,
    coverage,
    indicatorCoverage,
    tiers,
    problems: state.problems,
  };
}

/** The year's inputs, with the indicators that can be computed and the `empty-year` problem when it has no data. */
function yearState(framework: Framework, data: Dataset, year: number): YearState {
  // Indicators whose series or denominator is unknown are left out (the checks have reported them).
  const leaves = collectLeaves(framework.dimensions).filter(
    (leaf) => data.has(seriesOf(leaf)) && (leaf.transform ?? []).every((t) => t.method !== 'per-capita' || data.has(t.denominator)),
  );
  const problems: Problem[] = [];
  // A year without a single observation would be ranked from carried-forward values and medians alone.
  const observedInYear = leaves.some((leaf) => [...data.get(seriesOf(leaf))!.values.values()].some((byYear) => byYear.has(year)));
  if (!observedInYear && leaves.length > 0) problems.push({ kind: 'empty-year', year });
  return {
    framework,
    data,
    year,
    entityIds: framework.entities.map((e) => e.id),
    groupOf: new Map(framework.entities.map((e) => [e.id, e.group])),
    leaves,
    observedInYear,
    problems,
    excluded: new Set<string>(),
  };
}

/** Every indicator's values and those of its per-capita denominators, by indicator id. */
function resolveLeaves(state: YearState): { resolved: Map<string, Resolved>; denominators: Map<string, Record<string, CrossSection>> } {
  const resolved = new Map<string, Resolved>();
  const denominators = new Map<string, Record<string, CrossSection>>();
  for (const leaf of state.leaves) {
    const policy = { ...state.framework.missing, ...leaf.missing } as MissingPolicy;
    resolved.set(leaf.id, resolveSeries(state, leaf.id, seriesOf(leaf), policy));
    const dens: Record<string, CrossSection> = {};
    for (const step of leaf.transform ?? []) {
      if (step.method === 'per-capita' && state.data.has(step.denominator)) dens[step.denominator] = resolveSeries(state, leaf.id, step.denominator, policy).values;
    }
    denominators.set(leaf.id, dens);
  }
  return { resolved, denominators };
}

/** A series' values of the year for every entity: observed, else by the policy (failing or dropping excludes the entity). */
function resolveSeries(state: YearState, indicator: string, seriesId: string, policy: MissingPolicy): Resolved {
  const { year, problems, excluded } = state;
  const values: CrossSection = {};
  const origin: Record<string, ValueOrigin> = {};
  const observed = observedIn(state, seriesId);
  for (const entity of state.entityIds) {
    const v = observed(entity, year);
    if (v != null) {
      values[entity] = v;
      continue;
    }
    if (policy.policy === 'fail') {
      problems.push({ kind: 'missing', series: seriesId, indicator, entity, year, policy: 'fail' });
      excluded.add(entity);
      continue;
    }
    if (policy.policy === 'drop') {
      problems.push({ kind: 'dropped', series: seriesId, indicator, entity, year });
      excluded.add(entity);
      continue;
    }
    const filled = imputed(state, { indicator, seriesId, entity }, policy);
    if (filled) {
      values[entity] = filled.value;
      origin[entity] = filled.origin;
    } else {
      problems.push({ kind: 'missing', series: seriesId, indicator, entity, year, policy: 'impute' });
      excluded.add(entity);
    }
  }
  return { values, origin };
}

/** A series' observation of an entity in a year. */
function observedIn(state: YearState, seriesId: string): (entity: string, y: number) => number | undefined {
  const series = state.data.get(seriesId)!;
  return (entity, y) => series.values.get(entity)?.get(y);
}

/**
 * A missing value filled by the policy's methods, the first that finds one (its problem recorded): an
 * earlier year within the look-back, or the median of the group or of everybody. Undefined when none does.
 */
function imputed(state: YearState, at: { indicator: string; seriesId: string; entity: string }, policy: MissingPolicy): { value: number; origin: ValueOrigin } | undefined {
  const { year, problems, entityIds, groupOf } = state;
  const { indicator, seriesId, entity } = at;
  const observed = observedIn(state, seriesId);
  // The value of another entity in a median pool: observed, or its latest earlier value when the
  // policy allows `previous-year` (so a series not yet published for the year still has a median).
  const carried = policy.methods.includes('previous-year');
  const poolValue = (other: string) => {
    for (let y = year; y >= year - (carried ? policy.lookback : 0); y--) {
      const v = observed(other, y);
      if (v != null) return v;
    }
    return undefined;
  };
  for (const method of policy.methods) {
    if (method === 'previous-year') {
      for (let y = year - 1; y >= year - policy.lookback; y--) {
        const p = observed(entity, y);
        if (p != null) {
          problems.push({ kind: 'fallback-year', series: seriesId, indicator, entity, year, fromYear: y, value: p });
          return { value: p, origin: { year: y, method } };
        }
      }
    } else {
      const pool = entityIds.filter((e) => e !== entity && (method === 'median' || groupOf.get(e) === groupOf.get(entity)));
      const m = median(pool.map(poolValue).filter((x): x is number => x != null));
      if (m != null) {
        problems.push({ kind: 'imputed', series: seriesId, indicator, entity, year, method, value: m, warn: policy.warn });
        return { value: m, origin: { year, method } };
      }
    }
  }
  return undefined;
}

/** Coverage: how each entity's values, and each indicator's, were obtained (shares by `framework.coverage`). */
function coverageOf(state: YearState, resolved: Map<string, Resolved>): { coverage: Record<string, CoverageCount>; indicatorCoverage: Record<string, CoverageCount> } {
  const { entityIds, leaves, framework } = state;
  const counts = () => ({ observed: 0, carried: 0, imputed: 0, missing: 0, share: 0 });
  const coverage: Record<string, CoverageCount> = Object.fromEntries(entityIds.map((e) => [e, counts()]));
  const indicatorCoverage: Record<string, CoverageCount> = {};
  for (const leaf of leaves) {
    const { values, origin } = resolved.get(leaf.id)!;
    const ic = (indicatorCoverage[leaf.id] = counts());
    for (const entity of entityIds) {
      const how = values[entity] == null ? 'missing' : origin[entity] == null ? 'observed' : origin[entity]!.method === 'previous-year' ? 'carried' : 'imputed';
      coverage[entity]![how]++;
      ic[how]++;
    }
  }
  const own = (c: CoverageCount) => c.observed + (framework.coverage.carried ? c.carried : 0);
  for (const c of Object.values(indicatorCoverage)) c.share = entityIds.length ? own(c) / entityIds.length : 0;
  for (const entity of entityIds) coverage[entity]!.share = leaves.length ? own(coverage[entity]!) / leaves.length : 0;
  return { coverage, indicatorCoverage };
}

/** Entities without enough data of their own are not ranked; nobody is in a year without observations. */
function excludeByCoverage(state: YearState, coverage: Record<string, CoverageCount>): void {
  const { entityIds, leaves, framework, problems, excluded, observedInYear, year } = state;
  for (const entity of entityIds) {
    const c = coverage[entity]!;
    if (excluded.has(entity) || leaves.length === 0 || !observedInYear) continue;
    if (c.observed + c.carried === 0) {
      problems.push({ kind: 'no-data', entity, year });
      excluded.add(entity);
    } else if (c.share < framework.coverage.min - 1e-12) {
      problems.push({ kind: 'low-coverage', entity, year, coverage: c.share, min: framework.coverage.min, severity: framework.coverage.severity });
      excluded.add(entity);
    }
  }
  if (!observedInYear && leaves.length > 0) for (const entity of entityIds) excluded.add(entity);
}

/** What imputation did for an entity that is not ranked (or in a year without observations) is no longer news. */
function dropStaleProblems(state: YearState): void {
  const { problems, excluded, observedInYear } = state;
  for (let i = problems.length - 1; i >= 0; i--) {
    const p = problems[i]!;
    if ((p.kind === 'imputed' || p.kind === 'fallback-year') && excluded.has(p.entity)) problems.splice(i, 1);
    else if (!observedInYear && (p.kind === 'imputed' || p.kind === 'fallback-year' || p.kind === 'missing')) problems.splice(i, 1);
  }
}

/**
 * The transformed values of every indicator over the included entities. A value that cannot be transformed
 * excludes its entity, which changes the cross-section (percentile caps), so repeat until nothing more is excluded.
 */
function transformLeaves(state: YearState, resolved: Map<string, Resolved>, denominators: Map<string, Record<string, CrossSection>>): Map<string, CrossSection> {
  const { leaves, excluded, problems, year } = state;
  let transformed = new Map<string, CrossSection>();
  for (let pass = 0; pass <= state.entityIds.length; pass++) {
    const before = excluded.size;
    transformed = new Map();
    for (const leaf of leaves) {
      const input = pick(resolved.get(leaf.id)!.values, excluded);
      const dens = Object.fromEntries(Object.entries(denominators.get(leaf.id)!).map(([k, v]) => [k, pick(v, excluded)]));
      const outcome = applyTransforms(input, leaf.transform ?? [], dens);
      for (const [entity, reason] of Object.entries(outcome.failed)) {
        if (!excluded.has(entity)) {
          problems.push({ kind: 'bad-transform', series: seriesOf(leaf), indicator: leaf.id, entity, year, reason });
          excluded.add(entity);
        }
      }
      transformed.set(leaf.id, outcome.values);
    }
    if (excluded.size === before) break;
  }
  return transformed;
}

/** The score of every node: each indicator normalised, then aggregated up the tree to the composite. */
function scoreTree(state: YearState, transformed: Map<string, CrossSection>, included: string[], goalposts: GoalpostBounds | undefined): Record<string, Record<string, number>> {
  const { framework, data } = state;
  const scores: Record<string, Record<string, number>> = {};
  const scoreOf = (node: Node): CrossSection | undefined => {
    if (isIndicator(node)) {
      const values = transformed.get(node.id);
      if (!values) return undefined; // its series is unknown (reported by the checks)
      const spec = node.normalise ?? framework.normalise;
      const allYears = spec.method === 'frontier' ? rangeOverYears(framework, data, node) : undefined;
      return (scores[node.id] = normalise(values, spec, node.direction, { allYears, goalposts: goalposts?.get(node.id) }));
    }
    const parts = node.children!.map((child) => ({ child, s: scoreOf(child) }));
    return (scores[node.id] = combine(parts, node.aggregation ?? framework.aggregation, included));
  };
  const top = framework.dimensions.map((child) => ({ child, s: scoreOf(child) }));
  scores[COMPOSITE] = combine(top, framework.aggregation, included);
  return scores;
}

/** Indicator id → the lowest and highest transformed value of the base year (the goalposts). */
export function goalpostsOf(framework: Framework, data: Dataset, baseYear: number): GoalpostBounds {
  const base = computeYear({ ...framework, goalposts: undefined }, data, baseYear);
  const out: GoalpostBounds = new Map();
  for (const [leaf, values] of Object.entries(base.transformed)) {
    const xs = Object.values(values);
    if (xs.length) out.set(leaf, { min: Math.min(...xs), max: Math.max(...xs), clamp: framework.goalposts?.clamp ?? false });
  }
  return out;
}

function combine(parts: Array<{ child: Node; s: CrossSection | undefined }>, method: Framework['aggregation'], entities: string[]): CrossSection {
  const out: CrossSection = {};
  const known = parts.filter((p): p is { child: Node; s: CrossSection } => p.s != null);
  for (const entity of entities) {
    out[entity] = aggregate(
      known.map((p) => ({ score: p.s[entity] ?? NaN, weight: p.child.weight })),
      method,
    );
  }
  return out;
}

function collectLeaves(nodes: Node[]): Node[] {
  return nodes.flatMap((n) => (isIndicator(n) ? [n] : collectLeaves(n.children!)));
}

function pick<T>(values: Record<string, T>, excluded: ReadonlySet<string>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(values)) if (!excluded.has(k)) out[k] = v;
  return out;
}

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Lowest and highest transformed observed values of an indicator over every year of the data. */
function rangeOverYears(framework: Framework, data: Dataset, leaf: Node): { min: number; max: number } | undefined {
  const series = data.get(seriesOf(leaf))!;
  const years = new Set<number>();
  for (const byYear of series.values.values()) for (const y of byYear.keys()) years.add(y);
  let min = Infinity;
  let max = -Infinity;
  for (const y of years) {
    const cross: CrossSection = {};
    const dens: Record<string, CrossSection> = {};
    for (const e of framework.entities) {
      const v = series.values.get(e.id)?.get(y);
      if (v != null) cross[e.id] = v;
    }
    for (const step of leaf.transform ?? []) {
      if (step.method !== 'per-capita') continue;
      const d: CrossSection = {};
      for (const e of framework.entities) {
        const v = data.get(step.denominator)?.values.get(e.id)?.get(y);
        if (v != null) d[e.id] = v;
      }
      dens[step.denominator] = d;
    }
    for (const x of Object.values(applyTransforms(cross, leaf.transform ?? [], dens).values)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? { min, max } : undefined;
}
