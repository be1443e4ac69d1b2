/** Time series: one line per entity over the data years. */
import { renderOption } from './render.ts';
import { fontStack, formatNumber, palette, plainText, type ChartFrame } from './theme.ts';

export interface TimeSeriesSpec extends ChartFrame {
  years: number[];
  /** One line per entity; `values` in the order of `years`, null where there is no value. */
  series: Array<{ name: string; values: Array<number | null> }>;
  /** Axis title (the unit). */
  yName?: string;
  /** Decimal places of the end labels. Default 1. */
  decimals?: number;
}

export function timeSeries(spec: TimeSeriesSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 640;
  const height = spec.height ?? 360;
  const decimals = spec.decimals ?? 1;
  return renderOption(
    {
      textStyle: { fontFamily: fontStack(lang), color: palette.text },
      color: palette.series,
      legend: spec.series.length > 1 ? { bottom: 0, data: spec.series.map((s) => s.name), textStyle: { color: palette.text, ...plainText }, itemWidth: 14, itemHeight: 10 } : undefined,
      grid: { left: 8, right: 48, top: spec.yName ? 32 : 16, bottom: spec.series.length > 1 ? 40 : 16, containLabel: true },
      xAxis: {
        type: 'category',
        data: spec.years.map(String),
        boundaryGap: false,
        axisLine: { lineStyle: { color: palette.muted } },
        axisLabel: { color: palette.text, ...plainText },
      },
      yAxis: {
        type: 'value',
        scale: true,
        name: spec.yName,
        nameTextStyle: { color: palette.muted, align: 'left', ...plainText },
        splitLine: { lineStyle: { color: palette.grid } },
        axisLabel: { color: palette.muted, ...plainText },
      },
      series: spec.series.map((s) => ({
        type: 'line' as const,
        name: s.name,
        data: s.values,
        connectNulls: false,
        symbolSize: 5,
        lineStyle: { width: 2 },
        labelLayout: { moveOverlap: 'shiftY' as const },
        endLabel: { show: true, color: palette.text, ...plainText, formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang, decimals) },
      })),
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, svgMemo: undefined },
  );
}
