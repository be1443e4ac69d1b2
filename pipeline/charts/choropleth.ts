/**
 * Choropleth map of scores. The geometry is a GeoJSON FeatureCollection chosen by the framework
 * (`map.geometry`), joined to entities by the feature property `idProperty`; areas without a value are
 * drawn in the no-data colour. Classes are given as pieces (score ranges with labels and colours), so the
 * legend reads as tiers or score bands. The 示意图 note is written into the map as text, and the caller
 * prints it under the figure too.
 */
import { createHash } from 'node:crypto';
import type { GraphicComponentOption, MapSeriesOption } from 'echarts';
import { echartsModule } from './echarts-module.ts';
import { renderOption } from './render.ts';
import { fontStack, palette, plainText, type ChartFrame } from './theme.ts';

export interface GeoJson {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }>;
}

export interface MapPiece {
  /** Lowest score of the class (inclusive). */
  min: number;
  /** Highest score of the class (inclusive); omit for the top class. */
  max?: number;
  label: string;
  color?: string;
}

export interface ChoroplethSpec extends ChartFrame {
  geometry: GeoJson;
  idProperty: string;
  values: Array<{ id: string; value: number }>;
  pieces: MapPiece[];
  /** Printed in the lower left corner (示意图 …). */
  note?: string;
  /** Legend title. */
  legendTitle?: string;
  noDataLabel?: string;
  center?: [number, number];
  zoom?: number;
  aspectScale?: number;
  /** Feature ids (values of `idProperty`) left out of the drawing, e.g. ATA (Antarctica). */
  exclude?: string[];
  /**
   * An inset (附图) in the lower right corner: the same areas seen within `bounds`, with the `boundary`
   * features drawn as solid dark strokes (the South China Sea's ten dashed segments are thin polygons),
   * framed, with its label. Default: none.
   */
  inset?: MapInset;
}

export interface MapInset {
  /** Line features drawn on the inset only (GeoJSON polygons or lines). */
  boundary: GeoJson;
  /** [[west, north], [east, south]] in degrees. */
  bounds: [[number, number], [number, number]];
  /** Printed in the inset's lower right corner, e.g. 南海诸岛. */
  label: string;
  /** Width of the inset as a share of the chart's width. Default: 0.2. */
  size?: number;
}

/** The id given to the inset's boundary features (no entity has it). */
export const BOUNDARY_ID = '__annals-boundary__';

