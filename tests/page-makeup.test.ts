/**
 * Issue 15, page make-up: the line grid of Chinese text, keeps (a heading never ends a page and takes two
 * lines of its section along; no one-character last line, 孤字) and page-bottom notes (页下注). Each case
 * is a small purpose-made book printed through the real pipeline by one shared browser and read back
 * from the PDF: glyph positions with pdfjs-dist (tests/pdf-glyphs.ts), page text with poppler.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pdfSkip, tempProject, writeBook } from './helpers.ts';
import { linesOf, pdfGlyphs, type Glyph } from './pdf-glyphs.ts';

const skip = pdfSkip();
const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;
/** Body type in the reports: 10.5pt (五号) on a pitch of 1.8 × 10.5pt = 25.2px, rounded to 25px (print.css). */
const BODY_EM = 10.5;
const PITCH = 18.75;
const CONTENT = /[\p{L}\p{N}]/u;
/** Han text of `n` characters, varied so that no two paragraphs are alike. */
const han = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => '数据网络安全治理发展创新基础设施经济社会政府服务平台'[(i * 7 + seed) % 26]).join('');

let browser: BrowserSession;
before(() => {
  browser = createBrowserSession();
});
after(async () => {
  await browser?.close();
});

/** Build a one-edition zh book and return the path of its PDF. */
async function printBook(chapters: Record<string, string>, extraYaml = 'page: { rectoChapters: false }'): Promise<string> {
  const project = tempProject();
  writeBook(project, { chapters, extraYaml });
  const result = await buildAll({ project, format: 'pdf', browser });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);
  assert.deepEqual(errors, []);
  return join(project.out, 'test-book', 'zh', 'test-book-zh.pdf');
}

/** The body lines of a page (glyphs in body type), top to bottom, each with its text and baseline. */
function bodyLines(page: readonly Glyph[]): Array<{ y: number; x: number; text: string }> {
  return linesOf(page.filter((g) => Math.abs(g.em - BODY_EM) < 0.05)).map((line) => ({ y: line[0]!.y, x: line[0]!.x, text: line.map((g) => g.char).join('') }));
}

const pageTexts = (pdf: string) => execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f');

describe('the line grid of Chinese text', { skip }, () => {
  test('consecutive body lines are one pitch apart across paragraph boundaries, and after headings and boxes the text stays on the grid', async () => {
    const paragraphs = Array.from({ length: 5 }, (_, i) => han(60 + i * 13, i) + '。');
    const chapter =
      front('网格') +
      paragraphs.slice(0, 3).join('\n\n') +
      '\n\n## 一级标题\n\n' +
      paragraphs[3] +
      '\n\n:::box[专栏标题]\n' + han(50, 9) + '。\n:::\n\n' +
      paragraphs[4] + '\n\n### 二级标题\n\n' + han(45, 3) + '。\n';
    const pdf = await printBook({ '01-grid.md': chapter });
    const pages = await pdfGlyphs(pdf);
    const page = pages.find((p) => bodyLines(p).some((l) => l.text.includes(paragraphs[0]!.slice(0, 6))))!;
    const lines = bodyLines(page).filter((l) => /\p{Script=Han}/u.test(l.text));
    assert.ok(lines.length >= 15, `body lines: ${lines.length}`);
    const left = Math.min(...lines.map((l) => l.x));
    // A paragraph's first line is indented two characters: a paragraph boundary lies just before it.
    let boundaries = 0;
    for (let i = 1; i < lines.length; i++) {
      const indented = lines[i]!.x > left + BODY_EM * 1.5;
      const prevIsBody = Math.abs(lines[i - 1]!.x - left) < 0.5 || lines[i - 1]!.x > left + BODY_EM * 1.5;
      if (indented && prevIsBody && lines[i - 1]!.y - lines[i]!.y < PITCH * 1.5) {
        boundaries++;
        // Baselines are read to 0.1 pt (pdf-glyphs.ts), so two of them differ by the pitch ± 0.1.
        assert.ok(Math.abs(lines[i - 1]!.y - lines[i]!.y - PITCH) <= 0.11, `paragraph boundary at "${lines[i]!.text.slice(0, 8)}": ${(lines[i - 1]!.y - lines[i]!.y).toFixed(2)} pt, not ${PITCH}`);
      }
    }
    assert.ok(boundaries >= 2, `paragraph boundaries seen: ${boundaries}`);
    // Every line of running text (at the margin or indented two characters, not inside the box), with
    // headings and the box in between, lies a whole number of pitches below the first.
    const top = lines[0]!.y;
    const running = lines.filter((l) => Math.abs(l.x - left) < 0.5 || Math.abs(l.x - left - 2 * BODY_EM) < 0.5);
    assert.ok(running.length < lines.length, 'the box lines are told apart');
    for (const l of running) {
      const steps = (top - l.y) / PITCH;
      assert.ok(Math.abs(steps - Math.round(steps)) < 0.02, `"${l.text.slice(0, 8)}" is ${steps.toFixed(3)} lines below the first`);
    }
  });
});

