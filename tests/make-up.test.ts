/**
 * The page make-up pass (pipeline/pdf/make-up.ts) on purpose-made pages whose geometry is known to the
 * pixel: blocks of fixed height on 600 × 800 px pages with no margins, so where Chromium would break
 * without the pass is computed here, by hand. The pass runs in the page, the page is printed, and the
 * rules are checked from the PDF's text per page (pdftotext -layout) and word boxes (pdftotext -bbox).
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
import { MAKE_UP, UNFLOAT, WRAP_PLAIN_TABLES, type MakeUpResult } from '../pipeline/pdf/make-up.ts';
import type { PageNotesResult } from '../pipeline/pdf/page-notes.ts';
import { PASSES_CSS } from '../pipeline/pdf/print-pdf.ts';
import { SCREEN_HIDDEN_CSS } from '../pipeline/pdf/print-html.ts';
import { runInPage } from '../pipeline/pdf/page-scripts.ts';
import { pdfSkip } from './helpers.ts';
import { KNOWN_PAGE_CSS } from './page-geometry.ts';

const skip = pdfSkip();

/** Every block is a whole number of 30 px lines; a page holds 800 px. */
const STYLE = `
${KNOWN_PAGE_CSS}
section.chapter { break-before: page; }
figure { margin: 0; break-inside: avoid; }
figure.table-figure { break-inside: auto; }
figcaption { height: 30px; text-align: center; }
figure.table-figure > figcaption { break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { height: 30px; break-inside: avoid; }
th, td { padding: 0; text-align: left; }
p.note, p.source { break-before: avoid; }
.fig-body { height: 400px; }
${PASSES_CSS}`;

const rows = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => `<tr><td>Row${tag}${String(i + 1).padStart(2, '0')}</td><td>${i + 1}</td></tr>`).join('');
const table = (id: string, label: string, tag: string, n: number, note = `Note${tag}`) =>
  `<figure class="table-figure" id="${id}"><figcaption class="caption"><span class="caption-label">${label}</span> Caption${tag}</figcaption>` +
  `<table><thead><tr><th>Head${tag}</th><th>Value</th></tr></thead><tbody>${rows(tag, n)}</tbody></table>` +
  `<p class="note">${note}</p><p class="source">Source${tag}</p></figure>`;
const bare = (tag: string, n: number) => `<table><thead><tr><th>Head${tag}</th><th>Value</th></tr></thead><tbody>${rows(tag, n)}</tbody></table>`;
const words = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `Text${tag}${i + 1}`).join(' ');

