/**
 * ECharts option → SVG text, on the server (no browser), deterministic: the same option gives the same
 * bytes. ECharts numbers every zrender instance in a process (`zr0-`, `zr1-` … in class names, clip-path
 * and gradient ids), which would make output depend on how many charts were drawn before; those prefixes
 * are replaced by `idPrefix`. Interaction-only leftovers (hover styles, `ecmeta_*` attributes) are removed.
 */
import { createHash } from 'node:crypto';
import type * as echarts from 'echarts';
import { echartsModule } from './echarts-module.ts';
import { hashValue } from '../base/memo.ts';
import type { ChartFrame } from './theme.ts';

export type EChartsOption = echarts.EChartsOption;

type Frame = Required<Pick<ChartFrame, 'width' | 'height'>> & Pick<ChartFrame, 'idPrefix' | 'title' | 'svgMemo' | 'draw'>;

/**
 * With `frame.svgMemo` (a preview's BuildMemo), the SVG is kept by the hash of the full option (its
 * formatters by their source), the frame and `inputs`: the chart's spec, which holds what the formatters
 * close over (language, decimals) and, for maps, the geometry's hash.
 */
export function renderOption(option: EChartsOption, frame: Frame, inputs?: unknown): string {
  if (frame.draw === false) return undrawn(frame);
  const memo = frame.svgMemo;
  if (!memo) return render(option, frame);
  const key = hashValue({ option, inputs, width: frame.width, height: frame.height, idPrefix: frame.idPrefix, title: frame.title });
  let svg = memo.get(key);
  if (svg === undefined) memo.set(key, (svg = render(option, frame)));
  return svg;
}

function render(option: EChartsOption, frame: Frame): string {
  const chart = echartsModule().init(null, null, { renderer: 'svg', ssr: true, width: frame.width, height: frame.height });
  let svg: string;
  try {
    chart.setOption({ animation: false, ...option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  svg = svg
    .replace(/ class="zr\d+-cls-\d+"/g, '') // hover-style classes: counted process-wide, meaningless in print
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/<style\s*>[\s\S]*?<\/style>\s*/g, '')
    .replace(/ pointer-events="[^"]*"/g, '');
  // Number the remaining ids (clip paths, gradients) in order of appearance under one prefix, and
  // rewrite the references to them.
  const prefix = frame.idPrefix ?? 'chart-' + createHash('sha256').update(svg).digest('hex').slice(0, 10);
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  if (ids.size) {
    svg = svg
      .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${ids.get(id)}"`)
      .replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : m))
      .replace(/href="#([^"]+)"/g, (m, id: string) => (ids.has(id) ? `href="#${ids.get(id)}"` : m));
  }
  if (/\bzr\d+-/.test(svg)) throw new Error('chart SVG still holds a zrender instance id');
  const label = frame.title ? ` role="img" aria-label="${escapeAttribute(frame.title)}"` : '';
  // Scales down to the column it is placed in, keeping its proportions.
  return svg.replace(/^<svg /, `<svg class="chart"${label} style="max-width:100%;height:auto" `);
}

/** What stands in for a chart that is not drawn: an empty SVG of its size, with its label. */
function undrawn(frame: Frame): string {
  const label = frame.title ? ` role="img" aria-label="${escapeAttribute(frame.title)}"` : '';
  return `<svg class="chart"${label} xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}"></svg>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
