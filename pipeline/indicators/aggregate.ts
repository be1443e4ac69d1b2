/**
 * Aggregation of child scores into a parent score, weights normalised by their sum (so weights scaled
 * together change nothing):
 *
 *   arithmetic  S = Σ wᵢ·sᵢ / Σ wᵢ
 *   geometric   S = Π sᵢ^(wᵢ/Σ wᵢ)      (a child score ≤ 0 with a positive weight makes S = 0:
 *                                        a geometric mean does not let strengths offset a zero)
 *
 * Children with weight 0 take no part. With no positive weight the result is NaN.
 */
import type { Aggregation } from './schema.ts';

export interface Weighted {
  score: number;
  weight: number;
}

export function aggregate(parts: readonly Weighted[], method: Aggregation): number {
  const used = parts.filter((p) => p.weight > 0);
  const total = used.reduce((a, p) => a + p.weight, 0);
  if (total <= 0) return NaN;
  if (method === 'arithmetic') return used.reduce((a, p) => a + p.weight * p.score, 0) / total;
  if (used.some((p) => p.score <= 0)) return 0;
  // Sum of logarithms: stable for many children, exact for one.
  return Math.exp(used.reduce((a, p) => a + (p.weight / total) * Math.log(p.score), 0));
}
