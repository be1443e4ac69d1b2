/**
 * Ranks and tiers.
 *
 * Ranks use standard competition ranking ("1224"): an entity's rank is 1 + the number of entities whose
 * score is higher by more than the tie tolerance. Tied entities share the better rank and the next rank is
 * skipped. Listing order among ties is by entity order in the framework (stable sort), never by chance.
 *
 * Tiers (梯队) are given either by thresholds (a level's `min` score) or by natural breaks (Jenks: the
 * classification into k classes with the least total within-class sum of squared deviations, found exactly
 * by dynamic programming).
 */
import type { Tiers } from './schema.ts';

export function competitionRanks(scores: Readonly<Record<string, number>>, tolerance = 1e-9): Record<string, number> {
  const entries = Object.entries(scores).filter(([, s]) => Number.isFinite(s));
  const ranks: Record<string, number> = {};
  for (const [entity, s] of entries) {
    ranks[entity] = 1 + entries.filter(([, t]) => t > s + tolerance).length;
  }
  return ranks;
}

/** Entities ordered by rank, ties kept in the order of `order` (framework order). */
export function orderByRank(ranks: Readonly<Record<string, number>>, order: readonly string[]): string[] {
  return order.filter((e) => ranks[e] != null).sort((a, b) => ranks[a]! - ranks[b]! || order.indexOf(a) - order.indexOf(b));
}

/**
 * Jenks natural breaks: the sorted values split into `k` contiguous classes minimising the sum of squared
 * deviations from class means. Returns the lower bound (smallest value) of each class, highest class first.
 */
export function naturalBreaks(values: readonly number[], k: number): number[] {
  const x = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return [];
  const classes = Math.min(k, n);
  // Prefix sums give the squared deviation of any run x[i..j] in O(1).
  const s1 = [0];
  const s2 = [0];
  for (const v of x) {
    s1.push(s1[s1.length - 1]! + v);
    s2.push(s2[s2.length - 1]! + v * v);
  }
  const ssd = (i: number, j: number) => {
    const m = j - i + 1;
    const sum = s1[j + 1]! - s1[i]!;
    return s2[j + 1]! - s2[i]! - (sum * sum) / m;
  };
  // cost[c][j]: best cost of x[0..j] in c+1 classes; start[c][j]: first index of the last class.
  const cost: number[][] = [];
  const start: number[][] = [];
  cost.push(x.map((_, j) => ssd(0, j)));
  start.push(x.map(() => 0));
  for (let c = 1; c < classes; c++) {
    const row: number[] = [];
    const from: number[] = [];
    for (let j = 0; j < n; j++) {
      let best = Infinity;
      let at = j;
      for (let i = c; i <= j; i++) {
        const v = cost[c - 1]![i - 1]! + ssd(i, j);
        if (v < best - 1e-12) {
          best = v;
          at = i;
        }
      }
      row.push(best);
      from.push(at);
    }
    cost.push(row);
    start.push(from);
  }
  const lows: number[] = [];
  let j = n - 1;
  for (let c = classes - 1; c >= 0; c--) {
    const i = start[c]![j]!;
    lows.push(x[i]!);
    j = i - 1;
  }
  return lows; // highest class first
}

/** Entity → tier level id. */
export function assignTiers(scores: Readonly<Record<string, number>>, tiers: Tiers): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(scores).filter(([, s]) => Number.isFinite(s));
  let bounds: Array<{ id: string; min: number }>;
  if (tiers.method === 'thresholds') {
    bounds = tiers.levels
      .map((l) => ({ id: l.id, min: l.min ?? -Infinity }))
      .sort((a, b) => b.min - a.min);
  } else {
    const lows = naturalBreaks(
      entries.map(([, s]) => s),
      tiers.levels.length,
    );
    bounds = lows.map((min, i) => ({ id: tiers.levels[i]!.id, min }));
  }
  for (const [entity, s] of entries) {
    const level = bounds.find((b) => s >= b.min);
    if (level) out[entity] = level.id;
  }
  return out;
}