const BODY = [
  // 1. 690 px of text, then a 40-row table: its caption (30), header (30) and one row (30) fit at the
  //    foot (780 px), the second row does not: Chromium would leave one row at the foot.
  `<section class="chapter" id="c1" data-annals-body=""><p style="height: 690px">Fillera</p>${table('tab-a', 'Table 1-1', 'a', 40)}<p>Aftera</p></section>`,
  // 2. A 25-row table at the top of a page: 24 rows fit (780 px), one row would be left over.
  `<section class="chapter" id="c2" data-annals-body="">${table('tab-b', 'Table 2-1', 'b', 25)}<p>Afterb</p></section>`,
  // 3. 450 px of text, then a 430 px figure (it does not fit in the 350 px left), then text.
  `<section class="chapter" id="c3" data-annals-body=""><p style="height: 450px">Fillerc</p>` +
    `<figure class="figure" id="fig-c"><div class="fig-body">Figurebody</div><figcaption class="caption"><span class="caption-label">Figure 3-1</span> Captionc</figcaption></figure>` +
    `<p>${words('c', 200)}</p><p>${words('d', 60)}</p></section>`,
  // 4. 690 px of text, then a 5-row table (too short to break: it does not fit in the 110 px left), then
  //    text: the table floats to the next page and the text fills this one.
  `<section class="chapter" id="c4" data-annals-body=""><p style="height: 690px">Fillere</p>${table('tab-e', 'Table 4-1', 'e', 5, `Notee ${words('n', 40)}`)}<p>${words('e', 100)}</p></section>`,
  // 5. Notes and floats on the same pages. 450 px of text, a 430 px figure that does not fit, then a
  //    paragraph whose first line holds a note reference: the figure floats, the paragraph fills the page
  //    with its reference, and the page's note then takes room at its foot, pushing lines past the
  //    figure's place (they must not make a page of their own before it).
  `<section class="chapter" id="c5" data-annals-body=""><p style="height: 450px">Fillerf</p>` +
    `<figure class="figure" id="fig-f"><div class="fig-body">Figurebodyf</div><figcaption class="caption"><span class="caption-label">Figure 5-1</span> Captionf</figcaption></figure>` +
    `<p>Textf1 <a data-footnote-ref="" href="#fn-f" id="ref-f">1</a> ${words('f', 200).slice(7)}</p>` +
    `<section class="footnotes"><ol><li id="fn-f"><p>Notefirst ${words('m', 30)}</p></li></ol></section></section>`,
  // 6. A note reference above a 40-row table that breaks on the same page: the note area goes between the
  //    table's first half and its continuation.
  `<section class="chapter" id="c6" data-annals-body=""><p>Textg1 <a data-footnote-ref="" href="#fn-g" id="ref-g">1</a> ${words('g', 40).slice(7)}</p>` +
    `${table('tab-g', 'Table 6-1', 'g', 40)}<p>Afterg</p>` +
    `<section class="footnotes"><ol><li id="fn-g"><p>Notesecond ${words('k', 30)}</p></li></ol></section></section>`,
  // 7. A 60-row table without an id (as the yearbook's statistics tables): three pages, each continuation
  //    numbered from the table's own caption (issue 15: they printed "续表" without the number).
  `<section class="chapter" id="c7" data-annals-body="">${table('', 'Table 7-1', 'h', 60).replace(' id=""', '')}<p>Afterh</p></section>`,
  // 8. Two 30-row tables without ids, each breaking: 24 rows of the first fit on page 1 (6 go over); the
  //    second follows the first's continuation on page 2 and breaks there. Each is continued
  //    under a key of its own (issue 15: all id-less continuations were "of" the same "table").
  `<section class="chapter" id="c8" data-annals-body="">${table('', 'Table 8-1', 'i', 30).replace(' id=""', '')}<p>Betweeni</p>` +
    `${table('', 'Table 8-2', 'j', 30).replace(' id=""', '')}<p>Afterj</p></section>`,
  // 9. A plain Markdown table (no caption, no figure) after 690 px of text: its header and two rows would
  //    sit at the foot. It starts the next page instead (without floating: the text after it stays after
  //    it), and breaks there with three or more rows on each side, its header repeated, no caption.
  `<section class="chapter" id="c9" data-annals-body=""><p style="height: 690px">Fillerp</p>${bare('p', 40)}<p>${words('p', 30)}</p></section>`,
  // 10. A short plain table that does not fit at the foot: it goes to the next page whole, and the text
  //    after it stays after it.
  `<section class="chapter" id="c10" data-annals-body=""><p style="height: 690px">Fillerq</p>${bare('q', 5)}<p>${words('q', 30)}</p></section>`,
].join('\n');

