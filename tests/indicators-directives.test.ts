/**
 * The indicator directives through the real pipeline: a one-chapter book over the hand-computed mini
 * framework (tests/fixtures/indicators/mini; scores in indicators-compute.test.ts), built to HTML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, mainOf, repoRoot, tempProject, writeBook, type TempProject } from './helpers.ts';

const MINI = join(repoRoot, 'tests/fixtures/indicators/mini');

function miniProject(): TempProject {
  return { ...tempProject(), indicators: MINI };
}

const CHAPTER = `---
title: 指数
---
## 排名 {#sec-ranking}

::ranking-table[迷你指数排名]{#tab-mini framework=mini}

见:ref[tab-mini]、:ref[fig-bar]和:ref[fig-radar]。甲国位居第:value{framework=mini entity=AAA of=rank}位，得分:value{framework=mini entity=AAA of=score}，属:value{framework=mini entity=AAA of=tier}；乙国得分下降:value{framework=mini entity=BBB of=change absolute}分，排名第一的是:value{framework=mini of=name rank=1}。参评:value{framework=mini of=count}国，平均得分:value{framework=mini of=mean}，接入维度权重:value{framework=mini dimension=access of=weight}。甲国网民数:value{framework=mini entity=AAA indicator=users of=raw decimals=0}百万人（:value{framework=mini entity=AAA indicator=users of=year}年）。

::chart[综合得分排名]{#fig-bar type=bar framework=mini highlight=AAA}

::chart[各国维度得分]{#fig-radar type=radar framework=mini entities="AAA,BBB"}

::methodology{framework=mini}
`;

test('ranking table, values, charts and methodology in a built chapter', async () => {
  const project = miniProject();
  writeBook(project, { chapters: { '01-scores.md': CHAPTER } });
  const result = await build(project);
  const problems = result.diagnostics.filter((d) => d.severity !== 'info');
  assert.deepEqual(problems, []);
  const html = mainOf(project.read('out/test-book/zh/site/scores.html'));

  // The table: numbered, ranks, scores, tiers, change, source line.
  assert.match(html, /表1-1/);
  const table = html.slice(html.indexOf('ranking-table'), html.indexOf('</table>', html.indexOf('ranking-table')));
  for (const text of ['甲国', '68.00', '第一梯队', '乙国', '51.00', '−3.00', '丙国', '33.00', '第三梯队']) assert.ok(table.includes(text), `table has ${text}`);
  assert.match(html, /数据来源：测试数据；课题组计算/);
  assert.match(html, /得分变化和位次变化均与2023年数据相比/);

  // :value — every number bound to the data.
  const values = [...html.matchAll(/<span class="indicator-value"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);
  assert.deepEqual(values, ['1', '68.00', '第一梯队', '3.00', '甲国', '3', '50.67', '60%', '9', '2024']);

  // Charts: numbered figures with inline SVG (text as text), source lines.
  assert.match(html, /图1-1/);
  assert.match(html, /图1-2/);
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, 2);
  assert.ok(svgs[0]!.includes('>甲国<') && svgs[0]!.includes('>68.00<'), 'bar labels are text');
  assert.ok(svgs[1]!.includes('>接入<') && svgs[1]!.includes('>安全<'), 'radar axes are the dimensions');
  assert.ok(!/zr\d+-/.test(html), 'no zrender instance ids');
  assert.ok(html.includes('id="fig-bar-') || html.includes('fig-bar'), 'ids prefixed by the figure id');

  // Methodology: the tree with weights, and the formulas of the steps used.
  for (const text of ['1 接入', '1.1 用户普及率', '60%', '30%', '逆向', '取对数', '除以人口（×100）', '固定上下限0～10', '极差标准化', '加权算术平均', '梯队：按综合得分划分']) {
    assert.ok(html.includes(text), `methodology has ${text}`);
  }
});

test('bad directive attributes are reported at the directive', async () => {
  const project = miniProject();
  writeBook(project, {
    chapters: {
      '01-scores.md': `---\ntitle: 指数\n---\n甲国:value{framework=mini entity=AAB of=rank}。\n\n::ranking-table{framework=mimi}\n\n::chart{type=pie framework=mini}\n\n::chart{type=radar framework=mini}\n\n:value{framework=mini entity=AAA dimension=acess}\n`,
    },
  });
  const result = await build(project);
  const got = result.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}${d.hint?.startsWith('Did you mean') ? ` (${d.hint})` : ''}`);
  assert.deepEqual(got, [
    '4:3 indicator-unknown-entity unknown entity `AAB` in `entity` of :value (framework `mini`) (Did you mean `AAA`?)',
    '6:1 indicator-unknown-framework no indicator framework `mimi`',
    '8:1 directive-attribute `type="pie"` of :chart is not one of bar, radar, dimensions, timeseries, map, intervals',
    '10:1 directive-attribute ::chart type=radar needs `entities`, e.g. entities="CHN,USA"',
    '12:1 indicator-unknown-node `acess` is not a dimension or indicator of `mini` (Did you mean `access`?)',
  ]);
  assert.equal(result.ok, false);
});

test('English edition: English names, words and number format', async () => {
  const project = miniProject();
  writeBook(project, {
    edition: 'en',
    chapters: {
      '01-scores.md': `---\ntitle: Index\n---\n::ranking-table{framework=mini top=2}\n\nAland ranks :value{framework=mini entity=AAA of=rank} with :value{framework=mini entity=AAA of=score} points.\n`,
    },
  });
  const result = await build(project);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info'), []);
  const html = mainOf(project.read('out/test-book/en/site/scores.html'));
  assert.match(html, /Table 1\.1/);
  assert.match(html, /Mini Index: ranking \(top 2\)/);
  assert.match(html, /Aland/);
  assert.ok(!html.includes('Cland'), 'top 2 only');
  assert.match(html, /Source: Test data; authors’ calculations/);
  assert.match(html, /ranks <span[^>]*>1<\/span> with <span[^>]*>68\.00<\/span> points/);
});

/**
 * The mini framework with an uncertainty analysis and two edits: AAA's incidents in 2023 are 15 (so 2023
 * ranks BBB 54, CCC 48, AAA 38: AAA rises two places, BBB and CCC fall one), and BBB's governance for
 * 2024 is carried forward from 2023.
 */