export function choropleth(spec: ChoroplethSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 680;
  const height = spec.height ?? 480;
  const exclude = new Set(spec.exclude ?? []);
  const geometry = exclude.size ? { ...spec.geometry, features: spec.geometry.features.filter((f) => !exclude.has(String(f.properties[spec.idProperty]))) } : spec.geometry;
  // A chart that is not drawn (`annals check`) registers nothing: ECharts is not even loaded.
  const name = registered('annals-', geometry, spec.draw !== false);
  // The best class gets the darkest colour, whatever order the pieces come in.
  const colors = palette.sequential;
  const byMin = [...spec.pieces].sort((a, b) => a.min - b.min);
  const shade = (p: MapPiece) => {
    const i = byMin.indexOf(p);
    return colors[Math.round((i * (colors.length - 1)) / Math.max(1, byMin.length - 1))]!;
  };
  // `gte`/`lte`, not `min`/`max`: ECharts makes `min` exclusive on a piece without an upper bound, which
  // left the lowest member of the top class (Beijing, rank 3 and last of tier 1) in the no-data grey.
  const pieces = spec.pieces.map((p) => ({ gte: p.min, ...(p.max != null ? { lte: p.max } : {}), label: p.label, color: p.color ?? shade(p) }));
  const data = spec.values.map((v) => ({ name: v.id, value: v.value }));
  const inset = spec.inset ? insetParts(spec, spec.inset, geometry, data, { width, height, bottom: spec.note ? 28 : 8 }) : undefined;
  return renderOption(
    {
      textStyle: { fontFamily: fontStack(lang), color: palette.text },
      visualMap: {
        type: 'piecewise',
        left: 8,
        bottom: 28,
        orient: 'vertical',
        pieces,
        text: spec.legendTitle ? [spec.legendTitle] : undefined,
        showLabel: true,
        textStyle: { color: palette.text, fontSize: 11, ...plainText },
        itemWidth: 14,
        itemHeight: 10,
        outOfRange: { color: palette.noData },
      },
      graphic: [
        ...(spec.note ? [{ type: 'text' as const, left: 8, bottom: 6, style: { text: spec.note, fill: palette.muted, fontSize: 11, fontFamily: fontStack(lang) } }] : []),
        ...(inset?.graphic ?? []),
      ],
      series: [
        {
          type: 'map',
          map: name,
          nameProperty: spec.idProperty,
          roam: false,
          aspectScale: spec.aspectScale ?? 0.75,
          ...(spec.center ? { center: spec.center } : {}),
          ...(spec.zoom ? { zoom: spec.zoom } : {}),
          // The map fills the box right of the legend and above the note, keeping its aspect.
          left: 96,
          // With an inset, the main map keeps clear of it (the inset stands in the lower right corner).
          right: inset ? 8 + inset.width + 6 : 8,
          top: 8,
          bottom: spec.note ? 28 : 8,
          label: { show: false, ...plainText },
          itemStyle: { areaColor: palette.noData, borderColor: palette.border, borderWidth: 0.5 },
          data,
        },
        ...(inset ? [inset.series] : []),
      ],
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo, draw: spec.draw },
    { ...spec, geometry: name, svgMemo: undefined },
  );
}

/** The inset's map series (same values, its own view) and its frame and label. */
function insetParts(spec: ChoroplethSpec, inset: MapInset, geometry: GeoJson, data: Array<{ name: string; value: number }>, box: { width: number; height: number; bottom: number }): { series: MapSeriesOption; graphic: GraphicComponentOption[]; width: number } {
  const [[west, north], [east, south]] = inset.bounds;
  // Only areas that reach into the inset's bounds are drawn there, cut at its frame (ECharts does not
  // clip a map to its box); the boundary features always are.
  const inside = (f: GeoJson['features'][number]) => {
    const [minX, minY, maxX, maxY] = bbox(f.geometry);
    return maxX >= west && minX <= east && maxY >= south && minY <= north;
  };
  const rect = { west, east, south, north };
  const features = [
    ...geometry.features.filter(inside).map((f) => ({ ...f, geometry: clipGeometry(f.geometry, rect) })),
    ...inset.boundary.features.map((f) => ({ ...f, properties: { ...f.properties, [spec.idProperty]: BOUNDARY_ID } })),
  ];
  const insetGeometry: GeoJson = { type: 'FeatureCollection', features };
  const name = registered('annals-inset-', insetGeometry, spec.draw !== false);
  const aspect = 0.75; // the main map's default aspectScale: one degree of longitude is 0.75 of one of latitude
  const w = Math.round(box.width * (inset.size ?? 0.16));
  const h = Math.round((w * (north - south)) / ((east - west) * aspect));
  const left = box.width - 8 - w;
  const top = box.height - box.bottom - h;
  const series: MapSeriesOption = {
    type: 'map',
    map: name,
    nameProperty: spec.idProperty,
    roam: false,
    silent: true,
    boundingCoords: inset.bounds,
    aspectScale: aspect,
    left: left + 2,
    top: top + 2,
    width: w - 4,
    height: h - 4,
    label: { show: false, ...plainText },
    itemStyle: { areaColor: palette.noData, borderColor: palette.border, borderWidth: 0.4 },
    // The boundary is an item without a value: the visual map leaves it alone and its own style holds.
    data: [...data, { name: BOUNDARY_ID, itemStyle: { areaColor: palette.text, borderColor: palette.text, borderWidth: 0.6 } }],
  };
  const graphic: GraphicComponentOption[] = [
    { type: 'rect', left, top, shape: { width: w, height: h }, style: { fill: 'none', stroke: palette.muted, lineWidth: 0.8 }, silent: true },
    { type: 'text', right: 12, top: top + h - 16, style: { text: inset.label, fill: palette.text, fontSize: 10, fontFamily: fontStack(spec.lang ?? 'zh-CN') } },
  ];
  return { series, graphic, width: w };
}

