/**
 * Normalisation of one indicator's transformed cross-section to a common scale. For an indicator where
 * lower is better, min–max and frontier scores are mirrored (100 − s) and z-scores negated, so every score
 * that leaves this module is "higher is better".
 *
 *   minmax    s = 100 · (x − min) / (max − min), min and max fixed or observed in the year; clamped to 0–100
 *   zscore    s = mean′ + sd′ · (x − μ) / σ, with μ and σ (population) observed in the year
 *   percentile s = 100 · (r − 1) / (n − 1), r the ascending rank of x among n values (ties averaged)
 *   frontier  s = 100 · (x − worst) / (frontier − worst), frontier and worst fixed or observed over all
 *             years of the data, so scores of different years are on one scale; clamped to 0–100
 */
import type { Normalise } from './schema.ts';
import { averageRanks } from './statistics.ts';
import type { CrossSection } from './transform.ts';

export type Direction = 'higher' | 'lower';

export interface NormaliseContext {
  /** For `frontier`: the lowest and highest transformed values over all years of the data. */
  allYears?: { min: number; max: number };
  /**
   * For `minmax` without fixed bounds: the goalposts (the base year's lowest and highest transformed values)
   * used instead of the year's own; scores are clamped to 0–100 only when `clamp` is true.
   */
  goalposts?: { min: number; max: number; clamp: boolean };
}

export function normalise(values: CrossSection, spec: Normalise, direction: Direction, context: NormaliseContext = {}): CrossSection {
  const entries = Object.entries(values);
  const xs = entries.map(([, x]) => x);
  const out: CrossSection = {};
  if (entries.length === 0) return out;
  switch (spec.method) {
    case 'minmax': {
      const posts = spec.min == null && spec.max == null ? context.goalposts : undefined;
      const lo = spec.min ?? posts?.min ?? Math.min(...xs);
      const hi = spec.max ?? posts?.max ?? Math.max(...xs);
      const bound = posts && !posts.clamp ? (s: number) => s : clamp;
      for (const [entity, x] of entries) {
        // Every entity equal (or a base year without spread): nobody lags, everybody scores the maximum,
        // whatever the direction.
        if (hi === lo) {
          out[entity] = 100;
          continue;
        }
        const s = bound((100 * (x - lo)) / (hi - lo));
        out[entity] = direction === 'lower' ? 100 - s : s;
      }
      return out;
    }
    case 'zscore': {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
      for (const [entity, x] of entries) {
        const z = sd === 0 ? 0 : (x - mean) / sd;
        out[entity] = spec.mean + spec.sd * (direction === 'lower' ? -z : z);
      }
      return out;
    }
    case 'percentile': {
      // Percentile rank, ties averaged: the lowest value scores 0, the highest 100.
      const r = averageRanks(direction === 'lower' ? xs.map((x) => -x) : xs);
      entries.forEach(([entity], i) => (out[entity] = xs.length === 1 ? 100 : (100 * (r[i]! - 1)) / (xs.length - 1)));
      return out;
    }
    case 'frontier': {
      const range = context.allYears ?? { min: Math.min(...xs), max: Math.max(...xs) };
      const best = spec.frontier ?? (direction === 'lower' ? range.min : range.max);
      const worst = spec.worst ?? (direction === 'lower' ? range.max : range.min);
      for (const [entity, x] of entries) out[entity] = best === worst ? 100 : clamp((100 * (x - worst)) / (best - worst));
      return out;
    }
  }
}

function clamp(s: number): number {
  return Math.min(100, Math.max(0, s));
}
