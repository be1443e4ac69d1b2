/**
 * Print production, the data side (docs/print-production.md): the ISBN-13 check digit, the figures
 * computed for the imprint and the cover (hand-computed here), the 版权页 with its CIP block in
 * print.html, and what a release refuses — each at its position. HTML only: no browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isbnCheckDigit, isbnProblem } from '../pipeline/config/isbn.ts';
import { printedSheets, spineWidth, wordCountThousands } from '../pipeline/imprint/print-figures.ts';
import { printingLine } from '../pipeline/imprint/imprint-page.ts';
import { build, copyFixture, repoRoot, tempProject, writeBook, type TempProject } from './helpers.ts';

const fixture = join(repoRoot, 'tests/fixtures/press/press-book');
const BOOK = 'manuscripts/press-book/book.yaml';
const EPOCH = '1767225600';

function pressProject(): TempProject {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/press-book');
  return project;
}

async function release(project: TempProject) {
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = EPOCH;
  try {
    return await build(project, { release: true, format: 'html' });
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

test('ISBN-13 check digit: weights 1 and 3, modulo 10', () => {
  // 9·1+7·3+8·1+7·3+5·1+0·3+1·1+2·3+3·1+4·3+5·1+6·3 = 109 → (10 − 9) mod 10 = 1
  assert.equal(isbnCheckDigit('978750123456'), 1);
  // 9·1+7·3+8·1+7·3+1·1 + zeros = 60 → (10 − 0) mod 10 = 0
  assert.equal(isbnCheckDigit('978710000000'), 0);
  assert.equal(isbnProblem('978-7-5012-3456-1'), undefined);
  assert.equal(isbnProblem('ISBN 978 7 5012 3456 1'), undefined);
  assert.deepEqual(isbnProblem('978-7-5012-3456-2'), { kind: 'check-digit', expected: 1, found: 2 });
  assert.deepEqual(isbnProblem('7-5012-3456-1'), { kind: 'shape' });
});

test('印张, 字数 and spine width from the page count (hand-computed)', () => {
  assert.equal(printedSheets(320, 16), 20);
  assert.equal(printedSheets(324, 16), 20.25); // 20.25 exactly
  assert.equal(printedSheets(325, 16), 20.5); // 326 pages → 20.375 → up to the next quarter
  // 16开 report: text block (185 − 22 − 18) mm × (260 − 22 − 22) mm = 411.02 pt × 612.28 pt at 10.5 pt, leading 1.8:
  // 39 characters a line, ⌊612.28 ÷ 18.9⌋ = 32 lines, 39 × 32 × 100 pages = 124,800 → 125 千字.
  const mm = 72 / 25.4;
  assert.equal(wordCountThousands({ width: 145 * mm, height: 216 * mm, fontSize: 10.5, leading: 1.8 }, 100), 125);
  // 320 pages on 70 g offset: 160 leaves × 0.09 mm + 0.5 mm board = 14.9 mm.
  assert.equal(spineWidth(320, 'offset-70', 0.5), 14.9);
  // 101 pages → 51 leaves × 0.1 mm + 0 = 5.1 mm.
  assert.equal(spineWidth(101, 'offset-80', 0), 5.1);
  assert.equal(printingLine(2), '10 9 8 7 6 5 4 3 2');
});

test('a wrong ISBN check digit is an error at its line', async () => {
  const project = pressProject();
  project.write(BOOK, project.read(BOOK).replace('978-7-5012-3456-1', '978-7-5012-3456-2'));
  const result = await build(project, { checkOnly: true });
  const d = result.diagnostics.find((x) => x.ruleId === 'config-schema');
  assert.ok(d, JSON.stringify(result.diagnostics));
  assert.equal(d.file, BOOK);
  assert.equal(d.line, lineOf(project.read(BOOK), '3456-2'));
  assert.equal(d.column, 13);
  assert.match(d.message, /check digit is 2, but the first twelve digits call for 1/);
});

test('the 版权页 carries the CIP block and the production facts; the English page ©, ISBN and printing line', async () => {
  const project = pressProject();
  const result = await build(project, {});
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
  const zh = project.read('out/press-book/zh/print.html');
  const imprint = zh.slice(zh.indexOf('<section class="imprint'), zh.indexOf('</section>', zh.indexOf('<section class="imprint')));
  assert.match(imprint, /<p class="cip-heading">图书在版编目（CIP）数据<\/p>/);
  assert.match(imprint, /<p>网络发展报告：年度评估 \/ 网络空间研究院编著\. —北京：电子工业出版社，2026\.6<\/p>/);
  assert.match(imprint, /<p>I\.①网… II\.①网… III\.①互联网络 ②研究报告 ③中国 IV\.①TP393\.4<\/p>/);
  assert.match(imprint, /中国版本图书馆CIP数据核字（2026）第012345号/);
  assert.match(imprint, /<dt>开本<\/dt><dd>787mm×1092mm 1\/16<\/dd>/);
  assert.match(imprint, /<dt>印张<\/dt><dd><span class="imprint-fact" id="imprint-sheets" data-page-of="imprint-sheets">…<\/span><\/dd>/);
  assert.match(imprint, /<dt>版次<\/dt><dd>2026年6月第1版<\/dd>/);
  assert.match(imprint, /<dt>印次<\/dt><dd>2026年6月第1次印刷<\/dd>/);
  assert.match(imprint, /<dt>定价<\/dt><dd>98\.00元<\/dd>/);
  assert.match(imprint, /<dt>责任编辑<\/dt><dd>王明、李华<\/dd>/);
  const en = project.read('out/press-book/en/print.html');
  assert.match(en, /<p>© 2026 Cyberspace Research Institute<\/p>/);
  assert.match(en, /<p>ISBN 978-7-5012-3457-8<\/p>/);
  assert.match(en, /<p>Published by Publishing House of Electronics Industry<\/p>/);
  assert.match(en, /<p>First published June 2026<\/p><p>Printed in China<\/p><p>10 9 8 7 6 5 4 3 2<\/p>/);
});

test('a release refuses a missing imprint field at the imprint, and writes nothing', async () => {
  const project = pressProject();
  project.write(BOOK, project.read(BOOK).replace('      coverDesign: 张静\n', ''));
  const result = await release(project);
  assert.equal(result.ok, false);
  const d = result.diagnostics.find((x) => x.ruleId === 'release-imprint-missing');
  assert.ok(d, JSON.stringify(result.diagnostics));
  assert.equal(d.message, 'edition "zh": `imprint.coverDesign` is missing');
  assert.equal(d.line, lineOf(project.read(BOOK), 'isbn: 978-7-5012-3456-1')); // the imprint's first key
  assert.equal(d.severity, 'error');
  assert.equal(result.editions.length, 0);
  assert.equal(result.manifest, undefined);
});

test('a release refuses placeholder data: `sample: true`, sample text in book.yaml and chapters, `draft: true`', async () => {
  const project = pressProject();
  project.write(BOOK, project.read(BOOK).replace('    imprint:\n      isbn: 978-7-5012-3456-1', '    imprint:\n      sample: true\n      isbn: 978-7-5012-3456-1').replace('subtitle: 年度评估', 'subtitle: 年度评估（示例版）'));
  const chapter = 'manuscripts/press-book/zh/01-network.md';
  project.write(chapter, project.read(chapter).replace('title: 网络与数据\n', 'title: 网络与数据\ndraft: true\n').replace('光缆线路', '（示例数据）光缆线路'));
  const result = await release(project);
  assert.equal(result.ok, false);
  const samples = result.diagnostics.filter((x) => x.ruleId === 'release-sample').map((x) => `${x.file}:${x.line}:${x.column} ${x.message}`);
  const text = project.read(BOOK);
  assert.deepEqual(samples, [
    `${BOOK}:${lineOf(text, 'subtitle:')}:15 "示例版" marks sample text: "年度评估（示例版）"`,
    `${BOOK}:${lineOf(text, 'sample: true')}:15 the imprint of edition "zh" is marked \`sample: true\` (placeholder ISBN, CIP number, price)`,
    `${chapter}:3:1 the chapter is marked \`draft: true\``,
    `${chapter}:10:2 "示例数据" marks sample text`,
  ]);
});

test('a release of the complete book passes the imprint checks', async () => {
  const project = pressProject();
  const result = await release(project);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
  assert.deepEqual(result.editions.map((e) => e.edition), ['zh', 'en']);
});

test('--allow-sample: a sample book\'s placeholders are noted, not refused; a missing field still is', async () => {
  const project = pressProject();
  project.write(BOOK, project.read(BOOK).replace('    imprint:\n      isbn: 978-7-5012-3456-1', '    imprint:\n      sample: true\n      isbn: 978-7-5012-3456-1'));
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = EPOCH;
  try {
    const allowed = await build(project, { release: true, allowSample: true, checkOnly: true });
    assert.equal(allowed.ok, true, JSON.stringify(allowed.diagnostics, null, 1));
    assert.equal(allowed.diagnostics.find((d) => d.ruleId === 'release-sample')?.severity, 'info');
    project.write(BOOK, project.read(BOOK).replace('      printer: 北京某印刷有限公司\n', ''));
    const missing = await build(project, { release: true, allowSample: true, checkOnly: true });
    assert.equal(missing.ok, false);
    assert.equal(missing.diagnostics.find((d) => d.ruleId === 'release-imprint-missing')?.message, 'edition "zh": `imprint.printer` is missing');
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
});

test('yearbook entries credit their contributors: 撰稿 and 供稿 at the entry\'s end', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    chapters: { '01-security.md': '---\ntitle: 网络安全\n---\n\n:::entry[保护工作]{#entry-a author="张明"}\n正文。\n:::\n\n:::entry[监测通报]{supplier="国家互联网应急中心" author="李华"}\n正文。\n:::\n' },
  });
  const result = await build(project);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  const html = project.read(`out/${id}/zh/site/security.html`);
  // (。 may carry the line-typography span that trims its white half.)
  assert.match(html, /正文(?:<span class="cjk-half-end">)?。(?:<\/span>)?<\/p>\s*<p class="entry-credit">（撰稿：张明）<\/p><\/section>/);
  // Two credits side by side: no space before the second （, and the first ） gives up its white half (标点挤压).
  assert.match(html, /<p class="entry-credit">（撰稿：李华<span class="cjk-half-end">）<\/span>（供稿：国家互联网应急中心）<\/p>/);
});

test('the yearbook\'s editorial board page (编委会) follows the imprint, from book.yaml', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    kind: 'yearbook',
    chapters: { '01-security.md': '---\ntitle: 网络安全\n---\n\n正文。\n' },
    extraYaml: '',
  });
  const book = `manuscripts/${id}/book.yaml`;
  project.write(book, project.read(book).replace('    chapters:', '    board:\n      - {role: 主任, members: [张明]}\n      - {role: 委员, members: [李华, 王芳]}\n    chapters:'));
  const result = await build(project);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  const print = project.read(`out/${id}/zh/print.html`);
  const board = '<section class="editorial-board" id="editorial-board"><h1 class="board-title">编委会</h1><dl class="board"><dt>主任</dt><dd><span class="board-member">张明</span></dd><dt>委员</dt><dd><span class="board-member">李华</span><span class="board-member">王芳</span></dd></dl></section>';
  assert.ok(print.includes(board), print.slice(0, 3000));
  // Order: 扉页, 版权页, 编委会, then the contents.
  const at = (s: string) => print.indexOf(s);
  assert.ok(at('class="title-page"') < at('class="imprint"') && at('class="imprint"') < at(board) && at(board) < at('class="toc'));
});
