/**
 * `::methodology[caption]{#id framework=widi year=2026}` — the methodology appendix, generated from
 * framework.yaml in the edition's language: an introduction, the indicator tree as a numbered table
 * (weight in the parent, overall weight, unit, direction, transform; the sources in its source line), then the formula of each
 * step actually used (normalisation, aggregation, missing values, ranking, tiers, change) and the
 * framework's and series' notes. Nothing in it is typed by hand, so it cannot drift from the computation.
 *
 * Runs in the `expand` phase: the table becomes a `:::table` (numbered with the chapter's tables).
 */
import type { Paragraph, Root, RootContent } from 'mdast';
import type { LeafDirective, TextDirective } from 'mdast-util-directive';
import type { VFile } from 'vfile';
import { dataTable, type CellValue } from '../../charts/data-table.ts';
import { COMPOSITE, indicators, isIndicator, seriesOf, textIn, walkTree, type Dataset, type IndexResult } from '../../indicators/model.ts';
import { seriesUnder, sourceLine } from '../../indicators/present.ts';
import type { Framework, Node } from '../../indicators/schema.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext } from '../../context/types.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';
import { resolveFramework, type IndicatorDirectiveContext } from './indicator-attributes.ts';
import { placeholder } from './indicator-markers.ts';
import { phrasingWithMath } from '../../markdown/inline-math-text.ts';
import { assumptionsText, comparabilitySentence, indicatorNames, intervalShare } from './indicator-words.ts';
import type { FrameworkEntry } from '../../indicators/store.ts';
import type { CoherenceReport } from '../../indicators/coherence.ts';
import type { UncertaintyResult } from '../../indicators/uncertainty.ts';
import type { Locale } from '../../locale/locale.ts';

export interface MethodologyOptions extends IndicatorDirectiveContext {
  context: EditionContext;
}

/** The edition's locale and its framework-text picker, which every part of the appendix writes with. */
interface Words {
  locale: Locale;
  lang: string;
  /** A framework text (a string or a per-language map) in the edition's language. */
  tx: (t: Parameters<typeof textIn>[0]) => string;
}

/** A plain paragraph at the directive's position, with an optional class. */
type ParagraphOf = (text: string, className?: string) => Paragraph;

type Column = { key: string; label: string; align?: 'left' | 'right' | 'center' };

export function remarkMethodology(options: MethodologyOptions) {
  const { locale } = options.context;
  const lang = locale.lang;
  const words: Words = { locale, lang, tx: (t) => textIn(t, lang) };
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'methodology', ANY_KIND, (directive, { index, replace }) => {
      if (directive.type !== 'leafDirective') {
        report(file, 'directive-attribute', 'write the methodology as a leaf directive: ::methodology{framework=…}', directive);
        replace(placeholder(directive));
        return;
      }
      const resolved = resolveFramework(options, directive, file);
      if (!resolved) {
        replace(placeholder(directive));
        return;
      }
      const blocks = methodologyBlocks(resolved.entry, resolved.result, directive, words);
      replace(...blocks);
      return index + blocks.length;
    });
  };
}

/** The appendix a `::methodology` becomes: introduction, indicator table, steps, notes and the audit. */
function methodologyBlocks(entry: FrameworkEntry, result: IndexResult, directive: LeafDirective, words: Words): RootContent[] {
  const { locale, tx } = words;
  const { framework } = result;
  const paragraph: ParagraphOf = (text, className) => ({
    type: 'paragraph',
    children: [{ type: 'text', value: text }],
    position: directive.position,
    ...(className ? { data: { hProperties: { className: [className] } } } : {}),
  });
  const intro = locale.t('indicatorMethodIntro', {
    title: tx(framework.title),
    edition: framework.edition,
    year: result.current.year,
    n: result.current.entities.length,
    dims: framework.dimensions.length,
    leaves: indicators(framework).length,
  });
  const table = indicatorTable(framework, entry.loaded.dataset, directive, paragraph, words);
  // The steps state their formulas as `$…$` (locale strings): set with KaTeX like the author's math.
  const steps = methodSteps(framework, words).map((t): Paragraph => ({ ...paragraph(t), children: phrasingWithMath(t, directive.position) }));
  const notes = framework.notes ? [paragraph(tx(framework.notes))] : [];
  const audit = auditBlocks(entry, directive.attributes?.id ?? undefined, paragraph, words);
  return [paragraph(intro), table, ...steps, ...notes, ...audit];
}

