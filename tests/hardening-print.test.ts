/**
 * Issue 12, the printer's half: manuscripts written by others must print. Each case is the smallest book
 * that showed the problem, printed through the real pipeline with one browser shared by the whole file,
 * and read back with poppler (pdffonts, pdftotext) rather than with the code that wrote the PDF.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import type { OutputIo } from '../pipeline/html/write-output.ts';
import { pdfSkip, tempProject, writeBook } from './helpers.ts';

const skip = pdfSkip();
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const errorsOf = (diagnostics: ReadonlyArray<{ severity: string; ruleId: string; message: string }>) => diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);

/** Font names pdffonts lists (subset prefix removed). */
const fontsOf = (pdf: string) =>
  run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));

// One browser for the whole file, launched by the first print.
let browser: BrowserSession;
before(() => {
  browser = createBrowserSession();
});
after(async () => {
  await browser?.close();
});

const CODE_CHAPTER = (title: string) => `---
title: ${title}
---

正文里的 \`inline code 中文\` 和 English text.

\`\`\`js
// 计算总和 sum of both
const 总和 = a + b; // English comment 注释
\`\`\`

**粗体里的 \`bold code\`** 与 *强调里的 \`code\`*。
`;

describe('code prints in every script (monospace stack with a CJK fallback)', () => {
  test('every script declares Noto Sans Mono first and its own CJK sans face as the fallback', () => {
    assert.match(fontSetFor('zh-Hans').mono, /^'Noto Sans Mono', 'Noto Sans SC'/);
    assert.match(fontSetFor('zh-Hant').mono, /^'Noto Sans Mono', 'Noto Sans TC'/);
    assert.match(fontSetFor('en').mono, /^'Noto Sans Mono', 'Noto Sans SC'/);
    for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
      const families = fontSetFor(script).faces.map((f) => `${f.family} ${f.weight}`);
      assert.ok(families.includes('Noto Sans Mono 400') && families.includes('Noto Sans Mono 700'), script);
    }
  });
});

describe('printed code', { skip }, () => {

  for (const edition of ['zh', 'en'] as const) {
    test(`a ${edition} chapter with Chinese and English code prints with no error and no tofu`, async () => {
      const project = tempProject();
      writeBook(project, { edition, chapters: { '01-code.md': CODE_CHAPTER(edition === 'zh' ? '代码' : 'Code') } });
      const result = await buildAll({ project, format: 'all', browser });
      assert.deepEqual(errorsOf(result.diagnostics), []);
      const pdf = join(project.out, 'test-book', edition, `test-book-${edition}.pdf`);
      const fonts = fontsOf(pdf);
      assert.ok(fonts.includes('NotoSansMono-Regular'), `fonts: ${fonts.join(', ')}`);
      assert.ok(fonts.includes('NotoSansMono-Bold'), `fonts: ${fonts.join(', ')}`);
      assert.ok(!fonts.some((f) => /DejaVu|Liberation|FreeMono|Courier/i.test(f)), `a system font was used: ${fonts.join(', ')}`);
      // The text comes back (no tofu: every character has a glyph with a ToUnicode entry).
      const text = run('pdftotext', [pdf, '-']);
      assert.match(text, /\/\/ 计算总和 sum of both/);
      assert.match(text, /const 总和 = a \+ b; \/\/ English comment 注释/);
      assert.match(text, /inline code 中文/);
      assert.ok(!text.includes('\ufffd'));
      // The site declares the stack too.
      const fontsCss = readFileSync(join(project.out, 'test-book', edition, 'site/assets/fonts.css'), 'utf8');
      assert.match(fontsCss, /--font-mono:'Noto Sans Mono', 'Noto Sans SC'/);
      assert.match(fontsCss, /font-family:'Noto Sans Mono';font-style:normal;font-weight:400/);
    });
  }

  test('a listing that does not fit under the text breaks between its lines, four at least on each page; a short one stays whole', async () => {
    const project = tempProject();
    // Six paragraphs leave about half of the chapter's first page for the listing's first lines.
    const prose = (n: number) => Array.from({ length: n }, (_, i) => `第${i + 1}段说明文字，介绍下面的代码清单是怎样组织的，以及每一部分各自负责的工作和它们之间的关系。`).join('\n\n');
    const long = Array.from({ length: 40 }, (_, i) => `line_${String(i + 1).padStart(2, '0')} = step(${i + 1})`).join('\n');
    const short = Array.from({ length: 6 }, (_, i) => `short_${i + 1} = ${i + 1}`).join('\n');
    const fence = (code: string) => '```\n' + code + '\n```';
    writeBook(project, { chapters: { '01-code.md': `---\ntitle: 清单\n---\n\n${prose(6)}\n\n${fence(long)}\n\n${prose(30)}\n\n${fence(short)}\n\n结束。\n` } });
    const result = await buildAll({ project, format: 'pdf', browser });
    assert.deepEqual(errorsOf(result.diagnostics), []);
    const pages = run('pdftotext', [join(project.out, 'test-book', 'zh', 'test-book-zh.pdf'), '-']).split('\f');
    const linesOn = (page: string, prefix: string) => page.split('\n').filter((l) => l.startsWith(prefix)).length;
    // The 40 lines would fit on a page of their own: kept whole, they left half of the first page empty.
    // pdftotext gives 第 6 段 (the CJK–Latin space).
    const first = pages.findIndex((p) => p.includes('line_01'));
    assert.equal(first, pages.findIndex((p) => /第\s*6\s*段/.test(p)), 'the listing starts on the page of the text before it');
    const counts = pages.map((p) => linesOn(p, 'line_')).filter((n) => n > 0);
    assert.equal(counts.length, 2, `lines per page: ${counts.join(', ')}`);
    assert.ok(counts.every((n) => n >= 4), `lines per page: ${counts.join(', ')}`);
    assert.equal(counts[0]! + counts[1]!, 40);
    // The six-line listing is on one page.
    assert.equal(pages.filter((p) => linesOn(p, 'short_') > 0).length, 1);
  });
});

