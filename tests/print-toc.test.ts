/**
 * The contents and the lists of figures and tables on paper (templates/base/print.css, base.css): an
 * entry whose title runs over two lines keeps its label on the title's first line and its leader and page
 * number on the last one, as a book sets it (the world report en printed "Figure 8.1" beside the second
 * line of its title, issue 15). Laid out in Chromium with the two style sheets as the print has them,
 * at the width of a 16开 text block; positions are read from the layout (no PDF needed).
 *
 * Needs Chromium; skipped when it is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pdfSkip, repoRoot } from './helpers.ts';

const css = ['base.css', 'print.css'].map((f) => readFileSync(join(repoRoot, 'templates/base', f), 'utf8')).join('\n');
const LONG = 'World Internet Development Index: uncertainty of the composite ranking of the twenty highest scores';
const entry = (id: string, label: string, title: string, page: string) =>
  `<li><a class="toc-entry" id="${id}" href="#x"><span class="toc-label">${label}</span><span class="toc-title">${title}</span><span class="toc-page">${page}</span></a></li>`;
const html = `<!doctype html><html lang="en"><head><style>${css}</style></head>
<body class="print" style="width: 549px; font-family: serif">
<nav class="toc"><ol>${entry('toc-long', '8.2', LONG, '64')}${entry('toc-short', '8.3', 'Profiles', '70')}</ol></nav>
<ol class="list-of-items">${entry('lof-long', 'Figure 8.2', LONG, '64')}${entry('lof-short', 'Figure 8.3', 'Profiles of major countries', '70')}</ol>
</body></html>`;

interface EntryBoxes {
  /** Baselines (the bottom of the first and last character's box) of the title's first and last lines. */
  titleFirst: number;
  titleLast: number;
  titleLines: number;
  label: number;
  page: number;
}

/**
 * Where each part of entry `id` sits: the bottom of a character's box stands for its line's baseline (one
 * font). A string, run in the page as it is (tsx would add helpers a page does not have to a function).
 */
const MEASURE = `(id) => {
  const a = document.getElementById(id);
  const charBottom = (el, at) => {
    const text = el.firstChild;
    const range = document.createRange();
    const i = at === 'first' ? 0 : text.length - 1;
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    return range.getBoundingClientRect().bottom;
  };
  const title = a.querySelector('.toc-title');
  const range = document.createRange();
  range.selectNodeContents(title);
  return {
    titleFirst: charBottom(title, 'first'),
    titleLast: charBottom(title, 'last'),
    titleLines: new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size,
    label: charBottom(a.querySelector('.toc-label'), 'first'),
    page: charBottom(a.querySelector('.toc-page'), 'first'),
  };
}`;
const measure = (page: Page, id: string): Promise<EntryBoxes> => page.evaluate(`(${MEASURE})(${JSON.stringify(id)})`) as Promise<EntryBoxes>;

describe('contents and lists on paper', { skip: pdfSkip() }, () => {
  let browser: BrowserSession;
  let page: Page;
  before(async () => {
    browser = createBrowserSession();
    page = await browser.page();
    await page.setContent(html);
  });
  after(async () => {
    await browser?.close();
  });

  for (const kind of ['toc', 'lof'] as const) {
    const what = kind === 'toc' ? 'contents' : 'list of figures';
    test(`${what}: a title over two lines has its label on the first line, its page number on the last`, async () => {
      const b = await measure(page, `${kind}-long`);
      assert.ok(b.titleLines >= 2, `the title should run over two lines: ${b.titleLines}`);
      assert.ok(b.titleLast - b.titleFirst > 5, `first line ${b.titleFirst}, last ${b.titleLast}`);
      assert.ok(Math.abs(b.label - b.titleFirst) < 0.5, `label at ${b.label}, the title's first line at ${b.titleFirst}`);
      assert.ok(Math.abs(b.page - b.titleLast) < 0.5, `page number at ${b.page}, the title's last line at ${b.titleLast}`);
    });

    test(`${what}: a one-line entry has label, title and page number on one line`, async () => {
      const b = await measure(page, `${kind}-short`);
      assert.equal(b.titleLines, 1);
      assert.ok(Math.abs(b.label - b.titleFirst) < 0.5 && Math.abs(b.page - b.titleFirst) < 0.5, JSON.stringify(b));
    });
  }
});
