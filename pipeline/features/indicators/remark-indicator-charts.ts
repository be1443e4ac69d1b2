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
import { resolve } from 'node:path';
import type { Root, RootContent } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import type { VFile } from 'vfile';
import type { ChartSvgMemo } from '../../base/memo.ts';
import type { GeoJson, MapInset } from '../../charts/choropleth.ts';
import { CHART_TYPES, indicatorChart, indicatorChartData } from '../../charts/indicator-charts.ts';
import type { IndicatorChartRequest } from '../../charts/indicator-chart-type.ts';
import { dataTable } from '../../charts/data-table.ts';
import type { Element } from 'hast';
import { COMPOSITE, isIndicator, textIn } from '../../indicators/model.ts';
import { findNode, nodeName, sourceLine } from '../../indicators/present.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext } from '../../context/types.ts';
import { mapApprovalNumber } from '../../locale/map-approval.ts';
import { ANY_KIND, visitDirective, type Directive } from '../../markdown/directive-utils.ts';
import { assumptionsText, intervalShare } from './indicator-words.ts';
import { choiceAttribute, intAttribute, resolveEntities, resolveFramework, resolveNode, type IndicatorDirectiveContext, type Resolved } from './indicator-attributes.ts';
import type { Framework } from '../../indicators/schema.ts';
import { marker, placeholder } from './indicator-markers.ts';

/** Charts of one edition waiting to be put in place: placeholder src → SVG and notes. */
export type ChartRegistry = Map<string, { svg: string; notes: string[]; data?: { summary: string; table: Element } }>;

export const CHART_SRC_PREFIX = 'annals:chart-';

export interface IndicatorChartsOptions extends IndicatorDirectiveContext {
  context: EditionContext;
  charts: ChartRegistry;
  /**
   * Geometry files already parsed, by absolute path (shared by the editions of a build). Default: new. The
   * files are read through the store (`store.text`), which notes every read for the chapter-run cache.
   */
  geometries?: Map<string, GeoJson | null>;
  /** Chart SVGs drawn in earlier builds, by hash of their option (a preview's BuildMemo). Default: none. */
  svgMemo?: ChartSvgMemo;
  /** Draw the charts (false: `annals check`; charts/theme.ts `ChartFrame.draw`). Default: true. */
  draw?: boolean;
}

export function remarkIndicatorCharts(options: IndicatorChartsOptions) {
  const geometries = options.geometries ?? new Map<string, GeoJson | null>();
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'chart', ANY_KIND, (directive, { index, replace }) => {
      if (directive.type !== 'leafDirective') {
        report(file, 'directive-attribute', 'write a chart as a leaf directive: ::chart[Caption]{type=… framework=…}', directive);
        replace(placeholder(directive));
        return;
      }
      const chart = chartAttributes(options, directive, file);
      const map = chart && chart.type === 'map' ? mapOf(chart, { options, geometries, directive, file }) : {};
      if (!chart || !map) {
        replace(placeholder(directive));
        return;
      }
      replace(chartFigure(chart, map, directive, options), marker(directive));
      return index + 2;
    });
  };
}

type ChartType = (typeof CHART_TYPES)[number];

/** A `::chart`'s attributes, checked: what to draw, of which node, for which entities. */
interface ChartAttributes {
  type: ChartType;
  resolved: Resolved;
  framework: Framework;
  nodeId: string;
  entities: string[];
  highlight: string[];
  top: number | null;
  width: number | null;
  height: number | null;
  of: 'score' | 'raw';
}

/** The attributes of a `::chart`, checked in order; undefined at the first one that is wrong (reported). */
function chartAttributes(options: IndicatorChartsOptions, directive: LeafDirective, file: VFile): ChartAttributes | undefined {
  const attrs = directive.attributes ?? {};
  if (!attrs.type) {
    report(file, 'directive-attribute', `::chart needs \`type\`: ${CHART_TYPES.join(', ')}`, directive);
    return undefined;
  }
  const type = choiceAttribute(directive, file, 'type', CHART_TYPES, 'bar');
  if (!type) return undefined;
  const resolved = resolveFramework(options, directive, file);
  if (!resolved) return undefined;
  const nodeId = resolveNode(resolved, directive, file);
  if (!nodeId) return undefined;
  const entities = resolveEntities(resolved, directive, file, attrs.entities != null ? 'entities' : 'entity');
  const highlight = resolveEntities(resolved, directive, file, 'highlight');
  if (!entities || !highlight) return undefined;
  const top = intAttribute(directive, file, 'top');
  const width = intAttribute(directive, file, 'width');
  const height = intAttribute(directive, file, 'height');
  if (top === undefined || width === undefined || height === undefined) return undefined;
  const of = choiceAttribute(directive, file, 'of', ['score', 'raw'] as const, 'score');
  if (!of) return undefined;
  const chart = { type, resolved, framework: resolved.result.framework, nodeId, entities, highlight, top, width, height, of };
  return fitsItsType(chart, directive, file) ? chart : undefined;
}

