/**
 * Results as readers see them, shared by the ranking table directive, the charts, `:value`, the
 * methodology appendix and the CLI export: names in a language, ranking rows, the source line of a node.
 * Pure: a framework, a dataset and results in; plain values out.
 */
import { COMPOSITE, hasText, indicators, isIndicator, seriesOf, textIn, walkTree, type Dataset, type IndexResult, type YearResult } from './model.ts';
import { orderByRank } from './rank.ts';
import type { Entity, Framework, Node } from './schema.ts';

/** The entity's name; with `short`, its short name when it has one in this language. */
export function entityName(entity: Entity, lang: string, short = false): string {
  return textIn(short && hasText(entity.short, lang) ? entity.short : entity.name, lang);
}

/** The node `id` (`composite` for the root), or undefined. */
export function findNode(framework: Framework, id: string): Node | undefined {
  return walkTree(framework).find((e) => e.node.id === id)?.node;
}

export function nodeName(framework: Framework, id: string, lang: string): string {
  if (id === COMPOSITE) return textIn(framework.title, lang);
  const node = findNode(framework, id);
  return node ? textIn(node.name, lang) : id;
}

/** Ids of every node a directive may name: `composite`, dimensions and indicators. */
export function nodeIds(framework: Framework): string[] {
  return [COMPOSITE, ...walkTree(framework).map((e) => e.node.id)];
}

/** The data series (with denominators) that feed a node. */
export function seriesUnder(framework: Framework, id: string): string[] {
  const root = id === COMPOSITE ? { children: framework.dimensions } : findNode(framework, id);
  if (!root) return [];
  const leaves = isIndicator(root as Node) ? [root as Node] : indicators({ dimensions: (root as { children: Node[] }).children });
  const ids = new Set<string>();
  for (const leaf of leaves) {
    ids.add(seriesOf(leaf));
    for (const step of leaf.transform ?? []) if (step.method === 'per-capita') ids.add(step.denominator);
  }
  return [...ids];
}

export interface SourceLine {
  /** The sources, once each, in tree order, joined by the locale's `sourceSeparator`. */
  text: string;
  /** Any series used is illustrative sample data (示例数据). */
  illustrative: boolean;
  /** Licences of the series used, once each. */
  licences: string[];
}

/**
 * The sources of the series under `id` (and `extra` ones), each once, joined by `separator` (the locale's
 * `sourceSeparator`), with whether any series is illustrative and their licences.
 */
export function sourceLine(framework: Framework, data: Dataset, id: string, lang: string, extra: string[], separator: string): SourceLine {
  const sources: string[] = [];
  const licences: string[] = [];
  let illustrative = false;
  for (const seriesId of seriesUnder(framework, id)) {
    const s = data.get(seriesId);
    if (!s) continue;
    const text = textIn(s.source, lang);
    if (!sources.includes(text)) sources.push(text);
    if (!licences.includes(s.licence)) licences.push(s.licence);
    illustrative ||= s.illustrative;
  }
  for (const e of extra) if (e && !sources.includes(e)) sources.push(e);
  return { text: sources.join(separator), illustrative, licences };
}

// ── Ranking rows ────────────────────────────────────────────────────────────────────────────────────

export interface RankingRow {
  rank: number;
  entity: Entity;
  score: number;
  /** Tier level id and name (composite tiers), when the framework defines tiers. */
  tier?: { id: string; name: string };
  /** Change of score and rank against the previous year (rank: positive = moved up). */
  change?: { score: number; rank: number };
  /** Scores of the node's children (dimensions of the composite), by child id. */
  parts: Record<string, number>;
}

export interface RankingOptions {
  /** Node to rank by. Default `composite`. */
  node?: string;
  /** Only the first N rows (ties at the cut are kept). Default: all. */
  top?: number;
  /** Only entities of this group. */
  group?: string;
  lang: string;
  /** Data year (default: the current year of the result). */
  year?: YearResult;
}

export function rankingRows(result: IndexResult, options: RankingOptions): RankingRow[] {
  const { framework } = result;
  const node = options.node ?? COMPOSITE;
  const year = options.year ?? result.current;
  const ranks = year.ranks[node] ?? {};
  const scores = year.scores[node] ?? {};
  const entities = new Map(framework.entities.map((e) => [e.id, e]));
  const children = node === COMPOSITE ? framework.dimensions : (findNode(framework, node)?.children ?? []);
  const levels = new Map((framework.tiers?.levels ?? []).map((l) => [l.id, textIn(l.name, options.lang)]));
  const tierOf = framework.tiers && (framework.tiers.of === node || node === COMPOSITE) ? year.tiers : undefined;
  let order = orderByRank(ranks, framework.entities.map((e) => e.id));
  if (options.group) order = order.filter((id) => entities.get(id)?.group === options.group);
  if (options.top != null && order.length > options.top) {
    const cut = ranks[order[options.top - 1]!]!;
    order = order.filter((id, i) => i < options.top! || ranks[id] === cut);
  }
  const sameYear = year === result.current;
  return order.map((id) => {
    const tierId = tierOf?.[id];
    const change = sameYear ? result.change[node]?.[id] : undefined;
    return {
      rank: ranks[id]!,
      entity: entities.get(id)!,
      score: scores[id]!,
      ...(tierId != null ? { tier: { id: tierId, name: levels.get(tierId) ?? tierId } } : {}),
      ...(change ? { change } : {}),
      parts: Object.fromEntries(children.map((c) => [c.id, year.scores[c.id]?.[id] ?? NaN])),
    };
  });
}

/** Signed change text: +1.23 / −0.50 / 0.00 (a true minus sign, as in print). */
export function signed(value: number, format: (x: number) => string): string {
  const text = format(Math.abs(value));
  if (Number(text.replace(/[^\d.]/g, '')) === 0) return format(0);
  return (value > 0 ? '+' : '−') + text;
}
