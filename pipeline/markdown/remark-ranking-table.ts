/**
 * `::ranking-table[caption]{#id framework=widi year=2026 dimension=composite top=10}`: a ranking from the
 * computed index — rank, name, score, tier, change of score and rank — as a numbered table (表8-1) with
 * its source line (数据来源：…) from the data's metadata and notes for imputed values, illustrative data
 * and the comparison year.
 *
 * Runs in the `expand` phase: the directive becomes a `:::table` (so it is numbered with the chapter's
 * other tables, and converted in derived editions), holding the rendered table and, as a marker, the
 * original directive (so the edition check still sees which framework the chapter uses; the marker is
 * removed by `remarkIndicatorMarkers` before HTML).
 *
 * Attributes: framework, year (edition), dimension (default composite), top, group, columns (a list of
 * rank, name, group, score, interval, median-rank, coverage, tier, change, rank-change, parts; default
 * rank,name,score,tier,change,rank-change, with interval after score in composite tables of a framework
 * that declares `uncertainty`). Names are marked * (a value imputed by a median) and † (a value carried
 * forward, its years in the note); rank changes within the uncertainty print as — or in brackets
 * (`uncertainty.changes`).
 */
import type { Paragraph, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import { dataTable, type CellValue, type DataColumn } from '../charts/data-table.ts';
import { COMPOSITE, textIn } from '../indicators/model.ts';
import { entityName, nodeName, rankingRows, seriesUnder, signed, sourceLine } from '../indicators/present.ts';
import { walkTree } from '../indicators/model.ts';
import { report } from '../report/diagnostics.ts';
import type { EditionContext } from '../context/types.ts';
import { ANY_KIND, visitDirective } from './directive-utils.ts';
import { intAttribute, resolveFramework, resolveNode, type IndicatorDirectiveContext } from './indicator-attributes.ts';
import { marker, placeholder } from './indicator-markers.ts';
import { assumptionsText, indicatorNames, intervalShare, yearsText } from './indicator-words.ts';
import { withinUncertainty } from '../indicators/uncertainty.ts';

export interface RankingTableOptions extends IndicatorDirectiveContext {
  context: EditionContext;
}

const COLUMNS = ['rank', 'name', 'group', 'score', 'interval', 'median-rank', 'coverage', 'tier', 'change', 'rank-change', 'parts'] as const;
type Column = (typeof COLUMNS)[number];

export function remarkRankingTable(options: RankingTableOptions) {
  const { context } = options;
  const { locale } = context;
  const lang = locale.lang;
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'ranking-table', ANY_KIND, (directive, { replace }) => {
      const fail = () => {
        replace(placeholder(directive));
      };
      if (directive.type !== 'leafDirective') {
        report(file, 'directive-attribute', 'write a ranking table as a leaf directive: ::ranking-table[Caption]{framework=…}', directive);
        return fail();
      }
      const resolved = resolveFramework(options, directive, file);
      if (!resolved) return fail();
      const nodeId = resolveNode(resolved, directive, file);
      if (!nodeId) return fail();
      const top = intAttribute(directive, file, 'top');
      if (top === undefined) return fail();
      const attrs = directive.attributes ?? {};
      const { result } = resolved;
      const { framework } = result;
      if (attrs.group && !framework.groups.some((g) => g.id === attrs.group)) {
        report(file, 'indicator-unknown-group', `unknown group \`${attrs.group}\` of framework \`${framework.id}\``, directive, {
          hint: `Use one of: ${framework.groups.map((g) => g.id).join(', ')}.`,
        });
        return fail();
      }
      const hasTiers = !!framework.tiers && (nodeId === COMPOSITE || framework.tiers.of === nodeId);
      const hasChange = !!result.previous;
      // The Monte Carlo ranks the composite: its intervals belong in composite tables only.
      const uncertainty = nodeId === COMPOSITE ? resolved.entry.uncertainty() : undefined;
      let columns: Column[] = [
        'rank',
        'name',
        'score',
        ...(uncertainty ? (['interval'] as const) : []),
        ...(hasTiers ? (['tier'] as const) : []),
        ...(hasChange ? (['change', 'rank-change'] as const) : []),
      ];
      if (attrs.columns) {
        const asked = attrs.columns.split(/[\s,]+/).filter(Boolean);
        const bad = asked.filter((c) => !(COLUMNS as readonly string[]).includes(c));
        if (bad.length) {
          report(file, 'directive-attribute', `unknown column${bad.length > 1 ? 's' : ''} ${bad.map((b) => `\`${b}\``).join(', ')} in \`columns\``, directive, {
            hint: `Columns: ${COLUMNS.join(', ')}.`,
          });
          return fail();
        }
        columns = asked as Column[];
        const needsUncertainty = columns.filter((c) => c === 'interval' || c === 'median-rank');
        if (needsUncertainty.length && !uncertainty) {
          report(
            file,
            'directive-attribute',
            `column \`${needsUncertainty[0]}\` needs the uncertainty analysis of the composite: ${nodeId === COMPOSITE ? `framework \`${framework.id}\` declares no \`uncertainty\`` : 'use it in a table of the composite'}`,
            directive,
            { hint: 'Declare `uncertainty:` in framework.yaml (docs/indicators.md), or leave the column out.' },
          );
          return fail();
        }
      }

      const rows = rankingRows(result, { node: nodeId, top: top ?? undefined, group: attrs.group ?? undefined, lang });
      const children = nodeId === COMPOSITE ? framework.dimensions : (walkTree(framework).find((e) => e.node.id === nodeId)?.node.children ?? []);
      const groupName = new Map(framework.groups.map((g) => [g.id, textIn(g.name, lang)]));
      const imputedUnder = imputedEntities(result, seriesLeaves(framework, nodeId));
      const decimals = framework.decimals;
      const fmt = (x: number) => locale.number(x, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false });

      const dataColumns: DataColumn[] = [];
      for (const c of columns) {
        if (c === 'rank') dataColumns.push({ key: 'rank', label: locale.t('indicatorRank'), align: 'center' });
        if (c === 'name') dataColumns.push({ key: 'name', label: textIn(framework.entityLabel, lang) || locale.t('indicatorEntity') });
        if (c === 'group') dataColumns.push({ key: 'group', label: locale.t('indicatorGroup') });
        if (c === 'score') dataColumns.push({ key: 'score', label: locale.t('indicatorScore'), decimals });
        if (c === 'interval') dataColumns.push({ key: 'interval', label: locale.t('indicatorInterval'), align: 'center' });
        if (c === 'median-rank') dataColumns.push({ key: 'medianRank', label: locale.t('indicatorMedianRank'), align: 'center' });
        if (c === 'coverage') dataColumns.push({ key: 'coverage', label: locale.t('indicatorCoverage'), align: 'right' });
        if (c === 'tier') dataColumns.push({ key: 'tier', label: locale.t('indicatorTier'), align: 'center' });
        if (c === 'change') dataColumns.push({ key: 'change', label: locale.t('indicatorChange'), align: 'right' });
        if (c === 'rank-change') dataColumns.push({ key: 'rankChange', label: locale.t('indicatorRankChange'), align: 'right' });
        if (c === 'parts') for (const child of children) dataColumns.push({ key: `part:${child.id}`, label: textIn(child.name, lang), decimals });
      }
      let anyImputed = false;
      const carriedYears: number[] = [];
      // An indicator with no observation of the year at all is carried forward for everybody: said once in a
      // note; † marks the entities whose values were carried where others' were observed.
      const leavesAll = seriesLeaves(framework, nodeId);
      const unobserved = [...leavesAll].filter((l) => (result.current.indicatorCoverage[l]?.observed ?? 1) === 0);
      const leavesUnder = [...leavesAll].filter((l) => !unobserved.includes(l));
      const unobservedYears = unobserved.flatMap((l) => Object.values(result.current.origin[l] ?? {}).filter((o) => o.method === 'previous-year').map((o) => o.year));
      const changeRule = uncertainty?.settings.changes ?? 'show';
      let anyWithin = false;
      let anyMixed = false;
      const cells = rows.map((r) => {
        const imputed = imputedUnder.has(r.entity.id);
        anyImputed ||= imputed && columns.includes('name');
        // Values carried forward from earlier years: marked †, their years listed in the note.
        const carried = [...leavesUnder].map((l) => result.current.origin[l]?.[r.entity.id]).filter((o) => o?.method === 'previous-year');
        if (carried.length && columns.includes('name')) carriedYears.push(...carried.map((o) => o!.year));
        const u = uncertainty?.entities[r.entity.id];
        const previousRank = result.previous?.ranks[nodeId]?.[r.entity.id];
        const within = !!(u && r.change && r.change.rank !== 0 && previousRank != null && withinUncertainty(previousRank, u));
        anyWithin ||= within && changeRule !== 'show' && columns.includes('rank-change');
        // A change between a median-imputed value and an entity's own data (either way) is partly an artefact.
        const isMedian = (y: typeof result.current | undefined, leaf: string) => {
          const m = y?.origin[leaf]?.[r.entity.id]?.method;
          return m === 'group-median' || m === 'median';
        };
        const mixed = !!r.change && [...leavesAll].some((l) => isMedian(result.current, l) !== isMedian(result.previous, l));
        anyMixed ||= mixed && columns.includes('change');
        const arrow = r.change ? (r.change.rank > 0 ? `↑${r.change.rank}` : r.change.rank < 0 ? `↓${-r.change.rank}` : '—') : '';
        const row: Record<string, CellValue> = {
          rank: r.rank,
          name: entityName(r.entity, lang) + (imputed ? '*' : '') + (carried.length && columns.includes('name') ? '†' : ''),
          group: groupName.get(r.entity.group) ?? r.entity.group,
          score: r.score,
          interval: u ? (u.lo === u.hi ? locale.number(u.lo) : `${locale.number(u.lo)}–${locale.number(u.hi)}`) : '',
          medianRank: u ? locale.number(u.median) : '',
          coverage: locale.percent(result.current.coverage[r.entity.id]?.share ?? 0, 0),
          tier: r.tier?.name ?? '',
          change: r.change ? signed(r.change.score, fmt) + (mixed ? '‡' : '') : '',
          rankChange: within && changeRule === 'dash' ? '—' : within && changeRule === 'flag' ? `(${arrow})` : arrow,
        };
        for (const child of children) row[`part:${child.id}`] = r.parts[child.id];
        return row;
      });

      const source = sourceLine(framework, resolved.entry.loaded.dataset, nodeId, lang, [locale.t('indicatorComputed')]);
      const notes: string[] = [];
      if (anyImputed) notes.push(locale.t('indicatorImputedNote'));
      if (carriedYears.length) notes.push(locale.t('indicatorCarriedNote', { years: yearsText(carriedYears, locale) }));
      if (unobserved.length && unobservedYears.length) {
        notes.push(locale.t('indicatorUnobservedNote', { names: indicatorNames(framework, unobserved, locale), year: result.current.year, years: yearsText(unobservedYears, locale) }));
      }
      if (columns.includes('coverage')) notes.push(locale.t('indicatorCoverageNote'));
      if (uncertainty && (columns.includes('interval') || columns.includes('median-rank'))) {
        notes.push(
          locale.t('indicatorIntervalNote', {
            draws: locale.number(uncertainty.settings.draws, { useGrouping: !locale.cjk }),
            p: intervalShare(uncertainty, locale),
            assumptions: assumptionsText(framework, uncertainty, locale),
            seed: uncertainty.settings.seed,
          }),
        );
      }
      if (anyMixed) notes.push(locale.t('indicatorMixedChangeNote', { year: result.previous!.year }));
      if (anyWithin) notes.push(locale.t(changeRule === 'dash' ? 'indicatorChangeDashNote' : 'indicatorChangeFlagNote'));
      if (hasChange && (columns.includes('change') || columns.includes('rank-change'))) notes.push(locale.t('indicatorChangeNote', { year: result.previous!.year }));
      if (source.illustrative) notes.push(locale.t('indicatorIllustrativeNote'));

      const caption: RootContent[] = directive.children.length
        ? (directive.children as RootContent[])
        : [{ type: 'text', value: locale.t('indicatorRankingCaption', { name: nodeName(framework, nodeId, lang) }) + (top ? locale.t('indicatorTop', { n: top }) : '') }];
      const hast = dataTable({ columns: dataColumns, rows: cells, locale, className: ['ranking-table'] });
      // The licences of the data go with the table, for its CSV in the site (pipeline/site/data-files.ts).
      if (source.licences.length) hast.properties.dataLicence = source.licences.join('; ');
      const container: RootContent[] = [
        { type: 'paragraph', children: caption, data: { directiveLabel: true } } as Paragraph,
        { type: 'table', align: [], children: [], data: { hName: 'table', hProperties: hast.properties, hChildren: hast.children } },
        ...notes.map((n) => ({ type: 'paragraph', children: [{ type: 'text', value: locale.t('note') + n }], data: { hProperties: { className: ['note'] } } }) as Paragraph),
        marker(directive),
      ];
      for (const child of container) (child as { position?: unknown }).position = directive.position;
      replace({
        type: 'containerDirective',
        name: 'table',
        attributes: { ...(attrs.id ? { id: attrs.id } : {}), source: source.text },
        children: container,
        position: directive.position,
        data: {},
      });
    });
  };
}

/** Ids of the indicators under a node. */
function seriesLeaves(framework: import('../indicators/schema.ts').Framework, nodeId: string): Set<string> {
  const under = new Set(seriesUnder(framework, nodeId));
  return new Set(
    walkTree(framework)
      .filter((e) => !e.node.children && under.has(e.node.series ?? e.node.id))
      .map((e) => e.node.id),
  );
}

/** Entities with a value imputed by a median (not a fallback year) in any of `leaves`, in the current year. */
export function imputedEntities(result: import('../indicators/model.ts').IndexResult, leaves: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const leaf of leaves) {
    for (const [entity, origin] of Object.entries(result.current.origin[leaf] ?? {})) {
      if (origin.method === 'group-median' || origin.method === 'median') out.add(entity);
    }
  }
  return out;
}