/** Whether the node, entities and `of` suit the chart's type (reported when not). */
function fitsItsType(chart: ChartAttributes, directive: LeafDirective, file: VFile): boolean {
  const { type, nodeId, framework, entities, of } = chart;
  const treeNode = nodeId === COMPOSITE ? undefined : findNode(framework, nodeId);
  if ((type === 'radar' || type === 'dimensions' || type === 'timeseries') && entities.length === 0) {
    report(file, 'directive-attribute', `::chart type=${type} needs \`entities\`, e.g. entities="CHN,USA"`, directive);
    return false;
  }
  if ((type === 'radar' || type === 'dimensions') && treeNode && isIndicator(treeNode)) {
    report(file, 'directive-attribute', `::chart type=${type} compares the parts of a dimension; \`${nodeId}\` is an indicator`, directive);
    return false;
  }
  if (of === 'raw' && !(treeNode && isIndicator(treeNode))) {
    report(file, 'directive-attribute', '::chart of=raw needs `indicator`, the id of an indicator', directive);
    return false;
  }
  if (type === 'intervals' && (nodeId !== COMPOSITE || !chart.resolved.entry.uncertainty())) {
    report(
      file,
      'directive-attribute',
      nodeId !== COMPOSITE ? '::chart type=intervals shows the composite ranking; leave out `dimension` and `indicator`' : `::chart type=intervals needs the uncertainty analysis: framework \`${framework.id}\` declares no \`uncertainty\``,
      directive,
    );
    return false;
  }
  return true;
}

/** A map's drawing: its geometry, the inset and the approval number (审图号). */
interface MapParts {
  geometry?: GeoJson;
  inset?: MapInset;
  approval?: string;
}

interface MapSource {
  options: IndicatorChartsOptions;
  geometries: Map<string, GeoJson | null>;
  directive: LeafDirective;
  file: VFile;
}

/** A geometry file, parsed once per build; undefined (reported) when it cannot be read. */
function readGeometry(path: string, shown: string, framework: Framework, from: MapSource): GeoJson | undefined {
  const { geometries } = from;
  // Asked of the store every time, so each chapter's run notes the read (observed-store.ts).
  const text = from.options.store.text(path);
  if (!geometries.has(path)) {
    try {
      geometries.set(path, text === undefined ? null : (JSON.parse(text) as GeoJson));
    } catch {
      geometries.set(path, null);
    }
  }
  const g = geometries.get(path);
  if (!g) report(from.file, 'indicator-map', `cannot read the map geometry ${shown} of \`${framework.id}\``, from.directive, { severity: 'error' });
  return g ?? undefined;
}

/** The parts of a map chart, or undefined when the framework has no map or a file cannot be read (reported). */
function mapOf(chart: ChartAttributes, from: MapSource): MapParts | undefined {
  const { framework, resolved } = chart;
  const { context } = from.options;
  const { directive, file } = from;
  if (!framework.map) {
    report(file, 'indicator-map', `framework \`${framework.id}\` has no \`map:\` (geometry file and id property)`, directive, { severity: 'error' });
    return undefined;
  }
  // The book's standard base map (press.baseMaps in book.yaml) replaces the framework's, unchanged.
  const base = context.config.press.baseMaps[framework.id];
  const dir = resolved.entry.loaded.dir;
  const geometry = base ? readGeometry(resolve(context.book.dir, base.geometry), base.geometry, framework, from) : readGeometry(resolve(dir, framework.map.geometry), framework.map.geometry, framework, from);
  if (!geometry) return undefined;
  const ids = new Set(geometry.features.map((f) => String(f.properties[framework.map!.idProperty])));
  const without = framework.entities.filter((e) => !ids.has(e.id)).map((e) => e.id);
  if (without.length) {
    report(file, 'indicator-map', `no map feature for ${without.join(', ')} (property \`${framework.map.idProperty}\`)`, directive);
  }
  let inset: MapInset | undefined;
  const boundaryFile = base ? base.boundary : framework.map.inset?.boundary;
  if (framework.map.inset && boundaryFile) {
    const boundary = readGeometry(resolve(base ? context.book.dir : dir, boundaryFile), boundaryFile, framework, from);
    if (!boundary) return undefined;
    inset = { boundary, bounds: framework.map.inset.bounds, label: framework.map.inset.label ? context.locale.text(framework.map.inset.label) : context.locale.t('mapInsetLabel') };
  }
  // 审图号: the directive's, else the book's base map's or press.mapApproval, else the framework's.
  const approval = directive.attributes?.approval ?? base?.approval ?? context.config.press.mapApproval ?? framework.map.approval;
  if (!approval) {
    report(file, 'map-approval', `the map has no approval number (审图号): \`approval=\` on ::chart, \`press.mapApproval\` in book.yaml or \`map.approval\` in ${framework.id}'s framework.yaml`, directive);
  }
  return { geometry, ...(inset ? { inset } : {}), ...(approval ? { approval } : {}) };
}