function uncertainProject(changes: 'dash' | 'flag'): TempProject {
  const project = tempProject();
  const dir = join(project.root, 'indicators-copy');
  cpSync(MINI, dir, { recursive: true });
  const fw = join(dir, 'mini/2026/framework.yaml');
  writeFileSync(fw, readFileSync(fw, 'utf8').replace('tiers:', `uncertainty: {draws: 200, seed: 11, weights: 0.5, aggregations: [geometric], changes: ${changes}}\ntiers:`));
  const data = join(dir, 'mini/2026/data/series.yaml');
  writeFileSync(data, readFileSync(data, 'utf8').replace('AAA: {2023: 5, 2024: 5}', 'AAA: {2023: 15, 2024: 5}').replace('BBB: {2023: 6, 2024: 6}', 'BBB: {2023: 6}'));
  return { ...project, indicators: dir };
}

const UNCERTAIN = `---
title: 指数
---
::ranking-table[迷你指数排名]{#tab-mini framework=mini}

见:ref[tab-mini]和:ref[fig-int]。乙国的排名区间为第:value{framework=mini entity=BBB of=interval}位，数据覆盖:value{framework=mini entity=BBB of=coverage}。:value{framework=mini of=comparability}

::chart[排名区间]{#fig-int type=intervals framework=mini}

::methodology{framework=mini}
`;

