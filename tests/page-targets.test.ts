/**
 * Page targets keep their ids through the passes before the print (pipeline/pdf/page-targets.ts), issue
 * 15: the world report's index printed "digital talent 000" because the make-up pass had cut the term's
 * paragraph around a figure and the term's span, moved whole into the second half, lost its id; the print
 * then had no destination for it. Here the same cut on a page of known geometry (as make-up.test.ts):
 * 450 px of text, a 430 px figure that floats to the next page, then a paragraph of 200 words whose
 * marked word lies in the part printed after the figure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'puppeteer';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { MAKE_UP } from '../pipeline/pdf/make-up.ts';
import { readDestinations } from '../pipeline/pdf/page-numbers.ts';
import { runInPage } from '../pipeline/pdf/page-scripts.ts';
import { keepPageTargets, markPageTargets, unnumberedTargets, type KeptTargets } from '../pipeline/pdf/page-targets.ts';
import { PASSES_CSS } from '../pipeline/pdf/print-pdf.ts';
import { SCREEN_HIDDEN_CSS } from '../pipeline/pdf/print-html.ts';
import { pdfSkip, repoRoot } from './helpers.ts';

const skip = pdfSkip();
const font = pathToFileURL(join(repoRoot, 'node_modules/@fontsource/source-sans-3/files/source-sans-3-latin-400-normal.woff2')).href;

const STYLE = `
@font-face { font-family: T; src: url(${font}) format('woff2'); }
@page { size: 600px 800px; margin: 0; }
body { margin: 0; font: 16px/30px T; }
p { margin: 0; }
figure { margin: 0; break-inside: avoid; }
figcaption { height: 30px; }
.fig-body { height: 400px; }
${PASSES_CSS}`;

const words = Array.from({ length: 200 }, (_, i) => (i === 189 ? '<span class="idx-mark" id="idx-1">Marked</span>' : `Text${i + 1}`)).join(' ');
const BODY =
  `<section class="chapter" id="c1" data-annals-body=""><p style="height: 450px">Filler</p>` +
  `<figure class="figure" id="fig-1"><div class="fig-body">Figurebody</div><figcaption class="caption"><span class="caption-label">Figure 1-1</span> Caption</figcaption></figure>` +
  `<p id="para">${words}</p><p id="gone">Removed</p></section>` +
  // Chromium writes a named destination only for an id that a link points at (page-scripts.ts PREPARE).
  `<nav style="display: none"><a href="#idx-1"></a><a href="#para"></a></nav>`;
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style>${SCREEN_HIDDEN_CSS}</head><body>${BODY}</body></html>`;

describe('page targets through the make-up pass', { skip }, () => {
  let browser: BrowserSession;
  let page: Page;
  let dir: string;
  let kept: KeptTargets;
  let dests: Map<string, { page: number }>;
  let markedInTail: boolean;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annals-page-targets-'));
    browser = createBrowserSession();
    page = await browser.page();
    writeFileSync(join(dir, 'page.html'), html);
    await page.goto(pathToFileURL(join(dir, 'page.html')).href, { waitUntil: 'load' });
    await page.evaluate(`document.fonts.load('16px T').then(() => true)`);
    const ids = ['idx-1', 'para', 'gone'];
    assert.equal(await markPageTargets(page, ids), 3);
    await runInPage(page, MAKE_UP, { width: 600, height: 800, tableLabel: 'Table {n}', continuedLabel: 'Table {n} (continued)', minRows: 3, minGap: 0.1, maxRounds: 40 });
    markedInTail = (await page.evaluate(`!!document.querySelector('p.annals-split-tail [data-annals-target="idx-1"]')`)) as boolean;
    await page.evaluate(`document.getElementById('gone').remove()`);
    kept = await keepPageTargets(page, ids);
    const bytes = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    dests = readDestinations(await PDFDocument.load(bytes));
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the pass cut the paragraph around the figure, and the marked word went to the second half', () => {
    assert.ok(markedInTail);
  });

  test('every target an element still holds has its id after the passes, and the print a destination for it', () => {
    assert.deepEqual(kept.lost, ['gone']);
    assert.ok(!kept.restored.includes('para'), 'the paragraph kept its id on its first half');
    assert.equal(dests.get('para')?.page, 0);
    assert.equal(dests.get('idx-1')?.page, 1, 'the marked word is printed after the figure, on page 2');
  });
});

describe('targets left without a page number', () => {
  test('are the asked ids that have no value, each once, in the order asked', () => {
    const values = { 'idx-1': { page: '23' }, 'idx-3': { page: '7' } };
    assert.deepEqual(unnumberedTargets(['idx-1', 'idx-2', 'idx-3', 'idx-4', 'idx-2'], values), ['idx-2', 'idx-4']);
    assert.deepEqual(unnumberedTargets(['idx-1'], values), []);
  });
});