/** Each word of a page's text with its box height (pdftotext -bbox): the glyph size as printed. */
function wordSizes(pdf: string, page: number): Array<[string, number]> {
  const xhtml = run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-']);
  return [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => [m[5]!, Math.round((Number(m[4]) - Number(m[2])) * 100) / 100]);
}

/** The 1-based page of the PDF whose text contains `marker`. */
function pageWith(pdf: string, marker: string): number {
  const pages = run('pdftotext', [pdf, '-']).split('\f');
  const i = pages.findIndex((p) => p.includes(marker));
  assert.ok(i >= 0, `no page has ${marker}`);
  return i + 1;
}

describe('a wide element never scales the book', { skip }, () => {

  const OTHER = '---\ntitle: 其他\n---\n\n其他章节的正文，字号必须与没有宽表时完全相同。Other chapter text.\n';
  const header = Array.from({ length: 13 }, (_, i) => `Indicator column number ${i + 1}`);
  const WIDE = `---\ntitle: 宽表\n---\n\n宽表之前的正文。\n\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n| ${header.map((_, i) => `value-${i + 1}-1234567890`).join(' | ')} |\n`;

  test('the other chapter prints at exactly the size of the same book without the wide table', async () => {
    const plain = tempProject();
    writeBook(plain, { chapters: { '01-other.md': OTHER, '02-narrow.md': '---\ntitle: 宽表\n---\n\n宽表之前的正文。\n' } });
    const wide = tempProject();
    writeBook(wide, { chapters: { '01-other.md': OTHER, '02-narrow.md': WIDE } });
    const [a, b] = [await buildAll({ project: plain, format: 'all', browser }), await buildAll({ project: wide, format: 'all', browser })];
    assert.deepEqual(errorsOf(a.diagnostics), []);
    assert.deepEqual(errorsOf(b.diagnostics), []);
    const pdfA = join(plain.out, 'test-book/zh/test-book-zh.pdf');
    const pdfB = join(wide.out, 'test-book/zh/test-book-zh.pdf');
    const sizesA = wordSizes(pdfA, pageWith(pdfA, '其他章节'));
    const sizesB = wordSizes(pdfB, pageWith(pdfB, '其他章节'));
    assert.ok(sizesA.length > 3);
    assert.deepEqual(sizesB, sizesA);
    // The wide chapter's own text keeps the body size too; only the table is fitted.
    const bodyA = wordSizes(pdfA, pageWith(pdfA, '宽表之前')).find(([w]) => w.includes('宽表之前'));
    const bodyB = wordSizes(pdfB, pageWith(pdfB, '宽表之前')).find(([w]) => w.includes('宽表之前'));
    assert.deepEqual(bodyB, bodyA);
    // Every column of the table is printed, inside the page (nothing cut off at its edge).
    const tablePage = pageWith(pdfB, '宽表之前');
    const xhtml = run('pdftotext', ['-bbox', '-f', String(tablePage), '-l', String(tablePage), pdfB, '-']);
    // Each value cell read top to bottom from the words' boxes: a cell breaks its value over lines where the
    // browser's glyph advances put the breaks, and pdftotext's text reads those lines across the columns.
    const words = [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }));
    const top = Math.min(...words.filter((w) => w.text.startsWith('value')).map((w) => w.y));
    const cells: Array<{ x: number; parts: Array<{ y: number; text: string }> }> = [];
    for (const w of words.filter((w) => w.y >= top - 1 && w.y < top + 72).sort((a, b) => a.x - b.x)) {
      const cell = cells.find((c) => Math.abs(c.x - w.x) < 2) ?? cells[cells.push({ x: w.x, parts: [] }) - 1]!;
      cell.parts.push(w);
    }
    const values = cells.map((c) => c.parts.sort((a, b) => a.y - b.y).map((p) => p.text).join('').replace(/-/g, ''));
    assert.deepEqual(values, header.map((_, i) => `value${i + 1}1234567890`));
    const pageWidth = Number(/<page width="([\d.]+)"/.exec(xhtml)![1]);
    const right = Math.max(...[...xhtml.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
    assert.ok(right < pageWidth, `text reaches ${right} pt on a ${pageWidth} pt page`);
    // …and the fitting is reported at the table's line in its chapter.
    const warning = b.diagnostics.find((d) => d.ruleId === 'pdf-wide-element');
    assert.ok(warning, JSON.stringify(b.diagnostics));
    assert.equal(warning.file, 'manuscripts/test-book/zh/02-narrow.md');
    assert.equal(warning.line, 7);
    assert.equal(warning.severity, 'warning');
  });
});

