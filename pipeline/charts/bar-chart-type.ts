/** `bar`: the ranking of `node` (top N, a group), highlighted entities in the accent colour. */
import { rankingRows } from '../indicators/present.ts';
import { barRanking } from './bar-ranking.ts';
import { entityLabel, scoreTable, type IndicatorChartType } from './indicator-chart-type.ts';

export const barChartType: IndicatorChartType = {
  draw(req, frame) {
    const { result } = req;
    const name = entityLabel(req);
    const rows = rankingRows(result, { node: req.node, top: req.top, group: req.group, lang: req.lang });
    return barRanking({ ...frame, decimals: result.framework.decimals, items: rows.map((r) => ({ label: name(r.entity.id), value: r.score, highlight: req.highlight.includes(r.entity.id) })) });
  },
  data: (req) => scoreTable(req, true),
};
