/**
 * Choropleth map of scores. The geometry is a GeoJSON FeatureCollection chosen by the framework
 * (`map.geometry`), joined to entities by the feature property `idProperty`; areas without a value are
 * drawn in the no-data colour. Classes are given as pieces (score ranges with labels and colours), so the
 * legend reads as tiers or score bands. The 示意图 note is written into the map as text, and the caller
 * prints it under the figure too.
 */
import { createHash } from 'node:crypto';
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
}

export function choropleth(spec: ChoroplethSpec): string {
  const lang = spec.lang ?? 'zh-CN';
  const width = spec.width ?? 680;
  const height = spec.height ?? 480;
  // Registered under a name derived from the geometry itself: the same file always gets the same name,
  // and a swapped file never meets a stale registration.
  const exclude = new Set(spec.exclude ?? []);
  const geometry = exclude.size ? { ...spec.geometry, features: spec.geometry.features.filter((f) => !exclude.has(String(f.properties[spec.idProperty]))) } : spec.geometry;
  const name = 'annals-' + createHash('sha256').update(JSON.stringify(geometry)).digest('hex').slice(0, 12);
  const echarts = echartsModule();
  if (!echarts.getMap(name)) echarts.registerMap(name, geometry as never);
  // The best class gets the darkest colour, whatever order the pieces come in.
  const colors = palette.sequential;
  const byMin = [...spec.pieces].sort((a, b) => a.min - b.min);
  const shade = (p: MapPiece) => {
    const i = byMin.indexOf(p);
    return colors[Math.round((i * (colors.length - 1)) / Math.max(1, byMin.length - 1))]!;
  };
  const pieces = spec.pieces.map((p) => ({ min: p.min, ...(p.max != null ? { max: p.max } : {}), label: p.label, color: p.color ?? shade(p) }));
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
      graphic: spec.note
        ? [{ type: 'text', left: 8, bottom: 6, style: { text: spec.note, fill: palette.muted, fontSize: 11, fontFamily: fontStack(lang) } }]
        : undefined,
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
          right: 8,
          top: 8,
          bottom: spec.note ? 28 : 8,
          label: { show: false, ...plainText },
          itemStyle: { areaColor: palette.noData, borderColor: palette.border, borderWidth: 0.5 },
          data: spec.values.map((v) => ({ name: v.id, value: v.value })),
        },
      ],
    },
    { width, height, idPrefix: spec.idPrefix, title: spec.title, svgMemo: spec.svgMemo },
    { ...spec, geometry: name, svgMemo: undefined },
  );
}
