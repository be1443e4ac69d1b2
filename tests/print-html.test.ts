/**
 * The PDF stage's copy of print.html (pipeline/pdf/print-html.ts), both ways: rendered from the print
 * template with the parts a build compiled (html/print-copy.ts), and made from print.html's tree when
 * the stage has only the folder. Neither edits HTML text; both give the same document.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { loadTemplates, PRINT_FONTS_CSS } from '../pipeline/html/templates.ts';
import { renderPrintCopy } from '../pipeline/html/print-copy.ts';
import { stringifyHtml } from '../pipeline/html/stringify.ts';
import { preparedPrintHtml, printCopyHtml, SCREEN_HIDDEN_CSS } from '../pipeline/pdf/print-html.ts';
import { repoRoot } from './helpers.ts';

const OPTIONS = { css: '@page { size: A4; }', placeholder: '000', fontsHref: '.print-fonts/fonts.css' };

const PRINT = `<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<link rel="stylesheet" href="site/assets/fonts.css">
<link rel="stylesheet" href="site/assets/base.css">
<style id="annals-page-css">@page { size: 1cm; }</style>
</head>
<body><nav class="toc"><a href="#ch-1"><span class="toc-page" data-page-of="ch-1"></span></a></nav>
<p>见第<span class="page-number" data-page-of="fig-1">?</span>页，<a data-page-of="idx-1"><b>?</b></a>
<img src="site/images/a.png" loading="lazy" alt=""></p></body></html>`;

test('given only the folder: the copy is print.html\'s tree with the page CSS, placeholders, print fonts and head additions', () => {
  const out = preparedPrintHtml(fromHtml(PRINT), OPTIONS);
  assert.match(out, /<style id="annals-page-css">@page \{ size: A4; \}<\/style>/);
  assert.match(out, /<link rel="stylesheet" href="\.print-fonts\/fonts\.css">\n<link rel="stylesheet" href="site\/assets\/base\.css">/, 'only the site fonts are swapped');
  assert.match(out, /data-page-of="ch-1">000</, 'an empty slot gets the placeholder');
  assert.match(out, /data-page-of="fig-1">000</, 'a slot of plain text gets the placeholder');
  assert.match(out, /data-page-of="idx-1"><b>\?<\/b>/, 'a slot with an element inside is left to the page script');
  assert.doesNotMatch(out, /loading=/);
  assert.ok(out.includes(`${SCREEN_HIDDEN_CSS}<style id="annals-visibility"></style>\n</head>`), 'the screen rule and the visibility style end the head');
});

test('a build renders the copy from the template: only the page CSS, the fonts link and the head differ from print.html', () => {
  const templates = loadTemplates(join(repoRoot, 'templates'), 'report');
  const view = { lang: 'zh', bookTitle: '书', kind: 'report', cover: '', imprint: '', toc: '<span data-page-of="ch-1">000</span>', chapters: '<p>正文</p>', fontsCss: PRINT_FONTS_CSS, headExtra: '' };
  const print = templates.render('print.html', { ...view, pageCss: '@page { size: 1cm; }' });
  const copy = printCopyHtml({ templates, view }, OPTIONS);
  assert.equal(copy, renderPrintCopy({ templates, view }, { css: OPTIONS.css, fontsHref: OPTIONS.fontsHref, headExtra: `${SCREEN_HIDDEN_CSS}<style id="annals-visibility"></style>\n` }));
  // The same document as the folder's way makes from that print.html (whose slot the build had filled).
  const fromFolder = preparedPrintHtml(fromHtml(print), OPTIONS);
  assert.equal(stringifyHtml(fromHtml(copy)), stringifyHtml(fromHtml(fromFolder)));
  assert.notEqual(copy, print);
  assert.ok(print.includes('href="site/assets/fonts.css"') && copy.includes('href=".print-fonts/fonts.css"'));
});
