/**
 * Numbering and cross-references: figure/table numbers per chapter in both scripts, `:ref` / `:pageref`
 * text and links in the site and in print, lists of figures and tables, and every diagnostic with its
 * position (unknown label with "did you mean", duplicate label, unreferenced label).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, mainOf, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;

const zhChapters = {
  '01-one.md':
    front('总论') +
    '## 概况 {#sec-overview}\n\n' +
    '见:ref[fig-a]和:ref[tab-b]，另见:ref[ch-two]与:ref[sec-detail]，页码见:pageref[fig-b]。\n\n' +
    '::figure[第一幅图]{#fig-a src="images/x.svg"}\n\n',
  '02-two.md':
    front('分论') +
    '## 细节：“东数西算” {#sec-detail}\n\n' +
    '本章回看:ref[sec-overview]与:ref[sec-detail]。\n\n' +
    '::figure[第二幅图]{#fig-b src="images/x.svg"}\n\n' +
    ':::table[第二章的表]{#tab-b}\n| a | b |\n|---|---|\n| 1 | 2 |\n:::\n\n' +
    ':::table[没有编号引用的表]\n| a | b |\n|---|---|\n| 1 | 2 |\n:::\n',
};

test('numbers per chapter and reference texts in a Chinese edition', async () => {
  const project = tempProject();
  const id = writeBook(project, { chapters: zhChapters, extraYaml: 'lists: [figures, tables]' });
  project.write(`manuscripts/${id}/images/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  const one = mainOf(project.read(`out/${id}/zh/site/one.html`));
  assert.match(one, /<a class="xref" href="#fig-a" data-kind="figure">图1-1<\/a>/);
  assert.match(one, /<a class="xref" href="two.html#tab-b" data-kind="table">表2-1<\/a>/);
  assert.match(one, /<a class="xref" href="two.html" data-kind="chapter">第二章<\/a>/);
  // A section in another chapter: chapter label and title, inner quotes turned into single ones.
  assert.match(one, /data-kind="section">第二章“细节：‘东数西算’”一节<\/a>/);
  // :pageref in the site shows the label text.
  assert.match(one, /<a class="xref pageref" href="two.html#fig-b" data-kind="figure"><span>图2-1<\/span><\/a>/);
  const two = mainOf(project.read(`out/${id}/zh/site/two.html`));
  assert.match(two, /data-kind="section">本章“细节：‘东数西算’”一节<\/a>/);
  assert.match(two, /<span class="caption-label">图2-1<\/span>/);
  assert.match(two, /<span class="caption-label">表2-2<\/span>/);
  // In print the page reference is a page number slot filled by the PDF stage.
  const print = project.read(`out/${id}/zh/print.html`);
  assert.match(print, /<a class="xref pageref" href="#fig-b" data-kind="figure"><span>第<span class="page-number" data-page-of="fig-b">\?<\/span>页<\/span><\/a>/);
  assert.doesNotMatch(print, /data-only=/);
  // Lists of figures and tables: front matter after the contents, in the TOC and the reading order.
  const figures = mainOf(project.read(`out/${id}/zh/site/list-of-figures.html`));
  assert.match(figures, /<h1 class="chapter-title">图目录<\/h1>/);
  assert.match(figures, /href="one.html#fig-a"><span class="toc-label">图1-1<\/span><span class="toc-title">第一幅图<\/span><\/a>/);
  assert.match(figures, /href="two.html#fig-b"><span class="toc-label">图2-1<\/span>/);
  const tables = mainOf(project.read(`out/${id}/zh/site/list-of-tables.html`));
  assert.match(tables, /href="two.html#two-table-2"><span class="toc-label">表2-2<\/span><span class="toc-title">没有编号引用的表<\/span>/);
  const home = project.read(`out/${id}/zh/site/index.html`);
  assert.match(home, /href="list-of-figures.html"/);
  assert.match(project.read(`out/${id}/zh/site/list-of-tables.html`), /class="pager-next" rel="next" href="one.html"/);
  assert.match(print, /<section class="matter matter-list-of-figures" id="list-of-figures"[^>]*>[\s\S]*<span class="toc-page" data-page-of="fig-a"><\/span>/);
});

test('English numbering and section references', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    edition: 'en',
    chapters: {
      '01-one.md': front('One') + '## Start {#sec-start}\n\nSee :ref[fig-x], :ref[sec-later] and :ref[ch-two].\n',
      '02-two.md': front('Two') + '## Later {#sec-later}\n\nBack to :ref[sec-start].\n\n::figure[A figure]{#fig-x src="images/x.svg"}\n',
    },
  });
  project.write(`manuscripts/${id}/images/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  const one = mainOf(project.read(`out/${id}/en/site/one.html`));
  assert.match(one, />Figure 2\.1<\/a>/);
  assert.match(one, />Section 2\.1<\/a>/);
  assert.match(one, />Chapter 2<\/a>/);
  assert.match(mainOf(project.read(`out/${id}/en/site/two.html`)), />Section 1\.1<\/a>/);
});

test('unknown, duplicate and unreferenced labels are reported at their positions', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('总论') + '见:ref[fig-aa]。\n\n::figure[图]{#fig-a src="images/x.svg"}\n\n::figure[未被引用]{#fig-lonely src="images/x.svg"}\n',
      '02-two.md': front('分论') + '再见:pageref[tab-nothing]。\n\n::figure[重复]{#fig-a src="images/x.svg"}\n',
    },
  });
  project.write(`manuscripts/${id}/images/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const result = await build(project, { checkOnly: true });
  const found = own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.severity} ${d.ruleId} ${d.message}${d.hint ? ' | ' + d.hint : ''}`);
  assert.ok(found.includes('01-one.md:5:2 error unknown-label :ref[fig-aa] points at no label of this edition | Did you mean "fig-a"?'), found.join('\n'));
  assert.ok(found.includes('02-two.md:5:3 error unknown-label :pageref[tab-nothing] points at no label of this edition | Use the id of a figure, table, box, section, chapter or entry of this edition ({#id} on it).'), found.join('\n'));
  assert.ok(found.some((f) => f.startsWith('02-two.md:7:1 error duplicate-id the id "fig-a" is already used in chapter "one"')), found.join('\n'));
  assert.ok(found.includes('01-one.md:9:1 warning unreferenced-label 图1-2 (fig-lonely) is never referred to | Refer to it in the text with :ref[id], or remove the {#id} if nothing should point at it.'), found.join('\n'));
});
