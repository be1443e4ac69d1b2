/** `radar`: the profile of `entities` across the children of `node` (the dimensions of the composite). */
import { radarProfile } from './radar-profile.ts';
import { childrenOf, childScoreTable, entityLabel, round, type IndicatorChartType } from './indicator-chart-type.ts';

export const radarChartType: IndicatorChartType = {
  draw(req, frame) {
    const { result, text } = req;
    const name = entityLabel(req);
    const children = childrenOf(req);
    return radarProfile({
      ...frame,
      axes: children.map((c) => ({ name: text(c.name) })),
      series: req.entities.map((e) => ({ name: name(e), values: children.map((c) => round(result.current.scores[c.id]?.[e])) })),
    });
  },
  data: childScoreTable,
};
