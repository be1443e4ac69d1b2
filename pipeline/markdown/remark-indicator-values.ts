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
import { COMPOSITE, hasText, isIndicator } from '../indicators/model.ts';
import { findNode, signed } from '../indicators/present.ts';
import { orderByRank } from '../indicators/rank.ts';
import { report } from '../report/diagnostics.ts';
import type { EditionContext } from '../context/types.ts';
import { visitDirective, type Directive } from './directive-utils.ts';
import { comparabilitySentence } from './indicator-words.ts';
import { choiceAttribute, intAttribute, resolveEntities, resolveFramework, resolveNode, suggest, type IndicatorDirectiveContext } from './indicator-attributes.ts';

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
      const text = valueText(options, directive, file);
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

  function valueText(ctx: IndicatorDirectiveContext, directive: Directive, file: VFile): string | undefined {
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
    const node = nodeId === COMPOSITE ? undefined : findNode(framework, nodeId);
    const decimalsAttr = attrs.decimals != null ? Number(attrs.decimals) : undefined;
    if (decimalsAttr != null && !(Number.isInteger(decimalsAttr) && decimalsAttr >= 0 && decimalsAttr <= 6)) {
      report(file, 'directive-attribute', `\`decimals\` must be a whole number from 0 to 6, not "${attrs.decimals}"`, directive);
      return undefined;
    }
    const fixed = (x: number, d: number) => locale.number(x, { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: !locale.cjk });
    const absolute = attrs.absolute != null;
    const missing = (what: string) => {
      const who = entity ? ` for \`${entity}\`` : '';
      report(file, 'indicator-missing-value', `no ${what}${who} in ${year.year}${entity && year.dropped.includes(entity) ? ' (it is not ranked that year)' : ''}`, directive);
      return undefined;
    };
    // `group` and `tier` narrow of=count, of=mean and of=name rank=N.
    const inGroup = (id: string) =>
      (!attrs.group || framework.entities.find((e) => e.id === id)?.group === attrs.group) && (!attrs.tier || year.tiers[id] === attrs.tier);
    if (attrs.group && !framework.groups.some((g) => g.id === attrs.group)) {
      report(file, 'indicator-unknown-group', `unknown group \`${attrs.group}\` of framework \`${framework.id}\``, directive, { hint: suggest(attrs.group, framework.groups.map((g) => g.id)) });
      return undefined;
    }
    if (attrs.tier && !framework.tiers?.levels.some((l) => l.id === attrs.tier)) {
      report(file, 'directive-attribute', `unknown tier \`${attrs.tier}\` of framework \`${framework.id}\``, directive, { hint: suggest(attrs.tier, framework.tiers?.levels.map((l) => l.id) ?? []) });
      return undefined;
    }

    // `rank=N` (without `entity`) names the entity ranked N-th on the node, within `group` / `tier`.
    let entity = entities[0];
    if (entity == null && rankAttr != null) {
      const order = orderByRank(year.ranks[nodeId] ?? {}, framework.entities.map((e) => e.id).filter(inGroup));
      entity = order[rankAttr - 1];
      if (!entity) {
        report(file, 'directive-attribute', `there is no rank ${rankAttr} (${order.length} ranked)`, directive);
        return undefined;
      }
    }

    switch (of) {
      case 'rank': {
        const r = year.ranks[nodeId]?.[entity!];
        return r == null ? missing('rank') : locale.number(r);
      }
      case 'score': {
        const s = year.scores[nodeId]?.[entity!];
        return s == null ? missing('score') : fixed(s, decimalsAttr ?? framework.decimals);
      }
      case 'raw': {
        if (!node || !isIndicator(node)) {
          report(file, 'directive-attribute', ':value of=raw needs `indicator`, the id of an indicator (a leaf of the tree)', directive);
          return undefined;
        }
        const v = year.raw[nodeId]?.[entity!];
        if (v == null) return missing(`value of \`${nodeId}\``);
        if (attrs.format === 'large') return locale.largeNumber(v, decimalsAttr ?? 2);
        return fixed(v, decimalsAttr ?? 1);
      }
      case 'year': {
        if (node && isIndicator(node) && entity) return String(year.origin[nodeId]?.[entity]?.year ?? year.year);
        return String(year.year);
      }
      case 'tier': {
        const t = year.tiers[entity!];
        if (t == null) return missing('tier');
        const level = framework.tiers?.levels.find((l) => l.id === t);
        return level ? locale.text(level.name) : t;
      }
      case 'change':
      case 'rank-change':
      case 'rank-movement': {
        if (at === 'previous' || !result.previous) {
          report(file, 'directive-attribute', `:value of=${of} compares the current year with the previous one; framework \`${framework.id}\` has none or \`at=previous\` was given`, directive);
          return undefined;
        }
        const c = result.change[nodeId]?.[entity!];
        if (!c) return missing('change');
        if (of === 'change') {
          const d = decimalsAttr ?? framework.decimals;
          return absolute ? fixed(Math.abs(c.score), d) : signed(c.score, (x) => fixed(x, d));
        }
        if (of === 'rank-movement') return rankMovement(c.rank, locale);
        return absolute ? locale.number(Math.abs(c.rank)) : c.rank > 0 ? `+${locale.number(c.rank)}` : c.rank < 0 ? `−${locale.number(-c.rank)}` : locale.number(0);
      }
      case 'name': {
        const e = framework.entities.find((x) => x.id === entity)!;
        return locale.text(attrs.short != null && hasText(e.short, locale.lang) ? e.short! : e.name);
      }
      case 'count':
        return locale.number(year.entities.filter(inGroup).length);
      case 'mean': {
        const scores = year.entities.filter(inGroup).map((e) => year.scores[nodeId]?.[e]).filter((x): x is number => x != null);
        if (!scores.length) return missing('scores');
        return fixed(scores.reduce((a, b) => a + b, 0) / scores.length, decimalsAttr ?? framework.decimals);
      }
      case 'interval':
      case 'median-rank': {
        const u = resolved.entry.uncertainty()?.entities[entity!];
        if (!u || at === 'previous') {
          report(file, 'directive-attribute', `:value of=${of} needs the uncertainty analysis of the current year: declare \`uncertainty\` in framework \`${framework.id}\``, directive);
          return undefined;
        }
        if (of === 'median-rank') return locale.number(u.median);
        return u.lo === u.hi ? locale.number(u.lo) : `${locale.number(u.lo)}–${locale.number(u.hi)}`;
      }
      case 'coverage': {
        const c = year.coverage[entity!];
        return c ? locale.percent(c.share, decimalsAttr ?? 0) : missing('coverage');
      }
      case 'comparability':
        return comparabilitySentence(framework, locale);
      case 'weight': {
        if (!node) {
          report(file, 'directive-attribute', ':value of=weight needs `dimension` or `indicator`', directive);
          return undefined;
        }
        return locale.percent(node.weight, decimalsAttr ?? 0);
      }
    }
  }
}

/** A rank change in words: 位次上升2位 / 位次下降1位 / 位次不变 (never "变化0位"). */
export function rankMovement(change: number, locale: EditionContext['locale']): string {
  if (change === 0) return locale.t('rankMovementNone');
  const n = Math.abs(change);
  return locale.t(change > 0 ? 'rankMovementUp' : 'rankMovementDown', { n: locale.number(n), places: locale.t(n === 1 ? 'placeOne' : 'placeMany') });
}
