/**
 * The back-of-book index: pinyin order and letter groups (hand-computed), English alphabetical order,
 * sub-entries, locators in the site and in print (page slots, page + column for two-column books), the
 * page-range merge that runs in print.html, and the diagnostics of `:idx`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupIndex } from '../pipeline/features/index/index-page.ts';
import { createCollationMemo } from '../pipeline/base/memo.ts';
import { INDEX_RANGES_SCRIPT } from '../pipeline/html/index-ranges.ts';
import type { IndexMark } from '../pipeline/context/index-marks.ts';
import { build, mainOf, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;
const marks = (terms: Array<string | Partial<IndexMark>>): IndexMark[] =>
  terms.map((t, i) => Object.assign({ id: `idx-${i + 1}`, chapter: 'c' }, typeof t === 'string' ? { term: t } : t) as IndexMark);
const outline = (groups: ReturnType<typeof groupIndex>) =>
  groups.map((g) => `${g.letter}: ${g.headings.map((h) => h.term + (h.subs.size ? `(${[...h.subs.keys()].join('/')})` : '')).join(' ')}`);

test('Chinese headings sort by pinyin and group by initial letter', () => {
  const groups = groupIndex(
    marks([
      '数据安全', '数字经济', '安全互联网服务器', '5G', 'SDK', { term: '人工智能', sub: '大模型' }, { term: '人工智能', sub: '具身智能' },
      { term: '“人工智能+”行动', sort: 'rengong zhineng jia xingdong' }, '重要数据', '银行', '长三角', '乌镇', '网络安全法', '网络安全', '人工智能',
    ]),
    'zh-CN',
  );
  // By hand: anquan… changsanjiao rengongzhineng rengongzhinengjia… sdk shujuanquan shuzijingji wangluoanquan wangluoanquanfa wuzhen yinhang zhongyao…
  assert.deepEqual(outline(groups), [
    '#: 5G',
    'A: 安全互联网服务器',
    'C: 长三角',
    'R: 人工智能(大模型/具身智能) “人工智能+”行动',
    'S: SDK 数据安全 数字经济',
    'W: 网络安全 网络安全法 乌镇',
    'Y: 银行',
    'Z: 重要数据',
  ]);
  const ai = groups[3]!.headings[0]!;
  assert.deepEqual(ai.marks.map((m) => m.id), ['idx-15']);
  assert.deepEqual([...ai.subs.values()].map((s) => s.marks.map((m) => m.id)), [['idx-6'], ['idx-7']]);
});

test('Chinese headings sort syllable by syllable (GB/T 22466), not letter by letter', () => {
  // Letter by letter on the joined syllables gives guanjian ‹ guangdong ‹ guding ‹ guizhou ‹ guojia;
  // syllable by syllable: gu ‹ guan ‹ guang ‹ gui ‹ guo. 西安 (xi an) comes before 先进 (xian jin);
  // 路 (lu) before 绿色 (lü = lv); same syllable and tone: the shorter heading first.
  const terms = ['国家', '贵州', '广东', '关键', '固定', '工业', '先进', '西安', '绿色', '路网', '路'];
  const groups = groupIndex(marks(terms), 'zh-CN');
  assert.deepEqual(outline(groups), ['G: 工业 固定 关键 广东 贵州 国家', 'L: 路 路网 绿色', 'X: 西安 先进']);
});

test('Traditional editions read polyphonic characters by word too (銀行 háng)', () => {
  const groups = groupIndex(marks(['銀行', '行動', '銀河']), 'zh-TW');
  // yín háng ‹ yín hé (hang ‹ he); 行動 xíng dòng under X.
  assert.deepEqual(outline(groups), ['X: 行動', 'Y: 銀行 銀河']);
});

test('a run\'s editions share pinyin readings and converters: a zh-Hant index after a zh one reads nothing again, in the same order', () => {
  const memo = createCollationMemo();
  const terms = ['银行', '行动', '数据安全', '长三角', '重要数据', '5G'];
  const simplified = groupIndex(marks(terms), 'zh-CN', memo);
  assert.deepEqual(outline(simplified), outline(groupIndex(marks(terms), 'zh-CN')), 'the same groups as without the memo');
  const read = memo.readings.size;
  assert.equal(read, terms.length);
  const traditional = ['銀行', '行動', '數據安全', '長三角', '重要數據', '5G'];
  const first = groupIndex(marks(traditional), 'zh-TW', memo);
  assert.equal(memo.readings.size, read, 'every Traditional term read as the Simplified one already was');
  assert.equal(memo.toSimplified.size, 1);
  assert.deepEqual(outline(first), outline(groupIndex(marks(traditional), 'zh-TW')), 'the same groups as without the memo');
  assert.deepEqual(outline(first), ['#: 5G', 'C: 長三角', 'S: 數據安全', 'X: 行動', 'Y: 銀行', 'Z: 重要數據']);
  groupIndex(marks(traditional), 'zh-HK', memo);
  assert.equal(memo.toSimplified.size, 2, 'one converter per source locale');
});

test('English headings sort alphabetically, ignoring case and accents', () => {
  const groups = groupIndex(marks(['ransomware', 'Foundation models', 'data as a factor of production', '5G', 'Zero trust', 'éclair', 'Data centres']), 'en');
  assert.deepEqual(outline(groups), ['#: 5G', 'D: data as a factor of production Data centres', 'E: éclair', 'F: Foundation models', 'R: ransomware', 'Z: Zero trust']);
});

test('page numbers merge into ranges (plain and page + column)', () => {
  const merge = new Function('window', 'document', `${INDEX_RANGES_SCRIPT}; return annalsMergeLocators;`)({}, { readyState: 'loading', addEventListener() {} }) as (v: string[]) => Array<{ text: string }>;
  const texts = (v: string[]) => merge(v).map((m) => m.text).join(', ');
  assert.equal(texts(['3', '3', '4', '5', '9', '11', '12']), '3–5, 9, 11–12');
  assert.equal(texts(['57a', '57a', '57b', '58a', '60b', '61a', '63a']), '57a–58a, 60b–61a, 63a');
  assert.equal(texts(['iv', 'iv', '1']), 'iv, 1');
  assert.equal(texts(['7']), '7');
});

test('the index page: locators in the site and page slots in print', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('总论') + ':idx[数字经济]与:idx[东数西算]{term="算力网络" sub="东数西算工程"}，:idx{term="网络安全"}。\n\n再谈:idx[数字经济]。\n',
      '02-two.md': front('分论') + ':idx[数字经济]{sort="shuzi jingji"}，:idx[SDK]。:idx{term="网信" see="网络安全和信息化"}:idx{term="数字经济" see="数据要素"}\n',
    },
  });
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const one = mainOf(project.read(`out/${id}/zh/site/one.html`));
  // Index marks weigh more in the search index (docs/site.md).
  assert.match(one, /<span class="idx-mark" id="idx-1" data-pagefind-weight="8">数字经济<\/span>与<span class="idx-mark" id="idx-2" data-pagefind-weight="8">东数西算<\/span>，<span class="idx-mark" id="idx-3" data-pagefind-weight="8"><\/span>/);
  const index = mainOf(project.read(`out/${id}/zh/site/book-index.html`));
  assert.match(index, /<h1 class="chapter-title">索引<\/h1>/);
  assert.match(index, /<nav class="index-letters"[^>]*><a href="#index-S">S<\/a> <a href="#index-W">W<\/a><\/nav>/);
  assert.doesNotMatch(index, /idx-7"/); // a "see" mark is no locator
  // 数字经济: two marks in chapter one (no sections: one place, one locator at the first mark), one in
  // chapter two; each locator is named after its place and links to the mark.
  assert.match(
    index,
    /<span class="index-term">数字经济<\/span> <span class="index-locators"><a href="one.html#idx-1" class="locator">总论<\/a>、<a href="two.html#idx-5" class="locator">分论<\/a><\/span>/,
  );
  // Cross-references: a heading with only a "see", and one with locators and a "see".
  assert.match(index, /<li class="index-heading"><span class="index-term">网信<\/span> <span class="index-see"><em>见<\/em> 网络安全和信息化<\/span><\/li>/);
  assert.match(index, /分论<\/a><\/span>、<span class="index-see"><em>见<\/em> 数据要素<\/span><\/li>/);
  // 算力网络 has only a sub-entry.
  assert.match(index, /<span class="index-term">算力网络<\/span><ul class="index-subentries"><li class="index-subentry"><span class="index-term">东数西算工程<\/span> <span class="index-locators"><a href="one.html#idx-2" class="locator">总论<\/a><\/span><\/li><\/ul>/);
  assert.ok(index.indexOf('SDK') < index.indexOf('数字经济') && index.indexOf('数字经济') < index.indexOf('算力网络'));
  assert.match(project.read(`out/${id}/zh/site/two.html`), /class="pager-next" rel="next" href="book-index.html"/);
  assert.match(project.read(`out/${id}/zh/site/index.html`), /href="book-index.html"/);
  const print = project.read(`out/${id}/zh/print.html`);
  assert.match(
    print,
    /<span class="index-term">数字经济<\/span> <span class="index-locators index-pages" data-page-ranges=""><span class="index-pages-raw"><a href="#idx-1" class="locator" data-page-of="idx-1">\?<\/a>, <a href="#idx-4" class="locator" data-page-of="idx-4">\?<\/a>, <a href="#idx-5" class="locator" data-page-of="idx-5">\?<\/a><\/span><span class="index-pages-merged"><\/span><\/span>/,
  );
  assert.match(print, /<script>\s*function annalsMergeLocators/);
});

test('a two-column yearbook asks for page + column locators and indexes its entries', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    extraYaml: 'page:\n  columns: 2',
    chapters: { '01-one.md': front('网络安全') + '## 分目 {#sec-a}\n\n:::entry[网络安全宣传周]{#entry-week}\n:idx[昆明]举行。\n:::\n' },
  });
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const print = project.read(`out/${id}/zh/print.html`);
  assert.match(print, /<a href="#idx-1" class="locator" data-page-of="idx-1" data-page-format="column">\?<\/a>/);
  assert.match(print, /<span class="index-term">网络安全宣传周<\/span> <span class="index-locators index-pages" data-page-ranges=""><span class="index-pages-raw"><a href="#entry-week-title" class="locator locator-entry" data-page-of="entry-week-title" data-page-format="column">/);
});

test(':idx mistakes are reported at their positions', async () => {
  const project = tempProject();
  writeBook(project, {
    chapters: { '01-one.md': front('一') + '空的:idx{sort="a"}，错的:idx[词]{seee="x"}，:idx[词]{sub=""}。\n\n::idx[块]\n' },
  });
  const result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`),
    [
      '5:3 index-term an index mark needs a term: :idx[term] or :idx{term="…"}',
      '5:20 index-term :idx has no attribute `seee` (use term, sub, sort or see)',
      '5:38 index-term `sub` is empty',
      '7:1 index-term write an index term inline: :idx[term]',
    ],
  );
});

test('English headings that differ only in case are merged, in lower case when it occurs', () => {
  const groups = groupIndex(marks(['Ransomware', 'ransomware', 'Internet Governance Forum', 'Cross-border data flows']), 'en');
  assert.deepEqual(outline(groups), ['C: Cross-border data flows', 'I: Internet Governance Forum', 'R: ransomware']);
  assert.deepEqual(groups[2]!.headings[0]!.marks.map((m) => m.id), ['idx-1', 'idx-2']);
});