describe('named destinations', { skip }, () => {

  test('a long Chinese heading id becomes a short, stable name; links and the outline still reach it', async () => {
    const heading = '关于进一步加强网络空间国际合作与数字基础设施互联互通的若干思考和建议';
    const project = tempProject();
    const chapter = `---\ntitle: 目的地\n---\n\n## ${heading}\n\n正文。\n\n## Short {#short-one}\n\n见[上一节](#${heading})与[下一节](#short-one)。\n`;
    writeBook(project, { chapters: { '01-a.md': chapter } });
    const result = await buildAll({ project, format: 'all', browser });
    assert.deepEqual(errorsOf(result.diagnostics), []);
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(join(project.out, 'test-book/zh/test-book-zh.pdf'))), verbosity: 0 }).promise;
    const names = Object.keys((await doc.getDestinations()) as Record<string, unknown>);
    // pdfjs gives a name's bytes as a string of byte values; 127 bytes is the PDF implementation limit.
    const tooLong = names.filter((n) => n.length > 127);
    assert.deepEqual(tooLong, []);
    assert.ok(names.includes('short-one'), 'an ASCII id that fits keeps its name');
    const hashed = names.filter((n) => /^d-[0-9a-f]{20}$/.test(n));
    assert.ok(hashed.length >= 1, names.join(', '));
    // Every internal link of the chapter's page points at a name that exists.
    let links = 0;
    for (let i = 1; i <= doc.numPages; i++) {
      const annotations = (await (await doc.getPage(i)).getAnnotations()) as Array<{ subtype: string; dest?: unknown }>;
      for (const a of annotations) {
        if (a.subtype !== 'Link' || typeof a.dest !== 'string') continue;
        links++;
        assert.ok(names.includes(a.dest), `link to a missing destination ${a.dest}`);
      }
    }
    assert.ok(links >= 2);
    await doc.destroy();
    // Stable: a second build names it the same.
    const again = tempProject();
    writeBook(again, { chapters: { '01-a.md': chapter } });
    await buildAll({ project: again, format: 'all', browser });
    const doc2 = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(join(again.out, 'test-book/zh/test-book-zh.pdf'))), verbosity: 0 }).promise;
    assert.deepEqual(Object.keys((await doc2.getDestinations()) as Record<string, unknown>).filter((n) => /^d-/.test(n)), hashed);
    await doc2.destroy();
  });
});

