/**
 * A chart's SVG depends only on its own inputs. Regression: the world report built alone gave the
 * English dimensions chart a two-line "Digital " / "economy" label where the full build gave one line.
 * zrender's `overflow: 'break'` measured with a per-font ASCII width table that it stops building, for
 * the rest of the process, once building earlier tables was slow, so the breaking depended on the
 * machine's load and on the charts drawn before. The test makes those earlier tables "slow" (a clock that
 * jumps 20 ms per reading) and drops zrender's cached fonts, then draws every chart again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakLabel } from '../pipeline/charts/label-lines.ts';
import { echartsModule } from '../pipeline/charts/echarts-module.ts';
import { CHART_TYPES, indicatorChart } from '../pipeline/charts/indicator-charts.ts';
import type { GeoJson } from '../pipeline/charts/choropleth.ts';
import { textIn } from '../pipeline/indicators/model.ts';
import { createIndicatorStore } from '../pipeline/indicators/store.ts';
import { repoRoot } from './helpers.ts';

/** Every character 10 px wide. */
const tenEach = (line: string): number => [...line].length * 10;

test('breakLabel: breaks after spaces, keeps words whole, keeps the trailing space, starts no line with one', () => {
  assert.equal(breakLabel('Digital economy', 150, tenEach), 'Digital economy');
  assert.equal(breakLabel('Digital economy', 100, tenEach), 'Digital \neconomy');
  assert.equal(breakLabel('Cyberspace governance', 100, tenEach), 'Cyberspace \ngovernance', 'a space that does not fit ends its line');
  assert.equal(breakLabel('Cybersecurity', 100, tenEach), 'Cybersecur\nity', 'a word wider than the width breaks between characters');
  assert.equal(breakLabel('ab/cd', 30, tenEach), 'ab/\ncd', 'a break after a slash');
});

test('breakLabel: Chinese breaks between any two characters; empty and one-line labels unchanged', () => {
  assert.equal(breakLabel('信息基础设施', 40, tenEach), '信息基础\n设施');
  assert.equal(breakLabel('网络治理', 40, tenEach), '网络治理');
  assert.equal(breakLabel('', 40, tenEach), '');
  assert.equal(breakLabel('R&D 5G', 1000, tenEach), 'R&D 5G');
});

const store = createIndicatorStore(join(repoRoot, 'indicators'));
const widi = store.get('widi')!;
const geometry = JSON.parse(readFileSync(join(widi.loaded.dir, widi.result!.framework.map!.geometry), 'utf8')) as GeoJson;

function drawAll(): Map<string, string> {
  const svgs = new Map<string, string>();
  for (const lang of ['en', 'zh-CN', 'zh-Hant']) {
    for (const type of CHART_TYPES) {
      const svg = indicatorChart({
        type, entry: widi, result: widi.result!, node: 'composite', entities: ['CHN', 'USA'], highlight: ['CHN'], top: 10, of: 'score',
        lang, text: (t) => textIn(t, lang), t: (k) => k, idPrefix: `fig-${type}`, title: type, geometry,
      });
      svgs.set(`${lang} ${type}`, svg);
    }
  }
  return svgs;
}

/** What a loaded machine or a long run leaves behind in zrender: width tables off, its font cache turned over. */
function slowWidthTables(): void {
  const RealDate = globalThis.Date;
  let now = 0;
  globalThis.Date = class extends RealDate {
    constructor() {
      super((now += 20));
    }
  } as DateConstructor;
  try {
    const echarts = echartsModule();
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 200, height: 100 });
    chart.setOption({ animation: false, xAxis: { type: 'category', data: ['a b c'], axisLabel: { fontSize: 7, width: 10, overflow: 'break' } }, yAxis: {}, series: [{ type: 'bar', data: [1] }] });
    chart.renderToSVGString();
    chart.dispose();
    for (let px = 100; px < 250; px++) echarts.format.getTextRect('x', `${px}px sans-serif`);
  } finally {
    globalThis.Date = RealDate;
  }
}

test('every chart type, in every language, draws the same SVG after other charts left zrender slow and its fonts turned over', () => {
  const before = drawAll();
  assert.ok([...before.get('en dimensions')!.matchAll(/>Digital economy</g)].length >= 1, 'the label that broke before is one line');
  slowWidthTables();
  const after = drawAll();
  for (const [key, svg] of before) assert.equal(after.get(key), svg, `${key}: same SVG`);
});
