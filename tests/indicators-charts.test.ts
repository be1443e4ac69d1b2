/**
 * Charts rendered on the server: well-formed SVG, names as text (not outlines), no text outlines, no
 * instance-numbered ids, the same bytes every time. Uses the real World Internet Development Index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { indicatorChart, type ChartType } from '../pipeline/charts/indicator-charts.ts';
import { barRanking } from '../pipeline/charts/bar-ranking.ts';
import type { GeoJson } from '../pipeline/charts/choropleth.ts';
import { textIn } from '../pipeline/indicators/model.ts';
import { createIndicatorStore } from '../pipeline/indicators/store.ts';
import { createLocale } from '../pipeline/locale/locale.ts';
import { repoRoot } from './helpers.ts';

const store = createIndicatorStore(join(repoRoot, 'indicators'));
const zhWords = createLocale('zh-CN', join(repoRoot, 'templates'));
const widi = store.get('widi')!;
const geometry = JSON.parse(readFileSync(join(widi.loaded.dir, widi.result!.framework.map!.geometry), 'utf8')) as GeoJson;

function chart(type: ChartType, extra: Partial<Parameters<typeof indicatorChart>[0]> = {}): string {
  return indicatorChart({
    type,
    entry: widi,
    result: widi.result!,
    node: 'composite',
    entities: ['CHN', 'USA'],
    highlight: ['CHN'],
    top: 10,
    of: 'score',
    lang: 'zh-CN',
    text: (t) => textIn(t, 'zh-CN'),
    // The edition's words (the map's 示意图 note is the locale's `mapNote` when the framework gives none).
    t: (k, vars) => zhWords.t(k, vars),
    idPrefix: `fig-${type}`,
    title: `测试${type}`,
    geometry,
    ...extra,
  });
}

function wellFormed(svg: string): void {
  const errors: string[] = [];
  const tree = fromHtml(svg, { fragment: true, space: 'svg', onerror: (e) => void errors.push(e.reason) });
  assert.deepEqual(errors, [], 'parses without errors');
  const root = tree.children.filter((c) => c.type === 'element');
  assert.equal(root.length, 1);
  assert.equal((root[0] as { tagName: string }).tagName, 'svg');
  assert.match(svg, /^<svg class="chart" role="img" aria-label="[^"]+" style="max-width:100%;height:auto" width="\d+" height="\d+" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

const types: ChartType[] = ['bar', 'radar', 'dimensions', 'timeseries', 'map'];

for (const type of types) {
  test(`${type}: well-formed SVG, names as text, stable ids, same bytes twice`, () => {
    const a = chart(type);
    const b = chart(type);
    assert.equal(a, b, 'same bytes');
    wellFormed(a);
    assert.ok(!/\bzr\d+-/.test(a), 'no zrender instance ids');
    for (const id of a.matchAll(/\bid="([^"]+)"/g)) assert.ok(id[1]!.startsWith(`fig-${type}-`), `id ${id[1]} has the figure prefix`);
    assert.ok(!/<text[^>]*(stroke|paint-order)/.test(a), 'no outlined text');
    assert.ok(!/ecmeta_|<style/.test(a), 'no interaction leftovers');
    assert.ok(a.includes(`font-family:${fontSetFor('zh-Hans').heading}`), 'the Simplified edition\'s declared heading family');
    const labels = texts(a);
    if (type === 'bar') {
      assert.ok(labels.includes('韩国') && labels.includes('瑞士'), 'entity names');
      assert.equal(labels.filter((t) => /^\d+\.\d\d$/.test(t)).length, 10, 'ten value labels');
    }
    if (type === 'radar' || type === 'dimensions') for (const d of ['信息基础设施', '网络治理', '中国', '美国']) assert.ok(labels.includes(d), `${type} has ${d}`);
    if (type === 'timeseries') for (const y of ['2019', '2024', '中国', '美国']) assert.ok(labels.includes(y), `timeseries has ${y}`);
    if (type === 'map') {
      assert.ok(labels.some((t) => t.startsWith('示意图')), 'the 示意图 note is in the map');
      assert.ok(labels.includes('第一梯队'), 'tier legend');
    }
  });
}

test('the same chart drawn after others is byte-identical (no process-wide counters leak in)', () => {
  const first = barRanking({ items: [{ label: '甲', value: 1 }], idPrefix: 'x' });
  chart('radar');
  chart('map');
  assert.equal(barRanking({ items: [{ label: '甲', value: 1 }], idPrefix: 'x' }), first);
});

test('English edition: Latin font first, English names', () => {
  const svg = chart('bar', { lang: 'en', text: (t) => textIn(t, 'en'), top: 3 });
  assert.ok(svg.includes("font-family:'Source Sans 3', 'Noto Sans SC'"), 'Latin face first in English');
  assert.ok(texts(svg).includes('Korea'));
});

test('Traditional Chinese charts name the Traditional fonts the edition ships', async () => {
  const { fontStack } = await import('../pipeline/charts/theme.ts');
  assert.ok(fontStack('zh-TW').startsWith("'Noto Sans TC'"));
  assert.ok(fontStack('zh-HK').startsWith("'Noto Sans TC'"));
  assert.ok(fontStack('zh-CN').startsWith("'Noto Sans SC'"));
});
