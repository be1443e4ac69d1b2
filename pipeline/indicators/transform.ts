/**
 * Transforms applied to one indicator's cross-section (all entities, one year) before normalisation:
 * none, log, per capita (divided by a named denominator series), cap at a percentile or fixed value.
 * Pure: values in, values out, plus a reason for each value that could not be transformed.
 */
import type { TransformStep } from './schema.ts';
import { excessKurtosis, skewness } from './statistics.ts';

export type CrossSection = Record<string, number>;

export interface TransformOutcome {
  values: CrossSection;
  /** Entity → why its value could not be transformed (log of a non-positive number, a zero denominator). */
  failed: Record<string, string>;
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks (Excel's PERCENTILE.INC,
 * R type 7): position h = (n − 1)·p/100 in the sorted values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Apply `steps` in order. `denominators` gives, per denominator series id, the values of the same year
 * (already imputed by the same policy as the indicator).
 */
export function applyTransforms(
  input: CrossSection,
  steps: readonly TransformStep[],
  denominators: Readonly<Record<string, CrossSection>> = {},
): TransformOutcome {
  let values: CrossSection = { ...input };
  const failed: Record<string, string> = {};
  for (const step of steps) {
    const next: CrossSection = {};
    switch (step.method) {
      case 'none':
        Object.assign(next, values);
        break;
      case 'log':
        for (const [entity, x] of Object.entries(values)) {
          const shifted = x + step.offset;
          if (shifted > 0) next[entity] = Math.log(shifted) / Math.log(step.base);
          else failed[entity] = `log of ${shifted} (value ${x}${step.offset ? ` + offset ${step.offset}` : ''}) is undefined`;
        }
        break;
      case 'per-capita': {
        const denominator = denominators[step.denominator] ?? {};
        for (const [entity, x] of Object.entries(values)) {
          const d = denominator[entity];
          if (d == null) failed[entity] = `no value of the denominator \`${step.denominator}\``;
          else if (d === 0) failed[entity] = `the denominator \`${step.denominator}\` is 0`;
          else next[entity] = (x / d) * step.multiplier;
        }
        break;
      }
      case 'treat':
        Object.assign(next, treat(values, step).values);
        break;
      case 'cap': {
        const all = Object.values(values);
        let hi = step.max ?? Infinity;
        let lo = step.min ?? -Infinity;
        if (step.percentile != null) hi = Math.min(hi, percentile(all, step.percentile));
        if (step.floorPercentile != null) lo = Math.max(lo, percentile(all, step.floorPercentile));
        for (const [entity, x] of Object.entries(values)) next[entity] = Math.min(hi, Math.max(lo, x));
        break;
      }
    }
    values = next;
  }
  return { values, failed };
}

export interface Treatment {
  /** What was done: nothing (the rule passed), winsorised `points` values, or a log after winsorising failed. */
  method: 'none' | 'winsorise' | 'log';
  points: number;
  /** Skewness and excess kurtosis before and after. */
  before: { skew: number; kurtosis: number };
  after: { skew: number; kurtosis: number };
}

/**
 * The rule-based outlier treatment (after COINr's): a cross-section fails when |skewness| > `skew` and
 * excess kurtosis > `kurtosis`. A failing one is winsorised one point at a time on the side of its skew
 * (the most extreme value set to the next one in), up to `winmax` points, until it passes; if it still
 * fails, the original values are log-transformed instead: log₁₀(x − min + 1) for positive skew,
 * −log₁₀(max − x + 1) for negative skew (order kept, defined for any value).
 */
export function treat(input: CrossSection, rule: { skew: number; kurtosis: number; winmax: number }): { values: CrossSection; treatment: Treatment } {
  const entries = Object.entries(input);
  const xs = entries.map(([, x]) => x);
  const stats = (v: readonly number[]) => ({ skew: skewness(v), kurtosis: excessKurtosis(v) });
  const fails = (s: { skew: number; kurtosis: number }) => Math.abs(s.skew) > rule.skew && s.kurtosis > rule.kurtosis;
  const before = stats(xs);
  if (xs.length < 3 || !fails(before)) return { values: { ...input }, treatment: { method: 'none', points: 0, before, after: before } };
  const positive = before.skew > 0;
  // Indices from the most extreme value inwards, on the side of the skew.
  const order = xs.map((_, i) => i).sort((a, b) => (positive ? xs[b]! - xs[a]! : xs[a]! - xs[b]!));
  for (let points = 1; points <= Math.min(rule.winmax, xs.length - 1); points++) {
    const bound = xs[order[points]!]!;
    const w = xs.map((x) => (positive ? Math.min(x, bound) : Math.max(x, bound)));
    const after = stats(w);
    if (!fails(after)) {
      return { values: Object.fromEntries(entries.map(([e], i) => [e, w[i]!])), treatment: { method: 'winsorise', points, before, after } };
    }
  }
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const logged = xs.map((x) => (positive ? Math.log10(x - lo + 1) : -Math.log10(hi - x + 1)));
  return {
    values: Object.fromEntries(entries.map(([e], i) => [e, logged[i]!])),
    treatment: { method: 'log', points: 0, before, after: stats(logged) },
  };
}
