/**
 * Transforms applied to one indicator's cross-section (all entities, one year) before normalisation:
 * none, log, per capita (divided by a named denominator series), cap at a percentile or fixed value.
 * Pure: values in, values out, plus a reason for each value that could not be transformed.
 */
import type { TransformStep } from './schema.ts';

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
