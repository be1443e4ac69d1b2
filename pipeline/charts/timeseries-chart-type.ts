/** `timeseries`: `node`'s score over the data years, or an indicator's observed raw values (`of: raw`). */
import { isIndicator, seriesOf } from '../indicators/model.ts';
import { findNode } from '../indicators/present.ts';
import type { DataColumn } from './data-table.ts';
import { timeSeries } from './time-series.ts';
import { cellValue, entityColumn, entityLabel, round, seriesYears, type IndicatorChartRequest, type IndicatorChartType } from './indicator-chart-type.ts';

/** The raw series of the chart's node, when it asks for raw values and the node is an indicator. */
function rawSeries(req: IndicatorChartRequest) {
  const node = findNode(req.result.framework, req.node);
  if (req.of !== 'raw' || !node || !isIndicator(node)) return undefined;
  return { series: req.entry.loaded.dataset.get(seriesOf(node)) };
}

export const timeseriesChartType: IndicatorChartType = {
  draw(req, frame) {
    const name = entityLabel(req);
    const years = seriesYears(req);
    const raw = rawSeries(req);
    if (raw) {
      const { series } = raw;
      return timeSeries({
        ...frame,
        years,
        yName: series ? req.text(series.unit) : undefined,
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
  },
  data(req) {
    const name = entityLabel(req);
    const years = seriesYears(req);
    const yearColumns = (decimals?: number) => years.map((y): DataColumn => ({ key: String(y), label: String(y), align: 'right', ...(decimals != null ? { decimals } : {}) }));
    const raw = rawSeries(req);
    if (raw) {
      const { series } = raw;
      return {
        columns: [entityColumn(req), ...yearColumns()],
        rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...years.map((y) => [String(y), cellValue(series?.values.get(e)?.get(y))])])),
      };
    }
    const perYear = years.map((y) => req.entry.yearResult(y));
    return {
      columns: [entityColumn(req), ...yearColumns(1)],
      rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...years.map((y, i) => [String(y), cellValue(perYear[i]?.scores[req.node]?.[e])])])),
    };
  },
};
