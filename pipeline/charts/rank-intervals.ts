/**
 * Rank intervals: one row per entity in published order; a bar from the lowest to the highest rank of the
 * interval (each rank a unit cell centred on its number) and a dot at the published rank. Rank 1 is at the
 * left. Drawn as two stacked bars (an invisible offset, then the interval) and a scatter series.
 */
import { renderOption } from './render.ts';
import { entityAxis, fontStack, palette, plainText, type ChartFrame } from './theme.ts';

export interface RankIntervalItem {
  label: string;
  /** Published rank. */
  rank: number;
  lo: number;
  hi: number;
  highlight?: boolean;
}

export interface RankIntervalSpec extends ChartFrame {
  /** In display order, top first. */
  items: RankIntervalItem[];
  /** Largest rank on the axis (the number of ranked entities). */
  maxRank: number;
  /** Legend labels of the two marks. */
  legend: { interval: string; rank: string };
}

export function rankIntervals(spec: RankIntervalSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 640;
  const height = spec.height ?? 60 + spec.items.length * 18;
  return renderOption(
    {
      textStyle: { fontFamily: fontStack(lang), color: palette.text },
      grid: { left: 8, right: 16, top: 28, bottom: 24, containLabel: true },
      legend: { top: 0, data: [spec.legend.interval, spec.legend.rank], textStyle: { color: palette.text, ...plainText } },
      xAxis: {
        type: 'value',
        min: 0,
        max: spec.maxRank + 1,
        interval: spec.maxRank > 20 ? 5 : 1,
        splitLine: { lineStyle: { color: palette.grid } },
        axisLabel: { color: palette.muted, ...plainText, formatter: (v: number) => (v >= 1 && v <= spec.maxRank ? String(v) : '') },
      },
      yAxis: entityAxis(spec.items.map((i) => i.label), { interval: 0 }),
      series: [
        { type: 'bar', stack: 'interval', silent: true, barWidth: '56%', itemStyle: { color: 'transparent' }, data: spec.items.map((i) => i.lo - 0.5) },
        {
          name: spec.legend.interval,
          type: 'bar',
          stack: 'interval',
          barWidth: '56%',
          itemStyle: { color: palette.bar, opacity: 0.55 },
          data: spec.items.map((i) => ({ value: i.hi - i.lo + 1, itemStyle: { color: i.highlight ? palette.highlight : palette.bar, opacity: 0.55 } })),
        },
        {
          name: spec.legend.rank,
          type: 'scatter',
          symbolSize: 6,
          itemStyle: { color: palette.text },
          data: spec.items.map((i, k) => [i.rank, k]),
        },
      ],
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, svgMemo: undefined },
  );
}
