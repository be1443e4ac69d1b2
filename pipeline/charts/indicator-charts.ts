/**
 * From a computed index to a chart: picks the numbers and labels for each chart type and calls the
 * generic chart functions. Pure apart from what it is given (the geometry is read by the caller).
 *
 *   bar         ranking of `node` (top N, a group), highlighted entities in the accent colour
 *   radar       profile of `entities` across the children of `node` (the dimensions of the composite)
 *   dimensions  grouped bars: the children of `node` for `entities`
 *   timeseries  `node`'s score over the data years, or an indicator's observed raw values (`of: raw`)
 *   map         choropleth of `node`'s score: tier classes for the composite, 20-point bands otherwise
 *   intervals   the composite's rank intervals from the Monte Carlo (top N, a group), dot at the published rank
 */
import type { ChartSvgMemo } from '../base/memo.ts';
import type { FrameworkEntry } from '../indicators/store.ts';
import { COMPOSITE, hasText, isIndicator, seriesOf, type IndexResult } from '../indicators/model.ts';
import { findNode, nodeName, rankingRows } from '../indicators/present.ts';
import type { Text } from '../indicators/schema.ts';
import { barRanking } from './bar-ranking.ts';
import { choropleth, type GeoJson, type MapInset, type MapPiece } from './choropleth.ts';
import { dimensionBars } from './dimension-bars.ts';
import { radarProfile } from './radar-profile.ts';
import { rankIntervals } from './rank-intervals.ts';
import { timeSeries } from './time-series.ts';

