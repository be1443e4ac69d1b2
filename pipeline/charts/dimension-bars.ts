/** Dimension comparison: grouped vertical bars, one group per dimension, one bar per entity. */
import { breakLabel, measureIn } from './label-lines.ts';
import { renderOption } from './render.ts';
import { fontStack, formatNumber, palette, plainText, type ChartFrame } from './theme.ts';

export interface DimensionBarsSpec extends ChartFrame {
  /** Category labels (dimension names). */
  categories: string[];
  /** One series per entity; `values` in the order of `categories`. */
  series: Array<{ name: string; values: number[] }>;
  /** Value labels on the bars, with this many decimals. Default: no labels. */
  labelDecimals?: number;
}

export function dimensionBars(spec: DimensionBarsSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 640;
  const height = spec.height ?? 380;
  const fontFamily = fontStack(lang);
  // Each dimension's name broken into lines of its column's width, here rather than by ECharts
  // (`overflow: 'break'`), whose breaking depends on what the process drew before (label-lines.ts).
  const labelWidth = Math.floor((width - 60) / Math.max(1, spec.categories.length));
  const measure = measureIn(`${LABEL_FONT_SIZE}px ${fontFamily}`);
  return renderOption(
    {
      textStyle: { fontFamily, color: palette.text },
      color: palette.series,
      legend: { bottom: 0, data: spec.series.map((s) => s.name), textStyle: { color: palette.text, ...plainText }, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
      xAxis: {
        type: 'category',
        data: spec.categories.map((c) => breakLabel(c, labelWidth, measure)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: palette.muted } },
        axisLabel: { color: palette.text, fontSize: LABEL_FONT_SIZE, interval: 0, ...plainText, width: labelWidth },
      },
      yAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: palette.grid } }, axisLabel: { color: palette.muted, ...plainText } },
      series: spec.series.map((s) => ({
        type: 'bar' as const,
        name: s.name,
        data: s.values,
        label:
          spec.labelDecimals != null
            ? { show: true, position: 'top' as const, fontSize: 10, color: palette.text, ...plainText, formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang, spec.labelDecimals!) }
            : { show: false },
      })),
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, svgMemo: undefined },
  );
}

/** ECharts' default size of axis labels, named so that the lines are measured in the size drawn. */
const LABEL_FONT_SIZE = 12;
