/**
 * The indicator directives (docs/indicators.md):
 *
 *   expand:  ::ranking-table → :::table, ::chart → ::figure, ::methodology → text + :::table
 *            (before the built-in directives, so they are numbered with the chapter's tables and figures)
 *   remark:  :value (inline numbers), then the expansion markers are removed
 *   rehype:  chart placeholders → inline SVG, with their notes
 *
 * The edition's `store` is the build's IndicatorStore (pipeline/indicators/store.ts), shared by every
 * edition of every book: one computation per framework. A framework's files are added to `files` the
 * first time a directive uses it, so their diagnostics are printed once; what the directives ask of the
 * store is noted on the session's read log (indicators/observed-store.ts). Charts are drawn unless the
 * edition says `draw: false` (`annals check`: their data are still checked; charts/theme.ts), and their
 * SVGs are kept between builds in a preview's BuildMemo.
 */
import type { Feature } from '../feature.ts';
import { observeStore } from '../../indicators/observed-store.ts';
import { rehypeIndicatorCharts } from './rehype-indicator-charts.ts';
import { remarkIndicatorMarkers } from './indicator-markers.ts';
import { remarkIndicatorCharts, type ChartRegistry } from './remark-indicator-charts.ts';
import { remarkIndicatorValues } from './remark-indicator-values.ts';
import { remarkMethodology } from './remark-methodology.ts';
import { remarkRankingTable } from './remark-ranking-table.ts';

export const INDICATOR_DIRECTIVES = ['ranking-table', 'chart', 'value', 'methodology'] as const;

export const indicatorsFeature: Feature = {
  name: 'indicators',
  directives: INDICATOR_DIRECTIVES,
  // ::methodology references a framework, not an indicator's values: it is not compared between editions.
  roles: { indicatorReferences: ['value', 'ranking-table', 'chart'], keyLabels: ['value'] },
  parts({ context, store, session, draw, memo }) {
    // The charts of one edition: drawn by the remark part, placed by the rehype part.
    const charts: ChartRegistry = new Map();
    // The store through a view that notes each framework and file the directives use on the session, so
    // a chapter run is kept with the frameworks it used (indicators/observed-store.ts, build/run-cache.ts).
    const shared = { context, store: observeStore(store, session.reads), session };
    return {
      expand: [
        [remarkRankingTable, shared],
        [remarkIndicatorCharts, { ...shared, charts, svgMemo: memo?.charts, draw }],
        [remarkMethodology, shared],
      ],
      remark: [[remarkIndicatorValues, shared], remarkIndicatorMarkers],
      rehype: [[rehypeIndicatorCharts, { charts }]],
    };
  },
};
