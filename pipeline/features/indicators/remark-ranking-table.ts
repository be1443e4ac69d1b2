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
import type { LeafDirective } from 'mdast-util-directive';
import type { VFile } from 'vfile';
import { dataTable, type CellValue, type DataColumn } from '../../charts/data-table.ts';
import { COMPOSITE, textIn } from '../../indicators/model.ts';
import { entityName, nodeName, rankingRows, seriesUnder, signed, sourceLine, type RankingRow } from '../../indicators/present.ts';
import { walkTree } from '../../indicators/model.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext } from '../../context/types.ts';
import { ANY_KIND, visitDirective, type Directive } from '../../markdown/directive-utils.ts';
import { intAttribute, resolveFramework, resolveNode, type IndicatorDirectiveContext, type Resolved } from './indicator-attributes.ts';
import { marker, placeholder } from './indicator-markers.ts';
import { assumptionsText, indicatorNames, intervalShare, yearsText } from './indicator-words.ts';
import { withinUncertainty, type UncertaintyResult } from '../../indicators/uncertainty.ts';
import type { IndexResult } from '../../indicators/model.ts';
import type { Framework, Node } from '../../indicators/schema.ts';
import type { Locale } from '../../locale/locale.ts';

export interface RankingTableOptions extends IndicatorDirectiveContext {
  context: EditionContext;
}

const COLUMNS = ['rank', 'name', 'group', 'score', 'interval', 'median-rank', 'coverage', 'tier', 'change', 'rank-change', 'parts'] as const;
type Column = (typeof COLUMNS)[number];

export function remarkRankingTable(options: RankingTableOptions) {
  const { locale } = options.context;
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'ranking-table', ANY_KIND, (directive, { replace }) => {
      const table = directive.type === 'leafDirective' ? tableOf(options, directive, file, locale) : undefined;
      if (directive.type !== 'leafDirective') {
        report(file, 'directive-attribute', 'write a ranking table as a leaf directive: ::ranking-table[Caption]{framework=…}', directive);
      }
      replace(table ?? placeholder(directive));
    });
  };
}

/** What one table is made from, settled from the directive's attributes. */
interface RankingSetup {
  resolved: Resolved;
  result: IndexResult;
  framework: Framework;
  nodeId: string;
  top: number | null;
  columns: Column[];
  /** The Monte Carlo of the composite, in composite tables of a framework that declares one. */
  uncertainty: UncertaintyResult | undefined;
  hasChange: boolean;
  locale: Locale;
  lang: string;
}

/** The `:::table` a `::ranking-table` becomes, or undefined when an attribute is wrong (reported). */
function tableOf(options: RankingTableOptions, directive: LeafDirective, file: VFile, locale: Locale): RootContent | undefined {
  const resolved = resolveFramework(options, directive, file);
  if (!resolved) return undefined;
  const nodeId = resolveNode(resolved, directive, file);
  if (!nodeId) return undefined;
  const top = intAttribute(directive, file, 'top');
  if (top === undefined) return undefined;
  const attrs = directive.attributes ?? {};
  const { result } = resolved;
  const { framework } = result;
  if (attrs.group && !framework.groups.some((g) => g.id === attrs.group)) {
    report(file, 'indicator-unknown-group', `unknown group \`${attrs.group}\` of framework \`${framework.id}\``, directive, {
      hint: `Use one of: ${framework.groups.map((g) => g.id).join(', ')}.`,
    });
    return undefined;
  }
  const hasChange = !!result.previous;
  // The Monte Carlo ranks the composite: its intervals belong in composite tables only.
  const uncertainty = nodeId === COMPOSITE ? resolved.entry.uncertainty() : undefined;
  const columns = chosenColumns(directive, file, { framework, nodeId, uncertainty, hasChange });
  if (!columns) return undefined;
  return rankingTable(directive, { resolved, result, framework, nodeId, top, columns, uncertainty, hasChange, locale, lang: locale.lang });
}

