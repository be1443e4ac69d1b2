/**
 * Issue 15: a heading that spans the columns of a two-column part (a yearbook 分目) never ends a page and
 * carries at least two lines of its section with it (pipeline/pdf/span-keeps.ts). Chromium ignores
 * `break-after: avoid` on a column-spanning heading, so without the pass such a heading can be printed
 * alone at a page foot. Pages of known geometry (tests/page-geometry.ts): 600 × 800 px, 30 px lines, two
 * columns; the pass runs in the page, the page is printed, and the rule is checked from the PDF's word
 * boxes (pdftotext -bbox).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { runInPage } from '../pipeline/pdf/page-scripts.ts';
import { PASSES_CSS } from '../pipeline/pdf/print-pdf.ts';
import { SCREEN_HIDDEN_CSS } from '../pipeline/pdf/print-html.ts';
import { KEEP_SPANNING_HEADINGS, type SpanKeepResult } from '../pipeline/pdf/span-keeps.ts';
import { pdfSkip } from './helpers.ts';
import { KNOWN_PAGE_CSS } from './page-geometry.ts';

const skip = pdfSkip();

/** Spanning headings two lines (60 px) high; everything else one-line paragraphs of 30 px. */
const STYLE = `
${KNOWN_PAGE_CSS}
section.chapter { break-before: page; column-count: 2; column-gap: 20px; }
section.chapter > h2 { column-span: all; margin: 0; height: 60px; font: 16px/60px T; break-after: avoid; }
${PASSES_CSS}`;

const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `<p>Line${tag}${String(i + 1).padStart(2, '0')}</p>`).join('');
/**
 * A part: a heading and `before` one-line paragraphs (balanced over the two columns before the next
 * heading, so they take ⌈before / 2⌉ lines), then heading Head<tag>b and 60 lines of its section.
 */
const part = (tag: string, before: number) =>
  `<section class="chapter" id="c${tag}" data-annals-body=""><h2 id="h-${tag}a">Head${tag}a</h2>${lines(tag + 'a', before)}` +
  `<h2 id="h-${tag}b">Head${tag}b</h2>${lines(tag + 'b', 60)}</section>`;

const CASES = [
  // 60 + 22 × 30 = 720 px: the heading would take 720–780, and no line of its section fits under it.
  { tag: 'p', before: 44, moves: true },
  // 60 + 21 × 30 = 690 px: the heading takes 690–750, and one line fits under it in each column.
  { tag: 'q', before: 42, moves: true },
  // 60 + 20 × 30 = 660 px: the heading takes 660–720, and two lines of each column fit under it.
  { tag: 'r', before: 40, moves: false },
];

const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style>${SCREEN_HIDDEN_CSS}</head>` +
  `<body>${CASES.map((c) => part(c.tag, c.before)).join('\n')}</body></html>`;

interface Word { text: string; page: number; xMin: number; yMin: number }

describe('spanning headings in two-column parts', { skip }, () => {
  let browser: BrowserSession;
  let page: Page;
  let dir: string;
  let result: SpanKeepResult;
  let words: Word[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annals-span-keeps-'));
    browser = createBrowserSession();
    page = await browser.page();
    writeFileSync(join(dir, 'page.html'), html);
    await page.goto(pathToFileURL(join(dir, 'page.html')).href, { waitUntil: 'load' });
    await page.evaluate(`document.fonts.load('16px T').then(() => true)`);
    result = await runInPage<SpanKeepResult>(page, KEEP_SPANNING_HEADINGS, { width: 600, height: 800, minLines: 2, maxBreaks: 40 });
    const file = join(dir, 'page.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    words = xml.split('<page ').slice(1).flatMap((chunk, i) =>
      [...chunk.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ text: m[3]!, page: i + 1, xMin: Number(m[1]), yMin: Number(m[2]) })));
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const at = (text: string) => {
    const w = words.find((x) => x.text === text);
    assert.ok(w, `${text} is printed`);
    return w;
  };

  for (const c of CASES) {
    test(`a heading ${c.moves ? 'that would end its page starts the next one' : 'with room for two lines under it stays'}, with at least two lines of its section under it (Head${c.tag}b)`, () => {
      const head = at(`Head${c.tag}b`);
      const first = at(`Head${c.tag}a`);
      assert.equal(head.page, first.page + (c.moves ? 1 : 0), `Head${c.tag}b is on page ${head.page}`);
      // The lines of its section under it in the first column (the left half of the page) on its page.
      const under = words.filter((w) => w.page === head.page && w.text.startsWith(`Line${c.tag}b`) && w.yMin > head.yMin && w.xMin < 300);
      assert.ok(under.length >= 2, `Head${c.tag}b has ${under.length} line(s) of its section under it on its page`);
      // Nothing of its section is on the page before it.
      assert.ok(!words.some((w) => w.text.startsWith(`Line${c.tag}b`) && w.page < head.page));
    });
  }

  test('the pass names the headings it gave a break, with the page of their part they start', () => {
    assert.deepEqual(result.kept, [
      { id: 'h-pb', part: 'cp', page: 1 },
      { id: 'h-qb', part: 'cq', page: 1 },
    ]);
    assert.equal(result.parts, 3);
    assert.equal(result.headings, 6);
  });
});