/** Draws the chart, registers it under a placeholder src, and returns the `::figure` that shows it. */
function chartFigure(chart: ChartAttributes, map: MapParts, directive: LeafDirective, options: IndicatorChartsOptions): Directive {
  const { locale } = options.context;
  const { type, resolved, framework, nodeId, of } = chart;
  const { result, entry } = resolved;
  const attrs = directive.attributes ?? {};
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
    entities: chart.entities,
    highlight: chart.highlight,
    top: chart.top ?? undefined,
    group: attrs.group ?? undefined,
    of,
    lang: locale.lang,
    text: (t) => locale.text(t),
    t: (k, v) => locale.t(k, v),
    ...(chart.width ? { width: chart.width } : {}),
    ...(chart.height ? { height: chart.height } : {}),
    ...(map.geometry ? { geometry: map.geometry } : {}),
    ...(map.inset ? { inset: map.inset } : {}),
    idPrefix: attrs.id ?? `chart-${chartNumber}`,
    title: locale.convert(caption),
    ...(options.svgMemo ? { svgMemo: options.svgMemo } : {}),
    ...(options.draw === false ? { draw: false } : {}),
  };
  const svg = indicatorChart(request);
  const computed = of === 'score' ? [locale.t('indicatorComputed')] : [];
  const source = sourceLine(framework, entry.loaded.dataset, nodeId, locale.lang, [...computed, ...(type === 'map' && framework.map?.attribution ? [textIn(framework.map.attribution, locale.lang)] : [])], locale.t('sourceSeparator'));
  const notes = chartNotes(chart, source.illustrative, map.approval, locale);
  // The chart's numbers as a table: its text alternative in the site, and its CSV (docs/site.md).
  const data = indicatorChartData(request);
  const table = data ? dataTable({ columns: data.columns, rows: data.rows, locale, className: ['chart-data-table'] }) : undefined;
  if (table && source.licences.length) table.properties.dataLicence = source.licences.join('; ');
  options.charts.set(key, { svg, notes, ...(table ? { data: { summary: locale.t('chartData'), table } } : {}) });
  return {
    type: 'leafDirective',
    name: 'figure',
    attributes: { ...(attrs.id ? { id: attrs.id } : {}), src: key, alt: caption, source: source.text },
    children: directive.children.length ? directive.children : [{ type: 'text', value: caption }],
    position: directive.position,
  } as Directive;
}

/** The notes printed with the chart: illustrative data, the Monte Carlo of an intervals chart, the 审图号. */
function chartNotes(chart: ChartAttributes, illustrative: boolean, approval: string | undefined, locale: EditionContext['locale']): string[] {
  const { framework } = chart;
  const notes: string[] = [];
  if (illustrative) notes.push(locale.t('note') + locale.t('indicatorIllustrativeNote'));
  const u = chart.type === 'intervals' ? chart.resolved.entry.uncertainty() : undefined;
  if (u) {
    notes.push(
      locale.t('note') +
        locale.t('indicatorIntervalNote', { draws: locale.number(u.settings.draws, { useGrouping: !locale.cjk }), p: intervalShare(u, locale), assumptions: assumptionsText(framework, u, locale), seed: u.settings.seed }),
    );
  }
  if (approval) notes.push(locale.t('mapApproval', { number: mapApprovalNumber(approval, locale.cjk) }));
  return notes;
}

function toPlain(nodes: RootContent[]): string {
  return nodes.map((n) => ('value' in n ? String(n.value) : 'children' in n ? toPlain(n.children as RootContent[]) : '')).join('');
}