/** The numbered `:::table` of the indicator tree, with the directive's caption, source line and notes. */
function indicatorTable(framework: Framework, data: Dataset, directive: LeafDirective, paragraph: ParagraphOf, words: Words): RootContent {
  const { locale, tx } = words;
  const columns = [
    { key: 'node', label: locale.t('indicatorMethodNode') },
    { key: 'weight', label: locale.t('indicatorWeight'), align: 'right' as const },
    { key: 'overall', label: locale.t('indicatorGlobalWeight'), align: 'right' as const },
    { key: 'unit', label: locale.t('indicatorUnit') },
    { key: 'direction', label: locale.t('indicatorDirection') },
    { key: 'transform', label: locale.t('indicatorTransform') },
  ];
  const hast = dataTable({ columns, rows: treeRows(framework, data, words), locale, rowHeaders: true, className: ['methodology-table'] });
  const source = sourceLine(framework, data, COMPOSITE, words.lang, [], locale.t('sourceSeparator'));
  const seriesNotes = seriesUnder(framework, COMPOSITE)
    .map((id) => data.get(id))
    .filter((s) => s?.note)
    .map((s) => paragraph(locale.t('note') + tx(s!.note), 'note'));
  const caption: RootContent[] = directive.children.length ? (directive.children as RootContent[]) : [{ type: 'text', value: locale.t('indicatorMethodTable') }];
  return {
    type: 'containerDirective',
    name: 'table',
    attributes: { ...(directive.attributes?.id ? { id: directive.attributes.id } : {}), source: source.text },
    position: directive.position,
    data: {},
    children: [
      { type: 'paragraph', children: caption, data: { directiveLabel: true }, position: directive.position },
      { type: 'table', align: [], children: [], position: directive.position, data: { hName: 'table', hProperties: hast.properties, hChildren: hast.children } },
      ...seriesNotes,
      ...(source.illustrative ? [paragraph(locale.t('note') + locale.t('indicatorIllustrativeNote'), 'note')] : []),
    ],
  } as RootContent;
}

/** Percentages with a decimal only where a whole percent would round. */
const percentOf = (locale: Locale) => (x: number) => locale.percent(x, x * 100 === Math.round(x * 100) ? 0 : 1);
/** Up to four decimals, no grouping (the numbers in transforms and bounds). */
const plainNumber = (locale: Locale) => (x: number) => locale.number(x, { maximumFractionDigits: 4, useGrouping: false });

/** The tree's rows, numbered 1, 1.1, 1.1.1 …, with weights in the parent and overall. */
function treeRows(framework: Framework, data: Dataset, words: Words): Array<Record<string, CellValue>> {
  const { locale, tx } = words;
  const pct = percentOf(locale);
  const rows: Array<Record<string, CellValue>> = [];
  const visitNodes = (nodes: Node[], prefix: string, overall: number) => {
    const total = nodes.reduce((a, n) => a + n.weight, 0) || 1;
    nodes.forEach((n, i) => {
      const code = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      const share = n.weight / total;
      const leaf = isIndicator(n);
      rows.push({
        node: `${code} ${tx(n.name)}`,
        weight: pct(share),
        overall: pct(share * overall),
        unit: leaf ? unitOf(n, data, words) : '',
        direction: leaf ? locale.t(n.direction === 'lower' ? 'indicatorLower' : 'indicatorHigher') : '',
        transform: leaf ? transformText(n, data, words) : '',
      });
      if (n.children) visitNodes(n.children, code, share * overall);
    });
  };
  visitNodes(framework.dimensions, '', 1);
  return rows;
}

/** An indicator's unit: `%` for a per-hundred ratio, else its series' unit. */
function unitOf(n: Node, data: Dataset, words: Words): string {
  const perCapita = (n.transform ?? []).find((t) => t.method === 'per-capita');
  if (perCapita && perCapita.method === 'per-capita' && perCapita.multiplier === 100) return '%';
  const s = data.get(seriesOf(n));
  return s ? words.tx(s.unit) : '';
}

