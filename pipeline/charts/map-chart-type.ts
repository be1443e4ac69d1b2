/** `map`: a choropleth of `node`'s score, in tier classes for the composite, 20-point bands otherwise. */
import type { IndexResult } from '../indicators/model.ts';
import { nodeName } from '../indicators/present.ts';
import type { Text } from '../indicators/schema.ts';
import { choropleth, type MapPiece } from './choropleth.ts';
import { round, scoreTable, type IndicatorChartType } from './indicator-chart-type.ts';

export const mapChartType: IndicatorChartType = {
  draw(req, frame) {
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
  },
  // Every entity's score: a map shows them all, whatever `top` or `group` says.
  data: (req) => scoreTable(req, false),
};

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
