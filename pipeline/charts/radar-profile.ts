/** Radar profile: one or several entities across the dimensions of a framework (scores 0–100). */
import { renderOption } from './render.ts';
import { fontStack, palette, plainText, type ChartFrame } from './theme.ts';

export interface RadarSpec extends ChartFrame {
  /** The spokes, clockwise from the top. */
  axes: Array<{ name: string; max?: number }>;
  /** One polygon per entity; `values` in the order of `axes`. */
  series: Array<{ name: string; values: number[] }>;
}

export function radarProfile(spec: RadarSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 520;
  const legend = spec.series.length > 1;
  const height = spec.height ?? (legend ? 440 : 400);
  return renderOption(
    {
      textStyle: { fontFamily: fontStack(lang), color: palette.text },
      color: palette.series,
      legend: legend ? { bottom: 0, data: spec.series.map((s) => s.name), textStyle: { color: palette.text, ...plainText }, itemWidth: 14, itemHeight: 10 } : undefined,
      radar: {
        center: ['50%', legend ? '47%' : '52%'],
        radius: '66%',
        indicator: spec.axes.map((a) => ({ name: a.name, max: a.max ?? 100, min: 0 })),
        axisName: { color: palette.text, fontSize: 12, ...plainText },
        splitNumber: 4,
        splitLine: { lineStyle: { color: palette.grid } },
        splitArea: { show: false },
        axisLine: { lineStyle: { color: palette.grid } },
      },
      series: [
        {
          type: 'radar',
          symbolSize: 4,
          lineStyle: { width: 2 },
          areaStyle: spec.series.length === 1 ? { opacity: 0.15 } : undefined,
          data: spec.series.map((s) => ({ name: s.name, value: s.values })),
        },
      ],
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, svgMemo: undefined },
  );
}
