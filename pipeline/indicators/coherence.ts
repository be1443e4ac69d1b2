/**
 * The statistical coherence report of one computed year (the JRC/OECD Handbook's multivariate analysis):
 * correlations between the indicators' normalised scores within and across dimensions, Cronbach's α and
 * principal components (eigenvalues of the correlation matrix, variance explained) per dimension and for
 * all indicators, the effective weight of each node (its squared correlation with the composite, beside
 * its nominal overall weight), and the skewness and excess kurtosis of every indicator's values against
 * the outlier rule (|skew| > 2 and kurtosis > 3.5). Pure: a framework and a computed year in.
 */
import { COMPOSITE, isIndicator, walkTree, type YearResult } from './model.ts';
import type { Framework, Node } from './schema.ts';
import { correlationMatrix, cronbachAlpha, excessKurtosis, pearson, skewness, symmetricEigenvalues } from './statistics.ts';

export interface DimensionCoherence {
  id: string;
  /** The node's children (indicators or sub-dimensions). */
  children: string[];
  /** Cronbach's α of the children's scores (NaN with fewer than two children). */
  alpha: number;
  /** Eigenvalues of the children's correlation matrix, largest first. */
  eigenvalues: number[];
  /** Each eigenvalue over their sum (the number of children): the share of variance explained. */
  explained: number[];
  /** Pearson correlations of the children, in `children` order. */
  correlations: number[][];
  /** Pairs of children correlating negatively (each pair once). */
  negative: Array<[string, string, number]>;
}

export interface NodeWeight {
  id: string;
  parent: string;
  /** Nominal weight in the composite: the product of the normalised weights on the path. */
  nominal: number;
  /** Squared correlation of the node's score with the composite. */
  r2: number;
  /** r² over the sum of r² of the node's siblings, times the siblings' total nominal weight. */
  effective: number;
}

export interface Screening {
  indicator: string;
  /** Of the value used, before the framework's transform. */
  raw: { skew: number; kurtosis: number; flagged: boolean };
  /** Of the transformed value (the input of normalisation). */
  transformed: { skew: number; kurtosis: number; flagged: boolean };
}

export interface CoherenceReport {
  year: number;
  /** Number of entities the statistics are computed over (the ranked ones). */
  n: number;
  /** Indicator ids in tree order, and the correlations of their normalised scores. */
  indicators: string[];
  correlations: number[][];
  /** Indicator pairs correlating negatively, within or across dimensions (each pair once, in tree order). */
  negative: Array<[string, string, number]>;
  /** Correlation of each indicator with its parent dimension and with the composite. */
  withParent: Record<string, number>;
  withComposite: Record<string, number>;
  /** Principal components of all indicators. */
  pca: { eigenvalues: number[]; explained: number[] };
  dimensions: DimensionCoherence[];
  weights: NodeWeight[];
  screening: Screening[];
  /** The outlier rule's thresholds. */
  rule: { skew: number; kurtosis: number };
}

export const SCREEN_RULE = { skew: 2, kurtosis: 3.5 };

/** A correlation counts as negative below −1e-12 (rounding of an exact 0 is not a finding). */
const NEGATIVE_EPS = 1e-12;

export function coherenceOf(framework: Framework, year: YearResult): CoherenceReport {
  const entities = year.entities;
  const column = (id: string) => entities.map((e) => year.scores[id]?.[e] ?? NaN);
  const tree = walkTree(framework);
  const leaves = tree.filter((t) => isIndicator(t.node) && year.scores[t.node.id]);
  const ids = leaves.map((t) => t.node.id);
  const composite = column(COMPOSITE);
  const correlations = correlationMatrix(ids.map(column));

  const withParent: Record<string, number> = {};
  const withComposite: Record<string, number> = {};
  for (const t of tree) {
    if (!year.scores[t.node.id]) continue;
    withComposite[t.node.id] = pearson(column(t.node.id), composite);
    if (isIndicator(t.node)) withParent[t.node.id] = pearson(column(t.node.id), column(t.parent));
  }

  const dimensions: DimensionCoherence[] = [];
  const dimensionOf = (id: string, nodes: Node[]) => {
    const children = nodes.filter((c) => year.scores[c.id]).map((c) => c.id);
    const cols = children.map(column);
    const corr = correlationMatrix(cols);
    const eig = children.length ? symmetricEigenvalues(corr.map((r) => r.map((x) => (Number.isNaN(x) ? 0 : x)))) : [];
    const negative: Array<[string, string, number]> = [];
    for (let i = 0; i < children.length; i++) for (let j = i + 1; j < children.length; j++) if (corr[i]![j]! < -NEGATIVE_EPS) negative.push([children[i]!, children[j]!, corr[i]![j]!]);
    dimensions.push({ id, children, alpha: cronbachAlpha(cols), eigenvalues: eig, explained: eig.map((x) => x / children.length), correlations: corr, negative });
  };
  dimensionOf(COMPOSITE, framework.dimensions);
  for (const t of tree) if (t.node.children) dimensionOf(t.node.id, t.node.children);

  const negative: Array<[string, string, number]> = [];
  ids.forEach((a, i) => ids.forEach((b, j) => j > i && correlations[i]![j]! < -NEGATIVE_EPS && negative.push([a, b, correlations[i]![j]!])));
  const allEig = ids.length ? symmetricEigenvalues(correlations.map((r) => r.map((x) => (Number.isNaN(x) ? 0 : x)))) : [];

  // Effective weights: among siblings, r² with the composite shares out the siblings' nominal weight.
  const nominal = new Map<string, number>();
  const weigh = (nodes: Node[], overall: number) => {
    const total = nodes.reduce((a, n) => a + n.weight, 0) || 1;
    for (const n of nodes) {
      nominal.set(n.id, (overall * n.weight) / total);
      if (n.children) weigh(n.children, (overall * n.weight) / total);
    }
  };
  weigh(framework.dimensions, 1);
  const weights: NodeWeight[] = [];
  const byParent = new Map<string, string[]>();
  for (const t of tree) if (year.scores[t.node.id]) byParent.set(t.parent, [...(byParent.get(t.parent) ?? []), t.node.id]);
  for (const [parent, siblings] of byParent) {
    const r2 = siblings.map((id) => (withComposite[id] ?? NaN) ** 2);
    const sumR2 = r2.reduce((a, x) => a + (Number.isNaN(x) ? 0 : x), 0);
    const mass = siblings.reduce((a, id) => a + nominal.get(id)!, 0);
    siblings.forEach((id, i) => weights.push({ id, parent, nominal: nominal.get(id)!, r2: r2[i]!, effective: sumR2 > 0 ? (mass * (Number.isNaN(r2[i]!) ? 0 : r2[i]!)) / sumR2 : NaN }));
  }

  const flag = (xs: number[]) => {
    const skew = skewness(xs);
    const kurtosis = excessKurtosis(xs);
    return { skew, kurtosis, flagged: Math.abs(skew) > SCREEN_RULE.skew && kurtosis > SCREEN_RULE.kurtosis };
  };
  const screening: Screening[] = ids.map((id) => ({
    indicator: id,
    raw: flag(entities.map((e) => year.raw[id]?.[e]).filter((x): x is number => x != null)),
    transformed: flag(entities.map((e) => year.transformed[id]?.[e]).filter((x): x is number => x != null)),
  }));

  return {
    year: year.year,
    n: entities.length,
    indicators: ids,
    correlations,
    negative,
    withParent,
    withComposite,
    pca: { eigenvalues: allEig, explained: allEig.map((x) => x / ids.length) },
    dimensions,
    weights,
    screening,
    rule: SCREEN_RULE,
  };
}
