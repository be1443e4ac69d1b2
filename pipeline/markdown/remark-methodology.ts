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
import type { TextDirective } from 'mdast-util-directive';
import type { VFile } from 'vfile';
import { dataTable, type CellValue } from '../charts/data-table.ts';
import { COMPOSITE, indicators, isIndicator, seriesOf, textIn, walkTree } from '../indicators/model.ts';
import { seriesUnder, sourceLine } from '../indicators/present.ts';
import type { Framework, Node } from '../indicators/schema.ts';
import { report } from '../report/diagnostics.ts';
import type { EditionContext } from '../context/types.ts';
import { ANY_KIND, visitDirective } from './directive-utils.ts';
import { resolveFramework, type IndicatorDirectiveContext } from './indicator-attributes.ts';
import { placeholder } from './indicator-markers.ts';
import { phrasingWithMath } from './inline-math-text.ts';
import { assumptionsText, comparabilitySentence, indicatorNames, intervalShare } from './indicator-words.ts';
import type { FrameworkEntry } from '../indicators/store.ts';

export interface MethodologyOptions extends IndicatorDirectiveContext {
  context: EditionContext;
}

export function remarkMethodology(options: MethodologyOptions) {
  const { locale } = options.context;
  const lang = locale.lang;
  const tx = (t: Parameters<typeof textIn>[0]) => textIn(t, lang);
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
      const { result, entry } = resolved;
      const { framework } = result;
      const data = entry.loaded.dataset;
      const pct = (x: number) => locale.percent(x, x * 100 === Math.round(x * 100) ? 0 : 1);
      const num = (x: number) => locale.number(x, { maximumFractionDigits: 4, useGrouping: false });

      // The tree, numbered 1, 1.1, 1.1.1 …, with weights in the parent and overall.
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
            unit: leaf ? unitOf(n) : '',
            direction: leaf ? locale.t(n.direction === 'lower' ? 'indicatorLower' : 'indicatorHigher') : '',
            transform: leaf ? transformText(n) : '',
          });
          if (n.children) visitNodes(n.children, code, share * overall);
        });
      };
      visitNodes(framework.dimensions, '', 1);

      function unitOf(n: Node): string {
        const perCapita = (n.transform ?? []).find((t) => t.method === 'per-capita');
        if (perCapita && perCapita.method === 'per-capita' && perCapita.multiplier === 100) return '%';
        const s = data.get(seriesOf(n));
        return s ? tx(s.unit) : '';
      }
      function transformText(n: Node): string {
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
        return parts.join(locale.cjk ? '；' : '; ') || '—';
      }

      const columns = [
        { key: 'node', label: locale.t('indicatorMethodNode') },
        { key: 'weight', label: locale.t('indicatorWeight'), align: 'right' as const },
        { key: 'overall', label: locale.t('indicatorGlobalWeight'), align: 'right' as const },
        { key: 'unit', label: locale.t('indicatorUnit') },
        { key: 'direction', label: locale.t('indicatorDirection') },
        { key: 'transform', label: locale.t('indicatorTransform') },
      ];
      const hast = dataTable({ columns, rows, locale, rowHeaders: true, className: ['methodology-table'] });

      const paragraph = (text: string, className?: string): Paragraph => ({
        type: 'paragraph',
        children: [{ type: 'text', value: text }],
        position: directive.position,
        ...(className ? { data: { hProperties: { className: [className] } } } : {}),
      });
      const leaves = indicators(framework);
      const intro = locale.t('indicatorMethodIntro', {
        title: tx(framework.title),
        edition: framework.edition,
        year: result.current.year,
        n: result.current.entities.length,
        dims: framework.dimensions.length,
        leaves: leaves.length,
      });
      const source = sourceLine(framework, data, COMPOSITE, lang);
      const seriesNotes = seriesUnder(framework, COMPOSITE)
        .map((id) => data.get(id))
        .filter((s) => s?.note)
        .map((s) => paragraph(locale.t('note') + tx(s!.note), 'note'));
      const caption: RootContent[] = directive.children.length ? (directive.children as RootContent[]) : [{ type: 'text', value: locale.t('indicatorMethodTable') }];
      const table = {
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
      };
      // The steps state their formulas as `$…$` (locale strings): set with KaTeX like the author's math.
      const steps = methodSteps(framework).map((t): Paragraph => ({ ...paragraph(t), children: phrasingWithMath(t, directive.position) }));
      const notes = framework.notes ? [paragraph(tx(framework.notes))] : [];
      const audit = auditBlocks(resolved.entry, directive.attributes?.id ?? undefined, paragraph);
      const blocks = [paragraph(intro), table, ...steps, ...notes, ...audit];
      replace(...blocks);
      return index + blocks.length;
    });
  };

  /** A numbered `:::table` of plain cells, with its caption and source line. */
  function tableBlock(id: string | undefined, caption: string, columns: Array<{ key: string; label: string; align?: 'left' | 'right' | 'center' }>, rows: Array<Record<string, CellValue>>, source: string, position: Paragraph['position']): RootContent {
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

  /**
   * The audit in the appendix: coverage of the year, comparability, the coherence table (α, first
   * component, nominal and effective weights per dimension), the outlier screening, and the Monte Carlo's
   * result with the sensitivity table. Table ids derive from the directive's (`tab-x-method-coherence`).
   */
  function auditBlocks(entry: FrameworkEntry, id: string | undefined, paragraph: (text: string, className?: string) => Paragraph): RootContent[] {
    const result = entry.result!;
    const { framework, current } = result;
    const position = paragraph('').position;
    const out: RootContent[] = [];
    const list = (xs: string[]) => xs.join(locale.cjk ? '、' : ', ');
    // Sentences run on without a space in Chinese, with one in English.
    const gap = locale.cjk ? '' : ' ';
    const signedNumber = (r: number) => locale.number(r, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).replace('-', '−');
    // A sentence pointing at a generated table: `{table}` becomes :ref[id] (or "the table below" without an id).
    const pointing = (text: string, tableId: string | undefined): Paragraph => {
      const [before, after = ''] = text.split('{table}');
      if (!tableId) return paragraph(`${before}${locale.t('indicatorTableBelow')}${after}`);
      const ref: TextDirective = { type: 'textDirective', name: 'ref', attributes: {}, children: [{ type: 'text', value: tableId }], position };
      return { type: 'paragraph', children: [{ type: 'text', value: before! }, ref, { type: 'text', value: after }], position };
    };
    const computed = locale.t('indicatorComputed');

    // Coverage of the year, counted over every indicator value of the ranked entities.
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
    out.push(
      paragraph(
        (framework.coverage.min > 0 ? locale.t('indicatorMethodCoverage', { p: locale.percent(framework.coverage.min, 0) }) : locale.t('indicatorMethodCoverageNone')) +
          gap +
          locale.t('indicatorMethodCoverageResult', {
            n: locale.number(totals.observed + totals.carried + totals.imputed),
            observed: locale.number(totals.observed),
            carried: locale.number(totals.carried),
            imputed: locale.number(totals.imputed),
            empty: empty.length ? locale.t('indicatorMethodCoverageEmpty', { names: indicatorNames(framework, empty, locale) }) : '',
          }),
      ),
    );
    out.push(paragraph(locale.t('indicatorComparableLabel') + comparabilitySentence(framework, locale)));

    const coherence = entry.coherence();
    if (coherence && coherence.n > 2) {
      const pairs = coherence.negative.map(
        ([a, b, r]) =>
          `${locale.t('indicatorPair', { a: indicatorNames(framework, [a], locale), b: indicatorNames(framework, [b], locale) })}${locale.cjk ? '（' : ' ('}r = ${signedNumber(r)}${locale.cjk ? '）' : ')'}`,
      );
      out.push(pointing(locale.t('indicatorMethodCoherence', { n: coherence.n, table: '{table}' }) + (pairs.length ? gap + locale.t('indicatorMethodCoherenceNegative', { pairs: list(pairs) }) : ''), id && `${id}-coherence`));
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
      out.push(
        tableBlock(
          id ? `${id}-coherence` : undefined,
          locale.t('indicatorCoherenceTable'),
          [
            { key: 'node', label: locale.t('indicatorMethodNode') },
            { key: 'alpha', label: locale.t('indicatorAlpha'), align: 'right' },
            { key: 'first', label: locale.t('indicatorFirstComponent'), align: 'right' },
            { key: 'nominal', label: locale.t('indicatorNominalWeight'), align: 'right' },
            { key: 'effective', label: locale.t('indicatorEffectiveWeight'), align: 'right' },
          ],
          rows,
          computed,
          position,
        ),
      );
      const flagged = coherence.screening.filter((x) => x.transformed.flagged).map((x) => x.indicator);
      const rule = { skew: locale.number(coherence.rule.skew), kurtosis: locale.number(coherence.rule.kurtosis) };
      out.push(paragraph(flagged.length ? locale.t('indicatorMethodScreening', { ...rule, names: indicatorNames(framework, flagged, locale) }) : locale.t('indicatorMethodScreeningNone', rule)));
    }

    const u = entry.uncertainty();
    if (u) {
      out.push(
        paragraph(
          locale.t('indicatorMethodUncertainty', {
            draws: locale.number(u.settings.draws, { useGrouping: !locale.cjk }),
            assumptions: assumptionsText(framework, u, locale),
            p: intervalShare(u, locale),
            seed: u.settings.seed,
            wide: locale.number(u.wide),
          }),
        ),
      );
      if (u.sensitivity.length) {
        const name = (a: string) => locale.t(`indicatorAssumptionName${a[0]!.toUpperCase()}${a.slice(1)}`);
        const cell = (a: string) => name(a).replace(/^\p{Ll}/u, (c) => c.toUpperCase());
        out.push(pointing(locale.t('indicatorMethodSensitivity', { first: name(u.sensitivity[0]!.assumption), table: '{table}' }), id && `${id}-sensitivity`));
        out.push(
          tableBlock(
            id ? `${id}-sensitivity` : undefined,
            locale.t('indicatorSensitivityTable'),
            [
              { key: 'assumption', label: locale.t('indicatorSensitivityAssumption') },
              { key: 'mean', label: locale.t('indicatorSensitivityMean'), align: 'right' },
              { key: 'max', label: locale.t('indicatorSensitivityMax'), align: 'right' },
            ],
            u.sensitivity.map((row) => ({ assumption: cell(row.assumption), mean: locale.number(row.meanShift, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), max: locale.number(row.maxShift) })),
            computed,
            position,
          ),
        );
      }
    }
    return out;
  }

  /** One sentence per computation step, for the methods this framework uses. */
  function methodSteps(framework: Framework): string[] {
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
      out.push(locale.t('indicatorMethodMissingImpute', { methods: names.join(locale.cjk ? '、' : ', ') }));
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
      out.push(locale.t('indicatorMethodTiersThresholds', { levels: levels.join(locale.cjk ? '，' : ', ') }));
    } else if (framework.tiers) out.push(locale.t('indicatorMethodTiersBreaks', { n: framework.tiers.levels.length }));
    if (framework.years.previous != null) out.push(locale.t('indicatorMethodChange', { year: framework.years.previous }));
    return out;
  }
}