const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style>${SCREEN_HIDDEN_CSS}</head><body>${BODY}</body></html>`;

interface Word { text: string; page: number; yMin: number; yMax: number }

describe('page make-up on pages of known geometry', { skip }, () => {
  let browser: BrowserSession;
  let page: Page;
  let dir: string;
  let result: MakeUpResult & { notes: PageNotesResult };
  let pages: string[];
  let boxes: Word[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annals-make-up-'));
    browser = createBrowserSession();
    page = await browser.page();
    writeFileSync(join(dir, 'page.html'), html);
    await page.goto(pathToFileURL(join(dir, 'page.html')).href, { waitUntil: 'load' });
    // The print needs the font loaded; the page has no screen layout that would ask for it.
    await page.evaluate(`document.fonts.load('16px T').then(() => true)`);
    // As the print does before its line grid (prepare-tab.ts): plain tables into margin-less figures.
    assert.equal(await runInPage<number>(page, WRAP_PLAIN_TABLES, null), 2, 'the two plain tables are wrapped');
    result = await runInPage<MakeUpResult & { notes: PageNotesResult }>(page, MAKE_UP, {
      width: 600, height: 800, tableLabel: 'Table {n}', continuedLabel: 'Table {n} (continued)', minRows: 3, minGap: 0.1, maxRounds: 40, notes: { markers: 'numeric' },
    });
    const file = join(dir, 'page.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    pages = Array.from({ length: count }, (_, i) => execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }));
    const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    boxes = [];
    xml.split('<page ').slice(1).forEach((chunk, i) => {
      for (const m of chunk.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        boxes.push({ text: m[3]!, page: i + 1, yMin: Number(m[1]), yMax: Number(m[2]) });
      }
    });
  });
  after(async () => {
    await browser?.close();
    if (process.env.KEEP15) console.error(dir); else rmSync(dir, { recursive: true, force: true });
  });

  /** 1-based pages whose text has `word`. */
  const on = (word: string) => pages.flatMap((text, i) => (new RegExp(`\\b${word}\\b`).test(text) ? [i + 1] : []));
  const rowsOn = (tag: string, p: number) => (pages[p - 1]!.match(new RegExp(`\\bRow${tag}\\d\\d\\b`, 'g')) ?? []).length;
  /** The first line of a page's text (its top). */
  const firstLine = (p: number) => pages[p - 1]!.split('\n').find((l) => l.trim() !== '')!.trim();

  test('a table that would leave its header and one row at a page foot starts on the next page', () => {
    assert.deepEqual(on('Fillera'), [1]);
    assert.deepEqual(on('Captiona'), [2], 'the caption moved with the table');
    assert.equal(rowsOn('a', 1), 0, 'no row at the foot of the first page');
  });

  test('a table breaks with three or more rows on each side, under a continuation caption (续表) and its repeated header', () => {
    for (const tag of ['a', 'b']) {
      const used = pages.map((_, i) => i + 1).filter((p) => rowsOn(tag, p) > 0);
      assert.ok(used.length >= 2, `table ${tag} breaks (${used.join(', ')})`);
      for (const p of used) {
        assert.ok(rowsOn(tag, p) >= 3, `table ${tag}: ${rowsOn(tag, p)} rows on page ${p}`);
        assert.match(pages[p - 1]!, new RegExp(`Head${tag}`), `table ${tag}: header on page ${p}`);
      }
      for (const p of used.slice(1)) assert.match(firstLine(p), /^Table \d-1 \(continued\)$/, `page ${p} starts with the continuation caption`);
      // Every row once, in order.
      const printed = used.flatMap((p) => pages[p - 1]!.match(new RegExp(`\\bRow${tag}\\d\\d\\b`, 'g'))!);
      assert.deepEqual(printed, Array.from({ length: tag === 'a' ? 40 : 25 }, (_, i) => `Row${tag}${String(i + 1).padStart(2, '0')}`));
      // Notes and source on the page of the last rows.
      assert.deepEqual(on(`Note${tag}`), [used[used.length - 1]]);
      assert.deepEqual(on(`Source${tag}`), [used[used.length - 1]]);
    }
    // The 25-row table: 22 rows, then 3 with its notes (not 24 and 1).
    const b = on('Captionb')[0]!;
    assert.equal(rowsOn('b', b), 22);
    assert.equal(rowsOn('b', b + 1), 3);
    assert.match(pages[b]!, /Table 2-1 \(continued\)/);
  });

  test('a table without an id is continued under its own number, on every page it continues on', () => {
    const used = pages.map((_, i) => i + 1).filter((p) => rowsOn('h', p) > 0);
    assert.equal(used.length, 3, `table h breaks twice (${used.join(', ')})`);
    for (const p of used.slice(1)) assert.equal(firstLine(p), 'Table 7-1 (continued)', `page ${p} starts with the numbered continuation caption`);
  });

  test('a figure that does not fit goes to the top of the next page, and the text fills the page before it', () => {
    const start = on('Fillerc')[0]!;
    const figure = boxes.find((w) => w.text === 'Figurebody')!;
    assert.equal(figure.page, start + 1, 'the figure is on the next page');
    const above = boxes.filter((w) => w.page === figure.page && w.yMin < figure.yMin);
    assert.deepEqual(above.map((w) => w.text), [], 'nothing above the figure on its page');
    // The page before it is filled with the text that followed the figure, to its last line.
    const before = boxes.filter((w) => w.page === start);
    assert.ok(before.some((w) => w.text.startsWith('Textc')), 'the following text moved up');
    const bottom = Math.max(...before.map((w) => w.yMax));
    assert.ok(bottom > 600 - 30, `the page before the figure is filled to ${bottom} pt of 600`);
    // The paragraph the page break runs through continues under the figure, in order.
    const textC = boxes.filter((w) => /^Textc\d+$/.test(w.text)).map((w) => Number(w.text.slice(5)));
    assert.deepEqual(textC, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(boxes.some((w) => w.page === figure.page && w.text.startsWith('Textc') && w.yMin > figure.yMax), 'the paragraph goes on under the figure');
  });

  test('a table that would leave its header at a page foot floats: the text after it fills the page', () => {
    const start = on('Fillere')[0]!;
    assert.deepEqual(on('Captione'), [start + 1]);
    assert.equal(rowsOn('e', start), 0);
    assert.equal(rowsOn('e', start + 1), 5, 'the whole table on the next page, unbroken');
    assert.match(firstLine(start + 1), /^Table 4-1 Captione$/, 'at the top of the page');
    assert.ok(boxes.some((w) => w.page === start && w.text === 'Texte1'), 'the text after the table moved up');
    assert.ok(!pages.some((t) => /Table 4-1 \(continued\)/.test(t)));
  });

  test('a floated table keeps the print at full size: its long note wraps within the text block', () => {
    // With the passes' CSS as the print has it (PASSES_CSS), a class shared by two passes once made the
    // floated table's note a single unbreakable line, and Chromium shrank every page to fit it.
    const note = boxes.filter((w) => /^Textn\d+$/.test(w.text));
    assert.equal(note.length, 40);
    assert.ok(new Set(note.map((w) => Math.round(w.yMin))).size >= 2, 'the note runs over two lines or more');
    const filler = boxes.find((w) => w.text === 'Fillere')!;
    // 16 px type is 12 pt; a shrunk print would set it smaller.
    assert.ok(filler.yMax - filler.yMin > 11, `body words are ${(filler.yMax - filler.yMin).toFixed(1)} pt high`);
  });

  test('a plain table (no caption) breaks with three rows on each side and its header, without floating or a continuation caption', () => {
    const start = on('Fillerp')[0]!;
    assert.equal(rowsOn('p', start), 0, 'no rows at the foot of the page with the text before it');
    const used = pages.map((_, i) => i + 1).filter((p) => rowsOn('p', p) > 0);
    assert.deepEqual(used, [start + 1, start + 2]);
    for (const p of used) {
      assert.ok(rowsOn('p', p) >= 3, `${rowsOn('p', p)} rows on page ${p}`);
      assert.match(firstLine(p), /^Headp\s+Value$/, `page ${p} starts with the header, no caption`);
    }
    const printed = used.flatMap((p) => pages[p - 1]!.match(/\bRowp\d\d\b/g)!);
    assert.deepEqual(printed, Array.from({ length: 40 }, (_, i) => `Rowp${String(i + 1).padStart(2, '0')}`));
    assert.deepEqual(on('Textp1'), [start + 2], 'the text after the table follows its last rows: the table did not float');
  });

  test('a short plain table that does not fit at a page foot goes to the next page whole, before the text that follows it', () => {
    const start = on('Fillerq')[0]!;
    assert.equal(rowsOn('q', start), 0);
    assert.equal(rowsOn('q', start + 1), 5);
    assert.deepEqual(on('Textq1'), [start + 1], 'the text after it did not move up to fill the page: the table is not a float');
  });

  test('the pass reports what it placed, with the page of its part', () => {
    const kinds = result.placed.map((p) => `${p.part}:${p.kind}:${p.page}`);
    assert.deepEqual(kinds, ['c1:moved:1', 'c1:continued:2', 'c2:continued:1', 'c3:float:1', 'c4:float:1', 'c5:float:1', 'c6:continued:1', 'c7:continued:1', 'c7:continued:2', 'c8:continued:1', 'c8:continued:2', 'c9:continued:2']);
    assert.deepEqual(result.unsettled, []);
  });

  test('a page note stays on the page of its reference when a float before it moves: the figure still starts the next page', () => {
    assert.equal(result.notes.notes, 2);
    assert.equal(result.notes.unplaced, 0);
    const start = on('Fillerf')[0]!;
    assert.deepEqual(on('Textf1'), [start], 'the paragraph with the reference filled the first page');
    assert.deepEqual(on('Notefirst'), [start], 'its note is on the same page');
    const note = boxes.find((w) => w.text === 'Notefirst')!;
    const text = boxes.filter((w) => w.page === start && /^Text[f]\d+$/.test(w.text));
    assert.ok(note.yMin > Math.max(...text.map((w) => w.yMax)), 'the note is under the text');
    assert.ok(Math.max(...boxes.filter((w) => w.page === start).map((w) => w.yMax)) > 600 - 30, 'the note area ends at the page foot');
    const figure = boxes.find((w) => w.text === 'Figurebodyf')!;
    assert.equal(figure.page, start + 1, 'the figure is on the next page, not after a page of pushed lines');
    assert.deepEqual(boxes.filter((w) => w.page === figure.page && w.yMin < figure.yMin).map((w) => w.text), [], 'nothing above the figure');
    const words = boxes.filter((w) => /^Textf\d+$/.test(w.text)).map((w) => Number(w.text.slice(5)));
    assert.deepEqual(words, Array.from({ length: 200 }, (_, i) => i + 1), 'the paragraph in order, once');
  });

  test('a page note on the page where a table breaks goes between the first half and its continuation', () => {
    const start = on('Textg1')[0]!;
    assert.deepEqual(on('Notesecond'), [start], 'the note is on its reference\'s page');
    const note = boxes.find((w) => w.text === 'Notesecond')!;
    const rows = boxes.filter((w) => w.page === start && /^Rowg\d\d$/.test(w.text));
    assert.ok(rows.length >= 3, `${rows.length} rows before the break`);
    assert.ok(note.yMin > Math.max(...rows.map((w) => w.yMax)), 'the note is under the first half');
    assert.match(firstLine(start + 1), /^Table 6-1 \(continued\)$/);
    const printed = boxes.filter((w) => /^Rowg\d\d$/.test(w.text)).map((w) => w.text);
    assert.deepEqual(printed, Array.from({ length: 40 }, (_, i) => `Rowg${String(i + 1).padStart(2, '0')}`));
  });

  test('two tables without ids are continued each under a key of its own, and a continuation joins its own table again', async () => {
    const pieces = () => page.evaluate(() => Array.from(document.querySelectorAll('#c8 figure.table-figure'), (f) => ({
      key: f.getAttribute('data-annals-of'), id: f.id, continued: f.classList.contains('annals-continued'), rows: f.querySelectorAll('tbody tr').length,
    })));
    const split = await pieces();
    assert.deepEqual(split.map((p) => p.continued), [false, true, false, true]);
    assert.deepEqual([split[0]!.rows, split[1]!.rows, split[2]!.rows + split[3]!.rows], [24, 6, 30]);
    const [i1, i2, j1, j2] = split;
    assert.ok(i1!.key && j1!.key && i1!.key !== j1!.key, `the tables' keys: ${i1!.key}, ${j1!.key}`);
    assert.equal(i2!.key, i1!.key);
    assert.equal(j2!.key, j1!.key);
    assert.equal(new Set(split.map((p) => p.id).filter(Boolean)).size, 2, 'the continuations have ids of their own');
    // The second table's continuation goes back: its rows join the second table, not the first. Between
    // the first half and it stands something else (as a page's note area may).
    await page.evaluate((id) => document.getElementById(id)!.before(Object.assign(document.createElement('div'), { className: 'page-notes' })), j2!.id);
    assert.equal(await runInPage<number>(page, UNFLOAT, { ids: [j2!.id] }), 1);
    assert.deepEqual((await pieces()).map((p) => [p.key, p.continued, p.rows]), [[i1!.key, false, 24], [i1!.key, true, 6], [j1!.key, false, 30]]);
  });

  test('a float the print set elsewhere goes back to its place in the text, and the paragraph split around it is joined', async () => {
    const before = await page.evaluate(() => {
      const f = document.getElementById('fig-c')!;
      return [f.previousElementSibling?.className, f.nextElementSibling?.className, f.className];
    });
    assert.deepEqual(before.slice(0, 2), ['annals-split-head', 'annals-split-tail'], 'the pass split the paragraph around the figure');
    assert.equal(await runInPage<number>(page, UNFLOAT, { ids: ['fig-c', 'no-such-id'] }), 1);
    const after = await page.evaluate(() => {
      const f = document.getElementById('fig-c')!;
      const next = f.nextElementSibling!;
      return { prev: f.previousElementSibling?.textContent, nextWords: next.textContent!.split(' ').length, split: document.querySelectorAll('#c3 p.annals-split-head, #c3 p.annals-split-tail').length, cls: f.className };
    });
    assert.equal(after.prev, 'Fillerc', 'back after the filler, where the manuscript has it');
    assert.equal(after.nextWords, 200, 'the two halves are one paragraph again');
    assert.equal(after.split, 0);
    assert.doesNotMatch(after.cls, /annals-float/);
  });
});