describe('keeps', { skip }, () => {
  test('a heading never ends a page: at the foot it moves to the next page with at least two lines of its section', async () => {
    // Each chapter fills its first page with one-line paragraphs up to a different depth, then a heading
    // and its section: in some of them the heading would fall on the last line or two of the page.
    const chapters: Record<string, string> = {};
    for (let k = 0; k < 8; k++) {
      const filler = Array.from({ length: 17 + k }, (_, i) => han(30, i + k) + '。').join('\n\n');
      chapters[`0${k + 1}-c${k}.md`] = front(`章${k}`) + filler + `\n\n## 标题${k}号\n\n` + han(70, k) + '。\n\n' + han(70, k + 1) + '。\n';
    }
    const pdf = await printBook(chapters);
    const pages = await pdfGlyphs(pdf);
    let moved = 0;
    let stayed = 0;
    for (let k = 0; k < 8; k++) {
      const title = `标题${k}号`;
      // The last page that shows it: the contents list it too.
      const at = pages.findLastIndex((p) => linesOf(p).some((l) => l.map((g) => g.char).join('').includes(title)));
      assert.ok(at >= 0, `${title} is printed`);
      const lines = linesOf(pages[at]!).filter((l) => !l.some((g) => g.em < 9)); // not the running head or folio
      const i = lines.findIndex((l) => l.map((g) => g.char).join('').includes(title));
      const after = lines.slice(i + 1).filter((l) => Math.abs(l[0]!.em - BODY_EM) < 0.05);
      assert.ok(after.length >= 2, `${title}: ${after.length} line(s) of its section follow it on its page`);
      if (i === 0) moved++;
      else stayed++;
    }
    // The fixture spans the foot of the page: some headings fit with their lines, some had to move.
    assert.ok(moved >= 1 && stayed >= 1, `headings moved to the next page: ${moved}, kept on the first: ${stayed}`);
  });

  test('no paragraph ends with a line of one character (孤字), whether it ends with a stop, a marker or a quotation mark', async () => {
    // 37 characters fill an indented first line and 39 a full one (145 mm of 10.5pt type): one more
    // would be alone on the last line. The paragraphs are cut at those lengths, with different endings.
    const endings = ['。', '”。', '[^1]。', '。'];
    const body = [
      han(37, 1) + han(1, 5) + endings[0],
      '“' + han(36, 2) + han(1, 6) + endings[1],
      han(37, 3) + han(39, 4) + han(1, 7) + endings[0],
      han(37, 5) + han(1, 8) + endings[2],
      han(36, 6) + '2026' + han(1, 9) + endings[3],
    ];
    const chapter = front('孤字') + body.join('\n\n') + '\n\n[^1]: 注释。\n';
    const pdf = await printBook({ '01-orphans.md': chapter });
    const pages = await pdfGlyphs(pdf);
    const all = pages.flatMap((p) => bodyLines(p));
    for (const text of body.map((b) => b.replace(/\[\^1\]/, '').replace(/[“”。]/g, ''))) {
      assert.ok(all.map((l) => l.text.replace(/[“”。①\s]/g, '')).join('').includes(text), `the paragraph ${text.slice(0, 6)}… is printed whole`);
    }
    for (const line of all) {
      const content = [...line.text].filter((c) => CONTENT.test(c) && c !== '①');
      assert.ok(content.length !== 1, `a line holds one character: "${line.text}"`);
    }
  });
});

describe('no 孤字 in the yearbook chronicle (two columns)', { skip }, () => {
  test('no event text ends with a line of one character', async () => {
    // Events of every length from 10 to 45 characters: whatever the column's measure, some would leave
    // one character (and the stop) on their last line.
    const events = Array.from({ length: 36 }, (_, i) => `  - date: 2025-03-${String((i % 28) + 1).padStart(2, '0')}\n    text: ${han(10 + i, i)}。`);
    const project = tempProject();
    const id = writeBook(project, { kind: 'yearbook', chapters: { '01-chronicle.md': front('大事记') + '::chronicle{src="data/chronicle.yaml"}\n' }, extraYaml: 'page: { rectoChapters: false }' });
    project.write(`manuscripts/${id}/data/chronicle.yaml`, `year: 2025\nevents:\n${events.join('\n')}\n`);
    const result = await buildAll({ project, format: 'pdf', browser });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const pages = await pdfGlyphs(join(project.out, id, 'zh', `${id}-zh.pdf`));
    const alphabet = new Set('数据网络安全治理发展创新基础设施经济社会政府服务平台。');
    // A row of glyphs holds a line of each column: cut it where the gap between glyphs is a column gap.
    const columnsOf = (line: Glyph[]) => line.reduce<Glyph[][]>((runs, g, i) => {
      if (i === 0 || g.x - line[i - 1]!.x > 3 * g.em) runs.push([]);
      runs[runs.length - 1]!.push(g);
      return runs;
    }, []);
    const lines = pages.flatMap((p) => linesOf(p).flatMap(columnsOf).map((l) => l.map((g) => g.char).join('').replace(/^\d+日/, ''))).filter((t) => t.length > 0 && [...t].every((c) => alphabet.has(c)));
    assert.ok(lines.length >= 36, `${lines.length} lines of event text read back`);
    for (const text of lines) assert.ok([...text].filter((c) => c !== '。').length !== 1, `a line holds one character: "${text}"`);
  });
});

