/**
 * ECharts option → SVG text, on the server (no browser), deterministic: the same option gives the same
 * bytes. ECharts numbers every zrender instance in a process (`zr0-`, `zr1-` … in class names, clip-path
 * and gradient ids), which would make output depend on how many charts were drawn before; those prefixes
 * are replaced by `idPrefix`. Interaction-only leftovers (hover styles, `ecmeta_*` attributes) are removed.
 * Both are done on zrender's element tree before it is written as text (`finishedSvg`), never on the text.
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
  try {
    chart.setOption({ animation: false, ...option });
    return finishedSvg(chart, frame);
  } finally {
    chart.dispose();
  }
}

/**
 * zrender's SVG element tree (`SVGPainter.renderToVNode`): a tag, its attributes as an object in the
 * order they are written, its children, and the text of a `style` or `text` element.
 */
interface SvgVNode {
  tag: string;
  attrs: Record<string, string | number | boolean | undefined>;
  children?: SvgVNode[];
  text?: string;
}

interface SvgPainter {
  renderToVNode(options: unknown): SvgVNode;
}

/**
 * The chart's SVG text, cleaned and renumbered on zrender's element tree, not on the text: the painter's
 * own `renderToString` (what `renderToSVGString` calls) is given the tree this function made, so the
 * text is written by zrender's serialiser as it always was. It is asked twice: once for the cleaned
 * tree, whose text names the id prefix (a hash, when the frame gives none), and once after the ids were
 * renumbered under it. The tree is rendered once.
 */
function finishedSvg(chart: ReturnType<ReturnType<typeof echartsModule>['init']>, frame: Frame): string {
  const painter = (chart.getZr() as unknown as { painter: SvgPainter }).painter;
  let tree: SvgVNode | undefined;
  const render = painter.renderToVNode.bind(painter);
  painter.renderToVNode = (options) => (tree ??= withoutInteraction(render(options)));
  const cleaned = chart.renderToSVGString();
  const prefix = frame.idPrefix ?? 'chart-' + createHash('sha256').update(cleaned).digest('hex').slice(0, 10);
  renumberIds(tree!, prefix);
  const root = tree!;
  // Scales down to the column it is placed in, keeping its proportions.
  root.attrs = { class: 'chart', ...(frame.title ? { role: 'img', 'aria-label': escapeAttribute(frame.title) } : {}), style: 'max-width:100%;height:auto', ...root.attrs };
  if (holdsInstanceId(root)) throw new Error('chart SVG still holds a zrender instance id');
  return chart.renderToSVGString();
}

/** Whether an attribute of the tree still names zrender's instance number. */
function holdsInstanceId(node: SvgVNode): boolean {
  return Object.values(node.attrs).some((value) => typeof value === 'string' && ZRENDER_ID.test(value)) || (node.children ?? []).some(holdsInstanceId);
}

/** zrender's instance numbering (`zr3-…`), counted process-wide. */
const ZRENDER_ID = /\bzr\d+-/;
/** The class of a hover style (`zr3-cls-1`): counted process-wide, meaningless in print. */
const HOVER_CLASS = /^zr\d+-cls-\d+$/;

/** The tree without what only interaction uses: hover-style classes and their `style` element, `ecmeta_*` and `pointer-events` attributes. */
function withoutInteraction(node: SvgVNode): SvgVNode {
  for (const name of Object.keys(node.attrs)) {
    const value = node.attrs[name];
    if (name.startsWith('ecmeta_') || name === 'pointer-events' || (name === 'class' && typeof value === 'string' && HOVER_CLASS.test(value))) delete node.attrs[name];
  }
  if (node.children) node.children = node.children.filter((child) => child.tag !== 'style').map(withoutInteraction);
  return node;
}

/**
 * Number the ids (clip paths, gradients, patterns) in the order the text gives them — the order of the
 * tree, depth first, attributes in order — under one prefix, and rewrite what refers to them
 * (`url(#…)` in any attribute, `#…` in `href` and `xlink:href`).
 */
function renumberIds(root: SvgVNode, prefix: string): void {
  const ids = new Map<string, string>();
  const collect = (node: SvgVNode) => {
    const id = node.attrs.id;
    if (id !== undefined && !ids.has(String(id))) ids.set(String(id), `${prefix}-${ids.size + 1}`);
    node.children?.forEach(collect);
  };
  collect(root);
  if (!ids.size) return;
  const rewrite = (node: SvgVNode) => {
    for (const [name, value] of Object.entries(node.attrs)) {
      if (typeof value !== 'string') continue;
      if (name === 'id') node.attrs[name] = ids.get(value)!;
      else if ((name === 'href' || name === 'xlink:href') && value.startsWith('#') && ids.has(value.slice(1))) node.attrs[name] = `#${ids.get(value.slice(1))}`;
      else if (value.includes('url(#')) node.attrs[name] = value.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : m));
    }
    node.children?.forEach(rewrite);
  };
  rewrite(root);
}

/** What stands in for a chart that is not drawn: an empty SVG of its size, with its label. */
function undrawn(frame: Frame): string {
  const label = frame.title ? ` role="img" aria-label="${escapeAttribute(frame.title)}"` : '';
  return `<svg class="chart"${label} xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}"></svg>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
