/**
 * print.html's body parts and chapters as data (pipeline/html/print-parts.ts): from the book's chapters
 * and back matter, and from print.html parsed; the stylesheets the PDF stage reads (templates.ts
 * PRINT_STYLESHEETS) are the ones the template links.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { ChapterInfo } from '../pipeline/context/types.ts';
import { printChaptersOfTree, printParts, printPartsOfTree } from '../pipeline/html/print-parts.ts';
import { loadTemplates, PRINT_FONTS_CSS, PRINT_STYLESHEETS } from '../pipeline/html/templates.ts';
import { repoRoot } from './helpers.ts';

const PRINT = `<!doctype html><html><head><title>t</title></head><body class="print">
<section class="title-page" id="title-page"><p>书名</p></section>
<section class="matter front-chapter matter-preface" id="preface" data-chapter="preface" data-running-head="前言"><header class="chapter-header"><h1 class="chapter-title">前言</h1></header></section>
<nav class="toc"><section class="matter matter-contents" id="contents" data-running-head="目录"></section></nav>
<section class="chapter" id="ch-1" data-chapter="infrastructure" data-running-head="基础设施" data-label="第一章"><header class="chapter-header"><h1 class="chapter-title">网络<em>基础</em>设施 &amp; 算力</h1></header>
  <section class="chapter" id="nested"><h1 class="chapter-title">not a part</h1></section></section>
<section class="chapter" id="ch-2" data-chapter="data" data-running-head="&quot;数据&quot;"><header class="chapter-header"><h1 class="chapter-title">数据</h1></header></section>
<section class="matter matter-index" id="book-index" data-running-head="索引"></section>
</body></html>`;

test('print.html parsed: the body parts from the first chapter on, running heads with their labels, nothing inside a part', () => {
  assert.deepEqual(printPartsOfTree(fromHtml(PRINT)), [
    { id: 'ch-1', kind: 'chapter', runningHead: '第一章 基础设施' },
    { id: 'ch-2', kind: 'chapter', runningHead: '"数据"' },
    { id: 'book-index', kind: 'matter', runningHead: '索引' },
  ]);
  assert.deepEqual(printPartsOfTree(fromHtml('<body><section class="matter" id="a"></section></body>')), [], 'no chapter: no body');
});

test('print.html parsed: every chapter, the front chapter too, with its title as text', () => {
  assert.deepEqual(printChaptersOfTree(fromHtml(PRINT)), [
    { slug: 'preface', id: 'preface', title: '前言' },
    { slug: 'infrastructure', id: 'ch-1', title: '网络基础设施 & 算力' },
    { slug: 'data', id: 'ch-2', title: '数据' },
  ]);
});

test('the same parts from the chapters and the back matter: front chapters are not body parts', () => {
  const chapter = (id: string, short: string, label: string | undefined) => ({ id, short, label }) as unknown as ChapterInfo;
  const infos = [chapter('preface', '前言', undefined), chapter('ch-1', '基础设施', '第一章'), chapter('ch-2', '"数据"', '')];
  assert.deepEqual(printParts(infos, [{ id: 'book-index', title: '索引' }], 1), printPartsOfTree(fromHtml(PRINT)));
});

test('the PDF stage reads the stylesheets the print template links, in its order', () => {
  // Rendered as print.html is (with math, so katex.css is linked), then read as hast.
  const html = loadTemplates(join(repoRoot, 'templates'), 'report').render('print.html', { math: true, fontsCss: PRINT_FONTS_CSS });
  const linked: unknown[] = [];
  visit(fromHtml(html), 'element', (node) => {
    if (node.tagName === 'link' && String(node.properties.rel) === 'stylesheet') linked.push(node.properties.href);
  });
  assert.deepEqual(linked, PRINT_STYLESHEETS);
});
