/**
 * `:value{framework=widi entity=CHN of=rank}` — one number (or name) from the computed index, inline, so
 * that prose such as "中国位居第2位" is bound to the data and changes when the data change.
 *
 *   of=rank         rank (standard competition ranking)             needs entity
 *   of=score        score with the framework's decimals             needs entity
 *   of=raw          the indicator's value used (after imputation)   needs entity and indicator
 *   of=year         the data year of that value (or of the index)   entity and indicator optional
 *   of=tier         tier name (梯队)                                needs entity
 *   of=change       score change against the previous year, signed  needs entity
 *   of=rank-change  rank change, signed (+2 = up two places)        needs entity
 *   of=rank-movement  the change as words: 位次上升2位 / 位次不变 / moved up 2 places / kept its rank
 *   of=name         the entity's name
 *   of=count        number of ranked entities (of `group`, of `tier`)
 *   of=mean         mean score (of `group`, of `tier`)
 *   of=weight       the node's weight in its parent, as a percentage
 *   of=interval     the composite rank interval of the Monte Carlo (2–18)      needs entity, `uncertainty`
 *   of=median-rank  the composite median rank of the Monte Carlo               needs entity, `uncertainty`
 *   of=coverage     share of indicators with the entity's own data, as a percentage   needs entity
 *   of=comparability the generated sentence on comparing scores across years
 *
 * Instead of `entity`, `rank=N` names the entity ranked N-th on the node (within `group` / `tier`).
 * Other attributes: dimension / indicator (default composite), year (edition), at=previous (the previous
 * data year), decimals, absolute (drop the sign), short (short name), format=large (万/亿), group, tier.
 * Runs in the remark phase (after derived-edition conversion), so its own words go through
 * `locale.text` / `locale.convert`. The output is `<span class="indicator-value" data-…>`.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { COMPOSITE, hasText, isIndicator, type YearResult } from '../../indicators/model.ts';
import { findNode, signed } from '../../indicators/present.ts';
import { orderByRank } from '../../indicators/rank.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext } from '../../context/types.ts';
import { visitDirective, type Directive } from '../../markdown/directive-utils.ts';
import { comparabilitySentence } from './indicator-words.ts';
import { choiceAttribute, intAttribute, resolveEntities, resolveFramework, resolveNode, suggest, type IndicatorDirectiveContext, type Resolved } from './indicator-attributes.ts';
import type { Framework, Node } from '../../indicators/schema.ts';
import type { Locale } from '../../locale/locale.ts';

export interface IndicatorValuesOptions extends IndicatorDirectiveContext {
  context: EditionContext;
}

const OF = ['rank', 'score', 'raw', 'year', 'tier', 'change', 'rank-change', 'rank-movement', 'name', 'count', 'mean', 'weight', 'interval', 'median-rank', 'coverage', 'comparability'] as const;
type Of = (typeof OF)[number];
const NEEDS_ENTITY: readonly Of[] = ['rank', 'score', 'raw', 'tier', 'change', 'rank-change', 'rank-movement', 'interval', 'median-rank', 'coverage'];

export function remarkIndicatorValues(options: IndicatorValuesOptions) {
  const { locale } = options.context;
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'value', 'textDirective', (directive) => {
      const request = valueRequest(options, directive, file, locale);
      const text = request ? valueText(request) : undefined;
      const attrs = directive.attributes ?? {};
      directive.data = {
        hName: 'span',
        hProperties: {
          className: text == null ? ['indicator-value', 'indicator-error'] : ['indicator-value'],
          dataFramework: attrs.framework ?? '',
          ...(attrs.entity ? { dataEntity: attrs.entity } : {}),
          dataOf: attrs.of ?? 'score',
        },
      };
      directive.children = [{ type: 'text', value: text ?? `[${attrs.of ?? 'value'} ${attrs.entity ?? ''}]`.replace(/ \]$/, ']') }];
    });
  };
}

/** A `:value` with its attributes checked: what to say, of which node and entity, in which year. */
interface ValueRequest {
  of: Of;
  directive: Directive;
  file: VFile;
  locale: Locale;
  resolved: Resolved;
  framework: Framework;
  nodeId: string;
  /** The dimension or indicator (undefined for the composite). */
  node: Node | undefined;
  at: 'current' | 'previous';
  year: YearResult;
  /** The entity named by `entity`, or ranked `rank`-th; undefined for of=count, of=mean … */
  entity: string | undefined;
  decimals: number | undefined;
  absolute: boolean;
  /** Whether an entity is within `group` and `tier` (which narrow of=count, of=mean and of=name rank=N). */
  inGroup: (id: string) => boolean;
}

