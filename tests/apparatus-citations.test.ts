/**
 * Citations: GB/T 7714-2015 numeric output for the entry types the books use (book, journal article,
 * report, web page, standard) with Chinese and English authors (等 / et al.), numbering in order of first
 * citation through the book, placement per book or per chapter, CSL-YAML / CSL-JSON / BibTeX input, and
 * the diagnostics for unknown keys and malformed entries with their positions.
 *
 * The expected strings were checked by hand against GB/T 7714-2015 (著录格式 8.1–8.8 and the examples of
 * its appendix A): author list with 3 names then 等 / et al., upper-case Latin family names with initials,
 * type marks [M] [J] [R] [EB/OL] [S], "(issued)[accessed]" for web pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, mainOf, repoRoot, tempProject, writeBook, type TempProject } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const fixture = readFileSync(join(repoRoot, 'tests/fixtures/apparatus/citations/references.yaml'), 'utf8');
const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;

const EXPECTED = [
  '[1] 张明, 李华, 王芳, 等. 网络空间治理导论[M]. 2 版. 北京: 示例大学出版社, 2020.',
  '[2] SMITH J, DOE J A, ROE R, et al. Measuring the digital economy[J]. Journal of Internet Studies, 2019, 12(3): 45-67.',
  '[3] INTERNATIONAL TELECOMMUNICATION UNION. Measuring digital development: Facts and Figures 2024[R]. Geneva: ITU, 2024.',
  '[4] 国家互联网信息办公室. 2025年网络安全宣传周开幕[EB/OL]. (2025-09-15)[2025-12-01]. https://www.cac.gov.cn/.',
  '[5] 中华人民共和国国家质量监督检验检疫总局, 中国国家标准化管理委员会. 信息与文献 参考文献著录规则: GB/T 7714—2015[S]. 北京: 中国标准出版社, 2015.',
  '[6] CASTELLS M. The Rise of the Network Society[M]. 2nd ed. Chichester: Wiley-Blackwell, 2010.',
];

function citingBook(project: TempProject, edition: 'zh' | 'en', extraYaml = '') {
  const id = writeBook(project, {
    edition,
    extraYaml,
    chapters: {
      '01-one.md': front('One') + 'A:cite[zhang2020book] B:cite[smith2019article,itu2024report,cac2025web] C:cite[zhang2020book]{locator="45"}\n',
      '02-two.md': front('Two') + 'D:cite[gbt7714] E:cite[castells2010,smith2019article]\n',
    },
  });
  project.write(`manuscripts/${id}/references.yaml`, fixture);
  return id;
}

function referenceLines(html: string): string[] {
  return [...html.matchAll(/<li class="reference"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&#x26;/g, '&'));
}

for (const edition of ['zh', 'en'] as const) {
  test(`GB/T 7714 numeric output in the ${edition} edition, numbered by first citation`, async () => {
    const project = tempProject();
    const id = citingBook(project, edition);
    const result = await build(project);
    assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
    const refs = mainOf(project.read(`out/${id}/${edition}/site/references.html`));
    assert.deepEqual(referenceLines(refs), EXPECTED);
    assert.match(refs, /<li class="reference" id="ref-zhang2020book">/);
    assert.match(refs, /<a href="https:\/\/www.cac.gov.cn\/" class="reference-url">/);
    const one = mainOf(project.read(`out/${id}/${edition}/site/one.html`));
    assert.match(one, /A<a class="citation" href="references.html#ref-zhang2020book" role="doc-biblioref"><sup>\[1\]<\/sup><\/a>/);
    assert.match(one, /B<a class="citation" href="references.html#ref-smith2019article"[^>]*><sup>\[2–4\]<\/sup><\/a>/);
    assert.match(one, /C<a class="citation"[^>]*><sup>\[1\]45<\/sup><\/a>/);
    const two = mainOf(project.read(`out/${id}/${edition}/site/two.html`));
    assert.match(two, /D<a class="citation"[^>]*><sup>\[5\]<\/sup><\/a>/);
    assert.match(two, /E<a class="citation" href="references.html#ref-castells2010"[^>]*><sup>\[2,6\]<\/sup><\/a>/);
    // The list is a back-matter page: last in the site's reading order, after the chapters in print.
    assert.match(project.read(`out/${id}/${edition}/site/two.html`), /class="pager-next" rel="next" href="references.html"/);
    const print = project.read(`out/${id}/${edition}/print.html`);
    assert.ok(print.indexOf('id="references"') > print.indexOf('id="ch-two"'));
    assert.match(print, /<a class="citation" href="#ref-zhang2020book"/);
  });
}

test('placement per chapter restarts the numbers and ends each chapter with its list', async () => {
  const project = tempProject();
  const id = citingBook(project, 'zh', 'bibliography: { file: references.yaml, placement: chapter }');
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const two = mainOf(project.read(`out/${id}/zh/site/two.html`));
  assert.match(two, /D<a class="citation" href="#ref-two-gbt7714"[^>]*><sup>\[1\]<\/sup><\/a>/);
  assert.match(two, /E<a class="citation"[^>]*><sup>\[2,3\]<\/sup><\/a>/);
  assert.match(two, /<section class="bibliography chapter-bibliography" id="two-references" role="doc-bibliography"><h2 class="bibliography-heading">参考文献<\/h2>/);
  const lines = referenceLines(two);
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!.startsWith('[1] 中华人民共和国国家质量监督检验检疫总局'), lines[0]);
  assert.ok(lines[1]!.startsWith('[2] CASTELLS M.'), lines[1]);
  assert.ok(lines[2]!.startsWith('[3] SMITH J, DOE J A'), lines[2]);
  assert.equal(project.read(`out/${id}/zh/site/index.html`).includes('references.html'), false);
});

test('unknown keys are errors at the citation, with a "did you mean"', async () => {
  const project = tempProject();
  const id = writeBook(project, { chapters: { '01-one.md': front('一') + '正文:cite[zhang2020bok]和:cite[castells2010,nobody]。\n' } });
  project.write(`manuscripts/${id}/references.yaml`, fixture);
  const result = await build(project, { checkOnly: true });
  const found = own(result).map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}${d.hint ? ' | ' + d.hint : ''}`);
  assert.deepEqual(found, [
    '5:3 unknown-citation no entry "zhang2020bok" in the bibliography | Did you mean "zhang2020book"?',
    '5:23 unknown-citation no entry "nobody" in the bibliography | Use a key (`id:`) of the book\'s bibliography file, or add the entry there.',
  ]);
});

test('malformed CSL-YAML entries are reported at the line of the entry and left out', async () => {
  const project = tempProject();
  const id = writeBook(project, { chapters: { '01-one.md': front('一') + '正文:cite[good]。\n' } });
  project.write(
    `manuscripts/${id}/references.yaml`,
    [
      '- id: good', //                                     1
      '  type: book',
      '  title: 好书',
      '- id: notype', //                                   4
      '  type: monograph',
      '  title: 坏类型',
      '- id: notitle', //                                  7
      '  type: report',
      '- id: badauthor', //                                9
      '  type: book',
      '  title: 作者错误',
      '  author:',
      '    - given: 名', //                                13
      '- id: good', //                                     14
      '  type: book',
      '  title: 重复',
      '- id: baddate', //                                  17
      '  type: book',
      '  title: 日期错误',
      '  issued: 2025/01/02',
    ].join('\n') + '\n',
  );
  const result = await build(project, { checkOnly: true });
  const found = own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.ruleId} ${d.message}`);
  assert.deepEqual(found, [
    'references.yaml:5:9 bibliography-entry entry "notype": `type`: expected a CSL type (book, article-journal, report, webpage, standard, legislation, chapter, thesis …)',
    'references.yaml:7:3 bibliography-entry entry "notitle": `title`: Invalid input: expected string, received undefined',
    'references.yaml:13:7 bibliography-entry entry "badauthor": `author.0`: a name is `{ family: 张, given: 明 }` or `{ literal: 国家互联网信息办公室 }`',
    'references.yaml:14:7 bibliography-entry entry "good": the key "good" is already used by an earlier entry',
    'references.yaml:20:11 bibliography-entry entry "baddate": `issued`: expected a date such as 2024-11-27, or date-parts: [[2024, 11, 27]]',
  ]);
});

test('BibTeX and CSL-JSON bibliographies, and their syntax errors', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    extraYaml: 'bibliography: { file: refs.bib }',
    chapters: { '01-one.md': front('一') + '引:cite[castells2010,zhang2020]。\n' },
  });
  project.write(
    `manuscripts/${id}/refs.bib`,
    '@book{castells2010,\n  author = {Castells, Manuel},\n  title = {The Rise of the Network Society},\n  edition = {2},\n  publisher = {Wiley-Blackwell},\n  address = {Chichester},\n  year = {2010}\n}\n' +
      '@book{zhang2020,\n  author = {张, 明 and 李, 华},\n  title = {网络空间治理导论},\n  publisher = {示例大学出版社},\n  address = {北京},\n  year = {2020},\n  langid = {chinese}\n}\n',
  );
  let result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  assert.deepEqual(referenceLines(mainOf(project.read(`out/${id}/zh/site/references.html`))), [
    '[1] CASTELLS M. The Rise of the Network Society[M]. 2nd ed. Chichester: Wiley-Blackwell, 2010.',
    '[2] 张明, 李华. 网络空间治理导论[M]. 北京: 示例大学出版社, 2020.',
  ]);

  project.write(`manuscripts/${id}/refs.bib`, '@book{ok, title={x}, year=2020}\n@article{broken, title={y}\n@book{z, title={z}}\n');
  result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.ruleId}`),
    ['refs.bib:3:1 bibliography-file', '01-one.md:5:2 unknown-citation', '01-one.md:5:2 unknown-citation'],
  );

  project.write(`manuscripts/${id}/book.yaml`, project.read(`manuscripts/${id}/book.yaml`).replace('refs.bib', 'refs.json'));
  project.write(`manuscripts/${id}/refs.json`, JSON.stringify([{ id: 'castells2010', type: 'book', title: 'The Rise of the Network Society', author: [{ family: 'Castells', given: 'Manuel' }], issued: { 'date-parts': [[2010]] } }, { id: 'zhang2020', type: 'book' }], null, 2));
  result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.ruleId} ${d.message}`),
    ['refs.json:21:5 bibliography-entry entry "zhang2020": `title`: Invalid input: expected string, received undefined', '01-one.md:5:2 unknown-citation no entry "zhang2020" in the bibliography'],
  );
});

test('a configured bibliography file that does not exist is reported on book.yaml', async () => {
  const project = tempProject();
  writeBook(project, { extraYaml: 'bibliography:\n  file: missing.yaml', chapters: { '01-one.md': front('一') + '正文。\n' } });
  const result = await build(project, { checkOnly: true });
  assert.deepEqual(
    own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.ruleId} ${d.message}`),
    ['book.yaml:11:9 bibliography-file bibliography file "missing.yaml" does not exist'],
  );
});

test('a citation style that cannot be read is an error on book.yaml, and the citations keep their keys', async () => {
  const project = tempProject();
  const id = citingBook(project, 'en', 'bibliography:\n  style: no-such-style');
  const result = await build(project);
  const style = own(result).filter((d) => d.ruleId === 'bibliography-style');
  assert.equal(style.length, 1, JSON.stringify(own(result)));
  assert.equal(`${style[0]!.file.split('/').pop()}:${style[0]!.line}`, 'book.yaml:12');
  assert.match(style[0]!.message, /cannot use the citation style "no-such-style": ENOENT/);
  assert.equal(result.ok, false);
  assert.ok(!own(result).some((d) => d.ruleId === 'internal-error'), 'no crash');
});
