/**
 * zh-Hant as a locale (issue 16): the edition's variant decides the OpenCC conversion and the quotes
 * (「」『』 for zh-TW and zh-HK), the book's glossary protects names and titles in 《》, and a word that the
 * edition writes two ways is reported at the glossary entry that caused it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cornerQuotes, createScriptConverter } from '../pipeline/locale/convert-script.ts';
import { build, tempProject, type TempProject } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

test('corner quotes for Chinese quotations; quotes in Latin text stay', () => {
  assert.equal(cornerQuotes('他说“这是‘内引’”。'), '他说「这是『内引』」。');
  assert.equal(cornerQuotes('见World’s “Digital” Report，以及“网信”。'), '见World’s “Digital” Report，以及「网信」。');
});

test('twp localises terms, but not names from the glossary nor titles in 《》', () => {
  const convert = createScriptConverter({
    target: 'twp',
    overrides: [['世界互联网大会', '世界互聯網大會'], ['数据要素', '數據要素']],
    names: new Set(['世界互联网大会']),
    quotes: 'corner',
  });
  assert.equal(convert('世界互联网大会讨论互联网数据，“信息”与《网络数据安全管理条例》。'), '世界互聯網大會討論網際網路資料，「資訊」與《網絡數據安全管理條例》。');
  // The term 数据要素 writes 数据 as 數據; OpenCC wrote 数据 as 資料 above: recorded, names are not.
  convert('数据要素');
  assert.deepEqual([...convert.usage!.get('数据')!.keys()].sort(), ['數據', '資料']);
  assert.equal(convert.usage!.has('互联网'), false);
});

function hantBook(project: TempProject, lang: string, opencc: string, glossary: string): void {
  project.write(
    'manuscripts/hant-book/book.yaml',
    ['id: hant-book', 'kind: report', 'year: 2026', 'editions:', '  zh:', '    lang: zh-CN', '    title: 网络报告', '    chapters: [01-net.md]', '  zh-Hant:', `    lang: ${lang}`, `    derive: {from: zh, opencc: ${opencc}}`, '    title: 網路報告', ''].join('\n'),
  );
  project.write('manuscripts/hant-book/opencc-overrides.yaml', glossary);
  project.write('manuscripts/hant-book/zh/01-net.md', ['---', 'title: 网络', '---', '', '数据要素市场建设中，“数据”和‘信息’的作用见《网络数据安全管理条例》。', ''].join('\n'));
}

test('a word written two ways is reported at the glossary entry; print.html has 「」 and Taiwan terms', async () => {
  const project = tempProject();
  hantBook(project, 'zh-TW', 'twp', '# glossary\n数据要素: 數據要素\n');
  const result = await build(project);
  const problems = own(result);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [p] = problems;
  assert.equal(p!.ruleId, 'hant-term-two-ways');
  assert.equal(p!.file, 'manuscripts/hant-book/opencc-overrides.yaml');
  assert.equal(p!.line, 2);
  assert.equal(p!.column, 7); // the entry's value, 數據要素
  assert.match(p!.message, /数据 is written two ways in edition zh-Hant: (數據 and 資料|資料 and 數據)/);
  const print = project.read('out/hant-book/zh-Hant/print.html');
  const body = print.slice(print.indexOf('<section class="chapter')).replace(/<[^>]*>/g, '');
  assert.match(body, /「資料」和『資訊』/);
  assert.match(body, /《網絡數據安全管理條例》/);
  assert.ok(!/[“”‘’]/.test(body), 'no “” or ‘’ left in the chapter');
});

test('marking the entry as a name settles it', async () => {
  const project = tempProject();
  hantBook(project, 'zh-TW', 'twp', '数据要素: {name: 數據要素}\n');
  const result = await build(project);
  assert.deepEqual(own(result), []);
});

test('an edition tagged zh-HK with the Taiwan conversion is an error on book.yaml', async () => {
  const project = tempProject();
  hantBook(project, 'zh-HK', 'twp', '');
  const result = await build(project);
  const p = own(result).find((d) => d.ruleId === 'config-schema');
  assert.ok(p, JSON.stringify(own(result)));
  assert.match(p.message, /zh-HK takes the Hong Kong \(hkp or hk\) conversion, not twp/);
  assert.equal(p.line, 11); // derive: {… opencc: twp}
});
