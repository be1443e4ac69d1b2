/**
 * Normalisation of one indicator's transformed cross-section to a common scale. For an indicator where
 * lower is better, min–max and frontier scores are mirrored (100 − s) and z-scores negated, so every score
 * that leaves this module is "higher is better".
 *
 *   minmax    s = 100 · (x − min) / (max − min), min and max fixed or observed in the year; clamped to 0–100
 *   zscore    s = mean′ + sd′ · (x − μ) / σ, with μ and σ (population) observed in the year
 *   frontier  s = 100 · (x − worst) / (frontier − worst), frontier and worst fixed or observed over all
 *             years of the data, so scores of different years are on one scale; clamped to 0–100
 */
import type { Normalise } from './schema.ts';
import type { CrossSection } from './transform.ts';

export type Direction = 'higher' | 'lower';

export interface NormaliseContext {
  /** For `frontier`: the lowest and highest transformed values over all years of the data. */
  allYears?: { min: number; max: number };
}

export function normalise(values: CrossSection, spec: Normalise, direction: Direction, context: NormaliseContext = {}): CrossSection {
  const entries = Object.entries(values);
  const xs = entries.map(([, x]) => x);
  const out: CrossSection = {};
  if (entries.length === 0) return out;
  switch (spec.method) {
    case 'minmax': {
      const lo = spec.min ?? Math.min(...xs);
      const hi = spec.max ?? Math.max(...xs);
      for (const [entity, x] of entries) {
        // Every entity equal: nobody lags, everybody scores the maximum.
        const s = hi === lo ? 100 : clamp((100 * (x - lo)) / (hi - lo));
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