describe('page-bottom notes (页下注)', { skip }, () => {
  const NAMES = ['甲', '乙', '丙', '丁', '戊', '己'];
  // Eighteen paragraphs of about five lines (three pages); notes in paragraphs 1, 3, 8, 9, 14 and 15.
  const withNotes = [1, 3, 8, 9, 14, 15];
  const chapter =
    front('注释') +
    Array.from({ length: 18 }, (_, i) => {
      const k = withNotes.indexOf(i);
      return han(100, i) + (k >= 0 ? `标记${NAMES[k]}[^n${k}]。` : '。') + han(90, i + 3) + '。';
    }).join('\n\n') +
    '\n\n' +
    NAMES.map((name, k) => `[^n${k}]: ${name}注：这是第${k + 1}条注释的文字，说明正文中的相关概念。`).join('\n') +
    '\n';

  test('each note is printed at the foot of the page of its marker, numbered from ① on every page; the marker precedes the stop', async () => {
    const pdf = await printBook({ '01-notes.md': chapter });
    const texts = pageTexts(pdf).map((t) => t.replace(/\s+/g, ''));
    const pages = await pdfGlyphs(pdf);
    const pagesWithNotes = new Set<number>();
    for (const name of NAMES) {
      const at = texts.findIndex((t) => t.includes(`标记${name}`));
      assert.ok(at >= 0, `marker ${name} is printed`);
      // 第24位①。: the marker comes before the closing stop.
      const marker = new RegExp(`标记${name}([①-⑳])。`).exec(texts[at]!)?.[1];
      assert.ok(marker, `marker ${name} is a circled number before the stop: ${texts[at]!.slice(texts[at]!.indexOf(`标记${name}`), texts[at]!.indexOf(`标记${name}`) + 6)}`);
      const note = new RegExp(`([①-⑳])${name}注：`).exec(texts[at]!)?.[1];
      assert.equal(note, marker, `note ${name} is on the page of its marker (page ${at + 1}) with the same number`);
      pagesWithNotes.add(at);
    }
    assert.ok(pagesWithNotes.size >= 2, `notes fall on ${pagesWithNotes.size} page(s): the fixture spans pages`);
    // Numbering restarts on each page: the notes of a page are ①, ②, … in order.
    for (const at of pagesWithNotes) {
      const numbers = [...texts[at]!.matchAll(/([①-⑳])[甲乙丙丁戊己]注：/g)].map((m) => m[1]!.codePointAt(0)! - 0x2460 + 1);
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `page ${at + 1}: notes numbered ${numbers.join(' ')}`);
    }
    assert.ok(!texts.some((t) => /^注释$/m.test(t) || t.includes('注释甲注')), 'no notes at the end of the chapter');
  });

  test('every note sits at the foot of its page, below the text, and none falls back', async () => {
    const project = tempProject();
    writeBook(project, { chapters: { '01-notes.md': chapter }, extraYaml: 'page: { rectoChapters: false }' });
    const result = await buildAll({ project, format: 'pdf', browser });
    assert.deepEqual(result.diagnostics.filter((d) => d.ruleId === 'pdf-page-note-moved').map((d) => d.message), []);
    const pdf = join(project.out, 'test-book', 'zh', 'test-book-zh.pdf');
    const pages = await pdfGlyphs(pdf);
    const texts = pageTexts(pdf).map((t) => t.replace(/\s+/g, ''));
    for (const name of NAMES) {
      const at = texts.findIndex((t) => t.includes(`${name}注`));
      const lines = linesOf(pages[at]!.filter((g) => g.em > 8 && g.em < 12)).map((l) => ({ y: l[0]!.y, text: l.map((g) => g.char).join('') }));
      const noteLine = lines.find((l) => l.text.includes(`${name}注`))!;
      const body = lines.filter((l) => /\p{Script=Han}{6}/u.test(l.text) && !/注：|注释的文字|相关概念/.test(l.text));
      assert.ok(body.length > 0 && body.every((l) => l.y > noteLine.y), `note ${name} is below the text of its page`);
    }
  });

  test('notes.placement: chapter keeps the notes at the end of the chapter', async () => {
    const pdf = await printBook({ '01-notes.md': chapter }, 'page: { rectoChapters: false }\nnotes: { placement: chapter }');
    const texts = pageTexts(pdf).map((t) => t.replace(/\s+/g, ''));
    const last = texts.findLastIndex((t) => t.includes('甲注'));
    assert.ok(last >= 0 && NAMES.every((name) => texts[last]!.includes(`${name}注`)), 'all notes are printed together');
    assert.ok(texts[last]!.indexOf('注释') >= 0, 'under the notes heading');
    assert.ok(texts.findIndex((t) => t.includes('标记甲')) < last || texts[last]!.indexOf('标记甲') < texts[last]!.indexOf('甲注'), 'after the text');
  });
});