describe('a split table on a line grid', { skip }, () => {
  // A grid of 30 px lines (--pitch, as line-grid.ts reads it) and a table whose rows (25 px) are not
  // whole lines: one line of text, then the table, padded for its whole height as line-grid.ts pads it
  // (1115 px → 1140 px: 12.5 px above and below).
  const GRID_STYLE = STYLE.replace('tr { height: 30px;', 'tr { height: 25px;') + '\nth, td { line-height: 20px; }\nbody { --pitch: 30px; }';
  const gridHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${GRID_STYLE}</style>${SCREEN_HIDDEN_CSS}</head><body>` +
    `<section class="chapter" id="g1" data-annals-body=""><p>Texty</p>${table('tab-y', 'Table 1-1', 'y', 40).replace('<figure class="table-figure"', '<figure style="padding-top: 12.5px; padding-bottom: 12.5px" class="table-figure"')}<p>Aftery</p></section></body></html>`;
  let browser: BrowserSession;
  let page: Page;
  let dir: string;
  let heights: number[];
  let rowsPerPage: number[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'annals-make-up-grid-'));
    browser = createBrowserSession();
    page = await browser.page();
    writeFileSync(join(dir, 'page.html'), gridHtml);
    await page.goto(pathToFileURL(join(dir, 'page.html')).href, { waitUntil: 'load' });
    await page.evaluate(`document.fonts.load('16px T').then(() => true)`);
    await runInPage<MakeUpResult>(page, MAKE_UP, { width: 600, height: 800, tableLabel: 'Table {n}', continuedLabel: 'Table {n} (continued)', minRows: 3, minGap: 0.1, maxRounds: 40 });
    // The halves' heights as laid out at the text block's width (the body has no screen layout).
    heights = (await page.evaluate(`(() => {
      document.getElementById('annals-screen').disabled = true;
      const hs = [...document.querySelectorAll('figure.table-figure')].map((f) => f.getBoundingClientRect().height);
      document.getElementById('annals-screen').disabled = false;
      return hs;
    })()`)) as number[];
    const file = join(dir, 'page.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
    rowsPerPage = text.map((t) => (t.match(/\bRowy\d\d\b/g) ?? []).length).filter((n) => n > 0);
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('both halves are padded to whole lines of the grid, and the first half, padded, still fits its page', () => {
    assert.equal(heights.length, 2, 'the table is split once');
    for (const h of heights) assert.ok(Math.abs(h / 30 - Math.round(h / 30)) < 0.01, `a half is ${h} px high: ${(h / 30).toFixed(3)} lines`);
    // 30 px of text, then caption (30) + header (25) + 27 rows (675) = 730 px, padded to 750: it ends at
    // 780 px, on the grid; a 28th row would need 810 px.
    assert.deepEqual(rowsPerPage, [27, 13]);
  });
});
