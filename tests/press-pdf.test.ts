/**
 * The printer's files of a release build (docs/print-production.md), checked with poppler and with the
 * preflight reader: `<book>-<edition>-press.pdf` is PDF/X with TrimBox/BleedBox and crop marks, starts at
 * the 扉页, has every font embedded and no RGB left; `<book>-<edition>-cover.pdf` is one sheet as wide
 * as back + spine + front + bleed, the spine from the page count; the imprint shows 印张 and 字数
 * computed from the final page count; the manifest lists every file. One build, one browser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PDFDocument, rgb } from 'pdf-lib';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { preflight } from '../pipeline/press/preflight.ts';
import { findGhostscript, inkCoverage } from '../pipeline/press/ghostscript.ts';
import { grayOperators } from '../pipeline/press/neutral-to-gray.ts';
import { inkAtEdges } from '../pipeline/press/edge-ink.ts';
import { printedSheets, spineWidth, wordCountThousands } from '../pipeline/imprint/print-figures.ts';
import type { Manifest } from '../pipeline/release/manifest.ts';
import { copyFixture, hasCommand, pdfSkip, repoRoot, tempProject, type TempProject } from './helpers.ts';

const MM = 72 / 25.4;
const skip = pdfSkip() || (!hasCommand('gs') && !existsSync('/usr/bin/gs') ? 'needs Ghostscript' : false);

/** pdfinfo -box of the first page: box name → [x0, y0, x1, y1]; plus the PDF subtype and page count. */
function boxes(file: string): { box: Record<string, number[]>; subtype?: string; pages: number } {
  const text = execFileSync('pdfinfo', ['-box', file], { encoding: 'utf8' });
  const box: Record<string, number[]> = {};
  for (const m of text.matchAll(/^(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/gm)) box[m[1]!] = [m[2], m[3], m[4], m[5]].map(Number);
  return { box, subtype: /^PDF subtype:\s+(.+)$/m.exec(text)?.[1]?.trim(), pages: Number(/^Pages:\s+(\d+)/m.exec(text)?.[1]) };
}

/** Within 0.2 mm: Chromium rounds the page size to its pixel grid (185 mm prints as 523.92 pt, not 524.41). */
const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 0.2 * MM, `${what}: ${actual} ≠ ${expected}`);

