/**
 * `::chart[caption]{#id type=bar|radar|dimensions|timeseries|map framework=widi …}` — a chart of the
 * computed index, drawn at build time as SVG (pipeline/charts/), numbered with the chapter's figures and
 * printed with its source line (a map carries the framework's 示意图 note inside the drawing).
 *
 * Runs in the `expand` phase: the directive becomes a `::figure` whose `src` is a placeholder
 * (`annals:chart-N`; a URL scheme, so the image check leaves it alone), followed by a marker (see indicator-markers.ts). The SVG waits in `charts` until
 * `rehypeIndicatorCharts` puts it in place of the placeholder image, inline, so its text stays text in
 * the book's fonts. Chart labels go through `locale.text` (derived editions convert them there); the
 * caption and source line are converted with the chapter.
 *
 * Attributes: type (required), framework, year, dimension / indicator, entities (radar, dimensions,
 * timeseries), top, group, highlight (bar), of=score|raw (timeseries), width, height, approval (map: its
 * 审图号, printed under it; see docs/print-production.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import type { ChartSvgMemo } from '../base/memo.ts';
import type { GeoJson, MapInset } from '../charts/choropleth.ts';
import { CHART_TYPES, indicatorChart, type IndicatorChartRequest } from '../charts/indicator-charts.ts';
import { indicatorChartData } from '../charts/indicator-chart-data.ts';
import { dataTable } from '../charts/data-table.ts';
import type { Element } from 'hast';
import { COMPOSITE, isIndicator, textIn } from '../indicators/model.ts';
import { findNode, nodeName, sourceLine } from '../indicators/present.ts';
import { report } from '../report/diagnostics.ts';
import type { EditionContext } from '../context/types.ts';
import { ANY_KIND, visitDirective, type Directive } from './directive-utils.ts';
import { assumptionsText, intervalShare } from './indicator-words.ts';
import { choiceAttribute, intAttribute, resolveEntities, resolveFramework, resolveNode, type IndicatorDirectiveContext } from './indicator-attributes.ts';
import { marker, placeholder } from './indicator-markers.ts';

/** Charts of one edition waiting to be put in place: placeholder src → SVG and notes. */
export type ChartRegistry = Map<string, { svg: string; notes: string[]; data?: { summary: string; table: Element } }>;

export const CHART_SRC_PREFIX = 'annals:chart-';

export interface IndicatorChartsOptions extends IndicatorDirectiveContext {
  context: EditionContext;
  charts: ChartRegistry;
  /** Geometry files already read, by absolute path (shared by the editions of a build). Default: new. */
  geometries?: Map<string, GeoJson | null>;
  /** Chart SVGs drawn in earlier builds, by hash of their option (a preview's BuildMemo). Default: none. */
  svgMemo?: ChartSvgMemo;
  /** Draw the charts (false: `annals check`; charts/theme.ts `ChartFrame.draw`). Default: true. */
  draw?: boolean;
}

