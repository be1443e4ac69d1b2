/**
 * Derived Traditional Chinese editions: OpenCC with the book's term overrides, applied to prose, titles,
 * captions, alt text, source lines and front matter — never to code, URLs, ids, key directives or
 * attributes that are keys. Fixture: tests/fixtures/editions/ed-book (zh-Hant derived from zh, `twp`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkDirective from 'remark-directive';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { createScriptConverter } from '../pipeline/locale/convert-script.ts';
import { deriveEdition } from '../pipeline/locale/derive-edition.ts';
import { loadBook, projectAt } from '../pipeline/config/load-book.ts';
import { createLocale } from '../pipeline/locale/locale.ts';
import { FEATURES } from '../pipeline/features/index.ts';
import { remarkConvertScript } from '../pipeline/markdown/remark-convert-script.ts';
import { createEditionCounters, type EditionContext } from '../pipeline/context/types.ts';
import { build, copyFixture, mainOf, repoRoot, tempProject } from './helpers.ts';
import { createBuildSession } from '../pipeline/base/build-session.ts';

const fixture = join(repoRoot, 'tests/fixtures/editions/ed-book');

test('OpenCC variants, and overrides applied before and over OpenCC (longest term first)', () => {
  assert.equal(createScriptConverter({ target: 'tw' })('软件数据'), '軟件數據');
  assert.equal(createScriptConverter({ target: 'twp' })('软件数据'), '軟體資料');
  assert.equal(createScriptConverter({ target: 'hk' })('卫星'), '衞星');
  const convert = createScriptConverter({ target: 'twp', overrides: [['数据', '數據'], ['数据要素', '數據要素市場'], ['网信', '網信']] });
  assert.equal(convert('软件数据'), '軟體數據'); // twp alone gives 資料
  assert.equal(convert('数据要素与网信'), '數據要素市場與網信');
  assert.equal(convert('ASCII only: data'), 'ASCII only: data');
});

test('a derived edition converts prose, titles, captions, alt and source lines, and keeps code, URLs and ids', async () => {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  const result = await build(project);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
  // Chapters are read from the source folder: there is no zh-Hant/ folder.
  assert.equal(result.editions.find((e) => e.edition === 'zh-Hant')?.chapters, 1);
  const main = mainOf(project.read('out/ed-book/zh-Hant/site/network.html'));

  // Front matter and prose; overrides (網信, 數據, 互聯網大會, 發布) win over twp (資料, 網際網路, 釋出).
  assert.match(main, /<h1 class="chapter-title">網路與數據<\/h1>/);
  assert.match(main, /<p class="chapter-authors">陳思遠<\/p>/);
  assert.match(main, /data-running-head="網路"/);
  assert.match(main, /<p>網信部門發布了新的軟體數據標準，世界互聯網大會也討論了這一議題。<\/p>/);
  // Captions, alt text, source lines, table cells, box titles.
  assert.match(main, /<span class="caption-text">資訊基礎設施的分層架構<\/span>/);
  // The figure is inline (pipeline/html/inline-svg-images.ts): its alt text is the SVG's aria-label.
  assert.match(main, /<svg[^>]*aria-label="網路與數據的層次"/);
  assert.match(main, /<p class="source">資料來源：課題組繪製<\/p>/);
  assert.match(main, /<th>軟體<\/th>/);
  assert.match(main, /<span class="caption-text">數據治理<\/span>/);

  // Untouched: inline code, code blocks, URLs and the text of an autolink, ids (explicit and automatic).
  assert.match(main, /<code>数据 = 软件<\/code>/);
  assert.match(main, /<code class="language-text">数据 软件 网络\n<\/code>/);
  assert.match(main, /href="https:\/\/example.org\/%E6%95%B0%E6%8D%AE\/%E8%BD%AF%E4%BB%B6" title="數據入口網站">數據門戶<\/a>/);
  assert.match(main, />https:\/\/example.org\/软件<\/a>/);
  assert.match(main, /<h2 id="数据中心">/); // the automatic id comes from the source text, as in the zh edition
  assert.match(mainOf(project.read('out/ed-book/zh/site/network.html')), /<h2 id="数据中心">/);
  assert.match(main, /<h2 id="sec-software">/);
  // The figure keeps its id; its SVG is written into the page, and the file keeps its name in site/.
  assert.match(main, /<figure class="figure" id="fig-layers"><svg [^>]*class="inline-svg"/);
  assert.match(project.read('out/ed-book/zh-Hant/site/images/layers.svg'), /<svg/);
  assert.match(main, /<a class="xref" href="#fig-layers" data-kind="figure">圖1-1<\/a>/);

  // Book-level strings: the title as given, the rest converted from the source edition.
  const index = project.read('out/ed-book/zh-Hant/site/index.html');
  assert.match(index, /<h1 class="cover-title">網路發展報告<\/h1>/);
  assert.match(index, /<p class="cover-subtitle">軟體與數據<\/p>/);
  assert.match(index, /<p class="cover-byline">網路空間研究院 編著<\/p>/);
});

test('key directives and key attributes are never converted', async () => {
  const templates = join(repoRoot, 'templates');
  const locale = createLocale('zh-TW', templates, { convert: createScriptConverter({ target: 'twp' }) });
  const context = { edition: { derive: { from: 'zh', opencc: 'twp' } }, locale, slugger: new GithubSlugger(), counters: createEditionCounters() } as unknown as EditionContext;
  // The key directives are the features' (features/feature.ts `roles.keyLabels`), as the chapter processor passes them.
  const keyDirectives = FEATURES.flatMap((f) => f.roles?.keyLabels ?? []);
  const processor = unified().use(remarkParse).use(remarkDirective).use(remarkConvertScript, { context, keyDirectives });
  const file = new VFile({ value: '数据:cite[数据2024]和:ref[fig-数据]，:idx[数据]{term="数据安全" sort="shuju anquan"}。\n\n::figure[数据图]{#fig-数据 src="images/数据.svg" source="数据局" framework="数据"}\n' });
  const tree = (await processor.run(processor.parse(file), file)) as Root;
  const paragraph = tree.children[0] as any;
  const [before, cite, , ref, , idx] = paragraph.children;
  assert.equal(before.value, '資料');
  assert.equal(cite.children[0].value, '数据2024');
  assert.equal(ref.children[0].value, 'fig-数据');
  assert.equal(idx.children[0].value, '資料');
  assert.deepEqual(idx.attributes, { term: '資料安全', sort: 'shuju anquan' });
  const figure = tree.children[1] as any;
  assert.equal(figure.children[0].value, '資料圖');
  assert.deepEqual(figure.attributes, { id: 'fig-数据', src: 'images/数据.svg', source: '資料局', framework: '数据' });
});

test('overrides file: a bad entry is reported at its YAML position', async () => {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  project.write('manuscripts/ed-book/opencc-overrides.yaml', '数据: 數據\n网信: [網, 信]\n');
  const result = await build(project, { edition: 'zh-Hant' });
  const d = result.diagnostics.find((x) => x.ruleId === 'opencc-overrides');
  assert.ok(d, JSON.stringify(result.diagnostics, null, 1));
  assert.equal(d.file, 'manuscripts/ed-book/opencc-overrides.yaml');
  assert.equal(d.line, 2);
  assert.equal(d.column, 5);
  assert.equal(result.ok, false);
});

test('book.yaml: a derived edition must name an existing, non-derived source', async () => {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  const path = 'manuscripts/ed-book/book.yaml';
  project.write(path, project.read(path).replace('derive: {from: zh,', 'derive: {from: zh-CN,'));
  const result = await build(project);
  const d = result.diagnostics.find((x) => x.ruleId === 'config-schema');
  assert.ok(d, JSON.stringify(result.diagnostics, null, 1));
  assert.match(d.message, /`editions\.zh-Hant\.derive\.from`: `derive\.from` must name another edition of this book \(zh, en\)/);
  assert.equal(d.line, 34); // `derive:` of zh-Hant
});

test('the sample books write 文件 as 文件 where it is a document, and 檔案 only for a computer file (issue 15)', () => {
  const project = projectAt(repoRoot);
  for (const id of ['world-report-2026', 'china-report-2026', 'yearbook-2026']) {
    const session = createBuildSession();
    const { convert } = deriveEdition(loadBook(project, id), 'zh-Hant', session);
    assert.deepEqual(session.files.flatMap((f) => f.messages), [], id);
    assert.equal(convert!('部门规章与规范性文件'), '部門規章與規範性文件', id);
    assert.equal(convert!('代表性文件、政策文件、全面阐述数字合作的文件'), '代表性文件、政策文件、全面闡述數字合作的文件', id);
    assert.equal(convert!('在文件元数据中添加隐式标识；训练完成后的参数文件'), '在檔案後設資料中新增隱式標識；訓練完成後的參數檔案', id);
  }
});