/** An indicator's transforms and fixed bounds in words, `—` when it has none. */
function transformText(n: Node, data: Dataset, words: Words): string {
  const { locale, tx } = words;
  const num = plainNumber(locale);
  const parts: string[] = [];
  for (const step of n.transform ?? []) {
    if (step.method === 'log') parts.push(locale.t('indicatorTransformLog'));
    if (step.method === 'per-capita') parts.push(locale.t('indicatorTransformPerCapita', { name: tx(data.get(step.denominator)?.name ?? step.denominator), multiplier: num(step.multiplier) }));
    if (step.method === 'cap') {
      if (step.percentile != null) parts.push(locale.t('indicatorTransformCap', { p: num(step.percentile) }));
      if (step.min != null || step.max != null) parts.push(locale.t('indicatorTransformBounds', { min: step.min != null ? num(step.min) : '−∞', max: step.max != null ? num(step.max) : '∞' }));
    }
  }
  const norm = n.normalise;
  if (norm?.method === 'minmax' && (norm.min != null || norm.max != null)) {
    parts.push(locale.t('indicatorFixedBounds', { min: norm.min != null ? num(norm.min) : 'min', max: norm.max != null ? num(norm.max) : 'max' }));
  }
  return parts.join(locale.t('clauseSeparator')) || '—';
}

/** A numbered `:::table` of plain cells, with its caption and source line. */
function tableBlock(id: string | undefined, caption: string, columns: Column[], rows: Array<Record<string, CellValue>>, source: string, position: Paragraph['position'], locale: Locale): RootContent {
  const hast = dataTable({ columns, rows, locale, rowHeaders: true, className: ['methodology-table'] });
  return {
    type: 'containerDirective',
    name: 'table',
    attributes: { ...(id ? { id } : {}), source },
    position,
    data: {},
    children: [
      { type: 'paragraph', children: [{ type: 'text', value: caption }], data: { directiveLabel: true }, position },
      { type: 'table', align: [], children: [], position, data: { hName: 'table', hProperties: hast.properties, hChildren: hast.children } },
    ],
  };
}

/** What the audit's parts share: the words, the paragraph maker, the position and the table id. */
interface AuditContext extends Words {
  paragraph: ParagraphOf;
  position: Paragraph['position'];
  /** The directive's id, from which the generated tables' ids derive. */
  id: string | undefined;
  /** Sentences run on without a space in Chinese, with one in English. */
  gap: string;
  /** A sentence pointing at a generated table: `{table}` becomes :ref[id] (or "the table below" without an id). */
  pointing: (text: string, tableId: string | undefined) => Paragraph;
}

/**
 * The audit in the appendix: coverage of the year, comparability, the coherence table (α, first
 * component, nominal and effective weights per dimension), the outlier screening, and the Monte Carlo's
 * result with the sensitivity table. Table ids derive from the directive's (`tab-x-method-coherence`).
 */
function auditBlocks(entry: FrameworkEntry, id: string | undefined, paragraph: ParagraphOf, words: Words): RootContent[] {
  const result = entry.result!;
  const { framework } = result;
  const { locale } = words;
  const position = paragraph('').position;
  const pointing = (text: string, tableId: string | undefined): Paragraph => {
    const [before, after = ''] = text.split('{table}');
    if (!tableId) return paragraph(`${before}${locale.t('indicatorTableBelow')}${after}`);
    const ref: TextDirective = { type: 'textDirective', name: 'ref', attributes: {}, children: [{ type: 'text', value: tableId }], position };
    return { type: 'paragraph', children: [{ type: 'text', value: before! }, ref, { type: 'text', value: after }], position };
  };
  const audit: AuditContext = { ...words, paragraph, position, id, gap: locale.cjk ? '' : ' ', pointing };
  const out: RootContent[] = [coverageParagraph(result, audit)];
  out.push(paragraph(locale.t('indicatorComparableLabel') + comparabilitySentence(framework, locale)));
  const coherence = entry.coherence();
  if (coherence && coherence.n > 2) out.push(...coherenceBlocks(framework, coherence, audit));
  const u = entry.uncertainty();
  if (u) out.push(...uncertaintyBlocks(framework, u, audit));
  return out;
}

