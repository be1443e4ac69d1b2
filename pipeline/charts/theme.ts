import type { ChartSvgMemo } from '../base/memo.ts';
import { fontSetFor } from '../fonts/fonts.ts';
import { scriptOf } from '../locale/locale.ts';
/**
 * The look shared by every chart: the book's fonts by family name (the PDF embeds them from the page's
 * @font-face rules, so charts must name the same families), a restrained palette, and text without
 * outlines (an outlined glyph turns into a Type 3 font in the PDF).
 */

/**
 * Font stack for a language: the heading family the edition declares (pipeline/fonts/fonts.ts), so a chart
 * never names a font the edition does not ship — Noto Sans TC in Traditional editions, SC in Simplified
 * ones, Source Sans 3 first in English ones.
 */
export function fontStack(lang: string): string {
  return fontSetFor(scriptOf(lang)).heading;
}

export const palette = {
  text: '#222222',
  muted: '#666666',
  grid: '#dddddd',
  bar: '#2f5d8a',
  highlight: '#c0392b',
  noData: '#eeeeee',
  border: '#ffffff',
  /** Series colours for several entities (radar, grouped bars, lines). */
  series: ['#2f5d8a', '#c0392b', '#b8741a', '#3f8f5a', '#7b5ea7', '#5f7f8f', '#b0567d', '#8c7b3f'],
  /** Sequential classes, light to dark, for maps. */
  sequential: ['#dbe7f1', '#a9c6dd', '#6f9ec4', '#3d74a3', '#1d4a75', '#0e2d4d'],
};

/** Label settings that keep text as plain filled text. */
export const plainText = { textBorderColor: 'none', textBorderWidth: 0, textShadowBlur: 0, textShadowColor: 'transparent' } as const;

/**
 * The entities' axis of a horizontal bar chart (the ranking and the rank intervals): their labels top
 * to bottom in the order given, no ticks. `label` adds to the labels' style (interval: 0 shows every one).
 */
export function entityAxis(labels: readonly string[], label: Record<string, unknown> = {}) {
  return {
    type: 'category' as const,
    inverse: true,
    data: [...labels],
    axisTick: { show: false },
    axisLine: { lineStyle: { color: palette.muted } },
    axisLabel: { color: palette.text, ...label, ...plainText },
  };
}

export interface ChartFrame {
  /** Width in CSS pixels. Default 640. */
  width?: number;
  /** Height in CSS pixels. Default: chosen by the chart. */
  height?: number;
  /** Edition language (zh-CN, en …): fonts and number format. Default zh-CN. */
  lang?: string;
  /** Prefix of ids and classes inside the SVG, unique in the page. Default: derived from the content. */
  idPrefix?: string;
  /** Accessible title of the SVG (`aria-label`). */
  title?: string;
  /** SVGs drawn before, by hash of their option (a preview's BuildMemo). Default: none, always drawn. */
  svgMemo?: ChartSvgMemo;
  /**
   * Draw the chart (ECharts). false: its option is built, so its data are read and checked, but an empty
   * SVG of its size stands in for the drawing (`annals check`, which writes nothing). Default: true.
   */
  draw?: boolean;
}

/** Format a number for chart labels in the edition's language. */
export function formatNumber(value: number, lang: string, decimals: number): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: !lang.startsWith('zh') }).format(value);
}