export function remarkIndicatorCharts(options: IndicatorChartsOptions) {
  const { context, charts } = options;
  const { locale } = context;
  const geometries = options.geometries ?? new Map<string, GeoJson | null>();
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'chart', ANY_KIND, (directive, { index, replace }) => {
      const fail = () => {
        replace(placeholder(directive));
      };
      if (directive.type !== 'leafDirective') {
        report(file, 'directive-attribute', 'write a chart as a leaf directive: ::chart[Caption]{type=… framework=…}', directive);
        return fail();
      }
      const attrs = directive.attributes ?? {};
      if (!attrs.type) {
        report(file, 'directive-attribute', `::chart needs \`type\`: ${CHART_TYPES.join(', ')}`, directive);
        return fail();
      }
      const type = choiceAttribute(directive, file, 'type', CHART_TYPES, 'bar');
      if (!type) return fail();
      const resolved = resolveFramework(options, directive, file);
      if (!resolved) return fail();
      const nodeId = resolveNode(resolved, directive, file);
      if (!nodeId) return fail();
      const entities = resolveEntities(resolved, directive, file, attrs.entities != null ? 'entities' : 'entity');
      const highlight = resolveEntities(resolved, directive, file, 'highlight');
      if (!entities || !highlight) return fail();
      const top = intAttribute(directive, file, 'top');
      const width = intAttribute(directive, file, 'width');
      const height = intAttribute(directive, file, 'height');
      if (top === undefined || width === undefined || height === undefined) return fail();
      const of = choiceAttribute(directive, file, 'of', ['score', 'raw'] as const, 'score');
      if (!of) return fail();
      const { result, entry } = resolved;
      const { framework } = result;
      const treeNode = nodeId === COMPOSITE ? undefined : findNode(framework, nodeId);

      if ((type === 'radar' || type === 'dimensions' || type === 'timeseries') && entities.length === 0) {
        report(file, 'directive-attribute', `::chart type=${type} needs \`entities\`, e.g. entities="CHN,USA"`, directive);
        return fail();
      }
      if ((type === 'radar' || type === 'dimensions') && treeNode && isIndicator(treeNode)) {
        report(file, 'directive-attribute', `::chart type=${type} compares the parts of a dimension; \`${nodeId}\` is an indicator`, directive);
        return fail();
      }
      if (of === 'raw' && !(treeNode && isIndicator(treeNode))) {
        report(file, 'directive-attribute', '::chart of=raw needs `indicator`, the id of an indicator', directive);
        return fail();
      }
      if (type === 'intervals' && (nodeId !== COMPOSITE || !entry.uncertainty())) {
        report(
          file,
          'directive-attribute',
          nodeId !== COMPOSITE ? '::chart type=intervals shows the composite ranking; leave out `dimension` and `indicator`' : `::chart type=intervals needs the uncertainty analysis: framework \`${framework.id}\` declares no \`uncertainty\``,
          directive,
        );
        return fail();
      }
      let geometry: GeoJson | undefined;
      let inset: MapInset | undefined;
      let approval: string | undefined;
      if (type === 'map') {
        if (!framework.map) {
          report(file, 'indicator-map', `framework \`${framework.id}\` has no \`map:\` (geometry file and id property)`, directive, { severity: 'error' });
          return fail();
        }
        // The book's standard base map (press.baseMaps in book.yaml) replaces the framework's, unchanged.
        const base = context.config.press.baseMaps[framework.id];
        const read = (path: string, shown: string): GeoJson | undefined => {
          if (!geometries.has(path)) {
            try {
              geometries.set(path, JSON.parse(readFileSync(path, 'utf8')) as GeoJson);
            } catch {
              geometries.set(path, null);
            }
          }
          const g = geometries.get(path);
          if (!g) report(file, 'indicator-map', `cannot read the map geometry ${shown} of \`${framework.id}\``, directive, { severity: 'error' });
          return g ?? undefined;
        };
        const g = base ? read(resolve(context.book.dir, base.geometry), base.geometry) : read(resolve(entry.loaded.dir, framework.map.geometry), framework.map.geometry);
        if (!g) return fail();
        geometry = g;
        const ids = new Set(g.features.map((f) => String(f.properties[framework.map!.idProperty])));
        const without = framework.entities.filter((e) => !ids.has(e.id)).map((e) => e.id);
        if (without.length) {
          report(file, 'indicator-map', `no map feature for ${without.join(', ')} (property \`${framework.map.idProperty}\`)`, directive);
        }
        const boundaryFile = base ? base.boundary : framework.map.inset?.boundary;
        if (framework.map.inset && boundaryFile) {
          const boundary = read(resolve(base ? context.book.dir : entry.loaded.dir, boundaryFile), boundaryFile);
          if (!boundary) return fail();
          inset = { boundary, bounds: framework.map.inset.bounds, label: locale.text(framework.map.inset.label) };
        }
        // 审图号: the directive's, else the book's base map's or press.mapApproval, else the framework's.
        approval = attrs.approval ?? base?.approval ?? context.config.press.mapApproval ?? framework.map.approval;
        if (!approval) {
          report(file, 'map-approval', `the map has no approval number (审图号): \`approval=\` on ::chart, \`press.mapApproval\` in book.yaml or \`map.approval\` in ${framework.id}'s framework.yaml`, directive);
        }
      }

      // Numbered through the edition (EditionContext.counters), so a chart's ids do not depend on the
      // chapters built in this run, only on the charts before it in the book.
      const chartNumber = ++options.context.counters.charts;
      const key = `${CHART_SRC_PREFIX}${chartNumber}`;
      const caption = directive.children.length ? toPlain(directive.children as RootContent[]) : nodeName(framework, nodeId, locale.lang);
      const request: IndicatorChartRequest = {
        type,
        entry,
        result,
        node: nodeId,
        entities,
        highlight,
        top: top ?? undefined,
        group: attrs.group ?? undefined,
        of,
        lang: locale.lang,
        text: (t) => locale.text(t),
        t: (k, v) => locale.t(k, v),
        ...(width ? { width } : {}),
        ...(height ? { height } : {}),
        ...(geometry ? { geometry } : {}),
        ...(inset ? { inset } : {}),
        idPrefix: attrs.id ?? `chart-${chartNumber}`,
        title: locale.convert(caption),
        ...(options.svgMemo ? { svgMemo: options.svgMemo } : {}),
        ...(options.draw === false ? { draw: false } : {}),
      };
      const svg = indicatorChart(request);
      const computed = of === 'score' ? [locale.t('indicatorComputed')] : [];
      const source = sourceLine(framework, entry.loaded.dataset, nodeId, locale.lang, [...computed, ...(type === 'map' && framework.map?.attribution ? [textIn(framework.map.attribution, locale.lang)] : [])]);
      const notes: string[] = [];
      if (source.illustrative) notes.push(locale.t('note') + locale.t('indicatorIllustrativeNote'));
      const u = type === 'intervals' ? entry.uncertainty() : undefined;
      if (u) {
        notes.push(
          locale.t('note') +
            locale.t('indicatorIntervalNote', { draws: locale.number(u.settings.draws, { useGrouping: !locale.cjk }), p: intervalShare(u, locale), assumptions: assumptionsText(framework, u, locale), seed: u.settings.seed }),
        );
      }
      if (approval) notes.push(locale.t('mapApproval', { number: approval }));
      // The chart's numbers as a table: its text alternative in the site, and its CSV (docs/site.md).
      const data = indicatorChartData(request);
      const table = data ? dataTable({ columns: data.columns, rows: data.rows, locale, className: ['chart-data-table'] }) : undefined;
      if (table && source.licences.length) table.properties.dataLicence = source.licences.join('; ');
      charts.set(key, { svg, notes, ...(table ? { data: { summary: locale.t('chartData'), table } } : {}) });

      const figure: Directive = {
        type: 'leafDirective',
        name: 'figure',
        attributes: { ...(attrs.id ? { id: attrs.id } : {}), src: key, alt: caption, source: source.text },
        children: directive.children.length ? directive.children : [{ type: 'text', value: caption }],
        position: directive.position,
      } as Directive;
      replace(figure, marker(directive));
      return index + 2;
    });
  };
}

function toPlain(nodes: RootContent[]): string {
  return nodes.map((n) => ('value' in n ? String(n.value) : 'children' in n ? toPlain(n.children as RootContent[]) : '')).join('');
}