/** Coverage of the year, counted over every indicator value of the ranked entities. */
function coverageParagraph(result: IndexResult, audit: AuditContext): Paragraph {
  const { framework, current } = result;
  const { locale } = audit;
  const totals = { observed: 0, carried: 0, imputed: 0 };
  for (const e of current.entities) {
    const c = current.coverage[e]!;
    totals.observed += c.observed;
    totals.carried += c.carried;
    totals.imputed += c.imputed;
  }
  const empty = Object.entries(current.indicatorCoverage)
    .filter(([, c]) => c.observed === 0)
    .map(([leaf]) => leaf);
  return audit.paragraph(
    (framework.coverage.min > 0 ? locale.t('indicatorMethodCoverage', { p: locale.percent(framework.coverage.min, 0) }) : locale.t('indicatorMethodCoverageNone')) +
      audit.gap +
      locale.t('indicatorMethodCoverageResult', {
        n: locale.number(totals.observed + totals.carried + totals.imputed),
        observed: locale.number(totals.observed),
        carried: locale.number(totals.carried),
        imputed: locale.number(totals.imputed),
        empty: empty.length ? locale.t('indicatorMethodCoverageEmpty', { names: indicatorNames(framework, empty, locale) }) : '',
      }),
  );
}

/** The coherence sentence (with the negatively correlated pairs), its table, and the outlier screening. */
function coherenceBlocks(framework: Framework, coherence: CoherenceReport, audit: AuditContext): RootContent[] {
  const { locale, tx, id, gap } = audit;
  const signedNumber = (r: number) => locale.number(r, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).replace('-', '−');
  const pairs = coherence.negative.map(
    ([a, b, r]) =>
      locale.t('indicatorPairCorrelation', { pair: locale.t('indicatorPair', { a: indicatorNames(framework, [a], locale), b: indicatorNames(framework, [b], locale) }), r: signedNumber(r) }),
  );
  const list = (xs: string[]) => xs.join(locale.t('listSeparator'));
  const sentence = locale.t('indicatorMethodCoherence', { n: coherence.n, table: '{table}' }) + (pairs.length ? gap + locale.t('indicatorMethodCoherenceNegative', { pairs: list(pairs) }) : '');
  const two = (x: number) => (Number.isFinite(x) ? locale.number(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—');
  const rows = framework.dimensions.map((d) => {
    const dim = coherence.dimensions.find((x) => x.id === d.id);
    const w = coherence.weights.find((x) => x.id === d.id);
    return {
      node: tx(d.name),
      alpha: dim && dim.children.length > 1 ? two(dim.alpha) : '—',
      first: dim && dim.children.length > 1 ? locale.percent(dim.explained[0] ?? NaN, 0) : '—',
      nominal: w ? locale.percent(w.nominal, 0) : '',
      effective: w && Number.isFinite(w.effective) ? locale.percent(w.effective, 0) : '—',
    };
  });
  const columns: Column[] = [
    { key: 'node', label: locale.t('indicatorMethodNode') },
    { key: 'alpha', label: locale.t('indicatorAlpha'), align: 'right' },
    { key: 'first', label: locale.t('indicatorFirstComponent'), align: 'right' },
    { key: 'nominal', label: locale.t('indicatorNominalWeight'), align: 'right' },
    { key: 'effective', label: locale.t('indicatorEffectiveWeight'), align: 'right' },
  ];
  const table = tableBlock(id ? `${id}-coherence` : undefined, locale.t('indicatorCoherenceTable'), columns, rows, locale.t('indicatorComputed'), audit.position, locale);
  const flagged = coherence.screening.filter((x) => x.transformed.flagged).map((x) => x.indicator);
  const rule = { skew: locale.number(coherence.rule.skew), kurtosis: locale.number(coherence.rule.kurtosis) };
  const screening = audit.paragraph(flagged.length ? locale.t('indicatorMethodScreening', { ...rule, names: indicatorNames(framework, flagged, locale) }) : locale.t('indicatorMethodScreeningNone', rule));
  return [audit.pointing(sentence, id && `${id}-coherence`), table, screening];
}

/** The Monte Carlo's result and, when it ran one, the sensitivity sentence and table. */
function uncertaintyBlocks(framework: Framework, u: UncertaintyResult, audit: AuditContext): RootContent[] {
  const { locale, id } = audit;
  const out: RootContent[] = [
    audit.paragraph(
      locale.t('indicatorMethodUncertainty', {
        draws: locale.number(u.settings.draws, { useGrouping: !locale.cjk }),
        assumptions: assumptionsText(framework, u, locale),
        p: intervalShare(u, locale),
        seed: u.settings.seed,
        wide: locale.number(u.wide),
      }),
    ),
  ];
  if (!u.sensitivity.length) return out;
  const name = (a: string) => locale.t(`indicatorAssumptionName${a[0]!.toUpperCase()}${a.slice(1)}`);
  const cell = (a: string) => name(a).replace(/^\p{Ll}/u, (c) => c.toUpperCase());
  out.push(audit.pointing(locale.t('indicatorMethodSensitivity', { first: name(u.sensitivity[0]!.assumption), table: '{table}' }), id && `${id}-sensitivity`));
  const columns: Column[] = [
    { key: 'assumption', label: locale.t('indicatorSensitivityAssumption') },
    { key: 'mean', label: locale.t('indicatorSensitivityMean'), align: 'right' },
    { key: 'max', label: locale.t('indicatorSensitivityMax'), align: 'right' },
  ];
  const rows = u.sensitivity.map((row) => ({ assumption: cell(row.assumption), mean: locale.number(row.meanShift, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), max: locale.number(row.maxShift) }));
  out.push(tableBlock(id ? `${id}-sensitivity` : undefined, locale.t('indicatorSensitivityTable'), columns, rows, locale.t('indicatorComputed'), audit.position, locale));
  return out;
}

/** One sentence per computation step, for the methods this framework uses. */
function methodSteps(framework: Framework, words: Words): string[] {
  const { locale, tx } = words;
  const out: string[] = [];
  const leaves = indicators(framework);
  const norms = new Map<string, Framework['normalise']>();
  for (const leaf of leaves) {
    const n = leaf.normalise ?? framework.normalise;
    if (!norms.has(n.method)) norms.set(n.method, n);
  }
  for (const n of norms.values()) {
    if (n.method === 'minmax') out.push(locale.t('indicatorMethodNormMinmax'));
    if (n.method === 'zscore') out.push(locale.t('indicatorMethodNormZscore', { mean: n.mean, sd: n.sd }));
    if (n.method === 'frontier') out.push(locale.t('indicatorMethodNormFrontier'));
  }
  const aggregations = new Set([framework.aggregation, ...walkTree(framework).flatMap((e) => (e.node.aggregation ? [e.node.aggregation] : []))]);
  if (aggregations.has('arithmetic')) out.push(locale.t('indicatorMethodArithmetic'));
  if (aggregations.has('geometric')) out.push(locale.t('indicatorMethodGeometric'));
  const m = framework.missing;
  if (m.policy === 'impute') {
    const names = m.methods.map((x) =>
      x === 'previous-year' ? locale.t('indicatorImputePreviousYear', { lookback: m.lookback }) : x === 'group-median' ? locale.t('indicatorImputeGroupMedian') : locale.t('indicatorImputeMedian'),
    );
    out.push(locale.t('indicatorMethodMissingImpute', { methods: names.join(locale.t('listSeparator')) }));
    // Indicators with their own look-back say so: the general sentence must not understate how old a value may be.
    const own = new Map<number, string[]>();
    for (const leaf of leaves) {
      const lookback = leaf.missing?.lookback;
      if (lookback != null && lookback !== m.lookback && m.methods.includes('previous-year')) own.set(lookback, [...(own.get(lookback) ?? []), leaf.id]);
    }
    for (const [lookback, ids] of own) out.push(locale.t('indicatorMethodMissingLookbackOwn', { names: indicatorNames(framework, ids, locale), lookback }));
  } else out.push(locale.t(m.policy === 'fail' ? 'indicatorMethodMissingFail' : 'indicatorMethodMissingDrop'));
  const treat = leaves.map((l) => (l.transform ?? []).find((t) => t.method === 'treat')).find((t) => t != null);
  if (treat && treat.method === 'treat') out.push(locale.t('indicatorMethodTreat', { skew: locale.number(treat.skew), kurtosis: locale.number(treat.kurtosis), winmax: treat.winmax }));
  out.push(locale.t('indicatorMethodRanking'));
  if (framework.tiers?.method === 'thresholds') {
    const levels = framework.tiers.levels.map((l) =>
      l.min != null ? locale.t('indicatorTierAtLeast', { name: tx(l.name), min: locale.number(l.min) }) : locale.t('indicatorTierRest', { name: tx(l.name) }),
    );
    out.push(locale.t('indicatorMethodTiersThresholds', { levels: levels.join(locale.t('phraseSeparator')) }));
  } else if (framework.tiers) out.push(locale.t('indicatorMethodTiersBreaks', { n: framework.tiers.levels.length }));
  if (framework.years.previous != null) out.push(locale.t('indicatorMethodChange', { year: framework.years.previous }));
  return out;
}
