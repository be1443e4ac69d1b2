/**
 * Sentences about an index's method, generated from its settings in the edition's language (words from
 * templates/locales/*.yaml): whether scores of different years are comparable, what the Monte Carlo
 * varies, and the marks of a ranking table for carried-forward values and changes within the uncertainty.
 * Shared by `::ranking-table`, `:value` and `::methodology`, so the three always say the same thing.
 */
import { indicators } from '../../indicators/model.ts';
import type { Framework } from '../../indicators/schema.ts';
import type { UncertaintyResult } from '../../indicators/uncertainty.ts';
import type { Locale } from '../../locale/locale.ts';

/**
 * The comparability sentence: scores are on one scale across years when every indicator is normalised
 * with fixed bounds, the framework's goalposts or the frontier over all years; otherwise (per-year min–max,
 * z-scores, percentile ranks) they measure each year's relative position.
 */
export function comparabilitySentence(framework: Framework, locale: Locale): string {
  const fixed = indicators(framework).every((leaf) => {
    const n = leaf.normalise ?? framework.normalise;
    if (n.method === 'frontier') return true;
    if (n.method === 'minmax') return (n.min != null && n.max != null) || framework.goalposts != null;
    return false;
  });
  if (!fixed) return locale.t('indicatorComparableRelative');
  return framework.goalposts ? locale.t('indicatorComparableGoalposts', { year: framework.goalposts.year }) : locale.t('indicatorComparableFrontier');
}

/** "the dimension weights by ±25 %, the normalisation (min–max, z-score) …", from the settings as used. */
export function assumptionsText(framework: Framework, u: UncertaintyResult, locale: Locale): string {
  const s = u.settings;
  const list = (xs: string[]) => xs.join(locale.t('listSeparator'));
  const norm = (m: string) => locale.t(m === 'zscore' ? 'indicatorNormZscore' : m === 'percentile' ? 'indicatorNormPercentile' : m === 'frontier' ? 'indicatorNormFrontier' : 'indicatorNormMinmax');
  const agg = (m: string) => locale.t(m === 'geometric' ? 'indicatorAggGeometric' : 'indicatorAggArithmetic');
  const imp = (m: string) => locale.t(m === 'median' ? 'indicatorImputeMedian' : 'indicatorImputeGroupMedian');
  const parts: string[] = [];
  if (s.weights > 0) parts.push(locale.t(s.weightLevel === 'all' ? 'indicatorAssumptionWeightsAll' : 'indicatorAssumptionWeights', { p: locale.percent(s.weights, 0) }));
  if (s.normalisations.length) parts.push(locale.t('indicatorAssumptionNormalisation', { methods: list([...new Set([framework.normalise.method, ...s.normalisations])].map(norm)) }));
  if (s.aggregations.length) parts.push(locale.t('indicatorAssumptionAggregation', { methods: list([...new Set([framework.aggregation, ...s.aggregations])].map(agg)) }));
  const own = framework.missing.methods.find((m) => m !== 'previous-year');
  if (s.imputations.length && own) parts.push(locale.t('indicatorAssumptionImputation', { methods: list([...new Set([own, ...s.imputations])].map(imp)) }));
  return list(parts);
}

/** The interval's width as a percentage (0.9 → 90%). */
export function intervalShare(u: UncertaintyResult, locale: Locale): string {
  return locale.percent(u.settings.interval, 0);
}

/** Years, joined as a range where consecutive: [2021, 2022, 2023] → 2021—2023 (zh) / 2021–2023. */
export function yearsText(years: readonly number[], locale: Locale): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  if (ys.length === 0) return '';
  const consecutive = ys.every((y, i) => i === 0 || y === ys[i - 1]! + 1);
  if (consecutive && ys.length > 1) return locale.t('yearRange', { from: ys[0]!, to: ys.at(-1)! });
  return ys.join(locale.t('listSeparator'));
}

/** Names of indicators, joined for the language. */
export function indicatorNames(framework: Framework, ids: readonly string[], locale: Locale): string {
  const byId = new Map(indicators(framework).map((n) => [n.id, n]));
  return ids.map((id) => locale.text(byId.get(id)?.name ?? id)).join(locale.t('listSeparator'));
}
