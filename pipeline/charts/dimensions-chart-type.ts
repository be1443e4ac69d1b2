/** `dimensions`: grouped bars, the children of `node` for `entities`. */
import { dimensionBars } from './dimension-bars.ts';
import { childrenOf, childScoreTable, entityLabel, round, type IndicatorChartType } from './indicator-chart-type.ts';

export const dimensionsChartType: IndicatorChartType = {
  draw(req, frame) {
    const { result, text } = req;
    const name = entityLabel(req);
    const children = childrenOf(req);
    return dimensionBars({
      ...frame,
      labelDecimals: 1,
      categories: children.map((c) => text(c.name)),
      series: req.entities.map((e) => ({ name: name(e), values: children.map((c) => round(result.current.scores[c.id]?.[e])) })),
    });
  },
  data: childScoreTable,
};
