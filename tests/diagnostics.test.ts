/**
 * One test per bad-input case of the foundation: each asserts the rule id, the message and the position
 * (file:line:column) that the editor sees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../pipeline/report/diagnostics.ts';
import { formatText } from '../pipeline/report/format.ts';
import { build, tempProject, writeBook } from './helpers.ts';

const chapter = (body: string, matter = 'title: 测试章') => `---\n${matter}\n---\n\n${body}\n`;

function only(diagnostics: Diagnostic[], ruleId: string): Diagnostic {
  const hits = diagnostics.filter((d) => d.ruleId === ruleId);
  assert.equal(hits.length, 1, `expected one ${ruleId}, got: ${JSON.stringify(diagnostics, null, 1)}`);
  return hits[0]!;
}

test('book.yaml: a schema violation is reported at the YAML value', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。') } });
  const path = 'manuscripts/test-book/book.yaml';
  project.write(path, project.read(path).replace('year: 2026', 'year: soon'));
  const result = await build(project);
  const d = only(result.diagnostics, 'config-schema');
  assert.equal(d.file, path);
  assert.equal(d.line, 3);
  assert.equal(d.column, 7);
  assert.match(d.message, /^`year`: .*number/);
  assert.equal(result.ok, false);
});

test('book.yaml: a bad chapter file name is reported at the list item', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。') } });
  const path = 'manuscripts/test-book/book.yaml';
  project.write(path, project.read(path).replace('- 01-a.md', '- chapter one.md'));
  const d = only((await build(project)).diagnostics, 'config-schema');
  assert.equal(d.line, 9);
  assert.equal(d.column, 9);
  assert.match(d.message, /editions\.zh\.chapters\.0.*NN-slug\.md/);
});

test('book.yaml: a YAML syntax error has a position and a code frame', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。') } });
  project.write('manuscripts/test-book/book.yaml', 'id: test-book\nkind: report\nyear: [2026\n');
  const result = await build(project);
  const d = only(result.diagnostics, 'yaml-syntax');
  assert.equal(d.file, 'manuscripts/test-book/book.yaml');
  assert.equal(d.line, 4);
  const text = formatText(result.diagnostics, { cwd: project.root });
  assert.match(text, /manuscripts\/test-book\/book\.yaml:4:\d+ error/);
  assert.match(text, /\| year: \[2026/, 'the code frame shows the offending line');
});

test('a chapter listed in book.yaml but missing', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。') } });
  const path = 'manuscripts/test-book/book.yaml';
  project.write(path, project.read(path) + '      - 02-missing.md\n');
  const d = only((await build(project)).diagnostics, 'chapter-missing');
  assert.equal(d.file, path);
  assert.equal(d.line, 10);
  assert.equal(d.message, 'chapter "zh/02-missing.md" is listed but does not exist');
  assert.equal(d.severity, 'error');
});

test('a Markdown file that is not listed', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。') } });
  project.write('manuscripts/test-book/zh/02-extra.md', chapter('多余的文件。'));
  const result = await build(project);
  const d = only(result.diagnostics, 'chapter-unlisted');
  assert.equal(d.severity, 'warning');
  assert.equal(d.line, 9, 'reported at the chapter list');
  assert.match(d.message, /"zh\/02-extra\.md" is not listed in `editions\.zh\.chapters`/);
  assert.equal(result.ok, true, 'a warning does not fail the build');
});

test('front matter without a title', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。', 'short: 短标题') } });
  const d = only((await build(project)).diagnostics, 'front-matter-schema');
  assert.equal(d.file, 'manuscripts/test-book/zh/01-a.md');
  assert.equal(d.line, 2);
  assert.match(d.message, /title/);
});

test('an unknown directive, with a suggestion', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('第一段。\n\n::figur[图题]{src="x.svg"}') } });
  const d = only((await build(project)).diagnostics, 'unknown-directive');
  assert.equal(d.line, 7);
  assert.equal(d.column, 1);
  assert.equal(d.message, 'unknown directive `::figur`');
  assert.match(d.hint!, /Did you mean `::figure`\?/);
});

test('times and ratios are prose, not directives', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('会议于10:30开始，标准为ISO/IEC 27001:2022。') } });
  const result = await build(project);
  assert.deepEqual(result.diagnostics, []);
  assert.match(project.read('out/test-book/zh/site/a.html'), /10:30开始，标准为ISO\/IEC 27001:2022。/);
});

test('a missing image', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('::figure[图题]{#fig-a src="images/nope.svg"}') } });
  const d = only((await build(project)).diagnostics, 'missing-image');
  assert.equal(d.line, 5);
  assert.equal(d.column, 1);
  assert.equal(d.message, 'image "images/nope.svg" does not exist');
});

test('a broken internal link, within and across chapters', async () => {
  const project = tempProject();
  writeBook(project, {
    chapters: {
      '01-a.md': chapter('## 甲 {#sec-alpha}\n\n见[乙](02-b.md#sec-beta)和[丙](#sec-alpah)。'),
      '02-b.md': chapter('## 乙 {#sec-beta}\n\n回到[第一章](01-a.md)，[缺失](03-c.md)。', 'title: 第二'),
    },
  });
  const result = await build(project);
  const broken = result.diagnostics.filter((d) => d.ruleId === 'broken-link');
  assert.equal(broken.length, 2);
  assert.equal(broken[0]!.file, 'manuscripts/test-book/zh/01-a.md');
  assert.equal(broken[0]!.line, 7);
  assert.equal(broken[0]!.column, 24);
  assert.equal(broken[0]!.message, 'link target "#sec-alpah" does not exist in this edition');
  assert.equal(broken[0]!.hint, 'Did you mean "sec-alpha"?');
  assert.equal(broken[1]!.file, 'manuscripts/test-book/zh/02-b.md');
  assert.match(broken[1]!.message, /"03-c\.md"/);
});

test('a duplicate heading id', async () => {
  const project = tempProject();
  writeBook(project, {
    chapters: {
      '01-a.md': chapter('## 甲 {#sec-same}\n\n正文。'),
      '02-b.md': chapter('## 乙\n\n正文。\n\n## 丙 {#sec-same}', 'title: 第二'),
    },
  });
  const d = only((await build(project)).diagnostics, 'duplicate-id');
  assert.equal(d.file, 'manuscripts/test-book/zh/02-b.md');
  assert.equal(d.line, 9);
  assert.equal(d.message, 'the id "sec-same" is already used in chapter "a"');
});

test('a level-1 heading inside a chapter', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('# 又一个标题\n\n正文。') } });
  const d = only((await build(project)).diagnostics, 'heading-level');
  assert.equal(d.line, 5);
  assert.equal(d.severity, 'warning');
});

test('a failed build leaves the previous output intact', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('第一版正文。') } });
  assert.equal((await build(project)).ok, true);
  const page = join(project.out, 'test-book/zh/site/a.html');
  const before = readFileSync(page, 'utf8');
  project.write('manuscripts/test-book/zh/01-a.md', chapter('第二版正文。\n\n::nonsense'));
  const failed = await build(project);
  assert.equal(failed.ok, false);
  assert.equal(readFileSync(page, 'utf8'), before, 'out/ still holds the last good build');
  assert.equal(existsSync(join(project.out, '.staging', `test-book-zh-${process.pid}`)), false, 'no staging left behind');
});

test('two builds of the same input are byte-identical', async () => {
  const a = tempProject();
  const b = tempProject();
  for (const p of [a, b]) writeBook(p, { chapters: { '01-a.md': chapter('## 甲\n\n正文[^1]。\n\n[^1]: 注。'), '02-b.md': chapter('## 乙\n\n见[甲](01-a.md)。', 'title: 第二') } });
  await build(a);
  await build(b);
  for (const f of ['site/index.html', 'site/a.html', 'site/b.html', 'print.html', 'site/assets/fonts.css']) {
    assert.equal(a.read(`out/test-book/zh/${f}`), b.read(`out/test-book/zh/${f}`), f);
  }
});

test('a chapter whose page would replace a generated page', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': chapter('正文。'), '02-index.md': chapter('指数。', 'title: 指数') } });
  const d = only((await build(project)).diagnostics, 'chapter-name');
  assert.equal(d.file, 'manuscripts/test-book/book.yaml');
  assert.equal(d.line, 10);
  assert.equal(d.message, 'the chapter slug "index" is reserved: its page would replace the edition\'s index.html');
});
