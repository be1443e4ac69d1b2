/**
 * Page numbers in the printed apparatus, checked in the PDF itself with poppler's pdftotext (text and word
 * boxes per page) and the PDF's page labels (pdfjs-dist): every index locator is the folio (and, in a
 * two-column book, the column) of the page where the marked word is printed, repeated pages are merged
 * and consecutive ones become ranges; `:pageref` prints the folio of its target.
 *
 * Needs Chromium (the PDF stage) and poppler-utils; skipped when either is missing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildResult } from '../pipeline/build/build.ts';
import { createBrowserSession } from '../pipeline/pdf/browser.ts';
import { build, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// One browser prints every book of this file (launched by the first print, closed at the end).
const browser = createBrowserSession();
after(() => browser.close());

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;
const filler = (n: number) => Array.from({ length: n }, (_, i) => `第${i + 1}段。` + '这是用于检验分页和页码的正文文字，内容本身没有意义。'.repeat(6)).join('\n\n');

interface PdfPages {
  labels: string[];
  text(page: number): string;
  /** x of the word's left edge and the page width, for a word on a page (1-based). */
  wordX(page: number, word: string): { x: number; width: number } | undefined;
}

async function openPdf(path: string): Promise<PdfPages> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)) }).promise;
  const labels = (await doc.getPageLabels()) ?? Array.from({ length: doc.numPages }, (_, i) => String(i + 1));
  await doc.destroy();
  const cache = new Map<number, string>();
  return {
    labels,
    text(page) {
      if (!cache.has(page)) cache.set(page, execFileSync('pdftotext', ['-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' }));
      return cache.get(page)!;
    },
    wordX(page, word) {
      const xml = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });
      const width = Number(/<page width="([\d.]+)"/.exec(xml)?.[1]);
      const m = new RegExp(`<word xMin="([\\d.]+)"[^>]*>${word}(?![A-Za-z0-9])[^<]*</word>`).exec(xml);
      return m ? { x: Number(m[1]), width } : undefined;
    },
  };
}

/** The folio (with column) of the page that prints `word`, searching the body pages. */
function locate(pdf: PdfPages, word: string, columns: 1 | 2): string {
  for (let page = 1; page <= pdf.labels.length; page++) {
    if (!/^\d+$/.test(pdf.labels[page - 1]!)) continue; // front matter
    if (!pdf.text(page).includes(word)) continue;
    if (columns === 1) return pdf.labels[page - 1]!;
    const box = pdf.wordX(page, word)!;
    return pdf.labels[page - 1]! + (box.x < box.width / 2 ? 'a' : 'b');
  }
  throw new Error(`${word} is not printed on any body page`);
}

