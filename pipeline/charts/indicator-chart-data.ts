/**
 * The numbers an indicator chart draws, as a table: the chart's text alternative in the site (a data
 * table under the drawing) and the source of its CSV (pipeline/site/data-files.ts). It picks the same rows
 * and columns as indicator-charts.ts does for each chart type, and rounds as the chart's labels do
 * (bar and map: the framework's decimals; radar, dimensions and score series: one decimal).
 */
import { COMPOSITE, hasText, isIndicator, seriesOf } from '../indicators/model.ts';
import { findNode, rankingRows } from '../indicators/present.ts';
import type { CellValue, DataColumn } from './data-table.ts';
import type { IndicatorChartRequest } from './indicator-charts.ts';

export interface ChartData {
  columns: DataColumn[];
  rows: Array<Record<string, CellValue>>;
}

export function indicatorChartData(req: IndicatorChartRequest): ChartData {
  const { result, text } = req;
  const { framework } = result;
  const name = (id: string) => {
    const e = framework.entities.find((x) => x.id === id)!;
    return text(hasText(e.short, req.lang) ? e.short! : e.name);
  };
  const entityColumn: DataColumn = { key: 'entity', label: req.t('indicatorEntity') };
  const children = req.node === COMPOSITE ? framework.dimensions : (findNode(framework, req.node)?.children ?? []);
  const value = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? null : x);
  switch (req.type) {
    case 'bar':
    case 'map': {
      const rows = rankingRows(result, { node: req.node, top: req.type === 'bar' ? req.top : undefined, group: req.type === 'bar' ? req.group : undefined, lang: req.lang });
      return {
        columns: [entityColumn, { key: 'score', label: req.t('indicatorScore'), align: 'right', decimals: framework.decimals }],
        rows: rows.map((r) => ({ entity: name(r.entity.id), score: value(r.score) })),
      };
    }
    case 'intervals': {
      // Rank and its interval (lowest and highest rank in the uncertainty runs), as the chart draws them.
      const u = req.entry.uncertainty();
      const rows = rankingRows(result, { node: COMPOSITE, top: req.top, group: req.group, lang: req.lang });
      return {
        columns: [
          entityColumn,
          { key: 'rank', label: req.t('indicatorRank'), align: 'right', decimals: 0 },
          { key: 'lo', label: req.t('chartDataIntervalFrom'), align: 'right', decimals: 0 },
          { key: 'hi', label: req.t('chartDataIntervalTo'), align: 'right', decimals: 0 },
        ],
        rows: rows.map((r) => {
          const x = u?.entities[r.entity.id];
          return { entity: name(r.entity.id), rank: r.rank, lo: x?.lo ?? r.rank, hi: x?.hi ?? r.rank };
        }),
      };
    }
    case 'radar':
    case 'dimensions':
      return {
        columns: [entityColumn, ...children.map((c): DataColumn => ({ key: c.id, label: text(c.name), align: 'right', decimals: 1 }))],
        rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...children.map((c) => [c.id, value(result.current.scores[c.id]?.[e])])])),
      };
    case 'timeseries': {
      const last = result.current.year;
      const first = framework.years.from ?? result.previous?.year ?? last;
      const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
      const node = findNode(framework, req.node);
      const yearColumns = (decimals?: number) => years.map((y): DataColumn => ({ key: String(y), label: String(y), align: 'right', ...(decimals != null ? { decimals } : {}) }));
      if (req.of === 'raw' && node && isIndicator(node)) {
        const series = req.entry.loaded.dataset.get(seriesOf(node));
        return {
          columns: [entityColumn, ...yearColumns()],
          rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...years.map((y) => [String(y), value(series?.values.get(e)?.get(y))])])),
        };
      }
      const perYear = years.map((y) => req.entry.yearResult(y));
      return {
        columns: [entityColumn, ...yearColumns(1)],
        rows: req.entities.map((e) => Object.fromEntries([['entity', name(e)], ...years.map((y, i) => [String(y), value(perYear[i]?.scores[req.node]?.[e])])])),
      };
    }
  }
}
