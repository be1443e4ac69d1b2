/**
 * The yearbook's own structures: the chronicle (checked dates, sorting, month groups, index terms), the
 * statistics tables (units, decimals, empty cells, note and source lines, numbering with the chapter's
 * tables) with their diagnostics, 类目 › 分目 › 条目 in the TOC, and the sample yearbook's size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { build, mainOf, repoRoot, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;

const CHRONICLE = `year: 2025
source: 编辑部整理
events:
  - date: 2025-03
    text: 三月某事（仅知月份）。
  - date: 2025-03-05
    text: 三月五日事。
    terms: [政府工作报告]
  - date: 2025-01-20
    text: 一月二十日事。
  - date: 2025-03-01
    text: 三月一日事。
    terms: [政府工作报告, 网络安全法]
  - date: 2025-01
    text: 一月某事。
`;

test('the chronicle: sorted by date, month-only events last, grouped by month, terms indexed', async () => {
  const project = tempProject();
  const id = writeBook(project, { kind: 'yearbook', chapters: { '01-chronicle.md': front('大事记') + '::chronicle{src="data/chronicle.yaml"}\n' } });
  project.write(`manuscripts/${id}/data/chronicle.yaml`, CHRONICLE);
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const page = mainOf(project.read(`out/${id}/zh/site/chronicle.html`));
  const order = [...page.matchAll(/<dt class="chronicle-date">([^<]*)<\/dt><dd class="chronicle-text">(?:<span[^>]*><\/span>)*([^<]*)<\/dd>/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(order, ['20日 一月二十日事。', '是月 一月某事。', '1日 三月一日事。', '5日 三月五日事。', '是月 三月某事（仅知月份）。']);
  assert.match(page, /<h2 class="chronicle-month" id="chronicle-2025-01" data-running-head="1月">1月<\/h2>/);
  assert.match(page, /<h2 class="chronicle-month" id="chronicle-2025-03" data-running-head="3月">3月<\/h2>/);
  assert.match(page, /<p class="source">数据来源：编辑部整理<\/p>/);
  // The month headings are the chronicle's 分目 in the contents.
  assert.match(project.read(`out/${id}/zh/site/index.html`), /href="chronicle.html#chronicle-2025-03"><span class="toc-title">3月<\/span>/);
  // Event terms point at the event.
  assert.match(page, /<dd class="chronicle-text"><span class="idx-mark" id="idx-1" data-pagefind-weight="8"><\/span><span class="idx-mark" id="idx-2" data-pagefind-weight="8"><\/span>三月一日事。<\/dd>/);
  const index = mainOf(project.read(`out/${id}/zh/site/book-index.html`));
  // Both marks are under 3月: one locator, named after its place (the chapter, then the month).
  assert.match(index, /<span class="index-term">政府工作报告<\/span> <span class="index-locators"><a href="chronicle.html#idx-1" class="locator">大事记：3月<\/a><\/span>/);
});

test('bad chronicle dates are reported at their YAML positions', async () => {
  const project = tempProject();
  const id = writeBook(project, { kind: 'yearbook', chapters: { '01-chronicle.md': front('大事记') + '::chronicle{src="data/chronicle.yaml"}\n\n::chronicle{src="data/none.yaml"}\n' } });
  project.write(
    `manuscripts/${id}/data/chronicle.yaml`,
    ['year: 2025', 'events:', '  - date: 2025-02-30', '    text: 不存在的日期。', '  - date: 2025/04/01', '    text: 格式错误。', '  - date: 2024-12-31', '    text: 上一年。', '  - date: 2025-05-01', '    txt: 拼错的键。', '  - date: 2025-06-01', '    text: 正常。'].join('\n') + '\n',
  );
  const result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.severity} ${d.ruleId} ${d.message}`),
    [
      'chronicle.yaml:3:11 error chronicle-data `events.0.date`: no such date in the calendar',
      'chronicle.yaml:5:11 error chronicle-data `events.1.date`: expected a date such as 2025-03-05, or 2025-03 when the day is not known',
      'chronicle.yaml:7:11 warning chronicle-date the event of 2024-12-31 is not in the chronicle\'s year 2025',
      'chronicle.yaml:9:5 error chronicle-data `events.3.text`: Invalid input: expected string, received undefined',
      'chronicle.yaml:9:5 error chronicle-data `events.3`: Unrecognized key: "txt"',
      '01-chronicle.md:7:1 error data-file data file "data/none.yaml" does not exist in the book folder',
    ],
  );
});

const STATS = `tables:
  - id: gdp
    title: 各地区生产总值
    unit: 亿元
    source: 国家统计局
    note: 按当年价格计算。
    columns:
      - { key: region, label: 地区 }
      - { key: y2023, label: "2023年", decimals: 1 }
      - { key: share, label: "比重（%）", align: right, decimals: 2 }
    rows:
      - { region: 北京市, y2023: 47353.7, share: 3.756 }
      - { region: 西藏自治区, y2023: 2532.9, share: null }
      - { region: 合计, y2023: 1260582, share: 100 }
`;

test('statistics tables: caption numbered with the chapter, unit, formatted cells, note and source', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    chapters: { '01-stats.md': front('统计资料') + ':::table[手写的表]\n| a |\n|---|\n| 1 |\n:::\n\n::stats-table{#tab-gdp src="data/statistics.yaml" table="gdp"}\n\n见:ref[tab-gdp]。\n' },
  });
  project.write(`manuscripts/${id}/data/statistics.yaml`, STATS);
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const page = mainOf(project.read(`out/${id}/zh/site/stats.html`));
  const expected =
    '<figure class="table-figure" id="tab-gdp"><figcaption class="caption"><span class="caption-label">表1-2</span><span class="caption-text">各地区生产总值</span></figcaption>' +
    '<p class="table-unit">单位：亿元</p>' +
    '<div class="table-scroll" role="region" tabindex="0" aria-label="表1-2 各地区生产总值"><p class="scroll-hint" aria-hidden="true" data-pagefind-ignore="all">表格较宽，可左右滑动查看</p>' +
    '<table class="data-table stats-table" data-table="gdp"><thead><tr><th scope="col">地区</th><th align="right" scope="col">2023年</th><th align="right" scope="col">比重（%）</th></tr></thead>' +
    '<tbody><tr><th scope="row">北京市</th><td align="right" class="num">47353.7</td><td align="right" class="num">3.76</td></tr>' +
    '<tr><th scope="row">西藏自治区</th><td align="right" class="num">2532.9</td><td align="right" class="num">…</td></tr>' + // a missing statistic prints as …, never blank
    '<tr><th scope="row">合计</th><td align="right" class="num">1260582.0</td><td align="right" class="num">100.00</td></tr></tbody></table></div>' +
    '<p class="note">注：按当年价格计算。</p><p class="source">数据来源：国家统计局</p>' +
    '<p class="data-link"><a href="data/stats-tab-gdp.csv" download type="text/csv">下载数据（CSV）</a></p></figure>';
  assert.ok(page.replace(/\n/g, '').includes(expected), page);
  assert.match(page, /见<a class="xref" href="#tab-gdp" data-kind="table">表1-2<\/a>/);
});

test('statistics tables: bad data and bad directives are reported at their positions', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    chapters: { '01-stats.md': front('统计资料') + '::stats-table{src="data/statistics.yaml" table="gpd"}\n\n::stats-table{src="data/statistics.yaml"}\n\n::stats-table{src="data/statistics.yaml" table="bad"}\n' },
  });
  project.write(
    `manuscripts/${id}/data/statistics.yaml`,
    STATS +
      ['  - id: bad', '    title: 坏表', '    source: 某处', '    columns:', '      - { key: name, label: 名称 }', '      - { key: v, label: 值, decimals: 1 }', '    rows:', '      - { name: 甲, v: "1,234" }', '      - { name: 乙, value: 3 }'].join('\n') +
      '\n',
  );
  const result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.ruleId} ${d.message}${d.hint?.startsWith('Did') ? ' | ' + d.hint : ''}`),
    [
      'statistics.yaml:22:23 stats-data "v" in row 1 of table "bad" should be a number (or null when not available), not "1,234"',
      'statistics.yaml:23:20 stats-data row 2 of table "bad" has a value for "value", which is not a column (columns: name, v)',
      '01-stats.md:5:1 directive-attribute no table "gpd" in "data/statistics.yaml" | Did you mean "gdp"?',
      '01-stats.md:7:1 directive-attribute ::stats-table needs `table`, the id of a table in the file',
      '01-stats.md:9:1 data-file table "bad" in "data/statistics.yaml" has errors (reported there)',
    ],
  );
});

test('the yearbook TOC shows 类目 › 分目 › 条目, and 分目 carry running heads', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    chapters: { '01-security.md': front('网络安全') + '## 关键信息基础设施保护 {#sec-ciip}\n\n:::entry[保护工作]{#entry-ciip}\n正文。\n:::\n\n:::entry[无编号条目]\n正文。\n:::\n' },
  });
  await build(project);
  const home = project.read(`out/${id}/zh/site/index.html`);
  assert.match(
    home,
    /<span class="toc-title">网络安全<\/span><\/a><ol><li class="toc-depth-2"><a class="toc-entry" href="security.html#sec-ciip"><span class="toc-title">关键信息基础设施保护<\/span><\/a><ol><li class="toc-depth-3"><a class="toc-entry" href="security.html#entry-ciip"><span class="toc-title">保护工作<\/span><\/a><\/li><li class="toc-depth-3"><a class="toc-entry" href="security.html#entry-security-2"><span class="toc-title">无编号条目<\/span>/,
  );
  const print = project.read(`out/${id}/zh/print.html`);
  assert.match(print, /<h2 id="sec-ciip" data-running-head="关键信息基础设施保护">/);
  assert.match(print, /<section class="entry" id="entry-ciip" data-entry-title="保护工作">/);
});

test('the sample yearbook has ≥ 40 entries, ≥ 24 chronicle events, ≥ 3 statistics tables and ≥ 80 index terms', async () => {
  const out = mkdtempSync(join(tmpdir(), 'annals-yearbook-'));
  const project = projectAt(repoRoot, out);
  const result = await buildAll({ project, books: ['yearbook-2026'], edition: 'zh', format: 'html' });
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const site = (page: string) => mainOf(readFileSync(join(out, 'yearbook-2026/zh/site', page), 'utf8'));
  const all = ['content', 'security', 'informatization', 'law', 'international', 'regional', 'institutions'].map((p) => site(`${p}.html`)).join('');
  assert.ok((all.match(/<section class="entry"/g) ?? []).length >= 40);
  assert.ok((site('chronicle.html').match(/class="chronicle-event"/g) ?? []).length >= 24);
  assert.ok((site('statistics.html').match(/<table class="data-table stats-table"/g) ?? []).length >= 3);
  const headings = (site('book-index.html').match(/<li class="index-heading">/g) ?? []).length;
  assert.ok(headings >= 80, `${headings} index headings`);
});
