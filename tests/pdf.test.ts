/**
 * The PDF edition, checked in the PDF itself with poppler (pdfinfo, pdffonts, pdftotext) and pdfjs-dist
 * as readers independent of the pdf-lib code that wrote it. The fixture book (tests/fixtures/pdf-book/)
 * has an unnumbered preface of one page (so the next chapter needs a blank verso), sections for the
 * contents, a 40-row table that breaks across pages, an SVG figure with Chinese text and a PNG figure
 * (the print page is never laid out on screen, so images must still load); two small books
 * beside it load a remote image and use a character no declared font has. The sample books (the China
 * report and the two-column yearbook) are printed too and checked the same way where they allow it.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { BrowserNotFoundError, findBrowser } from '../pipeline/pdf/find-browser.ts';
import { auditFonts, describeProblem } from '../pipeline/pdf/font-audit.ts';
import { folioOf, planPages, toRoman } from '../pipeline/pdf/page-plan.ts';
import { headPrint, sideOf } from '../pipeline/pdf/running-heads.ts';
import { readDestinations, scanDestinations } from '../pipeline/pdf/page-numbers.ts';
import { PDF_OPTIONS } from '../pipeline/pdf/print-pdf.ts';
import { isAllowed } from '../pipeline/pdf/request-guard.ts';
import { metadataDate } from '../pipeline/pdf/pdf-metadata.ts';
import { environmentEpoch } from '../pipeline/release/source-date-epoch.ts';
import { alive, copyFixture, repoRoot, tempProject, type TempProject, pdfSkip } from './helpers.ts';

const fixture = join(repoRoot, 'tests/fixtures/pdf-book');
const skip = pdfSkip();

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const squash = (s: string) => s.replace(/\s+/g, '');

// ── Pure parts: no browser needed ──────────────────────────────────────────────────────────────────

describe('page plan', () => {
  test('front matter is padded to an even count, folio 1 is a right-hand page, chapters open on the right', () => {
    // 5 front pages; preface 1 page (starts at 5), chapter one 3 pages (6–8), chapter two 2 pages (9–10).
    const plan = planPages({ frontPages: 5, bodyPages: 6, parts: [{ id: 'pre', start: 5 }, { id: 'one', start: 6 }, { id: 'two', start: 9 }], recto: true });
    assert.equal(plan.frontCount, 6);
    assert.deepEqual(
      plan.pages.map((p) => (p.kind === 'body' ? `${p.part}:${p.folio}` : p.kind)),
      ['front', 'front', 'front', 'front', 'front', 'blank', 'pre:1', 'blank', 'one:3', 'one:4', 'one:5', 'blank', 'two:7', 'two:8'],
    );
    assert.equal(folioOf(plan, 4), 'v');
    assert.equal(folioOf(plan, 8), '3');
    assert.deepEqual(plan.furniture, ['annals-blank', 'annals-body-start', 'annals-blank', 'annals-open', 'part-one', 'part-one', 'annals-blank', 'annals-open', 'part-two']);
  });

  test('a yearbook page is under the 分目 at its top, not the last one that starts on it', () => {
    // Body pages 2–6 of part one. a starts mid-page on 2 (only the part's opening text above it), b
    // mid-page on 4, c at the top of 5 and d further down 5.
    const sections = [
      { id: 'a', part: 'one', start: 2, top: false },
      { id: 'b', part: 'one', start: 4, top: false },
      { id: 'c', part: 'one', start: 5, top: true },
      { id: 'd', part: 'one', start: 5, top: false },
    ];
    const plan = planPages({ frontPages: 2, bodyPages: 5, parts: [{ id: 'one', start: 2 }], recto: false, sections });
    assert.deepEqual(
      plan.pages.flatMap((p) => (p.kind === 'body' ? [`${p.source}:${p.section}`] : [])),
      ['2:a', '3:a', '4:a', '5:c', '6:d'],
    );
  });

  test('without rectoChapters no blank pages are inserted in the body', () => {
    const plan = planPages({ frontPages: 4, bodyPages: 3, parts: [{ id: 'a', start: 4 }, { id: 'b', start: 5 }], recto: false });
    assert.equal(plan.pages.filter((p) => p.kind === 'blank').length, 0);
    assert.equal(folioOf(plan, 5), '2');
  });

  test('the running-head print: one page per head and side, each on its side, then the folio sample', () => {
    // 5 front pages + a blank; pre (1 page), one (3 pages), blank, two (2 pages): as in the test above.
    const plan = planPages({ frontPages: 5, bodyPages: 6, parts: [{ id: 'pre', start: 5 }, { id: 'one', start: 6 }, { id: 'two', start: 9 }], recto: true });
    const heads = headPrint(plan, 5);
    // Final pages 9 (left, one), 10 (right, one) and 13 (left, two) have heads; page 5 + i of the print
    // is a right-hand page when 5 + i is even, so here each falls on its side without a blank.
    assert.deepEqual(heads.pages, ['part-one', 'part-one', 'part-two', 'annals-folio-sample', 'annals-folio-sample']);
    assert.deepEqual(heads.heads, [{ name: 'part-one', side: 'left' }, { name: 'part-one', side: 'right' }, { name: 'part-two', side: 'left' }]);
    assert.deepEqual([...heads.headOf], [[9, 0], [10, 1], [13, 2]]);
    assert.deepEqual(heads.sample, { right: 3, left: 4 });
    // With 4 front pages everything shifts by one: blanks keep each page on its side.
    const shifted = headPrint(planPages({ frontPages: 4, bodyPages: 6, parts: [{ id: 'pre', start: 4 }, { id: 'one', start: 5 }, { id: 'two', start: 8 }], recto: true }), 4);
    assert.equal(shifted.pages[shifted.sample.right], 'annals-folio-sample');
    assert.equal(sideOf(4 + shifted.sample.right), 'right');
    assert.equal(sideOf(4 + shifted.sample.left), 'left');
    for (const [k, at] of heads.headOf) assert.equal(sideOf(5 + at), sideOf(k), `page ${k} gets a head printed on its side`);
  });

  test('roman numerals', () => {
    assert.deepEqual([1, 4, 9, 14, 40, 1999].map(toRoman), ['i', 'iv', 'ix', 'xiv', 'xl', 'mcmxcix']);
  });
});

describe('browser lookup and request guard', () => {
  test('no browser: the error names what was tried and how to fix it', () => {
    assert.throws(
      () => findBrowser({ env: {}, systemPaths: ['/nonexistent/chromium'], usePuppeteerCache: false }),
      (error: unknown) => error instanceof BrowserNotFoundError && /ANNALS_BROWSER/.test(error.message) && /apt-get install chromium/.test(error.hint) && /ANNALS_BROWSER/.test(error.hint),
    );
  });

  test('a wrong ANNALS_BROWSER is an error, not a silent fallback', () => {
    assert.throws(() => findBrowser({ env: { ANNALS_BROWSER: '/nonexistent/chrome' } }), /ANNALS_BROWSER=\/nonexistent\/chrome/);
  });

  test('only files inside the build folder may load', () => {
    assert.equal(isAllowed('file:///tmp/build/site/assets/base.css', '/tmp/build'), true);
    assert.equal(isAllowed('file:///tmp/build/site/%E5%9B%BE.svg', '/tmp/build'), true);
    assert.equal(isAllowed('file:///tmp/other/x.css', '/tmp/build'), false);
    assert.equal(isAllowed('file:///tmp/build/../etc/passwd', '/tmp/build'), false);
    assert.equal(isAllowed('https://example.com/x.png', '/tmp/build'), false);
    assert.equal(isAllowed('data:image/png;base64,AAAA', '/tmp/build'), true);
  });

  test('dates come from SOURCE_DATE_EPOCH, else from the book year', () => {
    assert.equal(metadataDate(2026, 1700000000).toISOString(), '2023-11-14T22:13:20.000Z');
    assert.equal(metadataDate(2026, undefined).toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(environmentEpoch({ SOURCE_DATE_EPOCH: ' 1700000000 ' }), 1700000000);
    assert.equal(environmentEpoch({ SOURCE_DATE_EPOCH: 'yesterday' }), undefined);
    assert.equal(environmentEpoch({}), undefined);
  });
});

// ── The fixture book, printed ──────────────────────────────────────────────────────────────────────

describe('the PDF of the fixture book', { skip }, () => {
  let browser: BrowserSession;
  let project: TempProject;
  let result: BuildResult;
  let pdf: string;
  let pages: string[];
  let labels: string[];

  before(async () => {
    browser = createBrowserSession();
    project = tempProject();
    copyFixture(fixture, project);
    result = await buildAll({ project, books: ['pdf-sample'], format: 'all', browser });
    pdf = join(project.out, 'pdf-sample', 'zh', 'pdf-sample-zh.pdf');
    pages = run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, -1);
    labels = await pageLabels(pdf);
  });
  after(async () => {
    await browser?.close();
  });

  test('builds without errors', () => {
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(existsSync(pdf));
  });

  test('page count is in range and page labels run i… then 1…', () => {
    const count = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdf]))![1]);
    assert.ok(count >= 14 && count <= 22, `${count} pages`);
    assert.equal(labels.length, count);
    const first = labels.indexOf('1');
    assert.ok(first > 0 && first % 2 === 0, 'folio 1 is a right-hand (odd) page');
    assert.deepEqual(labels.slice(0, first), Array.from({ length: first }, (_, i) => toRoman(i + 1)));
    assert.deepEqual(labels.slice(first), Array.from({ length: count - first }, (_, i) => String(i + 1)));
  });

  test('every font is embedded, none is Type 3, each is a declared family', () => {
    const rows = run('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row, /^[A-Z]{6}\+(NotoSerifSC|NotoSansSC|NotoSansSymbols2)/, row);
      assert.doesNotMatch(row, /Type 3/, row);
      const [emb] = row.slice(row.search(/Identity-H|Custom|Builtin|WinAnsi|Standard/)).split(/\s+/).slice(1);
      assert.equal(emb, 'yes', `not embedded: ${row}`);
    }
  });

  test('each contents entry shows the folio of the page that prints its heading', () => {
    const html = readFileSync(join(project.out, 'pdf-sample', 'zh', 'print.html'), 'utf8');
    const entries = [...html.matchAll(/<a class="toc-entry"[^>]*>(?:<span class="toc-label">([^<]*)<\/span>)?<span class="toc-title">([^<]*)<\/span>/g)].map((m) => ({ label: m[1] ?? '', title: m[2]! }));
    assert.ok(entries.length >= 8, `${entries.length} entries`);
    const first = labels.indexOf('1');
    const tocStart = pages.findIndex((text) => text.split('\n').some((l) => squash(l) === '目录'));
    const tocText = pages.slice(tocStart, first).join('\n').split('\n');
    for (const { label, title } of entries) {
      const line = tocText.find((l) => squash(l).startsWith(squash(label + title)));
      assert.ok(line, `contents line for ${label}${title}`);
      const printed = /(\d+|[ivxlc]+)\s*$/.exec(line!)?.[1];
      // The heading: chapters print the title on a line of its own; sections start their line with the label.
      // In the body, or (the unnumbered preface) in the front matter before the contents.
      const page = pages.findIndex((text, i) => (i >= first || i < tocStart) && text.split('\n').some((l) => (label && !label.startsWith('第') ? squash(l).startsWith(squash(label + title)) : squash(l) === squash(title))));
      assert.ok(page >= 0, `heading ${label}${title} printed`);
      assert.equal(printed, labels[page], `${label}${title}: contents say ${printed}, heading is on ${labels[page]}`);
    }
  });

  test('chapters open on right-hand pages, after a blank verso where needed', () => {
    for (const title of ['网络基础设施', '网络治理与国际合作']) {
      const page = pages.findIndex((text, i) => i >= labels.indexOf('1') && text.split('\n').some((l) => squash(l) === title));
      assert.ok(page > 0 && page % 2 === 0, `${title} opens on physical page ${page + 1}`);
    }
    const blanks = pages.map((t, i) => (t.trim() === '' ? i : -1)).filter((i) => i > labels.indexOf('1'));
    assert.ok(blanks.length >= 1, 'a blank verso was inserted before a chapter');
  });

  test('running heads: book title on left pages, chapter title on right pages', () => {
    const first = labels.indexOf('1');
    const chapterOne = pages.findIndex((t, i) => i >= first && t.split('\n').some((l) => squash(l) === '网络基础设施'));
    const verso = pages[chapterOne + 1]!.split('\n').find((l) => l.trim())!;
    const recto = pages[chapterOne + 2]!.split('\n').find((l) => l.trim())!;
    assert.equal(squash(verso), '版面检验报告2026');
    assert.equal(squash(recto), '第一章基础设施');
  });

  test('folios sit at the outer bottom corner: flush left on left pages, flush right on right pages', () => {
    const words = [...run('pdftotext', ['-bbox', pdf, '-']).split('<page ').slice(1).entries()].map(([i, page]) => ({
      label: labels[i]!,
      height: Number(/height="([\d.]+)"/.exec(page)![1]),
      words: [...page.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: m[4]! })),
    }));
    const folios = words.flatMap(({ label, height, words: list }, i) => {
      if (!/^\d+$/.test(label) || pages[i]!.trim() === '') return []; // blank versos have no folio
      const folio = list.find((w) => w.text === label && w.yMin > height - 80);
      assert.ok(folio, `page ${i + 1} prints its folio ${label} at the bottom`);
      return [{ i, ...folio }];
    });
    const lefts = folios.filter((f) => f.i % 2 === 1);
    const rights = folios.filter((f) => f.i % 2 === 0);
    assert.ok(lefts.length >= 2 && rights.length >= 2, `folios on ${lefts.length} left and ${rights.length} right pages`);
    const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
    assert.ok(spread(lefts.map((f) => f.xMin)) < 0.01, 'left-hand folios start at the same x');
    assert.ok(spread(rights.map((f) => f.xMax)) < 0.05, 'right-hand folios end at the same x');
    assert.ok(spread(folios.map((f) => f.yMin)) < 0.01, 'all folios sit on one baseline');
    assert.ok(Math.min(...rights.map((f) => f.xMin)) > Math.max(...lefts.map((f) => f.xMax)), 'right-hand folios are on the right');
  });

  test('the long table breaks across pages and repeats its header', () => {
    const withRows = pages.filter((t) => /第\s*\d+\s*项指标/.test(t));
    assert.ok(withRows.length >= 2, 'the table spans pages');
    for (const t of withRows) assert.match(t, /指标名称\s+数值\s+增速\s+说明/);
  });

  test('the PNG figure is in the PDF as an image of its own pixel size', () => {
    const rows = run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter(Boolean);
    assert.equal(rows.length, 1, rows.join('\n'));
    const [page, , type, width, height] = rows[0]!.trim().split(/\s+/);
    assert.deepEqual([type, width, height], ['image', '120', '60']);
    assert.match(pages[Number(page) - 1]!, /色阶示意/, 'on the page of its caption');
  });

  test('Chinese text, also inside the SVG figure, is extracted exactly', () => {
    const text = run('pdftotext', [pdf, '-']);
    assert.ok(text.includes('构建网络空间命运共同体是本书的核心议题。'));
    assert.ok(squash(text).includes('算力层——数据中心与调度'));
    assert.ok(!text.includes('\uFFFD'));
  });

  test('metadata from book.yaml, tagged, with dates from the book year', () => {
    const info = run('pdfinfo', [pdf]);
    assert.match(info, /Title:\s+版面检验报告2026/);
    assert.match(info, /Author:\s+测试编辑部 编著/);
    assert.match(info, /Subject:\s+用于检验PDF分页、页码、目录与字体的测试样书。/);
    assert.match(info, /Keywords:\s+测试 分页 目录/);
    assert.match(info, /Tagged:\s+yes/);
    assert.match(info, /CreationDate:\s+Thu Jan\s+1 00:00:00 2026 UTC/);
    const xmp = run('pdfinfo', ['-meta', pdf]);
    assert.match(xmp, /<dc:publisher><rdf:Bag><rdf:li>示例出版社<\/rdf:li>/);
    assert.match(xmp, /<dc:language><rdf:Bag><rdf:li>zh-CN</);
  });

  test('the outline has the chapters with their numbers and sections, pointing at their pages', async () => {
    const doc = await openPdf(pdf);
    const outline = (await doc.getOutline()) ?? [];
    const titles = outline.map((o: { title: string }) => o.title);
    assert.ok(titles.includes('第一章 网络基础设施'), titles.join(' | '));
    const chapter = outline.find((o: { title: string }) => o.title === '第一章 网络基础设施')!;
    assert.ok(chapter.items.some((i: { title: string }) => i.title === '一、接入能力'), chapter.items.map((i: { title: string }) => i.title).join(' | '));
    const page = await doc.getPageIndex((chapter.dest as unknown[])[0]);
    assert.ok(pages[page]!.includes('网络基础设施'));
    await doc.destroy();
  });

  test('contents entries are links to the pages of their headings', async () => {
    const doc = await openPdf(pdf);
    const tocIndex = pages.findIndex((text) => text.split('\n').some((l) => squash(l) === '目录'));
    const toc = await doc.getPage(tocIndex + 1);
    const links = (await toc.getAnnotations()).filter((a: { subtype: string }) => a.subtype === 'Link');
    assert.ok(links.length >= 8, `${links.length} links`);
    const dests = await doc.getDestinations();
    for (const link of links) {
      const dest = typeof link.dest === 'string' ? dests[link.dest] : link.dest;
      assert.ok(Array.isArray(dest), `link ${JSON.stringify(link.dest)} resolves`);
      const index = await doc.getPageIndex(dest[0]);
      // Into the body, or to the preface printed before the contents (front matter in GB order).
      assert.ok(/^\d+$/.test(labels[index]!) || index < tocIndex, `points into the body or before the contents: ${labels[index]}`);
    }
    await doc.destroy();
  });

  test('scanDestinations reads a Chromium print as pdf-lib does: page count and every named destination', async () => {
    // A bare print of the staged print.html, in a tab of its own (the build's tab guards its requests).
    const tab = await (await browser.page()).browser().newPage();
    try {
      await tab.goto(pathToFileURL(join(project.out, 'pdf-sample', 'zh', 'print.html')).href, { waitUntil: 'load' });
      const bytes = await tab.pdf(PDF_OPTIONS);
      const scanned = scanDestinations(bytes);
      assert.ok(scanned, 'a Chromium print has the shape scanDestinations reads');
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      assert.equal(scanned.pages, doc.getPageCount());
      const read = readDestinations(doc);
      assert.ok(read.size > 5, 'the contents link to its headings');
      assert.ok([...read.keys()].some((id) => /[^\x00-\x7f]/.test(id)), 'some ids are not ASCII (percent-encoded names)');
      assert.deepEqual(scanned.dests, read);
      // Anything of another shape is left to pdf-lib: an xref stream, a cut-off file.
      assert.equal(scanDestinations(await doc.save({ useObjectStreams: true })), undefined);
      assert.equal(scanDestinations(bytes.subarray(0, bytes.length - 64)), undefined);
    } finally {
      await tab.close();
    }
  });

  test('every page keeps its tags: the marked content on it is what the structure tree points at', async () => {
    assert.deepEqual(await untaggedPages(pdf), []);
  });

  test('two builds are byte-identical', async () => {
    const again = tempProject();
    copyFixture(fixture, again);
    await buildAll({ project: again, books: ['pdf-sample'], format: 'pdf', browser });
    const second = readFileSync(join(again.out, 'pdf-sample', 'zh', 'pdf-sample-zh.pdf'));
    assert.ok(readFileSync(pdf).equals(second), 'same bytes');
  });

  test('a remote image is blocked and reported; nothing is written', async () => {
    const r = await buildAll({ project, books: ['pdf-remote'], format: 'all', browser });
    const blocked = r.diagnostics.find((d) => d.ruleId === 'pdf-blocked-request');
    assert.ok(blocked, JSON.stringify(r.diagnostics));
    assert.match(blocked!.message, /https:\/\/example\.com\/remote-picture\.png/);
    assert.equal(r.ok, false);
    assert.ok(!existsSync(join(project.out, 'pdf-remote', 'zh', 'pdf-remote-zh.pdf')));
  });

  test('a character no declared font has is drawn by the stand-in box, never a system font; the audit names an undeclared font\'s characters', async () => {
    const r = await buildAll({ project, books: ['pdf-fallback'], format: 'all', browser });
    assert.ok(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
    const missing = r.diagnostics.filter((d) => d.ruleId === 'glyph-missing');
    assert.deepEqual(missing.map((d) => [d.line, d.message.slice(0, 12)]), [[7, '"Ա" (U+0531)']]);
    assert.ok(!r.diagnostics.some((d) => d.ruleId === 'pdf-font-undeclared'), 'Chromium reached no system font');
    const file = join(project.out, 'pdf-fallback', 'zh', 'pdf-fallback-zh.pdf');
    assert.match(execFileSync('pdffonts', [file], { encoding: 'utf8' }), /\+annals-missing-glyph /);
    // The audit, the last safety net: a font of the PDF whose family the edition does not declare is
    // named with the characters drawn with it (here the headings' Noto Sans SC, left out of the declared set).
    const set = fontSetFor('zh-Hans');
    const audit = auditFonts(await PDFDocument.load(readFileSync(file)), { ...set, faces: set.faces.filter((f) => f.family !== 'Noto Sans SC') });
    const undeclared = audit.problems.filter((p) => p.kind === 'undeclared');
    assert.ok(undeclared.length > 0 && undeclared.every((p) => /^NotoSansSC-/.test(p.font.name)), JSON.stringify(undeclared.map((p) => p.font.name)));
    assert.match(describeProblem(undeclared[0]!, audit.declared), /NotoSansSC-\w+ is not one of the edition's fonts \(Noto Serif SC, .*characters drawn with it: .*章/);
  });

  test('a missing browser gives the clear message and fails the build', async () => {
    const none = createBrowserSession({ find: () => findBrowser({ env: { ANNALS_BROWSER: '/nonexistent/chromium' } }) });
    try {
      const r = await buildAll({ project, books: ['pdf-remote'], format: 'all', browser: none });
      const d = r.diagnostics.find((x) => x.ruleId === 'pdf-browser-not-found');
      assert.ok(d, JSON.stringify(r.diagnostics));
      assert.match(d!.message, /ANNALS_BROWSER=\/nonexistent\/chromium/);
      assert.match(d!.hint ?? '', /apt-get install chromium/);
      assert.equal(r.ok, false);
    } finally {
      await none.close();
    }
  });

  test('closing the session leaves no Chromium process', async () => {
    const session = createBrowserSession();
    await session.page();
    const pid = session.pid()!;
    assert.ok(alive(pid));
    await session.close();
    assert.ok(!alive(pid), `Chromium ${pid} still runs`);
  });

  test('Ctrl-C during a build leaves no Chromium process', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(fixture, 'interrupt-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const m = /chromium (\d+)/.exec(chunk.toString());
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error('child exited before launching Chromium')));
    });
    assert.ok(alive(pid));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!alive(pid), `Chromium ${pid} survived Ctrl-C`);
  });
});

// ── The sample books ───────────────────────────────────────────────────────────────────────────────

describe('the PDFs of the sample books', { skip }, () => {
  let browser: BrowserSession;
  let result: BuildResult;
  const out = mkdtempSync(join(tmpdir(), 'annals-pdf-samples-'));
  const books = ['china-report-2026', 'yearbook-2026'];

  before(async () => {
    browser = createBrowserSession();
    result = await buildAll({ project: projectAt(repoRoot, out), books, edition: 'zh', format: 'pdf', browser });
  });
  after(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  test('build without errors', () => {
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  for (const book of books) {
    const pdf = () => join(out, book, 'zh', `${book}-zh.pdf`);

    test(`${book}: every page keeps its tags (print 2's front matter, the index printed with it)`, async () => {
      assert.deepEqual(await untaggedPages(pdf()), []);
    });

    test(`${book}: every font embedded and declared, metadata present, tagged`, () => {
      const declared = fontSetFor('zh-Hans').faces.map((f) => f.family.replace(/\s+/g, ''));
      for (const row of run('pdffonts', [pdf()]).split('\n').slice(2).filter(Boolean)) {
        const name = row.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '');
        assert.ok(declared.some((f) => name.startsWith(f)), `undeclared font ${name}`);
        assert.doesNotMatch(row, /Type 3/);
        assert.match(row, /\byes\s+yes\s+yes\s+\d+\s+\d+\s*$/, `not embedded: ${row}`);
      }
      const info = run('pdfinfo', [pdf()]);
      assert.match(info, /Title:\s+\S+/);
      assert.match(info, /Author:\s+\S+/);
      assert.match(info, /Tagged:\s+yes/);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      assert.ok(pages >= 30 && pages <= 200, `${pages} pages`);
    });

    test(`${book}: each contents entry prints the folio of the page its link leads to`, async () => {
      const doc = await openPdf(pdf());
      const labels = (await doc.getPageLabels()) as string[];
      const dests = await doc.getDestinations();
      let checked = 0;
      // From the contents on (the 前言 / 编辑说明 before them has links of its own: citations).
      const tocPage = [...Array(labels.indexOf('1')).keys()].find((i) => squash(run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf(), '-'])).replace(/^[—-]+/, '').startsWith('目录'))!;
      for (let p = tocPage + 1; p <= labels.indexOf('1'); p++) {
        const page = await doc.getPage(p);
        const text = await page.getTextContent();
        for (const link of (await page.getAnnotations()).filter((a: { subtype: string; dest?: unknown }) => a.subtype === 'Link' && a.dest)) {
          const dest = typeof link.dest === 'string' ? dests[link.dest] : link.dest;
          const target = labels[await doc.getPageIndex(dest[0])];
          const [x1, y1, x2, y2] = link.rect as number[];
          const inside = text.items
            .filter((t: { transform: number[] }) => t.transform[4]! >= x1! - 1 && t.transform[4]! <= x2! + 1 && t.transform[5]! >= y1! - 2 && t.transform[5]! <= y2! + 2)
            .map((t: { str: string }) => t.str)
            .join('')
            .trim();
          assert.equal(/(\S+)$/.exec(inside)?.[1], target, `contents entry "${inside}"`);
          checked++;
        }
      }
      assert.ok(checked >= 50, `${checked} entries checked`);
      await doc.destroy();
    });
  }

  // GB practice (docs/print-production.md): report 扉页, 版权页, 前言, 目录; yearbook 扉页, 版权页, 编委会,
  // 编辑说明, 目录. Read from the printed text: the page each part opens on, in this order, all before
  // folio 1; the 前言 / 编辑说明 with a roman folio, and the outline in the same order.
  for (const [book, parts] of [
    ['china-report-2026', ['中国互联网发展报告', '图书在版编目', '前言', '目录']],
    ['yearbook-2026', ['中国网信年鉴', '图书在版编目', '编委会', '编辑说明', '目录']],
  ] as const) {
    test(`${book}: front matter in GB order (${parts.slice(2).join(', ')}), folios and outline to match`, async () => {
      const file = join(out, book, 'zh', `${book}-zh.pdf`);
      const labels = await pageLabels(file);
      const bodyStart = labels.indexOf('1');
      const pageText = (i: number) => squash(run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'])).replace(/^[—-]+/, '');
      const opens: number[] = [];
      let from = 2; // after the cover and its verso
      for (const start of parts) {
        let found = -1;
        for (let i = from; i < bodyStart && found < 0; i++) if (pageText(i).startsWith(start)) found = i;
        assert.ok(found >= 0, `no page opens with ${start} after page ${from + 1} (before folio 1 on page ${bodyStart + 1})`);
        opens.push(found);
        from = found + 1;
      }
      const preface = opens[parts.length - 2]!;
      assert.match(labels[preface]!, /^[ivxl]+$/, `${parts[parts.length - 2]} on a roman folio`);
      const doc = await openPdf(file);
      const outline = ((await doc.getOutline()) ?? []).map((o: { title: string }) => o.title.replace(/\s+/g, ''));
      await doc.destroy();
      assert.deepEqual(outline.slice(0, 2), [parts[parts.length - 2], '目录']);
    });
  }

  test('yearbook: each entry is indexed at the page and column where its 【title】 is printed; one-column pages get plain numbers', async () => {
    const file = join(out, 'yearbook-2026', 'zh', 'yearbook-2026-zh.pdf');
    const doc = await openPdf(file);
    const labels = (await doc.getPageLabels()) as string[];
    await doc.destroy();
    const titles = [...readFileSync(join(out, 'yearbook-2026', 'zh', 'print.html'), 'utf8').matchAll(/data-entry-title="([^"]+)"/g)].map((m) => m[1]!);
    // Every word of the body pages, with its x: where each 【title】 begins, by the printed text itself.
    const pages = run('pdftotext', ['-bbox', file, '-']).split('<page ').slice(1);
    const width = Number(/width="([\d.]+)"/.exec(pages[0]!)![1]);
    const printedAt = new Map<string, string>();
    pages.forEach((xml, i) => {
      if (!/^\d+$/.test(labels[i]!)) return; // front matter: the contents list the titles too
      for (const [, x, word] of xml.matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g)) {
        if (!word!.startsWith('【')) continue;
        for (const title of titles) {
          const full = `【${title}】`;
          if (printedAt.has(title) || !(full.startsWith(word!) ? word!.length >= 4 : word!.startsWith(full))) continue;
          printedAt.set(title, labels[i]! + (Number(x) < width / 2 ? 'a' : 'b'));
        }
      }
    });
    assert.ok(printedAt.size >= 40, `${printedAt.size} of ${titles.length} titles found`);
    // The index (the last pages): each heading's locators, with ranges (29a–30a) opened out.
    const index = run('pdftotext', ['-f', String(labels.length - 4), file, '-']).replace(/\s+/g, ' ');
    const expand = (locator: string): string[] => {
      const [from, to] = locator.split('–').map((l) => /^(\d+)([ab]?)$/.exec(l.trim()));
      if (!from) return [locator];
      if (!to) return [from[0]];
      const out: string[] = [];
      for (let k = Number(from[1]) * 2 + (from[2] === 'b' ? 1 : 0); k <= Number(to[1]) * 2 + (to[2] === 'b' ? 1 : 0); k++) out.push(`${k >> 1}${k % 2 ? 'b' : 'a'}`);
      return out;
    };
    let checked = 0;
    for (const [title, place] of printedAt) {
      const line = new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ((?:\\d+[ab]?(?:–\\d+[ab]?)?(?:, )?)+)`).exec(index);
      if (!line) continue; // a title that is a prefix of a longer one, or broken over two lines of the index
      const locators = line[1]!.split(/,\s*/).filter(Boolean).flatMap(expand);
      assert.ok(locators.includes(place), `${title}: printed at ${place}, indexed at ${line[1]}`);
      checked++;
    }
    assert.ok(checked >= 40, `${checked} entries checked`);
    // The 特载 chapter is set in one column: its marks carry no column letter.
    const special = labels.findIndex((l, i) => /^\d+$/.test(l) && pages[i]!.includes('特载'));
    assert.ok(special >= 0);
    assert.doesNotMatch(index, new RegExp(`\\b${labels[special]}[ab]\\b`), `page ${labels[special]} (one column) has no column letters`);
  });

  test('yearbook: Chinese text is extracted exactly and entries are set in two columns', () => {
    const text = run('pdftotext', [join(out, 'yearbook-2026', 'zh', 'yearbook-2026-zh.pdf'), '-']);
    assert.ok(text.includes('本卷按类目、分目、条目三个层次编排。类目是全书的一级单元，以章为单位'));
    // A page of entries a few pages into the body (the front matter's length moves it: the 编委会 page).
    const twoColumns = [18, 19, 20, 21, 22].some((page) => {
      const bbox = run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), join(out, 'yearbook-2026', 'zh', 'yearbook-2026-zh.pdf'), '-']);
      const width = Number(/<page width="([\d.]+)"/.exec(bbox)![1]);
      const xs = [...bbox.matchAll(/<word xMin="([\d.]+)"/g)].map((m) => Number(m[1]));
      return xs.some((x) => x < width * 0.3) && xs.some((x) => x > width * 0.52 && x < width * 0.6);
    });
    assert.ok(twoColumns, 'text starts in both columns');
  });
});


// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function openPdf(path: string): Promise<any> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
}

async function pageLabels(path: string): Promise<string[]> {
  const doc = await openPdf(path);
  const labels = (await doc.getPageLabels()) as string[] | null;
  const count = doc.numPages as number;
  await doc.destroy();
  return labels ?? Array.from({ length: count }, (_, i) => String(i + 1));
}

/**
 * Pages whose marked content (the MCIDs in their content streams) is not exactly what the structure tree
 * points at on them, read with pdfjs-dist. The front pages take print 2's content under print 1's tags,
 * and late pages come from another print: each must still match.
 */
async function untaggedPages(path: string): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await openPdf(path);
  const bad: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const inTree = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const walk = (node: any) => {
      if (node?.type === 'content') inTree.add(String(node.id).replace(/^.*_mc/, ''));
      for (const child of node?.children ?? []) walk(child);
    };
    walk(await page.getStructTree());
    const ops = await page.getOperatorList();
    const inContent = new Set<string>();
    ops.fnArray.forEach((fn: number, i: number) => {
      const mcid = ops.argsArray[i]?.[1];
      if (fn === pdfjs.OPS.beginMarkedContentProps && typeof mcid === 'number') inContent.add(String(mcid));
    });
    const same = inTree.size === inContent.size && [...inTree].every((id) => inContent.has(id));
    if (!same) bad.push(`page ${n}: tree ${[...inTree].join(',')} content ${[...inContent].join(',')}`);
  }
  await doc.destroy();
  return bad;
}