/**
 * The name of a geometry registered with ECharts: `prefix` and a hash of the geometry, so the same file
 * always gets the same name and a swapped file never meets a stale registration. With `register` false
 * (the chart is not drawn) nothing is hashed or registered and the name is only the prefix.
 */
function registered(prefix: string, geometry: GeoJson, register: boolean): string {
  if (!register) return prefix;
  const name = prefix + createHash('sha256').update(JSON.stringify(geometry)).digest('hex').slice(0, 12);
  const echarts = echartsModule();
  if (!echarts.getMap(name)) echarts.registerMap(name, geometry as never);
  return name;
}

/** [minX, minY, maxX, maxY] of a GeoJSON geometry's coordinates. */
function bbox(geometry: unknown): [number, number, number, number] {
  const out: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      out[0] = Math.min(out[0], x!);
      out[1] = Math.min(out[1], y!);
      out[2] = Math.max(out[2], x!);
      out[3] = Math.max(out[3], y!);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk((geometry as { coordinates?: unknown })?.coordinates);
  return out;
}

interface Rect {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** A Polygon or MultiPolygon cut to `rect` (every ring clipped on its own); other geometry unchanged. */
export function clipGeometry(geometry: unknown, rect: Rect): unknown {
  const g = geometry as { type?: string; coordinates?: unknown };
  const polygon = (rings: number[][][]) => rings.map((ring) => clipRing(ring, rect)).filter((ring) => ring.length >= 4);
  if (g?.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [polygon(g.coordinates as number[][][])].filter((p) => p.length) };
  if (g?.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: (g.coordinates as number[][][][]).map(polygon).filter((p) => p.length) };
  return geometry;
}

/** Sutherland–Hodgman: the part of a closed ring inside an axis-aligned rectangle, closed again. */
export function clipRing(ring: number[][], rect: Rect): number[][] {
  const edges: Array<{ inside: (p: number[]) => boolean; cross: (a: number[], b: number[]) => number[] }> = [
    { inside: (p) => p[0]! >= rect.west, cross: (a, b) => atX(a, b, rect.west) },
    { inside: (p) => p[0]! <= rect.east, cross: (a, b) => atX(a, b, rect.east) },
    { inside: (p) => p[1]! >= rect.south, cross: (a, b) => atY(a, b, rect.south) },
    { inside: (p) => p[1]! <= rect.north, cross: (a, b) => atY(a, b, rect.north) },
  ];
  let points = ring.slice(0, -1);
  for (const edge of edges) {
    const out: number[][] = [];
    points.forEach((current, i) => {
      const previous = points[(i + points.length - 1) % points.length]!;
      if (edge.inside(current)) {
        if (!edge.inside(previous)) out.push(edge.cross(previous, current));
        out.push(current);
      } else if (edge.inside(previous)) out.push(edge.cross(previous, current));
    });
    points = out;
    if (points.length === 0) return [];
  }
  return [...points, points[0]!];
}

function atX(a: number[], b: number[], x: number): number[] {
  const t = (x - a[0]!) / (b[0]! - a[0]!);
  return [x, a[1]! + t * (b[1]! - a[1]!)];
}

function atY(a: number[], b: number[], y: number): number[] {
  const t = (y - a[1]!) / (b[1]! - a[1]!);
  return [a[0]! + t * (b[0]! - a[0]!), y];
}
