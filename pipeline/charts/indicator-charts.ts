/**
 * From a computed index to a chart: the indicator chart types, one module each, in one table. Pure apart
 * from what it is given (the geometry is read by the caller).
 *
 *   bar         ranking of `node` (top N, a group), highlighted entities in the accent colour
 *   radar       profile of `entities` across the children of `node` (the dimensions of the composite)
 *   dimensions  grouped bars: the children of `node` for `entities`
 *   timeseries  `node`'s score over the data years, or an indicator's observed raw values (`of: raw`)
 *   map         choropleth of `node`'s score: tier classes for the composite, 20-point bands otherwise
 *   intervals   the composite's rank intervals from the Monte Carlo (top N, a group), dot at the published rank
 *
 * A new chart type is a module `<type>-chart-type.ts` exporting an `IndicatorChartType`
 * (indicator-chart-type.ts: how it draws, which numbers it draws as a table) and its line here; `::chart`
 * (features/indicators/remark-indicator-charts.ts) accepts every name of this table.
 */
import { barChartType } from './bar-chart-type.ts';
import { radarChartType } from './radar-chart-type.ts';
import { dimensionsChartType } from './dimensions-chart-type.ts';
import { timeseriesChartType } from './timeseries-chart-type.ts';
import { mapChartType } from './map-chart-type.ts';
import { intervalsChartType } from './intervals-chart-type.ts';
import { frameOf, type ChartData, type IndicatorChartRequest, type IndicatorChartType } from './indicator-chart-type.ts';

/** Every chart type by its name in `::chart{type=…}`, in the order the documentation and messages list them. */
const INDICATOR_CHART_TYPES = {
  bar: barChartType,
  radar: radarChartType,
  dimensions: dimensionsChartType,
  timeseries: timeseriesChartType,
  map: mapChartType,
  intervals: intervalsChartType,
} as const satisfies Record<string, IndicatorChartType>;

export type ChartType = keyof typeof INDICATOR_CHART_TYPES;
export const CHART_TYPES = Object.keys(INDICATOR_CHART_TYPES) as readonly ChartType[];

/** The chart's SVG. */
export function indicatorChart(req: IndicatorChartRequest): string {
  return INDICATOR_CHART_TYPES[req.type].draw(req, frameOf(req));
}

/**
 * The numbers the chart draws, as a table: the chart's text alternative in the site (a data table under
 * the drawing) and the source of its CSV (pipeline/site/data-files.ts); rounded as the chart's labels are
 * (bar and map: the framework's decimals; radar, dimensions and score series: one decimal).
 */
export function indicatorChartData(req: IndicatorChartRequest): ChartData {
  return INDICATOR_CHART_TYPES[req.type].data(req);
}
