/**
 * The in-memory model shared by loading, computation, tables, charts and exports: a checked dataset, the
 * results of one computation, and small helpers over the indicator tree. No I/O here.
 */
import type { Framework, MissingPolicy, Node, Series, Text } from './schema.ts';

/** Id of the root of every tree: the composite index. Reserved; no node may use it. */
export const COMPOSITE = 'composite';

/** A data series after checking: only finite numbers, keyed by entity id and year. */
export interface SeriesData extends Omit<Series, 'values'> {
  values: Map<string, Map<number, number>>;
}

/** Every series of a framework's data files, by id. */
export type Dataset = Map<string, SeriesData>;

/** What happened to one value on its way into the index (for diagnostics and table notes). */
export type Problem =
  | { kind: 'imputed'; series: string; indicator: string; entity: string; year: number; method: 'group-median' | 'median'; value: number; warn: boolean }
  | { kind: 'fallback-year'; series: string; indicator: string; entity: string; year: number; fromYear: number; value: number }
  | { kind: 'missing'; series: string; indicator: string; entity: string; year: number; policy: MissingPolicy['policy'] }
  | { kind: 'dropped'; series: string; indicator: string; entity: string; year: number }
  | { kind: 'bad-transform'; series: string; indicator: string; entity: string; year: number; reason: string }
  | { kind: 'empty-year'; year: number }
  | { kind: 'no-data'; entity: string; year: number }
  | { kind: 'low-coverage'; entity: string; year: number; coverage: number; min: number; severity: 'error' | 'warning' };

/** How an entity's (or an indicator's) values of one year were obtained. */
export interface CoverageCount {
  /** Observed in the year itself. */
  observed: number;
  /** Carried forward from an earlier year (`previous-year`). */
  carried: number;
  /** Imputed by a median. */
  imputed: number;
  /** No value (under `fail` or `drop`, or nothing to impute from). */
  missing: number;
  /** observed + carried (when carried values count, see `coverage.carried`) over all indicators. */
  share: number;
}

/** How the value used for an entity was obtained, when it was not observed in the year itself. */
export interface ValueOrigin {
  /** The year the value comes from (the data year, or an earlier one for `previous-year`). */
  year: number;
  method?: 'previous-year' | 'group-median' | 'median';
}

/** The index for one data year. Score maps are keyed by node id (indicators, dimensions, `composite`). */
export interface YearResult {
  year: number;
  /** Ranked entities, in framework order. */
  entities: string[];
  /** Entities left out this year (missing values under `drop` or `fail`). */
  dropped: string[];
  /** Indicator id → entity → the value used (after imputation, before transform). */
  raw: Record<string, Record<string, number>>;
  /** Indicator id → entity → where a non-observed value came from. */
  origin: Record<string, Record<string, ValueOrigin>>;
  /** Indicator id → entity → the transformed value (the input of normalisation). */
  transformed: Record<string, Record<string, number>>;
  /** Node id → entity → score. */
  scores: Record<string, Record<string, number>>;
  /** Node id → entity → rank (standard competition ranking: 1, 2, 2, 4). */
  ranks: Record<string, Record<string, number>>;
  /** Entity → how its indicator values were obtained (every entity of the framework). */
  coverage: Record<string, CoverageCount>;
  /** Indicator id → how its values for the entities were obtained (every entity of the framework). */
  indicatorCoverage: Record<string, CoverageCount>;
  /** Entity → tier level id (when the framework defines tiers). */
  tiers: Record<string, string>;
  problems: Problem[];
}

export interface Change {
  score: number;
  /** Previous rank minus current rank: positive means the entity moved up. */
  rank: number;
}

export interface IndexResult {
  framework: Framework;
  current: YearResult;
  previous?: YearResult;
  /** Node id → entity → change against the previous year (entities ranked in both years). */
  change: Record<string, Record<string, Change>>;
}

// ── The tree ────────────────────────────────────────────────────────────────────────────────────────

export interface TreeEntry {
  node: Node;
  /** Parent id, `composite` for dimensions. */
  parent: string;
  depth: number;
  /** Path of the node in framework.yaml, e.g. ['dimensions', 0, 'children', 1]. */
  path: Array<string | number>;
}

export function isIndicator(node: Node): boolean {
  return !node.children || node.children.length === 0;
}

/** Every node of the tree in document order (depth first), with parent and YAML path. */
export function walkTree(framework: Pick<Framework, 'dimensions'>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (nodes: Node[], parent: string, depth: number, path: Array<string | number>) => {
    nodes.forEach((node, i) => {
      const here = [...path, i];
      out.push({ node, parent, depth, path: here });
      if (node.children) visit(node.children, node.id, depth + 1, [...here, 'children']);
    });
  };
  visit(framework.dimensions, COMPOSITE, 1, ['dimensions']);
  return out;
}

export function indicators(framework: Pick<Framework, 'dimensions'>): Node[] {
  return walkTree(framework)
    .map((e) => e.node)
    .filter(isIndicator);
}

export function seriesOf(node: Node): string {
  return node.series ?? node.id;
}

/** Whether `text` has its own wording for `lang` (a plain string counts for every language). */
export function hasText(text: Text | undefined, lang: string): boolean {
  if (text == null) return false;
  if (typeof text === 'string') return true;
  const base = lang.split('-')[0]!;
  return text[lang] != null || text[base] != null;
}

/** Text in a language, falling back to Chinese, then English, then any. */
export function textIn(text: Text | undefined, lang: string): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  const base = lang.split('-')[0]!;
  return text[lang] ?? text[base] ?? text.zh ?? text.en ?? Object.values(text)[0] ?? '';
}
