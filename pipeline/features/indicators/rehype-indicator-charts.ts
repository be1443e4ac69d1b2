/**
 * Puts each indicator chart in place: the placeholder image of a `::chart` (src `annals:chart-N`, see
 * remark-indicator-charts.ts) becomes the chart's inline SVG, and the chart's notes (示意图, illustrative
 * data) are added to the figure just above its source line; in the site, the chart's numbers follow the
 * drawing as a table in a `<details>` (its text alternative and the source of its CSV).
 */
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { SKIP, visit } from '../../base/visit.ts';
import { CHART_SRC_PREFIX, type ChartRegistry } from './remark-indicator-charts.ts';
import { klona } from 'klona/json';

export interface IndicatorChartsHtmlOptions {
  charts: ChartRegistry;
}

export function rehypeIndicatorCharts(options: IndicatorChartsHtmlOptions) {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img' || !parent || index == null) return;
      const src = String(node.properties.src ?? '');
      if (!src.startsWith(CHART_SRC_PREFIX)) return;
      const chart = options.charts.get(src);
      if (!chart) return;
      const svg = fromHtml(chart.svg, { fragment: true, space: 'svg' }).children.find((c): c is Element => c.type === 'element' && c.tagName === 'svg');
      if (!svg) return;
      svg.position = node.position;
      parent.children[index] = svg;
      // In the site, the numbers drawn follow the drawing as a table the reader can open (and as a CSV).
      if (chart.data) {
        const details: Element = { type: 'element', tagName: 'details', properties: { className: ['chart-data'], dataOnly: 'site', dataPagefindIgnore: 'all' }, children: [{ type: 'element', tagName: 'summary', properties: {}, children: [{ type: 'text', value: chart.data.summary }] }, klona(chart.data.table)], position: node.position };
        parent.children.splice(index + 1, 0, details);
      }
      if (parent.type === 'element' && chart.notes.length) {
        const notes: ElementContent[] = chart.notes.map((text) => ({
          type: 'element',
          tagName: 'p',
          properties: { className: ['note'] },
          children: [{ type: 'text', value: text }],
          position: node.position,
        }));
        const sourceAt = parent.children.findIndex((c) => c.type === 'element' && c.tagName === 'p' && (c.properties.className as string[] | undefined)?.includes('source'));
        parent.children.splice(sourceAt >= 0 ? sourceAt : parent.children.length, 0, ...notes);
      }
      return SKIP;
    });
  };
}
