/**
 * Generated words (issue 16): a rank that did not change reads 位次不变 / kept its rank, and a `:ref`
 * written after its own label word (专栏:ref[box]) prints the bare number with a warning at the reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createLocale } from '../pipeline/locale/locale.ts';
import { rankMovement } from '../pipeline/features/indicators/remark-indicator-values.ts';
import { build, mainOf, repoRoot, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const templates = join(repoRoot, 'templates');

test('rank movement in words: unchanged, up, down, one place', () => {
  const zh = createLocale('zh-CN', templates);
  const hant = createLocale('zh-TW', templates);
  const en = createLocale('en', templates);
  assert.equal(rankMovement(0, zh), '位次不变');
  assert.equal(rankMovement(0, hant), '位次不變');
  assert.equal(rankMovement(2, zh), '位次上升2位');
  assert.equal(rankMovement(-1, zh), '位次下降1位');
  assert.equal(rankMovement(0, en), 'kept its rank');
  assert.equal(rankMovement(-1, en), 'moved down 1 place');
  assert.equal(rankMovement(3, en), 'moved up 3 places');
});

test('专栏:ref[box] prints the number once and warns at the reference', async () => {
  const project = tempProject();
  const chapter = ['---', 'title: 专栏', '---', '', '专栏:ref[box-a]介绍了做法，:ref[box-a]也是。', '', ':::box[一个专栏]{#box-a}', '内容。', ':::', ''].join('\n');
  writeBook(project, { chapters: { '01-box.md': chapter } });
  const result = await build(project);
  const problems = own(result);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [p] = problems;
  assert.equal(p!.ruleId, 'ref-label-repeated');
  assert.equal(p!.severity, 'warning');
  assert.equal(p!.file, 'manuscripts/test-book/zh/01-box.md');
  assert.equal(p!.line, 5);
  assert.equal(p!.column, 3);
  assert.match(p!.message, /"专栏" is written before :ref\[box-a\]/);
  const html = mainOf(project.read('out/test-book/zh/site/box.html'));
  assert.ok(!html.includes('专栏专栏'), 'no doubled word');
  assert.match(html, /专栏<a [^>]*class="xref"[^>]*>1-1<\/a>介绍了做法，<a [^>]*class="xref"[^>]*>专栏1-1<\/a>也是/);
});

test('note markers sit before the closing punctuation in Chinese, with no space before them', async () => {
  const project = tempProject();
  const chapter = ['---', 'title: 注释', '---', '', '这是一句话。[^a]另一句话，[^b]再一句 :cite[ref-a]。', '', '[^a]: 注一。', '[^b]: 注二。', ''].join('\n');
  writeBook(project, { chapters: { '01-notes.md': chapter } });
  project.write('manuscripts/test-book/references.yaml', ['- id: ref-a', '  type: report', '  title: 报告', '  issued: {date-parts: [[2024]]}', ''].join('\n'));
  const result = await build(project);
  assert.deepEqual(own(result), []);
  const html = mainOf(project.read('out/test-book/zh/site/notes.html'));
  const text = html.replace(/<a [^>]*data-footnote-ref[^>]*>([^<]*)<\/a>/g, '{$1}').replace(/<a [^>]*class="citation"[^>]*>(.*?)<\/a>/g, '{cite}').replace(/<\/?sup>/g, '');
  assert.match(text, /这是一句话\{[^}]+\}。另一句话\{[^}]+\}，再一句\{cite\}。/);
});

test('a note marker is kept on the line of the character before it, in every script (issue 15: "results." then "1" alone)', async () => {
  const { rehypeNoteMarkers } = await import('../pipeline/html/rehype-note-markers.ts');
  const { toHtml } = await import('hast-util-to-html');
  const ref = (n: string): import('hast').Element => ({ type: 'element', tagName: 'sup', properties: {}, children: [{ type: 'element', tagName: 'a', properties: { dataFootnoteRef: true }, children: [{ type: 'text', value: n }] }] });
  const para = (...children: import('hast').ElementContent[]): import('hast').Root => ({ type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children }] });
  const en = para({ type: 'text', value: 'the first results. ' }, ref('1'), { type: 'text', value: ' Then' });
  rehypeNoteMarkers({ script: 'en' })(en);
  assert.equal(toHtml(en), '<p>the first results<span class="nobreak">.<sup><a data-footnote-ref>1</a></sup></span> Then</p>');
  const zh = para({ type: 'text', value: '位居第24位。' }, ref('①'), ref('②'), { type: 'text', value: '其后' });
  rehypeNoteMarkers({ script: 'zh-Hans' })(zh);
  assert.equal(toHtml(zh), '<p>位居第24<span class="nobreak">位<sup><a data-footnote-ref>①</a></sup><sup><a data-footnote-ref>②</a></sup>。</span>其后</p>');
  const alone = para({ type: 'text', value: '。' }, ref('①'));
  rehypeNoteMarkers({ script: 'zh-Hans' })(alone);
  assert.equal(toHtml(alone), '<p><sup><a data-footnote-ref>①</a></sup>。</p>', 'nothing before the marker: nothing to keep it with');
});

test('a number with its unit is kept whole across elements: 第<value>22</value>位', async () => {
  const { rehypeNoBreak } = await import('../pipeline/html/rehype-no-break.ts');
  const { toHtml } = await import('hast-util-to-html');
  const tree: import('hast').Root = {
    type: 'root',
    children: [{ type: 'element', tagName: 'p', properties: {}, children: [
      { type: 'text', value: '中国位居第' },
      { type: 'element', tagName: 'span', properties: { className: ['indicator-value'] }, children: [{ type: 'text', value: '22' }] },
      { type: 'text', value: '位，见表1-1。人工智能·算法' },
    ] }],
  };
  rehypeNoBreak({ script: 'zh-Hans' })(tree);
  assert.equal(toHtml(tree), '<p>中国位居<span class="nobreak">第<span class="indicator-value">22</span>位</span>，见<span class="nobreak">表1-1</span>。人工智<span class="nobreak">能·</span>算法</p>');
});

test('a range from inside an element to the text after it, or from text into an element, is wrapped: <value>1.5</value>亿元, 约<value>7</value>', async () => {
  const { textRuns, wrapAcross } = await import('../pipeline/html/text-runs.ts');
  const { toHtml } = await import('hast-util-to-html');
  const value = (v: string): import('hast').Element => ({ type: 'element', tagName: 'span', properties: { className: ['indicator-value'] }, children: [{ type: 'text', value: v }] });
  const tree: import('hast').Root = {
    type: 'root',
    children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: '规模达' }, value('1.5'), { type: 'text', value: '亿元，增长约' }, value('7'), { type: 'text', value: '。' }] }],
  };
  const runs = () => textRuns(tree);
  const at = (s: string) => runs().text.indexOf(s);
  // The element's text to the plain text after it (a value and its unit) …
  assert.equal(wrapAcross(runs(), at('1.5'), at('1.5') + '1.5亿元'.length, 'nobreak'), true);
  // … and plain text to the element's text (a word and the value it qualifies).
  assert.equal(wrapAcross(runs(), at('约7'), at('约7') + 2, 'nobreak'), true);
  assert.equal(toHtml(tree), '<p>规模达<span class="nobreak"><span class="indicator-value">1.5</span>亿元</span>，增长<span class="nobreak">约<span class="indicator-value">7</span></span>。</p>');
});

test('a number at the end of a heading and a unit at the start of the next paragraph stay apart (no span around blocks)', async () => {
  const { rehypeNoBreak } = await import('../pipeline/html/rehype-no-break.ts');
  const { toHtml } = await import('hast-util-to-html');
  // The joined text reads "小节3.1人工智能…": 3.1 and 人 would make "3.1人". Wrapped, the heading and the
  // paragraph sat in one nowrap span, a line as wide as the paragraph, and Chromium shrank every page.
  const tree: import('hast').Root = {
    type: 'root',
    children: [
      { type: 'element', tagName: 'h3', properties: {}, children: [{ type: 'text', value: '小节3.1' }] },
      { type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: '人工智能发展到第2位。' }] },
    ],
  };
  rehypeNoBreak({ script: 'zh-Hans' })(tree);
  assert.equal(toHtml(tree), '<h3>小节3.1</h3><p>人工智能发展到<span class="nobreak">第2位</span>。</p>');
});

test('table words: pieces of at least four characters at word boundaries', async () => {
  const { wordPieces } = await import('../pipeline/html/rehype-table-words.ts');
  const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
  assert.deepEqual(wordPieces('每百万人安全互联网服务器', segmenter), ['每百万人', '安全互联网服务器']);
  assert.deepEqual(wordPieces('综合权重正向指标算力规模', segmenter), ['综合权重', '正向指标', '算力规模']);
  assert.deepEqual(wordPieces('人工智能与算力', segmenter), ['人工智能与算力']);
});

test('table words: a long prose cell breaks at every word boundary, a short cell only between pieces of four', async () => {
  const { rehypeTableWords } = await import('../pipeline/html/rehype-table-words.ts');
  const { toHtml } = await import('hast-util-to-html');
  const cell = (value: string): import('hast').Element => ({ type: 'element', tagName: 'td', properties: {}, children: [{ type: 'text', value }] });
  // 12 Han characters: a short cell (pieces of four); 20: prose (words).
  const short = cell('综合权重正向指标算力规模');
  const prose = cell('人工智能与算力网络一体化布局成形加快推进');
  const tree: import('hast').Root = { type: 'root', children: [{ type: 'element', tagName: 'tr', properties: {}, children: [short, prose] }] };
  rehypeTableWords({ script: 'zh-Hans' })(tree);
  const pieces = (td: import('hast').Element) => toHtml(td).replace(/^<td>|<\/td>$/g, '').split('<wbr>');
  assert.deepEqual(pieces(short), ['综合权重', '正向指标', '算力规模']);
  const words = pieces(prose);
  assert.ok(words.length > 5, `the prose cell breaks between words: ${words.join('|')}`);
  assert.ok(words.some((w) => [...w].length <= 2), 'pieces shorter than four');
  // Words stay whole: 人工智能 is never cut.
  assert.ok(words.join('|').includes('人工智能') || words.join('|').includes('人工|智能'), words.join('|'));
  assert.ok(!/人工智\||人\|工/.test(words.join('|')), words.join('|'));
});

test('no space before 《 or inside it; the CIP slash keeps its spaces', async () => {
  const { rehypeCjkSpaces } = await import('../pipeline/html/rehype-cjk-spaces.ts');
  const { toHtml } = await import('hast-util-to-html');
  const p = (...children: import('hast').ElementContent[]): import('hast').Root => ({ type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children }] });
  const text = (value: string): import('hast').Text => ({ type: 'text', value });
  const tree = p(text('国家发布了 《规划》，又在2024年\n'), { type: 'element', tagName: 'a', properties: {}, children: [text('《 办法》')] }, text('中明确。年鉴 / 《中国网信年鉴》编辑部；say “quote” here'));
  rehypeCjkSpaces({ script: 'zh-Hans' })(tree);
  assert.equal(toHtml(tree), '<p>国家发布了《规划》，又在2024年<a>《办法》</a>中明确。年鉴 / 《中国网信年鉴》编辑部；say “quote” here</p>');
  const en = p(text('the report 《规划》'));
  rehypeCjkSpaces({ script: 'en' })(en);
  assert.equal(toHtml(en), '<p>the report 《规划》</p>');
});

test('a long cross-reference may break inside, its 第五章 kept whole; a short one stays on one line', async () => {
  const { rehypeNoBreak } = await import('../pipeline/html/rehype-no-break.ts');
  const { toHtml } = await import('hast-util-to-html');
  const xref = (value: string): import('hast').Element => ({ type: 'element', tagName: 'a', properties: { className: ['xref'] }, children: [{ type: 'text', value }] });
  const tree: import('hast').Root = { type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: '详见' }, xref('第五章“适老化与无障碍：不让任何人掉队”一节'), { type: 'text', value: '和5G-A见' }, xref('表1-1'), { type: 'text', value: '。' }] }] };
  rehypeNoBreak({ script: 'zh-Hans' })(tree);
  assert.equal(
    toHtml(tree),
    '<p>详见<a class="xref xref-breakable"><span class="nobreak">第五章</span>“适老化与无障碍：不让任何人掉队”<span class="nobreak">一节</span></a>和<span class="nobreak">5G-A</span>见<a class="xref">表1-1</a>。</p>',
  );
});

test('ranges across elements wrapped from one reading of the text give the tree that one reading per range gave', async () => {
  const { textRuns, wrapAcross, wrapAllAcross } = await import('../pipeline/html/text-runs.ts');
  const { toHtml } = await import('hast-util-to-html');
  type Child = import('hast').ElementContent;
  const text = (value: string): Child => ({ type: 'text', value });
  const value = (v: string): Child => ({ type: 'element', tagName: 'span', properties: { className: ['indicator-value'] }, children: [text(v)] });
  const em = (...children: Child[]): Child => ({ type: 'element', tagName: 'em', properties: {}, children });
  // Ranges that share a text node (位，北京第), one that ends inside an element taken whole (<em>) in which
  // the next one starts, and one that spans two paragraphs (not wrapped).
  const tree = (): import('hast').Root => ({
    type: 'root',
    children: [
      { type: 'element', tagName: 'p', properties: {}, children: [text('中国位居第'), value('22'), text('位，北京第'), value('3'), text('名；上海第'), value('5'), em(text('位次'), value('7')), text('年，共'), value('1.5'), text('亿元')] },
      { type: 'element', tagName: 'p', properties: {}, children: [em(text('第')), value('9'), em(text('名'), text('与第')), value('10'), em(text('名'))] },
    ],
  });
  const one = tree();
  const ranges = [...textRuns(one).text.matchAll(/第\d+[位名]|\d+年|[\d.]+亿元|元第/g)].map((m): [number, number] => [m.index, m.index + m[0].length]);
  assert.ok(ranges.length >= 7);
  for (const [start, end] of ranges) wrapAcross(textRuns(one), start, end, 'nobreak');
  const all = tree();
  assert.equal(wrapAllAcross(all, ranges, 'nobreak'), true);
  assert.equal(toHtml(all), toHtml(one));
  assert.match(toHtml(all), /<span class="nobreak">第<span class="indicator-value">3<\/span>名<\/span>/);
  assert.match(toHtml(all), /<span class="nobreak"><span class="nobreak"><em>第<\/em>.*<em>名与第<\/em><\/span><span class="indicator-value">10<\/span><em>名<\/em><\/span>/);
});
