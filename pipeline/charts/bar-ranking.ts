/** Horizontal bar ranking: one bar per entity, best at the top, value at the end of each bar. */
import { renderOption } from './render.ts';
import { entityAxis, fontStack, formatNumber, palette, plainText, type ChartFrame } from './theme.ts';

export interface BarItem {
  label: string;
  value: number;
  /** Drawn in the highlight colour (e.g. the country the chapter is about). */
  highlight?: boolean;
}

export interface BarRankingSpec extends ChartFrame {
  /** In display order, top first. */
  items: BarItem[];
  /** Decimal places of the value labels. Default 2. */
  decimals?: number;
  /** Axis maximum. Default: 100 when every value is within 0–100, otherwise automatic. */
  max?: number;
}

export function barRanking(spec: BarRankingSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const decimals = spec.decimals ?? 2;
  const width = spec.width ?? 640;
  const height = spec.height ?? 40 + spec.items.length * 22;
  const inRange = spec.items.every((i) => i.value >= 0 && i.value <= 100);
  return renderOption(
    {
      textStyle: { fontFamily: fontStack(lang), color: palette.text },
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      xAxis: {
        type: 'value',
        max: spec.max ?? (inRange ? 100 : undefined),
        min: 0,
        splitLine: { lineStyle: { color: palette.grid } },
        axisLabel: { color: palette.muted, ...plainText },
      },
      yAxis: entityAxis(spec.items.map((i) => i.label)),
      series: [
        {
          type: 'bar',
          barWidth: '64%',
          data: spec.items.map((i) => ({ value: i.value, itemStyle: { color: i.highlight ? palette.highlight : palette.bar } })),
          label: {
            show: true,
            position: 'right',
            color: palette.text,
            ...plainText,
            formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang, decimals),
          },
        },
      ],
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, svgMemo: undefined },
  );
}