/** An independent statement of the expected index text: repeated pages once, runs as ranges. */
function expectedLocators(folios: string[]): string {
  const key = (f: string) => {
    const m = /^(\d+)([ab]?)$/.exec(f)!;
    return Number(m[1]) * 2 + (m[2] === 'b' ? 1 : 0);
  };
  const columns = folios.some((f) => /[ab]$/.test(f));
  const step = columns ? 1 : 2;
  const runs: string[][] = [];
  for (const f of folios) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last !== undefined && (key(f) === key(last) || key(f) === key(last) + step)) {
      if (f !== last) run!.push(f);
    } else runs.push([f]);
  }
  return runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}–${r[r.length - 1]}`)).join(', ');
}

function indexLine(pdf: PdfPages, term: string): string {
  for (let page = pdf.labels.length; page >= 1; page--) {
    const m = new RegExp(`${term}\\s+([0-9ab–, ]+)`).exec(pdf.text(page));
    if (m) return m[1]!.trim().replace(/,$/, '');
  }
  throw new Error(`no index line for ${term}`);
}

test('index locators and :pageref in the PDF are the pages of the marked places', { skip: !hasPdftotext }, async (t) => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('第一部分') + `:idx[Tokenaone]{term="Termalpha"}开头。页码引用见:pageref[fig-far]。\n\n${filler(3)}\n`,
      '02-two.md':
        front('第二部分') +
        `:idx[Tokenbone]{term="Termbeta"}与:idx[Tokenatwo]{term="Termalpha"}。\n\n${filler(12)}\n\n:idx[Tokenbtwo]{term="Termbeta"}在后。\n\n${filler(12)}\n\n:idx[Tokenbthree]{term="Termbeta"}再后。\n\n:idx[Tokenbfour]{term="Termbeta"}紧接。\n`,
      '03-three.md': front('第三部分') + `${filler(4)}\n\n::figure[远处的图 Figurecaptionword]{#fig-far src="images/x.svg"}\n`,
    },
  });
  project.write(`manuscripts/${id}/images/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60" fill="#ccc"/></svg>');
  const result = await build(project, { format: 'pdf', browser });
  if (result.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('pdf-browser'))) return t.skip('no Chromium on this machine');
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  const pdf = await openPdf(join(project.out, id, 'zh', `${id}-zh.pdf`));
  const alpha = ['Tokenaone', 'Tokenatwo'].map((w) => locate(pdf, w, 1));
  const beta = ['Tokenbone', 'Tokenbtwo', 'Tokenbthree', 'Tokenbfour'].map((w) => locate(pdf, w, 1));
  assert.notEqual(beta[0], beta[1], 'the fixture spreads Termbeta over several pages');
  assert.equal(indexLine(pdf, 'Termalpha'), expectedLocators(alpha));
  assert.equal(indexLine(pdf, 'Termbeta'), expectedLocators(beta));
  // :pageref prints 第N页 with the page of the figure.
  const figurePage = locate(pdf, 'Figurecaptionword', 1);
  const firstBody = pdf.labels.indexOf('1') + 1;
  assert.match(pdf.text(firstBody) + pdf.text(firstBody + 1), new RegExp(`页码引用见第\\s*${figurePage}\\s*页`));  // The contents list the parts after the one with :pageref, so the late parts (all three chapters and
  // the index) are printed apart from print 2, twice: the :pageref points into them.
  assert.deepEqual(printsOf(result), { prints: 4, lateWithFront: false });
});

/** How many Chromium prints the book's PDF took, and whether print 2 took the late parts along. */
const printsOf = (result: BuildResult) => {
  const pdf = result.editions[0]?.pdf;
  return pdf && { prints: pdf.prints, lateWithFront: pdf.lateWithFront };
};

/** The folio the contents give `title` (the front matter's pages). */
function contentsFolio(pdf: PdfPages, title: string): string {
  for (let page = 1; page <= pdf.labels.length && !/^\d+$/.test(pdf.labels[page - 1]!); page++) {
    const m = new RegExp(`${title}[\\s.·…]+(\\d+)`).exec(pdf.text(page));
    if (m) return m[1]!;
  }
  throw new Error(`${title} is not in the contents`);
}

test('an index at the end is printed with the front matter (two prints), with the right locators and contents entry', { skip: !hasPdftotext }, async (t) => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('第一部分') + `:idx[Tokendone]{term="Termdelta"}开头。\n\n${filler(14)}\n\n:idx[Tokendtwo]{term="Termdelta"}在后。\n`,
      '02-two.md': front('第二部分') + `${filler(10)}\n\n:idx[Tokendthree]{term="Termdelta"}与:idx[Tokenepsone]{term="Termepsilon"}。\n`,
    },
  });
  const result = await build(project, { format: 'pdf', browser });
  if (result.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('pdf-browser'))) return t.skip('no Chromium on this machine');
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  assert.deepEqual(printsOf(result), { prints: 2, lateWithFront: true });
  const pdf = await openPdf(join(project.out, id, 'zh', `${id}-zh.pdf`));
  const delta = ['Tokendone', 'Tokendtwo', 'Tokendthree'].map((w) => locate(pdf, w, 1));
  assert.equal(indexLine(pdf, 'Termdelta'), expectedLocators(delta));
  assert.equal(indexLine(pdf, 'Termepsilon'), locate(pdf, 'Tokenepsone', 1));
  // The index starts on the page the contents give; index terms are printed nowhere else.
  assert.equal(contentsFolio(pdf, '索引'), locate(pdf, 'Termdelta', 1));
  // Its pages have running heads and folios like any other: the book title on the left-hand pages.
  const indexPage = pdf.labels.indexOf(locate(pdf, 'Termdelta', 1));
  assert.match(pdf.text(indexPage + 1), new RegExp(`\\b${pdf.labels[indexPage]}\\b`));
});

test('a :pageref inside the last part is settled by printing that part again', { skip: !hasPdftotext }, async (t) => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('第一部分') + `${filler(8)}\n`,
      '02-two.md': front('第三部分') + `Chapterthreestart，图见:pageref[fig-near]。\n\n${filler(14)}\n\n::figure[近处的图 Figurenearword]{#fig-near src="images/x.svg"}\n`,
    },
  });
  project.write(`manuscripts/${id}/images/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60" fill="#ccc"/></svg>');
  const result = await build(project, { format: 'pdf', browser });
  if (result.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('pdf-browser'))) return t.skip('no Chromium on this machine');
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  // Print 1, print 2 with the last part (whose :pageref was still unknown), the last part again, print 2 again.
  assert.deepEqual(printsOf(result), { prints: 4, lateWithFront: false });
  const pdf = await openPdf(join(project.out, id, 'zh', `${id}-zh.pdf`));
  const figurePage = locate(pdf, 'Figurenearword', 1);
  const start = locate(pdf, 'Chapterthreestart', 1);
  assert.notEqual(figurePage, start, 'the figure is pages away from the reference');
  assert.match(pdf.text(pdf.labels.indexOf(start) + 1), new RegExp(`图见第\\s*${figurePage}\\s*页`));
  assert.equal(contentsFolio(pdf, '第三部分'), start);
});

test('a two-column yearbook gives page and column in its index', { skip: !hasPdftotext }, async (t) => {
  const project = tempProject();
  const token = (i: number) => `Wordgamma${String.fromCharCode(97 + i)}`;
  const names = [...'甲乙丙丁戊己庚辛壬癸子丑寅卯'].map((c) => `条目${c}`); // no digits: pdftotext spaces 条目 1
  const entries = Array.from({ length: 14 }, (_, i) => `:::entry[${names[i]}]{#entry-${i + 1}}\n:idx[${token(i)}]{term="Termgamma"} 。${'本条目的正文文字，用于填满两栏版面。'.repeat(12)}\n:::\n`).join('\n');
  // A one-column chapter (特载) first: its marks get plain page numbers, no column letter.
  const special = front('特载') + `:idx[Wordsolo]{term="Termsolo"}。${filler(3)}\n`;
  const id = writeBook(project, {
    kind: 'yearbook',
    extraYaml: 'page:\n  columns: 2',
    chapters: { '01-special.md': special, '02-one.md': front('网络安全') + `## 分目 {#sec-a}\n\n${entries}` },
  });
  const result = await build(project, { format: 'pdf', browser });
  if (result.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('pdf-browser'))) return t.skip('no Chromium on this machine');
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  const pdf = await openPdf(join(project.out, id, 'zh', `${id}-zh.pdf`));
  const gamma = Array.from({ length: 14 }, (_, i) => locate(pdf, token(i), 2));
  assert.ok(new Set(gamma.map((g) => g.slice(-1))).size === 2, `marks in both columns: ${gamma.join(' ')}`);
  assert.equal(indexLine(pdf, 'Termgamma'), expectedLocators(gamma));
  // Entries are indexed under their titles: the page and column where the title 【条目N】 is printed.
  const titles = names.map((name) => [name, locate(pdf, `【${name}】`, 2)] as const);
  assert.ok(new Set(titles.map(([, f]) => f.slice(-1))).size === 2, `titles in both columns: ${titles.map(([, f]) => f).join(' ')}`);
  assert.deepEqual(titles.map(([term]) => [term, indexLine(pdf, term)]), titles);
  assert.equal(indexLine(pdf, 'Termsolo'), locate(pdf, 'Wordsolo', 1));
});