describe('release build: press and cover PDFs', { skip }, () => {
  let project: TempProject;
  let browser: BrowserSession;
  let result: BuildResult;
  const dir = () => join(project.out, 'press-book', 'zh');

  before(async () => {
    project = tempProject();
    copyFixture(join(repoRoot, 'tests/fixtures/press/press-book'), project, 'manuscripts/press-book');
    browser = createBrowserSession();
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      result = await buildAll({ project, format: 'all', release: true, marks: true, browser });
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });
  after(async () => {
    await browser?.close();
  });

  test('every edition has its screen, press and cover PDF, and the manifest lists them', () => {
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
    const manifest = JSON.parse(project.read('out/manifest.json')) as Manifest;
    const listed = manifest.files.map((f) => f.path);
    for (const edition of ['zh', 'en']) {
      for (const suffix of ['', '-press', '-cover']) assert.ok(listed.includes(`press-book/${edition}/press-book-${edition}${suffix}.pdf`), `${edition}${suffix}`);
    }
    assert.ok(!listed.some((p) => /\/\.(press|cover|pdfx)/.test(p)), 'no temporary files left');
  });

  test('the press interior: PDF/X, starts at the 扉页, trim and bleed boxes, crop marks in the slug', () => {
    const screen = join(dir(), 'press-book-zh.pdf');
    const press = join(dir(), 'press-book-zh-press.pdf');
    const info = boxes(press);
    assert.equal(info.subtype, 'PDF/X-3:2002');
    assert.equal(info.pages, boxes(screen).pages - 2); // the cover and its verso are not part of the interior
    // 185 × 260 mm trimmed; 3 mm bleed; a 10 mm slug for the marks around it.
    const [tx0, ty0, tx1, ty1] = info.box.TrimBox!;
    const [bx0, by0, bx1, by1] = info.box.BleedBox!;
    const [, , mx1, my1] = info.box.MediaBox!;
    near(tx1 - tx0, 185 * MM, 'trim width');
    near(ty1 - ty0, 260 * MM, 'trim height');
    near(tx0 - bx0, 3 * MM, 'bleed left');
    near(bx1 - tx1, 3 * MM, 'bleed right');
    near(ty0 - by0, 3 * MM, 'bleed bottom');
    near(by1 - ty1, 3 * MM, 'bleed top');
    near(mx1, (185 + 26) * MM, 'media width');
    near(my1, (260 + 26) * MM, 'media height');
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', press, '-'], { encoding: 'utf8' });
    const titlePage = execFileSync('pdftotext', ['-f', '3', '-l', '3', '-layout', screen, '-'], { encoding: 'utf8' });
    assert.equal(first.replace(/\s+/g, ''), titlePage.replace(/\s+/g, ''));
    assert.match(first, /网络空间研究院 编著/);
  });

  test('the press files pass the preflight: output intent, fonts embedded, no RGB (the screen PDF has RGB)', async () => {
    for (const name of ['press-book-zh-press.pdf', 'press-book-zh-cover.pdf']) {
      const pf = await preflight(readFileSync(join(dir(), name)));
      assert.equal(pf.pdfx, 'PDF/X-3:2002', name);
      assert.equal(pf.outputIntents, 1, name);
      assert.deepEqual(pf.pagesWithoutBoxes, [], name);
      assert.deepEqual(pf.pagesWithAnnotations, [], name);
      assert.deepEqual(pf.unembeddedFonts, [], name);
      assert.equal(pf.rgbObjects + pf.rgbOperators, 0, name);
      const fonts = execFileSync('pdffonts', [join(dir(), name)], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
      assert.ok(fonts.length > 0);
      for (const line of fonts) assert.match(line, /\byes\s+yes\s+yes\s+\d+\s+0$/, line); // embedded, subset, unicode
    }
    const screen = await preflight(readFileSync(join(dir(), 'press-book-zh.pdf')));
    assert.ok(screen.rgbOperators > 0, 'the check finds RGB where there is some');
    assert.ok(screen.pagesWithAnnotations.length > 0, 'the screen PDF has its links');
    assert.equal(screen.pdfx, undefined);
  });

  test('one embedded font per face, under its real name; the text still extracts, CJK and Latin', () => {
    for (const edition of ['zh', 'en']) {
      for (const suffix of ['', '-press', '-cover']) {
        const name = `press-book-${edition}${suffix}.pdf`;
        const rows = execFileSync('pdffonts', [join(project.out, 'press-book', edition, name)], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
        const names = rows.map((row) => row.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
        assert.ok(names.length > 0, name);
        assert.deepEqual(names, [...new Set(names)], `${name}: a face embedded more than once`);
        // Family-Style, as the faces are declared (400/700, upright/italic): not a slice's "NotoSansSCThin-Bold".
        for (const font of names) assert.match(font, /^[A-Za-z0-9]+-(Regular|Bold|Italic|BoldItalic)$/, `${name}: ${font}`);
        for (const font of names) assert.doesNotMatch(font, /Thin|ExtraLight|Light/, `${name}: ${font}`);
      }
    }
    const zh = execFileSync('pdftotext', [join(dir(), 'press-book-zh-press.pdf'), '-'], { encoding: 'utf8' });
    assert.match(zh, /全国网民规模持续增长，信息基础设施不断完善。/);
    assert.match(zh, /ISBN 978-7-5012-3456-1/);
    const en = execFileSync('pdftotext', [join(project.out, 'press-book', 'en', 'press-book-en.pdf'), '-'], { encoding: 'utf8' });
    assert.match(en.replace(/\u00ad/g, '').replace(/\s+/g, ' '), /The number of internet users keeps growing and the information infrastructure keeps improving\./);
  });

  test('black text prints in K alone: on text pages C, M and Y stay at the crop marks\' trace (inkcov)', async () => {
    const gs = await findGhostscript();
    const file = join(dir(), 'press-book-zh-press.pdf');
    const ink = await inkCoverage(gs, file);
    const texts = ink.map((_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }).trim());
    // A blank page carries only the crop marks, in registration colour: the same on every plate.
    const blank = texts.findIndex((t) => t === '');
    assert.ok(blank >= 0, 'a blank page (marks only)');
    const marks = ink[blank]!;
    assert.ok(marks.c > 0 && Math.abs(marks.c - marks.k) < 1e-4, `marks in registration colour: ${JSON.stringify(marks)}`);
    // The imprint: black and grey type and rules only.
    const imprint = texts.findIndex((t) => t.includes('图书在版编目'));
    const page = ink[imprint]!;
    assert.ok(page.k > marks.k + 0.005, `the imprint has black ink: ${JSON.stringify(page)}`);
    for (const plate of ['c', 'm', 'y'] as const) assert.ok(Math.abs(page[plate] - marks[plate]) < 5e-4, `${plate} on the imprint page is only the marks': ${JSON.stringify(page)} vs ${JSON.stringify(marks)}`);
  });

  test('the cover sheet: back + spine + front + 3 mm bleed, the spine from the page count and the paper', () => {
    const pages = boxes(join(dir(), 'press-book-zh-press.pdf')).pages;
    const spine = spineWidth(pages, 'offset-70', 0.5);
    assert.equal(spine, Math.ceil((Math.ceil(pages / 2) * 0.09 + 0.5) * 10) / 10);
    const cover = boxes(join(dir(), 'press-book-zh-cover.pdf'));
    assert.equal(cover.subtype, 'PDF/X-3:2002');
    assert.equal(cover.pages, 1);
    const [tx0, ty0, tx1, ty1] = cover.box.TrimBox!;
    const [bx0, by0, bx1, by1] = cover.box.BleedBox!;
    near(tx1 - tx0, (2 * 185 + spine) * MM, 'trimmed cover width');
    near(ty1 - ty0, 260 * MM, 'trimmed cover height');
    near(bx1 - bx0, (2 * 185 + spine + 6) * MM, 'cover width with bleed');
    near(by1 - by0, 266 * MM, 'cover height with bleed');
    const text = execFileSync('pdftotext', ['-layout', join(dir(), 'press-book-zh-cover.pdf'), '-'], { encoding: 'utf8' });
    assert.match(text, /定价：98\.00元/);
    assert.match(text, /网络发展报告/);
  });

  test('the imprint shows 印张 and 字数 computed from the final page count', () => {
    const screen = join(dir(), 'press-book-zh.pdf');
    const total = boxes(screen).pages;
    const interior = total - 2;
    const text = execFileSync('pdftotext', ['-f', '4', '-l', '4', screen, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    // 16开 report, 10.5 pt type, leading 1.8: 39 characters × 32 lines a page.
    const words = wordCountThousands({ width: 145 * MM, height: 216 * MM, fontSize: 10.5, leading: 1.8 }, interior);
    assert.equal(words, Math.ceil((39 * 32 * interior) / 1000));
    assert.match(text, new RegExp(`印张 ${printedSheets(interior, 16)} `));
    assert.match(text, new RegExp(`字数 ${words} 千字`));
  });
});

describe('neutral colours as DeviceGray (neutral-to-gray.ts)', () => {
  test('r = g = b becomes v g / v G, near-black becomes solid black, chromatic colours stay', () => {
    const content = '.1059 .1059 .1059 RG .1059 .1059 .1059 rg\nBT\n0 0 0 rg\n.3333 .3333 .3333 rg\n.2 .3 .4 rg\n1 1 1 RG\n<00450046> Tj\nET\n12 0 0 12 0 0 cm';
    let changed = 0;
    const out = grayOperators(content, 0.15, () => changed++);
    assert.equal(out, '0 G 0 g\nBT\n0 g\n.3333 g\n.2 .3 .4 rg\n1 G\n<00450046> Tj\nET\n12 0 0 12 0 0 cm');
    assert.equal(changed, 5);
  });

  test('a colour written inside shown text, an array, a dictionary or inline image data is no colour operator', () => {
    const content = [
      '/P << /MCID 0 /Alt (0 0 0 rg here) >> BDC',
      '(say 0 0 0 rg to it \\) and \\( 1 1 1 RG ) Tj',
      '[(a 0.5 0.5 0.5 rg b) -20 <0041>] TJ',
      'BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 0 0 0 rg EI',
      '.5 .5 .5 rg % 0 0 0 rg in a comment',
    ].join('\n');
    let changed = 0;
    const out = grayOperators(content, 0.15, () => changed++);
    assert.equal(out, content.replace('.5 .5 .5 rg %', '.5 g %'));
    assert.equal(changed, 1);
  });
});

describe('ink at the trim edge (edge-ink.ts)', { skip: !hasCommand('gs') && !existsSync('/usr/bin/gs') ? 'needs Ghostscript' : false }, () => {
  test('a page with a band at its left edge is found; one with ink inside its margins is not', async () => {
    const doc = await PDFDocument.create();
    const band = doc.addPage([300, 400]);
    band.drawRectangle({ x: 0, y: 100, width: 40, height: 100, color: rgb(0.8, 0.1, 0.1) });
    const inside = doc.addPage([300, 400]);
    inside.drawRectangle({ x: 30, y: 30, width: 240, height: 340, color: rgb(0, 0, 0) });
    const corner = doc.addPage([300, 400]);
    corner.drawRectangle({ x: 260, y: 360, width: 40, height: 40, color: rgb(0.5, 0.5, 0.5) });
    const dir = mkdtempSync(join(tmpdir(), 'annals-edge-'));
    try {
      writeFileSync(join(dir, 'edges.pdf'), await doc.save());
      const gs = await findGhostscript();
      assert.deepEqual(await inkAtEdges(gs, join(dir, 'edges.pdf')), [
        { page: 1, edges: ['left'] },
        { page: 3, edges: ['top', 'right'] },
      ]);
      assert.deepEqual(await inkAtEdges(gs, join(dir, 'edges.pdf'), { firstPage: 2 }), [{ page: 3, edges: ['top', 'right'] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