export const CHART_TYPES = ['bar', 'radar', 'dimensions', 'timeseries', 'map', 'intervals'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export interface IndicatorChartRequest {
  type: ChartType;
  entry: FrameworkEntry;
  result: IndexResult;
  /** Node id (default composite). */
  node: string;
  entities: string[];
  highlight: string[];
  top?: number;
  group?: string;
  /** For time series: the score of `node`, or the raw values of its series. */
  of: 'score' | 'raw';
  lang: string;
  /** Text in the edition's language and script (locale.text). */
  text: (t: Text) => string;
  /** Generated words (locale.t). */
  t: (key: string, vars?: Record<string, string | number>) => string;
  width?: number;
  height?: number;
  idPrefix: string;
  title: string;
  /** For maps: the framework's geometry, already read. */
  geometry?: GeoJson;
  /** For maps: the inset (南海诸岛 附图) with its boundary features, already read. */
  inset?: MapInset;
  /** SVGs drawn before (a preview's BuildMemo). Default: none. */
  svgMemo?: ChartSvgMemo;
  /** Draw the chart (theme.ts `ChartFrame.draw`). Default: true. */
  draw?: boolean;
}

export function indicatorChart(req: IndicatorChartRequest): string {
  const { result, text } = req;
  const { framework } = result;
  const name = entityLabel(req);
  const frame = frameOf(req);
  const children = req.node === COMPOSITE ? framework.dimensions : (findNode(framework, req.node)?.children ?? []);
  switch (req.type) {
    case 'bar': {
      const rows = rankingRows(result, { node: req.node, top: req.top, group: req.group, lang: req.lang });
      return barRanking({ ...frame, decimals: framework.decimals, items: rows.map((r) => ({ label: name(r.entity.id), value: r.score, highlight: req.highlight.includes(r.entity.id) })) });
    }
    case 'intervals':
      return intervalsChart(req, frame);
    case 'radar':
      return radarProfile({
        ...frame,
        axes: children.map((c) => ({ name: text(c.name) })),
        series: req.entities.map((e) => ({ name: name(e), values: children.map((c) => round(result.current.scores[c.id]?.[e])) })),
      });
    case 'dimensions':
      return dimensionBars({
        ...frame,
        labelDecimals: 1,
        categories: children.map((c) => text(c.name)),
        series: req.entities.map((e) => ({ name: name(e), values: children.map((c) => round(result.current.scores[c.id]?.[e])) })),
      });
    case 'timeseries':
      return timeseriesChart(req, frame);
    case 'map':
      return mapChart(req, frame);
  }
}

/** What every chart takes from the request: language, ids, title, size, memo and whether to draw. */
function frameOf(req: IndicatorChartRequest) {
  return { lang: req.lang, idPrefix: req.idPrefix, title: req.title, svgMemo: req.svgMemo, draw: req.draw, ...(req.width ? { width: req.width } : {}), ...(req.height ? { height: req.height } : {}) };
}

type Frame = ReturnType<typeof frameOf>;

/** An entity's label in the chart: its short name where it has one in the language, else its name. */
function entityLabel(req: IndicatorChartRequest): (id: string) => string {
  const { framework } = req.result;
  return (id) => {
    const e = framework.entities.find((x) => x.id === id)!;
    return req.text(hasText(e.short, req.lang) ? e.short! : e.name);
  };
}

/** The composite ranking with each entity's Monte Carlo rank interval. */
function intervalsChart(req: IndicatorChartRequest, frame: Frame): string {
  const { result } = req;
  const name = entityLabel(req);
  const u = req.entry.uncertainty();
  const rows = rankingRows(result, { node: COMPOSITE, top: req.top, group: req.group, lang: req.lang });
  return rankIntervals({
    ...frame,
    maxRank: result.current.entities.length,
    legend: { interval: req.t('indicatorInterval'), rank: req.t('indicatorRank') },
    items: rows.map((r) => {
      const x = u?.entities[r.entity.id];
      return { label: name(r.entity.id), rank: r.rank, lo: x?.lo ?? r.rank, hi: x?.hi ?? r.rank, highlight: req.highlight.includes(r.entity.id) };
    }),
  });
}

/** The entities' scores (or, with of=raw, an indicator's values) over the years from `years.from`. */
function timeseriesChart(req: IndicatorChartRequest, frame: Frame): string {
  const { result, text } = req;
  const { framework } = result;
  const name = entityLabel(req);
  const last = result.current.year;
  const first = framework.years.from ?? result.previous?.year ?? last;
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const node = findNode(framework, req.node);
  if (req.of === 'raw' && node && isIndicator(node)) {
    const series = req.entry.loaded.dataset.get(seriesOf(node));
    return timeSeries({
      ...frame,
      years,
      yName: series ? text(series.unit) : undefined,
      series: req.entities.map((e) => ({ name: name(e), values: years.map((y) => series?.values.get(e)?.get(y) ?? null) })),
    });
  }
  const perYear = years.map((y) => req.entry.yearResult(y));
  return timeSeries({
    ...frame,
    years,
    decimals: 1,
    yName: req.t('indicatorScore'),
    series: req.entities.map((e) => ({ name: name(e), values: perYear.map((r) => (r?.scores[req.node]?.[e] != null ? round(r.scores[req.node]![e]!) : null)) })),
  });
}

/** The node's scores on the framework's map, in tiers or score bands. */
function mapChart(req: IndicatorChartRequest, frame: Frame): string {
  const { result, text } = req;
  const { framework } = result;
  const map = framework.map!;
  const scores = result.current.scores[req.node] ?? {};
  return choropleth({
    ...frame,
    geometry: req.geometry!,
    ...(req.inset ? { inset: req.inset } : {}),
    idProperty: map.idProperty,
    exclude: map.exclude,
    aspectScale: map.aspectScale,
    ...(map.center ? { center: map.center } : {}),
    ...(map.zoom ? { zoom: map.zoom } : {}),
    values: Object.entries(scores).map(([id, value]) => ({ id, value: round(value) })),
    pieces: mapPieces(result, req.node, text),
    note: map.note ? text(map.note) : req.t('mapNote'),
    legendTitle: nodeName(framework, req.node, req.lang) === text(framework.title) ? req.t('indicatorTier') : req.t('indicatorScore'),
  });
}

/** Tier classes (composite with tiers), or 20-point score bands. */
function mapPieces(result: IndexResult, node: string, text: (t: Text) => string): MapPiece[] {
  const { framework } = result;
  const tiers = framework.tiers;
  const scores = result.current.scores[node] ?? {};
  if (tiers && tiers.of === node) {
    const members = (level: string) => Object.entries(result.current.tiers).filter(([, l]) => l === level).map(([e]) => scores[e]!);
    const pieces: MapPiece[] = [];
    const lowest = (level: string) => Math.min(...members(level));
    const levels = tiers.levels.filter((l) => members(l.id).length).sort((a, b) => lowest(b.id) - lowest(a.id));
    // Class bounds are the lowest member score of each tier (rounded as the map values are); ECharts
    // pieces include both ends, so each upper bound sits just below the next tier's lowest score.
    levels.forEach((level, i) => {
      const min = round(lowest(level.id));
      const above = levels[i - 1];
      const max = above ? round(lowest(above.id)) - 1e-6 : undefined;
      pieces.push({ min, ...(max != null ? { max } : {}), label: text(level.name) });
    });
    return pieces;
  }
  return [80, 60, 40, 20, 0].map((min) => ({ min, ...(min < 80 ? { max: min + 20 - 1e-9 } : {}), label: min < 80 ? `${min}–${min + 20}` : `≥${min}` }));
}

function round(x: number | undefined, decimals = 4): number {
  if (x == null || !Number.isFinite(x)) return NaN;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
