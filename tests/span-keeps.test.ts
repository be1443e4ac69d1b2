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

/** Spanning headings 50 px high, entry titles 50 px (20 px above a 30 px line), lines of 30 px. */
const STYLE = `
${KNOWN_PAGE_CSS}
section.chapter { break-before: page; column-count: 2; column-gap: 20px; }
section.chapter > h2 { column-span: all; margin: 0; height: 50px; font: 16px/50px T; break-after: avoid; }
h4 { margin: 20px 0 0; font: 16px/30px T; break-after: avoid; }
p { orphans: 2; widows: 2; }
${PASSES_CSS}`;

const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `<p>Line${tag}${String(i + 1).padStart(2, '0')}</p>`).join('');
/**
 * A part: a heading and `before` one-line paragraphs (balanced over the two columns before the next
 * heading, so they take ⌈before / 2⌉ lines), then heading Head<tag>b and 60 lines of its section.
 */
const part = (tag: string, before: number, entry: boolean) =>
  `<section class="chapter" id="c${tag}" data-annals-body=""><h2 id="h-${tag}a">Head${tag}a</h2>${lines(tag + 'a', before)}` +
  `<h2 id="h-${tag}b">Head${tag}b</h2>${entry ? `<h4>Title${tag}</h4><p>${paragraph(tag + 'b', 120)}</p>` : lines(tag + 'b', 60)}</section>`;
/** One paragraph of `n` words, many lines long. */
const paragraph = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `Line${tag}${String(i + 1).padStart(3, '0')}`).join(' ');

const CASES = [
  // 50 + 23 × 30 = 740 px: the heading would take 740–790, and no line of its section fits under it.
  { tag: 'p', before: 46, moves: true, entry: false },
  // 50 + 22 × 30 = 710 px: the heading takes 710–760, and one line fits under it in each column.
  { tag: 'q', before: 44, moves: true, entry: false },
  // 50 + 21 × 30 = 680 px: the heading takes 680–730, and two lines of each column fit under it.
  { tag: 'r', before: 42, moves: false, entry: false },
  // The same room (70 px), but the section opens with an entry's title (50 px) and a long paragraph:
  // the title fits under the heading and no line after it, so the first column holds the title alone
  // and the text starts at the top of the second (as the yearbook zh-Hant's 數字經濟 on p.17 was).
  { tag: 's', before: 42, moves: true, entry: true },
];

const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style>${SCREEN_HIDDEN_CSS}</head>` +
  `<body>${CASES.map((c) => part(c.tag, c.before, c.entry)).join('\n')}</body></html>`;

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
      const under = new Set(words.filter((w) => w.page === head.page && w.text.startsWith(`Line${c.tag}b`) && w.yMin > head.yMin && w.xMin < 300).map((w) => w.yMin));
      assert.ok(under.size >= 2, `Head${c.tag}b has ${under.size} line(s) of its section under it on its page`);
      // Nothing of its section is on the page before it.
      assert.ok(!words.some((w) => w.text.startsWith(`Line${c.tag}b`) && w.page < head.page));
    });
  }

  test('the pass names the headings it gave a break, with the page of their part they start', () => {
    assert.deepEqual(result.kept, [
      { id: 'h-pb', part: 'cp', page: 1 },
      { id: 'h-qb', part: 'cq', page: 1 },
      { id: 'h-sb', part: 'cs', page: 1 },
    ]);
    assert.equal(result.parts, 4);
    assert.equal(result.headings, 8);
  });
});