/** The attributes of a `:value`, checked in order; undefined at the first one that is wrong (reported). */
function valueRequest(ctx: IndicatorDirectiveContext, directive: Directive, file: VFile, locale: Locale): ValueRequest | undefined {
  const of = choiceAttribute(directive, file, 'of', OF, 'score');
  if (!of) return undefined;
  const resolved = resolveFramework(ctx, directive, file);
  if (!resolved) return undefined;
  const nodeId = resolveNode(resolved, directive, file);
  if (!nodeId) return undefined;
  const entities = resolveEntities(resolved, directive, file, 'entity');
  if (!entities) return undefined;
  const attrs = directive.attributes ?? {};
  const { result } = resolved;
  const { framework } = result;
  const rankAttr = intAttribute(directive, file, 'rank');
  if (rankAttr === undefined) return undefined;
  if (entities.length === 0 && rankAttr == null && (NEEDS_ENTITY.includes(of) || of === 'name')) {
    report(file, 'directive-attribute', `:value of=${of} needs \`entity\` or \`rank\``, directive);
    return undefined;
  }
  const at = choiceAttribute(directive, file, 'at', ['current', 'previous'] as const, 'current');
  if (!at) return undefined;
  const year = at === 'previous' ? result.previous : result.current;
  if (!year) {
    report(file, 'directive-attribute', `framework \`${framework.id}\` has no previous year (set \`years.previous\`)`, directive);
    return undefined;
  }
  const decimals = attrs.decimals != null ? Number(attrs.decimals) : undefined;
  if (decimals != null && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6)) {
    report(file, 'directive-attribute', `\`decimals\` must be a whole number from 0 to 6, not "${attrs.decimals}"`, directive);
    return undefined;
  }
  if (!knownGroupAndTier(directive, file, framework)) return undefined;
  const inGroup = (id: string) =>
    (!attrs.group || framework.entities.find((e) => e.id === id)?.group === attrs.group) && (!attrs.tier || year.tiers[id] === attrs.tier);
  const entity = entities[0] ?? (rankAttr != null ? entityRanked(rankAttr, { directive, file, framework, nodeId, year, inGroup }) : undefined);
  if (entity === null) return undefined;
  const node = nodeId === COMPOSITE ? undefined : findNode(framework, nodeId);
  return { of, directive, file, locale, resolved, framework, nodeId, node, at, year, entity, decimals, absolute: attrs.absolute != null, inGroup };
}

/** Whether `group` and `tier`, when given, name a group and a tier of the framework (reported if not). */
function knownGroupAndTier(directive: Directive, file: VFile, framework: Framework): boolean {
  const attrs = directive.attributes ?? {};
  if (attrs.group && !framework.groups.some((g) => g.id === attrs.group)) {
    report(file, 'indicator-unknown-group', `unknown group \`${attrs.group}\` of framework \`${framework.id}\``, directive, { hint: suggest(attrs.group, framework.groups.map((g) => g.id)) });
    return false;
  }
  if (attrs.tier && !framework.tiers?.levels.some((l) => l.id === attrs.tier)) {
    report(file, 'directive-attribute', `unknown tier \`${attrs.tier}\` of framework \`${framework.id}\``, directive, { hint: suggest(attrs.tier, framework.tiers?.levels.map((l) => l.id) ?? []) });
    return false;
  }
  return true;
}

/** `rank=N` (without `entity`): the entity ranked N-th on the node, within `group` / `tier`; null when none is (reported). */
function entityRanked(rank: number, r: Pick<ValueRequest, 'directive' | 'file' | 'framework' | 'nodeId' | 'year' | 'inGroup'>): string | null {
  const order = orderByRank(r.year.ranks[r.nodeId] ?? {}, r.framework.entities.map((e) => e.id).filter(r.inGroup));
  const entity = order[rank - 1];
  if (entity) return entity;
  report(r.file, 'directive-attribute', `there is no rank ${rank} (${order.length} ranked)`, r.directive);
  return null;
}

/** A number with exactly `d` decimals, grouped except in Chinese. */
function fixed(r: ValueRequest, x: number, d: number): string {
  return r.locale.number(x, { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: !r.locale.cjk });
}

/** Reports a value the data do not have; returns undefined for the caller to return. */
function missing(r: ValueRequest, what: string): undefined {
  const { entity, year } = r;
  const who = entity ? ` for \`${entity}\`` : '';
  report(r.file, 'indicator-missing-value', `no ${what}${who} in ${year.year}${entity && year.dropped.includes(entity) ? ' (it is not ranked that year)' : ''}`, r.directive);
  return undefined;
}

/** The text of a checked `:value`, or undefined when the data lack it (reported). */
function valueText(r: ValueRequest): string | undefined {
  switch (r.of) {
    case 'rank':
    case 'score':
    case 'raw':
    case 'year':
    case 'tier':
    case 'name':
    case 'coverage':
      return entityValue(r);
    case 'change':
    case 'rank-change':
    case 'rank-movement':
      return changeValue(r);
    case 'interval':
    case 'median-rank':
      return uncertaintyValue(r);
    case 'count':
    case 'mean':
    case 'weight':
    case 'comparability':
      return wholeValue(r);
  }
}

