/**
 * "Did you mean …": the known name nearest to a misspelt one (Levenshtein distance via
 * fastest-levenshtein), if it is close enough to be a typo — at most 2 edits, or a third of the name.
 * Shared by every diagnostic that suggests a name (directives, labels, ids, citation keys, tables …).
 */
import { distance } from 'fastest-levenshtein';

export interface ClosestOptions {
  /** Compare without regard to letter case. Default: false. */
  ignoreCase?: boolean;
}

export function closest(name: string, candidates: Iterable<string>, options: ClosestOptions = {}): string | undefined {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const target = fold(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(target, fold(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