test('a yearbook’s right-hand running heads name the 分目 at the top of the page', { skip: !hasPdftotext }, async (t) => {
  const project = tempProject();
  const entries = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => `:::entry[条目${tag}${i + 1}]{#entry-${tag}-${i + 1}}\n${i === 0 ? `Marker${tag} ` : ''}${'本条目的正文文字，用于填满两栏版面。'.repeat(14)}\n:::\n`).join('\n');
  const chapter = front('网络安全') + `## 关键信息基础设施保护 {#sec-a}\n\n${entries('alpha', 16)}\n\n## 数据安全 {#sec-b}\n\n${entries('beta', 16)}`;
  const id = writeBook(project, { kind: 'yearbook', extraYaml: 'page:\n  columns: 2', chapters: { '01-one.md': chapter } });
  const result = await build(project, { format: 'pdf', browser });
  if (result.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('pdf-browser'))) return t.skip('no Chromium on this machine');
  assert.deepEqual(own(result).filter((d) => d.severity === 'error'), []);
  const pdf = await openPdf(join(project.out, id, 'zh', `${id}-zh.pdf`));
  const headA = /网络安全\s*·\s*关键信息基础设施保护/;
  const headB = /网络安全\s*·\s*数据安全/;
  // The chapter's pages (the entry index follows it, on pages of its own).
  const bodyPages = pdf.labels
    .flatMap((label, i) => (/^\d+$/.test(label) ? [{ page: i + 1, folio: Number(label) }] : []))
    .filter((p) => pdf.text(p.page).includes('本条目的正文文字'));
  const start = (word: string) => bodyPages.find((p) => pdf.text(p.page).includes(word))!.page;
  const [a, b] = [start('Markeralpha'), start('Markerbeta')];
  assert.ok(b > a + 1, `the first 分目 spans pages (${a}–${b})`);
  const rights = bodyPages.filter((p) => p.folio % 2 === 1 && p.folio > 1);
  assert.ok(rights.some((p) => p.page < b) && rights.some((p) => p.page >= b), 'right-hand pages under both 分目');
  // The page where 数据安全 starts names it only when its heading is at the top of the page; with the
  // end of the first 分目 above it, the page is still under 关键信息基础设施保护.
  const bTop = (() => {
    const xml = execFileSync('pdftotext', ['-bbox', '-f', String(b), '-l', String(b), join(project.out, id, 'zh', `${id}-zh.pdf`), '-'], { encoding: 'utf8' });
    const words = [...xml.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ y: Number(m[1]), text: m[2]! }));
    const heading = words.filter((w) => w.text === '数据安全').pop()!; // the last: the heading, below the running head
    return !words.some((w) => w.text.includes('本条目') && w.y < heading.y);
  })();
  for (const { page } of rights) {
    const text = pdf.text(page);
    const underB = page > b || (page === b && bTop);
    assert.match(text, underB ? headB : headA, `page ${page}`);
    assert.doesNotMatch(text, underB ? headA : headB, `page ${page}`);
  }
  // Left-hand pages keep the book title.
  for (const { page } of bodyPages.filter((p) => p.folio % 2 === 0)) {
    assert.match(pdf.text(page), /测试之书/, `page ${page}`);
    assert.doesNotMatch(pdf.text(page), headA, `page ${page}`);
  }
});
