/** `intervals`: the composite's rank intervals from the Monte Carlo (top N, a group), dot at the published rank. */
import { COMPOSITE } from '../indicators/model.ts';
import { rankingRows } from '../indicators/present.ts';
import { rankIntervals } from './rank-intervals.ts';
import { entityColumn, entityLabel, type IndicatorChartRequest, type IndicatorChartType } from './indicator-chart-type.ts';

/** The composite's ranking rows with each entity's interval (its published rank where it has none). */
function intervalRows(req: IndicatorChartRequest) {
  const u = req.entry.uncertainty();
  return rankingRows(req.result, { node: COMPOSITE, top: req.top, group: req.group, lang: req.lang }).map((r) => {
    const x = u?.entities[r.entity.id];
    return { id: r.entity.id, rank: r.rank, lo: x?.lo ?? r.rank, hi: x?.hi ?? r.rank };
  });
}

export const intervalsChartType: IndicatorChartType = {
  draw(req, frame) {
    const name = entityLabel(req);
    return rankIntervals({
      ...frame,
      maxRank: req.result.current.entities.length,
      legend: { interval: req.t('indicatorInterval'), rank: req.t('indicatorRank') },
      items: intervalRows(req).map((r) => ({ label: name(r.id), rank: r.rank, lo: r.lo, hi: r.hi, highlight: req.highlight.includes(r.id) })),
    });
  },
  // Rank and its interval (lowest and highest rank in the uncertainty runs), as the chart draws them.
  data(req) {
    const name = entityLabel(req);
    return {
      columns: [
        entityColumn(req),
        { key: 'rank', label: req.t('indicatorRank'), align: 'right', decimals: 0 },
        { key: 'lo', label: req.t('chartDataIntervalFrom'), align: 'right', decimals: 0 },
        { key: 'hi', label: req.t('chartDataIntervalTo'), align: 'right', decimals: 0 },
      ],
      rows: intervalRows(req).map((r) => ({ entity: name(r.id), rank: r.rank, lo: r.lo, hi: r.hi })),
    };
  },
};
