/**
 * Generated words, numbers, dates and ordering per locale (zh-Hans, zh-Hant, en), from the locale files
 * and through the built editions of the fixture book (tests/fixtures/editions/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLocale } from '../pipeline/locale/locale.ts';
import { build, copyFixture, mainOf, repoRoot, tempProject } from './helpers.ts';

const templates = join(repoRoot, 'templates');
const fixture = join(repoRoot, 'tests/fixtures/editions/ed-book');
const locales = { 'zh-Hans': createLocale('zh-CN', templates), 'zh-Hant': createLocale('zh-TW', templates), en: createLocale('en', templates) };

test('every locale file has the same keys (a generated word is never missing in one language)', () => {
  const keys = (name: string) => Object.keys(parse(readFileSync(join(templates, 'locales', `${name}.yaml`), 'utf8')) as object);
  // Keys that only some languages need: the collation and the large-number units.
  const common = (name: string) => keys(name).filter((k) => k !== 'collation' && !k.startsWith('largeUnit')).sort();
  assert.deepEqual(common('zh-Hant'), common('zh-Hans'));
  assert.deepEqual(common('en'), common('zh-Hans'));
});

test('generated words: chapter label, figure label, source line, contents, index, references', () => {
  const expected = {
    'zh-Hans': { chapter: '第三章', figure: '图3-2', table: '表3-2', box: '专栏3-2', source: '数据来源：', contents: '目录', index: '索引', references: '参考文献' },
    'zh-Hant': { chapter: '第三章', figure: '圖3-2', table: '表3-2', box: '專欄3-2', source: '資料來源：', contents: '目錄', index: '索引', references: '參考文獻' },
    en: { chapter: 'Chapter 3', figure: 'Figure 3.2', table: 'Table 3.2', box: 'Box 3.2', source: 'Source: ', contents: 'Contents', index: 'Index', references: 'References' },
  };
  for (const [name, locale] of Object.entries(locales)) {
    const want = expected[name as keyof typeof expected];
    const n = locale.itemNumber(3, 2);
    assert.equal(locale.chapterLabel(3), want.chapter, name);
    assert.equal(locale.t('figure', { n }), want.figure, name);
    assert.equal(locale.t('table', { n }), want.table, name);
    assert.equal(locale.t('box', { n }), want.box, name);
    assert.equal(locale.t('source'), want.source, name);
    assert.equal(locale.t('contents'), want.contents, name);
    assert.equal(locale.t('index'), want.index, name);
    assert.equal(locale.t('references'), want.references, name);
  }
});

test('numbers through Intl: separators, decimals, percent', () => {
  for (const locale of Object.values(locales)) {
    assert.equal(locale.number(1234567.5), '1,234,567.5');
    assert.equal(locale.number(0.5, { minimumFractionDigits: 2 }), '0.50');
    assert.equal(locale.percent(0.6745), '67.5%');
    assert.equal(locale.percent(0.6745, 2), '67.45%');
  }
});

test('large numbers: 万/亿 (萬/億, million/billion) only when the book asks for them', () => {
  const large = (lang: string) => createLocale(lang, templates, { largeUnits: true });
  const hans = large('zh-CN');
  assert.equal(hans.largeNumber(123_456_789), '1.23亿');
  assert.equal(hans.largeNumber(45_670_000), '4567万');
  assert.equal(hans.largeNumber(5_390_000_000_000), '5.39万亿');
  assert.equal(hans.largeNumber(99_999_999), '1亿'); // rounds up into the next unit, never "10,000万"
  assert.equal(hans.largeNumber(9_876), '9,876');
  assert.equal(large('zh-TW').largeNumber(123_456_789), '1.23億');
  assert.equal(large('zh-TW').largeNumber(45_670_000), '4567萬');
  assert.equal(large('en').largeNumber(123_456_789), '123.46 million');
  assert.equal(large('en').largeNumber(2_500_000_000, 1), '2.5 billion');
  // Without `numbers.largeUnits`: plain grouping.
  assert.equal(locales['zh-Hans'].largeNumber(123_456_789), '123,456,789');
});

test('dates through Intl, with the precision of the ISO date', () => {
  assert.equal(locales['zh-Hans'].date('2025-03-05'), '2025年3月5日');
  assert.equal(locales['zh-Hant'].date('2025-03-05'), '2025年3月5日');
  assert.equal(locales.en.date('2025-03-05'), 'March 5, 2025');
  assert.equal(locales['zh-Hans'].date('2025-03'), '2025年3月');
  assert.equal(locales.en.date('2025-03'), 'March 2025');
  assert.equal(locales.en.date(new Date(Date.UTC(2026, 0, 1))), 'January 1, 2026');
});

test('ordering: pinyin for Simplified and Traditional Chinese, alphabetical for English', () => {
  assert.deepEqual(['网络', '安全', '北京', '数据'].sort(locales['zh-Hans'].compare), ['安全', '北京', '数据', '网络']);
  assert.deepEqual(['網路', '安全', '北京', '數據'].sort(locales['zh-Hant'].compare), ['安全', '北京', '數據', '網路']);
  assert.deepEqual(['security', 'Access', 'data', 'Beijing'].sort(locales.en.compare), ['Access', 'Beijing', 'data', 'security']);
  assert.deepEqual(['item 10', 'item 9'].sort(locales.en.compare), ['item 9', 'item 10']);
});

test('text given per language: the edition\'s own, else the source\'s converted', () => {
  const hant = createLocale('zh-TW', templates, { convert: (t) => t.replace('国', '國'), sourceLang: 'zh-CN' });
  assert.equal(hant.text({ zh: '中国', en: 'China' }), '中國');
  assert.equal(hant.text({ zh: '中国', 'zh-TW': '中華' }), '中華');
  assert.equal(hant.text('中国'), '中國');
  assert.equal(locales.en.text({ zh: '中国', en: 'China' }), 'China');
  assert.equal(locales['zh-Hans'].text({ zh: '中国', en: 'China' }), '中国');
});

test('built editions print their own words: TOC heading, chapter label, figure label, source line', async () => {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  const result = await build(project);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
  const page = (edition: string, name: string) => project.read(`out/ed-book/${edition}/site/${name}`);
  const expected = {
    zh: { toc: '目录', chapter: '第一章', figure: '图1-1', source: '数据来源：课题组绘制', lang: 'zh-CN' },
    'zh-Hant': { toc: '目錄', chapter: '第一章', figure: '圖1-1', source: '資料來源：課題組繪製', lang: 'zh-TW' },
    en: { toc: 'Contents', chapter: 'Chapter 1', figure: 'Figure 1.1', source: 'Source: Drawn by the research team', lang: 'en' },
  };
  for (const [edition, want] of Object.entries(expected)) {
    const index = page(edition, 'index.html');
    assert.match(index, new RegExp(`<html lang="${want.lang}"`), edition);
    assert.match(index, new RegExp(`<h2 class="toc-heading">${want.toc}</h2>`), edition);
    const main = mainOf(page(edition, 'network.html'));
    assert.match(main, new RegExp(`<p class="chapter-label">${want.chapter}</p>`), edition);
    assert.match(main, new RegExp(`<span class="caption-label">${want.figure}</span>`), edition);
    assert.match(main, new RegExp(`<p class="source">${want.source}</p>`), edition);
  }
  // The Traditional edition's fonts are the TC families from npm.
  assert.match(project.read('out/ed-book/zh-Hant/site/assets/fonts.css'), /--font-body:'Noto Serif TC'/);
});