describe('no request leaves the print', { skip }, () => {
  /** A local port that counts every connection made to it (a WebSocket would connect here first). */
  let connections = 0;
  let server: ReturnType<typeof createServer>;
  let port = 0;
  before(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  /**
   * The chapter's print.html section as if a sanitiser had let a script through: written into the
   * staging folder on its way out (outputIo), in print.html and in the copy the PDF stage loads
   * (.print-pdf.html, rendered from the same parts), with or without their Content-Security-Policy.
   */
  const smuggle = (script: string, keepCsp: boolean): OutputIo => ({
    writeFile: async (path, data) => {
      let bytes = data;
      if (path.endsWith('/print.html') || path.endsWith('/.print-pdf.html')) {
        let html = Buffer.from(data).toString('utf8');
        if (!keepCsp) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
        html = html.replace('<p>正文', `<script>${script}</script><p>正文`);
        bytes = Buffer.from(html);
      }
      writeFileSync(path, bytes);
    },
    rename: async (from, to) => (await import('node:fs/promises')).rename(from, to),
  });

  const WS_CHAPTER = (url: string) => `---\ntitle: 泄露\n---\n\n正文。\n\n本章的脚本连接 \`${url}\`。\n`;

  test('print.html carries a strict Content-Security-Policy: an inline script that opens a WebSocket is refused, the build fails at its chapter', async () => {
    const project = tempProject();
    const url = `ws://127.0.0.1:${port}/csp`;
    writeBook(project, { chapters: { '01-a.md': WS_CHAPTER(url) } });
    const before = connections;
    const result = await buildAll({ project, format: 'all', browser, outputIo: smuggle(`new WebSocket(${JSON.stringify(url)})`, true) });
    assert.equal(result.ok, false);
    const blocked = result.diagnostics.filter((d) => d.ruleId === 'pdf-blocked-request');
    assert.equal(blocked.length, 1, JSON.stringify(result.diagnostics));
    assert.equal(blocked[0]!.severity, 'error');
    assert.equal(blocked[0]!.file, 'manuscripts/test-book/zh/01-a.md');
    assert.match(blocked[0]!.message, /refused by print\.html's Content-Security-Policy\) while printing this chapter/);
    assert.equal(connections, before, 'nothing connected to the local port');
    assert.equal(existsSync(join(project.out, 'test-book/zh')), false, 'a failed edition writes nothing');
  });

  test('without the policy, the WebSocket is blocked in the network layer and reported at the chapter line naming it', async () => {
    const project = tempProject();
    const url = `ws://127.0.0.1:${port}/leak`;
    writeBook(project, { chapters: { '01-a.md': WS_CHAPTER(url) } });
    const before = connections;
    const script = `const s = new WebSocket(${JSON.stringify(url)}); s.onopen = () => s.send(document.title + location.href);`;
    const result = await buildAll({ project, format: 'all', browser, outputIo: smuggle(script, false) });
    assert.equal(result.ok, false);
    const blocked = result.diagnostics.filter((d) => d.ruleId === 'pdf-blocked-request');
    assert.deepEqual(
      blocked.map((d) => [d.file, d.line, d.column, d.severity, d.message]),
      [['manuscripts/test-book/zh/01-a.md', 7, 10, 'error', `blocked a request for ${url} (websocket) while printing this chapter`]],
    );
    assert.equal(connections, before, 'nothing connected to the local port');
  });
});
