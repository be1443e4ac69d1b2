/**
 * Lawful maps (docs/print-production.md): every province and every framework country with data is
 * coloured (none left in the no-data grey; Beijing was), the China map has its 南海诸岛 inset with the
 * boundary segments inside the inset's frame, every map prints its 审图号 and a map without one is a
 * warning at the directive (an error in a release).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indicatorChart } from '../pipeline/charts/indicator-charts.ts';
import { clipRing, type GeoJson, type MapInset } from '../pipeline/charts/choropleth.ts';
import { palette } from '../pipeline/charts/theme.ts';
import { textIn } from '../pipeline/indicators/model.ts';
import { createIndicatorStore } from '../pipeline/indicators/store.ts';
import { build, copyFixture, repoRoot, tempProject } from './helpers.ts';

const store = createIndicatorStore(join(repoRoot, 'indicators'));
const readGeo = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as GeoJson;

function mapSvg(id: 'cidi' | 'widi', inset?: MapInset): { svg: string; geometry: GeoJson; scored: Set<string> } {
  const entry = store.get(id)!;
  const framework = entry.result!.framework;
  const geometry = readGeo(entry.loaded.dir, framework.map!.geometry);
  const svg = indicatorChart({
    type: 'map', entry, result: entry.result!, node: 'composite', entities: [], highlight: [], of: 'score', lang: 'zh-CN',
    text: (t) => textIn(t, 'zh-CN'), t: (k) => k, idPrefix: `map-${id}`, title: id, geometry, ...(inset ? { inset } : {}),
  });
  const scored = new Set(Object.keys(entry.result!.current.scores.composite ?? {}));
  return { svg, geometry, scored };
}

interface DrawnPath { fill: string; box: [number, number, number, number] }

/** Filled paths of the drawing with their bounding boxes; the legend's swatches (drawn at the origin, 12×14) are left out. */
function paths(svg: string): DrawnPath[] {
  const out: DrawnPath[] = [];
  for (const m of svg.matchAll(/<path ([^>]*)>/g)) {
    const d = /\sd="([^"]*)"/.exec(' ' + m[1])?.[1];
    const fill = /fill="([^"]*)"/.exec(m[1]!)?.[1];
    if (!d || !fill || fill === 'none') continue;
    const nums = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((n) => Number(n[0]));
    const xs = nums.filter((_, i) => i % 2 === 0);
    const ys = nums.filter((_, i) => i % 2 === 1);
    const box: DrawnPath['box'] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    if (box[2] <= 14 && box[3] <= 16) continue; // a legend swatch
    out.push({ fill, box });
  }
  return out;
}

const NO_DATA = new Set([palette.noData, 'rgb(238,238,238)']);

for (const id of ['cidi', 'widi'] as const) {
  test(`${id}: every area with a score is coloured, only areas without one are grey`, () => {
    const { svg, geometry, scored } = mapSvg(id);
    const framework = store.get(id)!.result!.framework;
    const idProp = framework.map!.idProperty;
    const drawn = geometry.features.map((f) => String(f.properties[idProp])).filter((x) => !framework.map!.exclude.includes(x));
    const withData = drawn.filter((x) => scored.has(x));
    const map = paths(svg).filter((p) => !p.fill.startsWith('rgb(0,0,0)') && p.fill !== palette.text);
    const grey = map.filter((p) => NO_DATA.has(p.fill));
    const coloured = map.filter((p) => !NO_DATA.has(p.fill));
    assert.equal(coloured.length, withData.length, `${withData.length} areas have a score`);
    assert.equal(grey.length, drawn.length - withData.length);
    assert.ok(!svg.includes('fill="rgb(238,238,238)"'), 'no area with a score falls outside every class');
    if (id === 'cidi') assert.equal(withData.length, 31, 'all 31 provinces');
  });
}