test('rank intervals, carried-forward marks, changes within the uncertainty and the audit appendix', async () => {
  for (const changes of ['dash', 'flag'] as const) {
    const project = uncertainProject(changes);
    writeBook(project, { chapters: { '01-scores.md': UNCERTAIN } });
    const result = await build(project);
    assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info'), []);
    const html = mainOf(project.read('out/test-book/zh/site/scores.html'));
    const table = html.slice(html.indexOf('ranking-table'), html.indexOf('</table>', html.indexOf('ranking-table')));
    const cells = [...table.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((m) => m[1]);
    // AAA rose from 3 to 1 and BBB fell from 1 to 2, each previous rank outside this year's interval (1, 2–3):
    // the changes stand. CCC fell from 2 to 3, within its interval 2–3: "—" or in brackets.
    const within = (arrow: string) => (changes === 'dash' ? '—' : `(${arrow})`);
    assert.deepEqual(cells, [
      '排名', '名称', '得分', '排名区间', '梯队', '得分变化', '位次变化',
      '1', '甲国', '68.00', '1', '第一梯队', '+30.00', '↑2',
      '2', '乙国†', '51.00', '2–3', '第二梯队', '−3.00', '↓1',
      '3', '丙国', '33.00', '2–3', '第三梯队', '−15.00', within('↓1'),
    ]);
    assert.match(html, /标†者部分指标沿用此前年份的数值（2023年）。/);
    assert.match(html, /排名区间为200次蒙特卡洛模拟中排名的90%区间，模拟中各维度权重在±50%范围内、汇总方法（算术平均、几何平均）随机变化（随机种子11）。/);
    assert.match(html, changes === 'dash' ? /上年位次落在本年排名区间内的，位次变化记为—。/ : /括号内的位次变化未超出排名的不确定性/);
    const values = [...html.matchAll(/<span class="indicator-value"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);
    assert.deepEqual(values.slice(0, 2), ['2–3', '100%']);
    assert.ok(values[2]!.startsWith('各年得分均按本版方法计算，但标准化所用的上下限取自当年各评价对象的数值'), values[2]);
    // The chart and the appendix.
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(svgs.length, 1);
    assert.ok(svgs[0]!.includes('>排名区间<') && svgs[0]!.includes('>乙国<'), 'interval chart labels are text');
    for (const text of [
      '数据覆盖：本年没有任何自有数据的评价对象不参与排名。本年12项指标值中，本年观测值11项，沿用此前年份数值1项，以中位数插补0项；',
      '可比性：各年得分均按本版方法计算',
      '统计一致性：基于本年3个评价对象的标准化得分',
      '各维度的统计一致性',
      '不确定性分析：进行200次蒙特卡洛模拟',
      '排名对各项假设的敏感性',
    ]) {
      assert.ok(html.includes(text), `appendix has ${text}`);
    }
  }
});

test('a check reports what a build reports about the uncertainty analysis, without drawing it', async () => {
  const project = uncertainProject('dash');
  // Right uses (the whole UNCERTAIN chapter) and wrong ones: a previous year's interval, an interval column
  // in a dimension's table.
  const wrong = `\n上年区间:value{framework=mini entity=BBB of=interval at=previous}。\n\n::ranking-table[接入]{framework=mini dimension=access columns="rank name interval"}\n`;
  writeBook(project, { chapters: { '01-scores.md': UNCERTAIN + wrong } });
  const shown = (r: { diagnostics: Array<{ line?: number; column?: number; ruleId: string; message: string }> }) => r.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`);
  const built = await build(project);
  const checked = await build(project, { checkOnly: true });
  assert.equal(shown(built).filter((d) => d.includes('needs the uncertainty analysis')).length, 2, shown(built).join('\n'));
  assert.deepEqual(shown(checked), shown(built));
  // The check's store gives each ranked entity its published rank; the build's draws give BBB 2–3.
  const { createIndicatorStore } = await import('../pipeline/indicators/store.ts');
  const undrawn = createIndicatorStore(project.indicators, undefined, undefined, { draws: false }).get('mini')!.uncertainty()!;
  const drawn = createIndicatorStore(project.indicators).get('mini')!.uncertainty()!;
  assert.deepEqual(Object.keys(undrawn.entities).sort(), Object.keys(drawn.entities).sort());
  for (const [id, u] of Object.entries(undrawn.entities)) assert.deepEqual([u.lo, u.hi, u.median], [u.nominal, u.nominal, u.nominal], id);
  assert.deepEqual([drawn.entities.BBB!.lo, drawn.entities.BBB!.hi], [2, 3]);
  assert.equal(undrawn.settings.draws, 200);
});

test('a change between an imputed value and the entity’s own data is marked ‡', async () => {
  const project = tempProject();
  const dir = join(project.root, 'indicators-copy');
  cpSync(MINI, dir, { recursive: true });
  const data = join(dir, 'mini/2026/data/series.yaml');
  // BBB's speed: 2023 is carried from 2022 (lookback 1); 2024 has nothing within reach, so the median of north (AAA).
  writeFileSync(data, readFileSync(data, 'utf8').replace('BBB: {2023: 1000, 2024: 1000}', 'BBB: {2022: 1000}'));
  writeBook({ ...project, indicators: dir }, { chapters: { '01-scores.md': '---\ntitle: 指数\n---\n::ranking-table{framework=mini}\n' } });
  const result = await build({ ...project, indicators: dir });
  assert.equal(result.ok, true);
  const html = mainOf(project.read('out/test-book/zh/site/scores.html'));
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((c) => c[1]));
  const bbb = rows.find((r) => r.includes('乙国*'))!;
  assert.ok(bbb.some((c) => /‡$/.test(c!)), `BBB's change is marked: ${bbb.join(' | ')}`);
  assert.ok(rows.filter((r) => r.some((c) => /‡$/.test(c!))).length === 1, 'only BBB');
  assert.match(html, /标‡者的得分变化部分源于插补：某项指标在本年或2023年中只有一年以中位数插补。/);
});

test('a check reports what a build reports about charts, and draws none', async () => {
  const project = miniProject();
  const bad = `::chart[坏图]{type=radar framework=mini}\n\n::chart[缺维度]{type=dimensions framework=mini node=access.users entities="AAA"}\n`;
  writeBook(project, { chapters: { '01-scores.md': CHAPTER + '\n' + bad } });
  const shown = (r: { diagnostics: Array<{ line?: number; column?: number; ruleId: string; message: string }> }) => r.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`);
  const built = await build(project);
  const checked = await build(project, { checkOnly: true });
  assert.ok(shown(built).some((d) => d.includes('type=radar needs `entities`')), shown(built).join('\n'));
  assert.deepEqual(shown(checked), shown(built));
  assert.equal(checked.ok, built.ok);
});

test('a chart that is not drawn is an empty SVG of its size with its label, without ECharts', async () => {
  const { renderOption } = await import('../pipeline/charts/render.ts');
  const svg = renderOption({ series: [{ type: 'bar', data: [1, 2] }] }, { width: 640, height: 200, title: '得分 "A"', draw: false });
  assert.equal(svg, '<svg class="chart" role="img" aria-label="得分 &quot;A&quot;" xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200"></svg>');
  const drawn = renderOption({ series: [{ type: 'bar', data: [1, 2] }], xAxis: { type: 'category', data: ['a', 'b'] }, yAxis: {} }, { width: 640, height: 200, title: '得分' });
  assert.match(drawn, /<path|<rect/);
});