/** The columns asked for in `columns`, else the default ones; undefined when one is unknown or impossible (reported). */
function chosenColumns(directive: Directive, file: VFile, setup: Pick<RankingSetup, 'framework' | 'nodeId' | 'uncertainty' | 'hasChange'>): Column[] | undefined {
  const { framework, nodeId, uncertainty, hasChange } = setup;
  const hasTiers = !!framework.tiers && (nodeId === COMPOSITE || framework.tiers.of === nodeId);
  const wanted = directive.attributes?.columns;
  if (!wanted) {
    return [
      'rank',
      'name',
      'score',
      ...(uncertainty ? (['interval'] as const) : []),
      ...(hasTiers ? (['tier'] as const) : []),
      ...(hasChange ? (['change', 'rank-change'] as const) : []),
    ];
  }
  const asked = wanted.split(/[\s,]+/).filter(Boolean);
  const bad = asked.filter((c) => !(COLUMNS as readonly string[]).includes(c));
  if (bad.length) {
    report(file, 'directive-attribute', `unknown column${bad.length > 1 ? 's' : ''} ${bad.map((b) => `\`${b}\``).join(', ')} in \`columns\``, directive, {
      hint: `Columns: ${COLUMNS.join(', ')}.`,
    });
    return undefined;
  }
  const columns = asked as Column[];
  const needsUncertainty = columns.filter((c) => c === 'interval' || c === 'median-rank');
  if (needsUncertainty.length && !uncertainty) {
    report(
      file,
      'directive-attribute',
      `column \`${needsUncertainty[0]}\` needs the uncertainty analysis of the composite: ${nodeId === COMPOSITE ? `framework \`${framework.id}\` declares no \`uncertainty\`` : 'use it in a table of the composite'}`,
      directive,
      { hint: 'Declare `uncertainty:` in framework.yaml (docs/indicators.md), or leave the column out.' },
    );
    return undefined;
  }
  return columns;
}

/** The table's columns, a `parts` column becoming one per child of the node. */
function dataColumnsOf(setup: RankingSetup, children: readonly Node[]): DataColumn[] {
  const { columns, framework, locale, lang } = setup;
  const decimals = framework.decimals;
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
  return dataColumns;
}

/** What the rows hold that the notes under the table must explain. */
interface RowMarks {
  anyImputed: boolean;
  carriedYears: number[];
  anyWithin: boolean;
  anyMixed: boolean;
}

/** The indicators under the node, split by whether the year observed them at all. */
interface LeafCoverage {
  all: Set<string>;
  /** Indicators with no observation of the year: carried forward for everybody, said once in a note. */
  unobserved: string[];
  /** The others: † marks the entities whose values were carried where others' were observed. */
  observed: string[];
}

function leafCoverage(result: IndexResult, nodeId: string): LeafCoverage {
  const all = seriesLeaves(result.framework, nodeId);
  const unobserved = [...all].filter((l) => (result.current.indicatorCoverage[l]?.observed ?? 1) === 0);
  return { all, unobserved, observed: [...all].filter((l) => !unobserved.includes(l)) };
}

/** The cells of every row, and the marks they carry (for the notes). */
function rankingCells(setup: RankingSetup, rows: RankingRow[], children: readonly Node[], leaves: LeafCoverage): { cells: Array<Record<string, CellValue>>; marks: RowMarks } {
  const { result, framework, nodeId, columns, uncertainty, locale, lang } = setup;
  const groupName = new Map(framework.groups.map((g) => [g.id, textIn(g.name, lang)]));
  const imputedUnder = imputedEntities(result, seriesLeaves(framework, nodeId));
  const decimals = framework.decimals;
  const fmt = (x: number) => locale.number(x, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false });
  const marks: RowMarks = { anyImputed: false, carriedYears: [], anyWithin: false, anyMixed: false };
  const changeRule = uncertainty?.settings.changes ?? 'show';
  const cells = rows.map((r) => {
    const imputed = imputedUnder.has(r.entity.id);
    marks.anyImputed ||= imputed && columns.includes('name');
    // Values carried forward from earlier years: marked †, their years listed in the note.
    const carried = [...leaves.observed].map((l) => result.current.origin[l]?.[r.entity.id]).filter((o) => o?.method === 'previous-year');
    if (carried.length && columns.includes('name')) marks.carriedYears.push(...carried.map((o) => o!.year));
    const u = uncertainty?.entities[r.entity.id];
    const previousRank = result.previous?.ranks[nodeId]?.[r.entity.id];
    const within = !!(u && r.change && r.change.rank !== 0 && previousRank != null && withinUncertainty(previousRank, u));
    marks.anyWithin ||= within && changeRule !== 'show' && columns.includes('rank-change');
    const mixed = !!r.change && isMixedChange(result, leaves.all, r.entity.id);
    marks.anyMixed ||= mixed && columns.includes('change');
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
  return { cells, marks };
}

/** A change between a median-imputed value and an entity's own data (either way) is partly an artefact. */
function isMixedChange(result: IndexResult, leaves: ReadonlySet<string>, entity: string): boolean {
  const isMedian = (y: typeof result.current | undefined, leaf: string) => {
    const m = y?.origin[leaf]?.[entity]?.method;
    return m === 'group-median' || m === 'median';
  };
  return [...leaves].some((l) => isMedian(result.current, l) !== isMedian(result.previous, l));
}

/** The notes under the table, in their fixed order. */
function tableNotes(setup: RankingSetup, marks: RowMarks, leaves: LeafCoverage, illustrative: boolean): string[] {
  const { result, framework, columns, uncertainty, hasChange, locale } = setup;
  const changeRule = uncertainty?.settings.changes ?? 'show';
  const unobservedYears = leaves.unobserved.flatMap((l) => Object.values(result.current.origin[l] ?? {}).filter((o) => o.method === 'previous-year').map((o) => o.year));
  const notes: string[] = [];
  if (marks.anyImputed) notes.push(locale.t('indicatorImputedNote'));
  if (marks.carriedYears.length) notes.push(locale.t('indicatorCarriedNote', { years: yearsText(marks.carriedYears, locale) }));
  if (leaves.unobserved.length && unobservedYears.length) {
    notes.push(locale.t('indicatorUnobservedNote', { names: indicatorNames(framework, leaves.unobserved, locale), year: result.current.year, years: yearsText(unobservedYears, locale) }));
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
  if (marks.anyMixed) notes.push(locale.t('indicatorMixedChangeNote', { year: result.previous!.year }));
  if (marks.anyWithin) notes.push(locale.t(changeRule === 'dash' ? 'indicatorChangeDashNote' : 'indicatorChangeFlagNote'));
  if (hasChange && (columns.includes('change') || columns.includes('rank-change'))) notes.push(locale.t('indicatorChangeNote', { year: result.previous!.year }));
  if (illustrative) notes.push(locale.t('indicatorIllustrativeNote'));
  return notes;
}

/** The numbered `:::table`: caption, the rendered table, its notes and the directive kept as a marker. */
function rankingTable(directive: LeafDirective, setup: RankingSetup): RootContent {
  const { resolved, result, framework, nodeId, top, locale, lang } = setup;
  const attrs = directive.attributes ?? {};
  const rows = rankingRows(result, { node: nodeId, top: top ?? undefined, group: attrs.group ?? undefined, lang });
  const children = nodeId === COMPOSITE ? framework.dimensions : (walkTree(framework).find((e) => e.node.id === nodeId)?.node.children ?? []);
  const dataColumns = dataColumnsOf(setup, children);
  const leaves = leafCoverage(result, nodeId);
  const { cells, marks } = rankingCells(setup, rows, children, leaves);
  const source = sourceLine(framework, resolved.entry.loaded.dataset, nodeId, lang, [locale.t('indicatorComputed')], locale.t('sourceSeparator'));
  const notes = tableNotes(setup, marks, leaves, source.illustrative);
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
  return {
    type: 'containerDirective',
    name: 'table',
    attributes: { ...(attrs.id ? { id: attrs.id } : {}), source: source.text },
    children: container,
    position: directive.position,
    data: {},
  } as RootContent;
}

/** Ids of the indicators under a node. */
function seriesLeaves(framework: Framework, nodeId: string): Set<string> {
  const under = new Set(seriesUnder(framework, nodeId));
  return new Set(
    walkTree(framework)
      .filter((e) => !e.node.children && under.has(e.node.series ?? e.node.id))
      .map((e) => e.node.id),
  );
}

/** Entities with a value imputed by a median (not a fallback year) in any of `leaves`, in the current year. */
export function imputedEntities(result: IndexResult, leaves: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const leaf of leaves) {
    for (const [entity, origin] of Object.entries(result.current.origin[leaf] ?? {})) {
      if (origin.method === 'group-median' || origin.method === 'median') out.add(entity);
    }
  }
  return out;
}
