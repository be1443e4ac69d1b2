/**
 * The audit of one framework edition, as data: coverage of the ranked year (per indicator and per entity,
 * with the years carried values come from), comparability settings, the coherence report and the
 * uncertainty analysis. `annals indicators <framework> --audit` prints it and writes it as JSON and XLSX.
 * Pure: computed results in, a plain object out (NaN becomes null in JSON).
 */
import type { CoherenceReport } from './coherence.ts';
import { indicators, type CoverageCount, type IndexResult } from './model.ts';
import type { Goalposts } from './schema.ts';
import type { UncertaintyResult } from './uncertainty.ts';

export interface EntityCoverage extends CoverageCount {
  entity: string;
  ranked: boolean;
  /** Indicator id → the year its carried-forward value comes from. */
  carriedFrom: Record<string, number>;
  /** Indicator id → the median method that imputed it. */
  imputedBy: Record<string, string>;
}

export interface Audit {
  framework: string;
  edition: number;
  year: number;
  coverage: {
    /** `coverage.min` and whether carried values count. */
    min: number;
    carried: boolean;
    totals: { observed: number; carried: number; imputed: number; missing: number };
    indicators: Record<string, CoverageCount>;
    entities: EntityCoverage[];
  };
  comparability: {
    goalposts: Goalposts | null;
    /** Indicator id → its normalisation method, and whether its bounds are fixed across years. */
    normalisation: Record<string, { method: string; fixed: boolean }>;
  };
  coherence: CoherenceReport;
  uncertainty: UncertaintyResult | null;
}

export function auditOf(result: IndexResult, coherence: CoherenceReport, uncertainty: UncertaintyResult | undefined): Audit {
  const { framework, current } = result;
  const totals = { observed: 0, carried: 0, imputed: 0, missing: 0 };
  const entities: EntityCoverage[] = framework.entities.map((e) => {
    const c = current.coverage[e.id]!;
    const ranked = current.entities.includes(e.id);
    if (ranked) {
      totals.observed += c.observed;
      totals.carried += c.carried;
      totals.imputed += c.imputed;
      totals.missing += c.missing;
    }
    const carriedFrom: Record<string, number> = {};
    const imputedBy: Record<string, string> = {};
    for (const [leaf, byEntity] of Object.entries(current.origin)) {
      const o = byEntity[e.id];
      if (o?.method === 'previous-year') carriedFrom[leaf] = o.year;
      else if (o?.method) imputedBy[leaf] = o.method;
    }
    return { entity: e.id, ranked, ...c, carriedFrom, imputedBy };
  });
  const normalisation: Audit['comparability']['normalisation'] = {};
  for (const leaf of indicators(framework)) {
    const n = leaf.normalise ?? framework.normalise;
    const fixed = n.method === 'frontier' || (n.method === 'minmax' && ((n.min != null && n.max != null) || framework.goalposts != null));
    normalisation[leaf.id] = { method: n.method, fixed };
  }
  return {
    framework: framework.id,
    edition: framework.edition,
    year: current.year,
    coverage: { min: framework.coverage.min, carried: framework.coverage.carried, totals, indicators: current.indicatorCoverage, entities },
    comparability: { goalposts: framework.goalposts ?? null, normalisation },
    coherence,
    uncertainty: uncertainty ?? null,
  };
}
