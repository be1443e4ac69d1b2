/**
 * font-loading.ts: the PDF stage prints a page that was never laid out on screen, so it loads the web
 * font slices itself. Checked against the reference, a print of the same print.html after Chromium's own
 * screen layout (which loads the fonts by itself), with pdffonts and pdftotext: the same fonts, as many
 * slices of each, the same text. And the safety net: a print that asked for a face the scan did not load
 * is printed again.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import { buildAll } from '../pipeline/build/build.ts';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { fontFileOf, loadPrintFonts, printWithFonts } from '../pipeline/pdf/font-loading.ts';
import { SCREEN_HIDDEN_CSS } from '../pipeline/pdf/print-html.ts';
import { copyFixture, repoRoot, tempProject, type TempProject, pdfSkip } from './helpers.ts';

const skip = pdfSkip();
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** Base font names of a PDF, one per embedded subset (so a font used from three slices appears 3×), sorted. */
function fontsOf(pdf: string): string[] {
  return run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((row) => row.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''))
    .sort();
}

const print = { preferCSSPageSize: true, printBackground: true, waitForFonts: true } as const;

describe('fonts for a page that is not laid out on screen', { skip }, () => {
  let browser: BrowserSession;
  let page: Page;
  let project: TempProject;
  let dir: string;
  let html: string;
  let reference: { fonts: string[]; text: string };
  const heading = fontSetFor('zh-Hans').heading;

  /** Write `text` as a page beside print.html, load it, and return the page. */
  const open = async (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  };
  const save = (name: string, bytes: Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return { fonts: fontsOf(file), text: run('pdftotext', [file, '-']) };
  };
  const hidden = (text: string) => text.replace('</head>', `${SCREEN_HIDDEN_CSS}</head>`);
  /**
   * print.html with `head` added to its head and `body` as its body, without running heads (in a
   * reference print, margin boxes do not load their own fonts).
   */
  const plain = (head: string, body: string) =>
    html
      .replace(/(<style id="annals-page-css">)[\s\S]*?(<\/style>)/, '$1@page { size: A4; margin: 20mm; }$2')
      .replace('</head>', `${head}</head>`)
      .replace(/<body([^>]*)>[\s\S]*<\/body>/, `<body$1>${body}</body>`);

  /**
   * `text` printed twice: as the reference (laid out on screen first, every font it asked for loaded),
   * and hidden on screen after the scan, through printWithFonts. The fonts of both, and the reprints.
   */
  const referenceAndScanned = async (name: string, text: string) => {
    await open(`${name}-reference.html`, text);
    await page.evaluate('document.fonts.ready.then(() => true)');
    const expected = save(`${name}-reference.pdf`, await page.pdf(print));
    await open(`${name}.html`, hidden(text));
    await loadPrintFonts(page, []);
    let reprints = 0;
    const printed = save(`${name}.pdf`, await printWithFonts(page, print, { onReprint: () => reprints++ }));
    return { expected, printed, reprints };
  };

  before(async () => {
    browser = createBrowserSession();
    project = tempProject();
    copyFixture(join(repoRoot, 'tests/fixtures/pdf-book'), project);
    await buildAll({ project, books: ['pdf-sample'], format: 'html' });
    dir = join(project.out, 'pdf-sample', 'zh');
    html = readFileSync(join(dir, 'print.html'), 'utf8');
    page = await browser.page();
    // The reference: laid out on screen first, as any browser would, with every font it asked for loaded.
    await open('reference.html', html);
    await page.evaluate('document.fonts.ready.then(() => true)');
    reference = save('reference.pdf', await page.pdf(print));
  });
  after(async () => {
    await browser?.close();
  });

  test('the reference uses the npm fonts, in several slices', () => {
    assert.ok(reference.fonts.filter((f) => f.startsWith('NotoSerifSC')).length >= 3, reference.fonts.join(' '));
    assert.ok(reference.fonts.some((f) => f.startsWith('NotoSansSC')), reference.fonts.join(' '));
  });

  test('loaded by the scan: the same fonts, slices and text as the reference, printed once', async () => {
    await open('scanned.html', hidden(html));
    const result = await loadPrintFonts(page, [{ stack: heading, text: '0123456789' }]);
    assert.ok(result.loaded > 0 && result.loaded < result.faces, `${result.loaded} of ${result.faces} faces loaded`);
    let reprints = 0;
    const printed = save('scanned.pdf', await printWithFonts(page, print, { onReprint: () => reprints++ }));
    assert.equal(reprints, 0, 'printed once');
    assert.deepEqual(printed.fonts, reference.fonts);
    assert.equal(printed.text, reference.text);
  });

  test('without the scan the print misses slices; printWithFonts notices and prints again', async () => {
    await open('unscanned.html', hidden(html));
    const missed: number[] = [];
    const printed = save('unscanned.pdf', await printWithFonts(page, print, { onReprint: (faces) => missed.push(faces) }));
    assert.ok(missed.length >= 1 && missed[0]! > 0, `reprints: ${missed.join(', ')}`);
    assert.deepEqual(printed.fonts, reference.fonts);
    assert.equal(printed.text, reference.text);
  });

  test('a rule the scan cannot see (an attribute selector) costs a second print, not a glyph', async () => {
    // Two paragraphs the scan takes for the same kind of element; CSS sets the second in bold sans.
    const text = /<p>([^<]{20,})<\/p>/.exec(html)![1]!;
    const css = '<style>p[data-loud] { font-family: var(--font-heading); font-weight: 700; }</style>';
    const tricky = plain(css, `<p>${text}</p><p data-loud>${text}</p>`);
    const { expected, printed, reprints } = await referenceAndScanned('tricky', tricky);
    assert.ok(expected.fonts.some((f) => f.startsWith('NotoSansSC') && /Bold/.test(f)), expected.fonts.join(' '));
    assert.equal(reprints, 1, 'printed a second time');
    assert.deepEqual(printed.fonts, expected.fonts);

    // With a single attempt allowed, the caller is told what is still missing instead.
    await open('tricky-once.html', hidden(tricky));
    await loadPrintFonts(page, []);
    const gaveUp: number[] = [];
    let again = 0;
    await printWithFonts(page, print, { attempts: 1, onReprint: () => again++, onGiveUp: (faces) => gaveUp.push(faces) });
    assert.equal(again, 0, 'no second print');
    assert.ok(gaveUp.length === 1 && gaveUp[0]! > 0, `gave up once, on some faces: ${gaveUp.join(', ')}`);
  });

  test('text that only a ::before rule of a linked stylesheet draws is loaded too', async () => {
    // Linked file:// stylesheets cannot be read from the page (their rules are cross-origin), so the scan
    // must find generated content through computed styles. Here it is the only bold sans text.
    writeFileSync(join(dir, 'pseudo.css'), 'p.mark::before { content: "网络安全 "; font-family: var(--font-heading); font-weight: 700; }\n');
    const page2 = plain('<link rel="stylesheet" href="pseudo.css">', '<p class="mark">正文文字</p>');
    const { expected, printed, reprints } = await referenceAndScanned('pseudo', page2);
    assert.ok(expected.fonts.some((f) => /^NotoSansSC.*Bold/.test(f)), expected.fonts.join(' '));
    assert.equal(reprints, 0, 'printed once');
    assert.deepEqual(printed.fonts, expected.fonts);
  });

  test('a face that cannot be loaded is listed with its file', async () => {
    const damaged = join(dir, 'site/assets/fonts/damaged.woff2');
    writeFileSync(damaged, 'not a font');
    const css = "<style>@font-face { font-family: 'Damaged Face'; font-weight: 400; src: url(site/assets/fonts/damaged.woff2) format('woff2'); unicode-range: U+4E00-9FFF; }</style>";
    await open('damaged.html', hidden(plain(css, `<p style="font-family: 'Damaged Face', serif">正文</p>`)));
    const result = await loadPrintFonts(page, []);
    assert.deepEqual(result.failed.map((f) => [f.family, f.weight, f.style]), [['Damaged Face', '400', 'normal']]);
    assert.equal(fontFileOf(result.failed[0]!, [{ css: readFileSync(join(dir, 'damaged.html'), 'utf8'), base: '' }]), 'site/assets/fonts/damaged.woff2');
    // A face declared in a linked stylesheet: its URL is relative to that sheet.
    const sheet = { css: "@font-face { font-family: 'Damaged Face'; src: url(fonts/damaged.woff2); unicode-range: U+4e00-9fff; }", base: 'site/assets' };
    assert.equal(fontFileOf(result.failed[0]!, [sheet]), 'site/assets/fonts/damaged.woff2');
  });

  test('a CSS background image, asked for only by the print, is printed without a second print', async () => {
    // The body is hidden on screen, so nothing loads the image before the print; Chromium's print waits
    // for the images it asks for (unlike fonts).
    const css = '<style>#tile { width: 120px; height: 60px; background: url(site/images/gradient.png); }</style>';
    const tiled = hidden(plain(css, '<p>色阶</p><div id="tile"></div>'));
    await open('tile.html', tiled);
    await loadPrintFonts(page, []);
    let reprints = 0;
    writeFileSync(join(dir, 'tile.pdf'), await printWithFonts(page, print, { onReprint: () => reprints++ }));
    assert.equal(reprints, 0);
    const images = run('pdfimages', ['-list', join(dir, 'tile.pdf')]).split('\n').slice(2).filter(Boolean);
    assert.equal(images.length, 1, 'the image is printed');
  });
});
