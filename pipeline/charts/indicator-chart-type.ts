/**
 * One kind of indicator chart (`::chart{type=…}`): how it is drawn from a computed index and which
 * numbers it draws, as a table (the chart's text alternative and CSV). Each type is one module
 * (`bar-chart-type.ts` …) registered in `INDICATOR_CHART_TYPES` (indicator-charts.ts); the helpers here are
 * what several types share, so a table and its chart pick the same labels and round the same way.
 */
import type { ChartSvgMemo } from '../base/memo.ts';
import type { FrameworkEntry } from '../indicators/store.ts';
import { COMPOSITE, hasText, type IndexResult } from '../indicators/model.ts';
import { findNode, rankingRows } from '../indicators/present.ts';
import type { Text } from '../indicators/schema.ts';
import type { GeoJson, MapInset } from './choropleth.ts';
import type { CellValue, DataColumn } from './data-table.ts';
import type { ChartType } from './indicator-charts.ts';

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

/** The numbers a chart draws, as a table. */
export interface ChartData {
  columns: DataColumn[];
  rows: Array<Record<string, CellValue>>;
}

/** What every chart takes from the request: language, ids, title, size, memo and whether to draw. */
export function frameOf(req: IndicatorChartRequest) {
  return { lang: req.lang, idPrefix: req.idPrefix, title: req.title, svgMemo: req.svgMemo, draw: req.draw, ...(req.width ? { width: req.width } : {}), ...(req.height ? { height: req.height } : {}) };
}

export type Frame = ReturnType<typeof frameOf>;

export interface IndicatorChartType {
  /** The chart's SVG (or, with `draw: false`, its checked data and no drawing: charts/theme.ts). */
  draw(req: IndicatorChartRequest, frame: Frame): string;
  /** The same numbers as a table, rounded as the chart's labels are. */
  data(req: IndicatorChartRequest): ChartData;
}

/** An entity's label in the chart: its short name where it has one in the language, else its name. */
export function entityLabel(req: IndicatorChartRequest): (id: string) => string {
  const { framework } = req.result;
  return (id) => {
    const e = framework.entities.find((x) => x.id === id)!;
    return req.text(hasText(e.short, req.lang) ? e.short! : e.name);
  };
}

/** The children of the chart's node (the composite's: the dimensions). */
export function childrenOf(req: IndicatorChartRequest) {
  const { framework } = req.result;
  return req.node === COMPOSITE ? framework.dimensions : (findNode(framework, req.node)?.children ?? []);
}

/** The years a time series spans: from `years.from` (or the previous year computed) to the current one. */
export function seriesYears(req: IndicatorChartRequest): number[] {
  const { result } = req;
  const last = result.current.year;
  const first = result.framework.years.from ?? result.previous?.year ?? last;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The first column of every chart's table: the entity. */
export function entityColumn(req: IndicatorChartRequest): DataColumn {
  return { key: 'entity', label: req.t('indicatorEntity') };
}

/** A table cell's number: null for a missing or non-finite value. */
export function cellValue(x: number | null | undefined): number | null {
  return x == null || !Number.isFinite(x) ? null : x;
}

/** A value as the chart draws it: rounded to 4 decimals, NaN when missing. */
export function round(x: number | undefined, decimals = 4): number {
  if (x == null || !Number.isFinite(x)) return NaN;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** The ranking of the chart's node as a table: entity and score (`top` and `group` when `limited`). */
export function scoreTable(req: IndicatorChartRequest, limited: boolean): ChartData {
  const { result } = req;
  const name = entityLabel(req);
  const rows = rankingRows(result, { node: req.node, top: limited ? req.top : undefined, group: limited ? req.group : undefined, lang: req.lang });
  return {
    columns: [entityColumn(req), { key: 'score', label: req.t('indicatorScore'), align: 'right', decimals: result.framework.decimals }],
    rows: rows.map((r) => ({ entity: name(r.entity.id), score: cellValue(r.score) })),
  };
}

/** The entities' scores on the children of the chart's node as a table, one decimal. */
export function childScoreTable(req: IndicatorChartRequest): ChartData {
  const { result, text } = req;
  const name = entityLabel(req);
  const children = childrenOf(req);
  return {
    columns: [entityColumn(req), ...children.map((c): DataColumn => ({ key: c.id, label: text(c.name), align: 'right', decimals: 1 }))],
    rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...children.map((c) => [c.id, cellValue(result.current.scores[c.id]?.[e])])])),
  };
}