test('the China map has the 南海诸岛 inset: a frame in the lower right with the boundary segments inside it', () => {
  const entry = store.get('cidi')!;
  const map = entry.result!.framework.map!;
  assert.ok(map.inset, 'cidi/framework.yaml sets map.inset');
  const boundary = readGeo(entry.loaded.dir, map.inset.boundary);
  assert.equal((boundary.features[0]!.geometry as { coordinates: unknown[] }).coordinates.length, 10, 'ten segments');
  const { svg } = mapSvg('cidi', { boundary, bounds: map.inset.bounds, label: '南海诸岛' });
  assert.match(svg, />南海诸岛</);
  const width = Number(/width="(\d+)"/.exec(svg)![1]);
  const height = Number(/height="(\d+)"/.exec(svg)![1]);
  // The frame: an unfilled rectangle drawn at the origin and moved into place.
  const frame = /<path d="M0 0l([\d.]+) 0l0 ([\d.]+)l-[\d.]+ 0Z" transform="translate\(([\d.]+) ([\d.]+)\)" fill="none" stroke="#666666"/.exec(svg);
  assert.ok(frame, 'the inset has a frame');
  const [w, h, x, y] = frame.slice(1).map(Number) as [number, number, number, number];
  assert.ok(x > width / 2 && y > height / 2, 'in the lower right');
  assert.ok(x + w <= width && y + h <= height);
  // The boundary segments: dark paths, all inside the frame.
  const dark = paths(svg).filter((p) => p.fill === palette.text);
  assert.ok(dark.length >= 1, 'the boundary is drawn');
  for (const p of dark) assert.ok(p.box[0] >= x && p.box[2] <= x + w && p.box[1] >= y && p.box[3] <= y + h, `boundary inside the frame: ${p.box}`);
});

test('clipping a ring to the inset frame (hand-computed)', () => {
  // A 4 × 4 square from (0,0) cut at x ≤ 2 and y ≤ 3 leaves the rectangle (0,0)–(2,3).
  const ring = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
  const clipped = clipRing(ring, { west: -1, east: 2, south: -1, north: 3 });
  const sorted = clipped.slice(0, -1).map((p) => p.join(',')).sort();
  assert.deepEqual(sorted, ['0,0', '0,3', '2,0', '2,3']);
  assert.deepEqual(clipped[0], clipped[clipped.length - 1]);
  assert.deepEqual(clipRing(ring, { west: 5, east: 6, south: 0, north: 1 }), []);
});

const MAP_CHAPTER = '---\ntitle: 指数地图\n---\n\n各省得分见地图。\n\n::chart[各省综合得分]{#fig-map type=map framework=cidi}\n';

test('审图号: printed under the map; missing, a warning at the directive; in a release, an error', async () => {
  const project = tempProject();
  copyFixture(join(repoRoot, 'tests/fixtures/press/press-book'), project, 'manuscripts/press-book');
  const chapter = 'manuscripts/press-book/zh/01-network.md';
  project.write(chapter, MAP_CHAPTER);
  const book = 'manuscripts/press-book/book.yaml';
  project.write(book, project.read(book).replace("editions:\n  zh:", "editions:\n  zh:").replace(/  en:\n[\s\S]*$/, ''));
  const missing = await build(project, { edition: 'zh' });
  const d = missing.diagnostics.find((x) => x.ruleId === 'map-approval');
  assert.ok(d, JSON.stringify(missing.diagnostics, null, 1));
  assert.equal(d.file, chapter);
  assert.equal(d.line, 7);
  assert.equal(d.column, 1);
  assert.equal(d.severity, 'warning');

  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = '1767225600';
  try {
    const release = await build(project, { edition: 'zh', release: true, checkOnly: true });
    assert.equal(release.ok, false);
    assert.equal(release.diagnostics.find((x) => x.ruleId === 'map-approval')?.severity, 'error');
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }

  project.write(book, project.read(book).replace('press:\n', 'press:\n  mapApproval: GS(2026)1234号\n'));
  const fromBook = await build(project, { edition: 'zh' });
  assert.equal(fromBook.diagnostics.filter((x) => x.ruleId === 'map-approval').length, 0);
  assert.match(project.read('out/press-book/zh/site/network.html').replace(/<[^>]+>/g, ''), /审图号：GS\(2026\)1234号/); // the text, whatever no-break spans it carries

  project.write(chapter, MAP_CHAPTER.replace('framework=cidi}', 'framework=cidi approval="GS(2025)0042号"}'));
  await build(project, { edition: 'zh' });
  const html = project.read('out/press-book/zh/site/network.html').replace(/<[^>]+>/g, '');
  assert.match(html, /审图号：GS\(2025\)0042号/);
  assert.doesNotMatch(html, /GS\(2026\)1234号/);
});
