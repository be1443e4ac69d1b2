import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indicatorChart, type ChartType } from './pipeline/charts/indicator-charts.ts';
import { textIn } from './pipeline/indicators/model.ts';
import { createIndicatorStore } from './pipeline/indicators/store.ts';
const store = createIndicatorStore('indicators');
const out: string[] = [];
for (const id of ['widi', 'cidi']) {
  const e = store.get(id)!;
  const geometry = JSON.parse(readFileSync(join(e.loaded.dir, e.result!.framework.map!.geometry), 'utf8'));
  const ents = id === 'widi' ? ['CHN', 'USA', 'DEU'] : ['110000', '440000', '540000'];
  for (const type of ['bar', 'radar', 'dimensions', 'timeseries', 'map'] as ChartType[]) {
    out.push(indicatorChart({ type, entry: e, result: e.result!, node: 'composite', entities: ents, highlight: [ents[0]!], top: 15, of: 'score', lang: 'zh-CN', text: (t) => textIn(t, 'zh-CN'), t: (k) => ({ indicatorScore: '得分', indicatorTier: '梯队' } as any)[k] ?? k, idPrefix: `${id}-${type}`, title: 't', geometry }));
  }
}
const css = ['noto-sans-sc', 'source-sans-3'].map((f) => `<link rel="stylesheet" href="file:///work/main/node_modules/@fontsource/${f}/index.css">`).join('');
writeFileSync('/tmp/charts/page.html', `<html><head>${css}</head><body style="margin:0;width:1400px">${out.map((s) => `<div style="border:1px solid #ccc;display:inline-block;margin:4px;vertical-align:top">${s}</div>`).join('')}</body></html>`);
