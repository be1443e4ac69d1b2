/**
 * Descriptive statistics used by the coherence report, the skew/kurtosis treatment and the Monte Carlo:
 * moments, Pearson correlation, Cronbach's α, the eigenvalues of a symmetric matrix (Jacobi rotations),
 * average ranks and percentiles of a sample. Pure functions on plain arrays; every formula is stated in
 * docs/indicators.md, so a reviewer can recompute each figure.
 */

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Population variance (divisor n). */
export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
}

/** Sample variance (divisor n − 1), as Cronbach's α uses it. */
export function sampleVariance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/** Skewness g₁ = m₃ / m₂^1.5 with population central moments mₖ = Σ(x − x̄)ᵏ / n; 0 for a constant. */
export function skewness(xs: readonly number[]): number {
  const m = mean(xs);
  const m2 = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
  const m3 = xs.reduce((a, x) => a + (x - m) ** 3, 0) / xs.length;
  return m2 === 0 ? 0 : m3 / m2 ** 1.5;
}

/** Excess kurtosis g₂ = m₄ / m₂² − 3 (0 for a normal distribution); 0 for a constant. */
export function excessKurtosis(xs: readonly number[]): number {
  const m = mean(xs);
  const m2 = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
  const m4 = xs.reduce((a, x) => a + (x - m) ** 4, 0) / xs.length;
  return m2 === 0 ? 0 : m4 / (m2 * m2) - 3;
}

/** Pearson correlation of paired samples; NaN when either is constant. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Cronbach's α of k items (columns), each a sample over the same entities:
 * α = k / (k − 1) · (1 − Σ var(itemᵢ) / var(Σ items)), with sample variances. NaN for fewer than 2 items.
 */
export function cronbachAlpha(items: ReadonlyArray<readonly number[]>): number {
  const k = items.length;
  if (k < 2) return NaN;
  const n = items[0]!.length;
  const totals = Array.from({ length: n }, (_, j) => items.reduce((a, item) => a + item[j]!, 0));
  const totalVar = sampleVariance(totals);
  if (totalVar === 0) return NaN;
  const itemVar = items.reduce((a, item) => a + sampleVariance(item), 0);
  return (k / (k - 1)) * (1 - itemVar / totalVar);
}

/** The correlation matrix of columns (NaN entries where a column is constant; 1 on the diagonal). */
export function correlationMatrix(columns: ReadonlyArray<readonly number[]>): number[][] {
  return columns.map((a, i) => columns.map((b, j) => (i === j ? 1 : pearson(a, b))));
}

/**
 * Eigenvalues of a symmetric matrix, largest first, by cyclic Jacobi rotations (converged when the
 * off-diagonal sum of squares is below 1e-22 times the matrix's, at most 100 sweeps).
 */
export function symmetricEigenvalues(matrix: ReadonlyArray<readonly number[]>): number[] {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const total = a.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off <= 1e-22 * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]!).sort((x, y) => y - x);
}

/** Ascending ranks 1…n with ties (equal values) given the average of their ranks. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((p, q) => p.x - q.x);
  const ranks = new Array<number>(xs.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.x === order[start]!.x) end++;
    const r = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = r;
    start = end + 1;
  }
  return ranks;
}

/**
 * mulberry32: a small, fast 32-bit pseudo-random generator; the same seed gives the same sequence on every
 * machine (integer arithmetic only). Returns numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