/** What one entity has in the year: rank, score, raw value, data year, tier, name, coverage. */
function entityValue(r: ValueRequest): string | undefined {
  const { year, nodeId, node, framework, locale, decimals } = r;
  const entity = r.entity!;
  switch (r.of) {
    case 'rank': {
      const rank = year.ranks[nodeId]?.[entity];
      return rank == null ? missing(r, 'rank') : locale.number(rank);
    }
    case 'score': {
      const s = year.scores[nodeId]?.[entity];
      return s == null ? missing(r, 'score') : fixed(r, s, decimals ?? framework.decimals);
    }
    case 'raw':
      return rawValue(r);
    case 'year':
      if (node && isIndicator(node) && r.entity) return String(year.origin[nodeId]?.[r.entity]?.year ?? year.year);
      return String(year.year);
    case 'tier': {
      const t = year.tiers[entity];
      if (t == null) return missing(r, 'tier');
      const level = framework.tiers?.levels.find((l) => l.id === t);
      return level ? locale.text(level.name) : t;
    }
    case 'name': {
      const e = framework.entities.find((x) => x.id === r.entity)!;
      return locale.text(r.directive.attributes?.short != null && hasText(e.short, locale.lang) ? e.short! : e.name);
    }
    default: {
      const c = year.coverage[entity];
      return c ? locale.percent(c.share, decimals ?? 0) : missing(r, 'coverage');
    }
  }
}

/** The value an indicator used for the entity (after imputation), `format=large` in 万/亿. */
function rawValue(r: ValueRequest): string | undefined {
  const { node, nodeId, year, decimals } = r;
  if (!node || !isIndicator(node)) {
    report(r.file, 'directive-attribute', ':value of=raw needs `indicator`, the id of an indicator (a leaf of the tree)', r.directive);
    return undefined;
  }
  const v = year.raw[nodeId]?.[r.entity!];
  if (v == null) return missing(r, `value of \`${nodeId}\``);
  if (r.directive.attributes?.format === 'large') return r.locale.largeNumber(v, decimals ?? 2);
  return fixed(r, v, decimals ?? 1);
}

/** The change against the previous year: of score (signed), of rank (signed), or of rank in words. */
function changeValue(r: ValueRequest): string | undefined {
  const { result } = r.resolved;
  const { framework, locale, absolute } = r;
  if (r.at === 'previous' || !result.previous) {
    report(r.file, 'directive-attribute', `:value of=${r.of} compares the current year with the previous one; framework \`${framework.id}\` has none or \`at=previous\` was given`, r.directive);
    return undefined;
  }
  const c = result.change[r.nodeId]?.[r.entity!];
  if (!c) return missing(r, 'change');
  if (r.of === 'change') {
    const d = r.decimals ?? framework.decimals;
    return absolute ? fixed(r, Math.abs(c.score), d) : signed(c.score, (x) => fixed(r, x, d));
  }
  if (r.of === 'rank-movement') return rankMovement(c.rank, locale);
  return absolute ? locale.number(Math.abs(c.rank)) : c.rank > 0 ? `+${locale.number(c.rank)}` : c.rank < 0 ? `−${locale.number(-c.rank)}` : locale.number(0);
}

/** The Monte Carlo's rank interval or median rank of the entity (current year only). */
function uncertaintyValue(r: ValueRequest): string | undefined {
  const { locale } = r;
  const u = r.resolved.entry.uncertainty()?.entities[r.entity!];
  if (!u || r.at === 'previous') {
    report(r.file, 'directive-attribute', `:value of=${r.of} needs the uncertainty analysis of the current year: declare \`uncertainty\` in framework \`${r.framework.id}\``, r.directive);
    return undefined;
  }
  if (r.of === 'median-rank') return locale.number(u.median);
  return u.lo === u.hi ? locale.number(u.lo) : `${locale.number(u.lo)}–${locale.number(u.hi)}`;
}

/** What belongs to no one entity: the count and mean of the ranked (in `group` / `tier`), a node's weight, comparability. */
function wholeValue(r: ValueRequest): string | undefined {
  const { year, nodeId, locale, framework, decimals } = r;
  switch (r.of) {
    case 'count':
      return locale.number(year.entities.filter(r.inGroup).length);
    case 'mean': {
      const scores = year.entities.filter(r.inGroup).map((e) => year.scores[nodeId]?.[e]).filter((x): x is number => x != null);
      if (!scores.length) return missing(r, 'scores');
      return fixed(r, scores.reduce((a, b) => a + b, 0) / scores.length, decimals ?? framework.decimals);
    }
    case 'weight':
      if (!r.node) {
        report(r.file, 'directive-attribute', ':value of=weight needs `dimension` or `indicator`', r.directive);
        return undefined;
      }
      return locale.percent(r.node.weight, decimals ?? 0);
    default:
      return comparabilitySentence(framework, locale);
  }
}

/** A rank change in words: 位次上升2位 / 位次下降1位 / 位次不变 (never "变化0位"). */
export function rankMovement(change: number, locale: EditionContext['locale']): string {
  if (change === 0) return locale.t('rankMovementNone');
  const n = Math.abs(change);
  return locale.t(change > 0 ? 'rankMovementUp' : 'rankMovementDown', { n: locale.number(n), places: locale.t(n === 1 ? 'placeOne' : 'placeMany') });
}
