/**
 * The indicator directives as one feature for `features()` in pipeline/build/build-edition.ts:
 *
 *   expand:  ::ranking-table → :::table, ::chart → ::figure, ::methodology → text + :::table
 *            (before the built-in directives, so they are numbered with the chapter's tables and figures)
 *   remark:  :value (inline numbers), then the expansion markers are removed
 *   rehype:  chart placeholders → inline SVG, with their notes
 *
 * `store` is the build's IndicatorStore (pipeline/indicators/store.ts): create it once per build so every
 * edition of every book shares one computation per framework. A framework's files join the build's
 * session the first time a directive uses it, so their diagnostics are printed once.
 */
import type { BuildSession } from '../base/build-session.ts';
import type { ChartSvgMemo } from '../base/memo.ts';
import type { GeoJson } from '../charts/choropleth.ts';
import { rehypeIndicatorCharts } from './rehype-indicator-charts.ts';
import type { IndicatorStore } from '../indicators/store.ts';
import type { EditionContext } from '../context/types.ts';
import { remarkIndicatorMarkers } from '../markdown/indicator-markers.ts';
import type { DirectivePlugin } from './processor.ts';
import { remarkIndicatorCharts, type ChartRegistry } from '../markdown/remark-indicator-charts.ts';
import { remarkIndicatorValues } from '../markdown/remark-indicator-values.ts';
import { remarkMethodology } from '../markdown/remark-methodology.ts';
import { remarkRankingTable } from '../markdown/remark-ranking-table.ts';

export const INDICATOR_DIRECTIVES = ['ranking-table', 'chart', 'value', 'methodology'] as const;

export interface IndicatorFeatureOptions {
  context: EditionContext;
  store: IndicatorStore;
  session: BuildSession;
  /** Map geometry read once per build. Default: per edition. */
  geometries?: Map<string, GeoJson | null>;
  /** Chart SVGs kept between builds (a preview's BuildMemo). Default: none. */
  svgMemo?: ChartSvgMemo;
  /** Draw the charts (false for `annals check`: their data are still checked; charts/theme.ts). Default: true. */
  draw?: boolean;
}

export function indicatorFeature(options: IndicatorFeatureOptions): DirectivePlugin {
  const { context, store, session } = options;
  const charts: ChartRegistry = new Map();
  const shared = { context, store, session };
  return {
    names: INDICATOR_DIRECTIVES,
    expand: [
      [remarkRankingTable, shared],
      [remarkIndicatorCharts, { ...shared, charts, geometries: options.geometries, svgMemo: options.svgMemo, draw: options.draw }],
      [remarkMethodology, shared],
    ],
    remark: [[remarkIndicatorValues, shared], remarkIndicatorMarkers],
    rehype: [[rehypeIndicatorCharts, { charts }]],
  };
}
