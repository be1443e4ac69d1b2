/**
 * Issue 15, page-bottom notes (页下注, pipeline/pdf/page-notes.ts): purpose-made books printed through the
 * real pipeline and read back from the PDF (glyph positions with pdfjs-dist, page text with poppler).
 * Every note must be printed at the foot of the page that holds its reference, below that page's text,
 * numbered from ① on each page, exactly once, and `pdf-page-note-moved` must not be reported.
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
/** Body type in the reports (print.css): 10.5pt; notes are set at 0.85em of it. */
const BODY_EM = 10.5;
const NOTE_EM = BODY_EM * 0.85;
/** Han text of `n` characters without the character 注 (which marks note text in these fixtures). */
const han = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => '数据网络安全治理发展创新基础设施经济社会政府服务平台'[(i * 7 + seed) % 26]).join('');
/** Names of the notes: each reference is printed as 标记<name>①, its note starts with <name>注：. */
const NAMES = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'.split('');
const ref = (k: number) => `标记${NAMES[k]}[^n${k}]`;
const note = (k: number, text = `这是第${k + 1}条注释的文字，说明正文中的相关概念。`) => `[^n${k}]: ${NAMES[k]}注：${text}`;

let browser: BrowserSession;
before(() => {
  browser = createBrowserSession();
});
after(async () => {
  await browser?.close();
});

interface Printed {
  pdf: string;
  /** Rule ids of every diagnostic the build reported (info too: a note that fell back is an info). */
  rules: string[];
  pages: Glyph[][];
  /** Each page's text with white space removed (pdftotext). */
  texts: string[];
}

async function printBook(chapters: Record<string, string>, options: { extraYaml?: string; kind?: 'report' | 'yearbook' } = {}): Promise<Printed> {
  const project = tempProject();
  writeBook(project, { chapters, kind: options.kind, extraYaml: options.extraYaml ?? 'page: { rectoChapters: false }' });
  const result = await buildAll({ project, format: 'pdf', browser });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);
  assert.deepEqual(errors, []);
  const pdf = join(project.out, 'test-book', 'zh', 'test-book-zh.pdf');
  const texts = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f').map((t) => t.replace(/\s+/g, ''));
  return { pdf, rules: result.diagnostics.map((d) => d.ruleId), pages: await pdfGlyphs(pdf), texts };
}

const lineText = (line: readonly Glyph[]) => line.map((g) => g.char).join('');

/** The lines of a page in body type that hold text of the fixture (not notes, not running heads). */
function bodyLines(page: readonly Glyph[]) {
  return linesOf(page.filter((g) => Math.abs(g.em - BODY_EM) < 0.05))
    .map((l) => ({ y: l[0]!.y, text: lineText(l) }))
    .filter((l) => /\p{Script=Han}{4}/u.test(l.text) && !l.text.includes('注'));
}

/** The lines of a page in note type, top to bottom. */
function noteLines(page: readonly Glyph[]) {
  return linesOf(page.filter((g) => Math.abs(g.em - NOTE_EM) < 0.05)).map((l) => ({ y: l[0]!.y, x: l[0]!.x, text: lineText(l) }));
}

/**
 * Every reference `0 … count-1`: its note is printed once, on the page of its marker, with the same
 * number, below every body line of that page; on each page the notes are numbered ①, ②, … in order.
 * Returns the page (0-based) of each note.
 */
function assertAtFoot(printed: Printed, count: number): number[] {
  const { pages, texts } = printed;
  const at: number[] = [];
  for (let k = 0; k < count; k++) {
    const name = NAMES[k]!;
    const markerPages = texts.flatMap((t, i) => (t.includes(`标记${name}`) ? [i] : []));
    assert.equal(markerPages.length, 1, `reference ${name} is printed once (pages ${markerPages.map((p) => p + 1)})`);
    const page = markerPages[0]!;
    const marker = new RegExp(`标记${name}([①-⑳])`).exec(texts[page]!)?.[1];
    assert.ok(marker, `reference ${name} carries a circled number`);
    const notePages = texts.flatMap((t, i) => (t.includes(`${name}注：`) ? [i] : []));
    assert.deepEqual(notePages, [page], `note ${name} is printed once, on the page of its reference (page ${page + 1})`);
    assert.equal(new RegExp(`([①-⑳])${name}注：`).exec(texts[page]!)?.[1], marker, `note ${name} has its reference's number ${marker}`);
    const line = noteLines(pages[page]!).find((l) => l.text.includes(`${name}注`));
    assert.ok(line, `note ${name} is set in note type`);
    const body = bodyLines(pages[page]!);
    assert.ok(body.length > 0 && body.every((b) => b.y > line.y), `note ${name} (y ${line.y}) is below the text of page ${page + 1} (lowest body line y ${Math.min(...body.map((b) => b.y))})`);
    at.push(page);
  }
  for (const page of new Set(at)) {
    const numbers = [...texts[page]!.matchAll(/([①-⑳])[^①-⑳]注：/g)].map((m) => m[1]!.codePointAt(0)! - 0x2460 + 1);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `page ${page + 1}: notes numbered from ① (${numbers.join(' ')})`);
  }
  assert.ok(!printed.rules.includes('pdf-page-note-moved'), `no note fell back: ${printed.rules.join(', ')}`);
  return at;
}

describe('page-bottom notes on purpose-made pages', { skip }, () => {
  test('several notes on one page: all at its foot, ① ② ③ ④ in the order of their references, each marker before the stop', async () => {
    const chapter = `---\ntitle: 多注\n---\n\n` + [0, 1, 2, 3].map((k) => han(60, k) + ref(k) + '。' + han(40, k + 5) + '。').join('\n\n') + '\n\n' + [0, 1, 2, 3].map((k) => note(k)).join('\n') + '\n';
    const printed = await printBook({ '01-many.md': chapter });
    const at = assertAtFoot(printed, 4);
    assert.equal(new Set(at).size, 1, 'the four notes share a page');
    assert.match(printed.texts[at[0]!]!, /标记甲①。[^]*标记乙②。[^]*标记丙③。[^]*标记丁④。/);
  });

  test('a reference in the last lines of a page: its note is on that page, the text above shortens or the line moves on with its note', async () => {
    // One chapter per case (each starts a page): a reference after 17 to 26 lines of text, so that some
    // land on the last lines of the chapter's first page (25 lines under its opening) and some
    // would be covered by their note. An indented first line holds 37 characters, a full line 39.
    const chapters: Record<string, string> = {};
    const count = 10;
    const lines = (n: number, seed: number) => (n === 0 ? '' : han(37 + 39 * (n - 1), seed));
    for (let k = 0; k < count; k++) {
      const total = 17 + k;
      const paragraphs = Array.from({ length: Math.floor(total / 5) }, (_, i) => lines(5, i + k));
      const lead = lines(total % 5, k) + han(20, k + 1);
      chapters[`${String(k).padStart(2, '0')}-edge-${"abcdefghij"[k]}.md`] = `---\ntitle: 页末${k + 1}\n---\n\n${paragraphs.join('\n\n')}\n\n${lead}${ref(k)}。${han(120, k + 2)}。\n\n${note(k, `${han(30, k)}，${han(40, k + 1)}。`)}\n`;
    }
    const printed = await printBook(chapters);
    const at = assertAtFoot(printed, count);
    // The sweep reaches the page's end: some reference is on the last body line of its page.
    const onLastLine = at.filter((page, k) => {
      const lines = bodyLines(printed.pages[page]!);
      return lines.length > 0 && lines.reduce((a, b) => (b.y < a.y ? b : a)).text.includes(`标记${NAMES[k]}`);
    });
    assert.ok(onLastLine.length > 0, 'at least one reference is on the last line of its page');
  });

  test('a note too long for the room under its reference continues at the foot of the next page, without a number there', async () => {
    // The reference sits on the 20th of the 25 lines of the chapter's first page; its note takes about
    // ten lines of note type (seven of body type).
    const long = Array.from({ length: 9 }, (_, i) => han(45, i)).join('，') + '。末句';
    const chapter = `---\ntitle: 长注\n---\n\n` + Array.from({ length: 3 }, (_, i) => han(37 + 39 * 4, i)).join('\n\n') + '\n\n' + han(37 + 39 * 3 + 20, 9) + ref(0) + '。' + han(300, 3) + '。\n\n' + han(200, 4) + '。\n\n' + note(0, long) + '\n';
    const printed = await printBook({ '01-long.md': chapter });
    const [page] = assertAtFoot(printed, 1);
    const next = noteLines(printed.pages[page! + 1]!);
    const cont = next.findIndex((l) => l.text.includes('末句'));
    if (!printed.texts[page!]!.includes('末句')) {
      assert.ok(cont >= 0, 'the rest of the note is on the next page');
      const first = next[0]!;
      assert.ok(!/[①-⑳]/.test(first.text), `the continuation has no number: ${first.text.slice(0, 8)}`);
      const body = bodyLines(printed.pages[page! + 1]!);
      assert.ok(body.every((b) => b.y > first.y), 'the continuation is at the foot of the next page, below its text');
      assert.equal(printed.texts.filter((t) => t.includes('末句')).length, 1, 'the note is printed once');
    } else {
      assert.fail('the fixture did not need a continued note: its reference was not low enough on its page');
    }
  });

  test('a long list after a note starts on the note\'s page and is split between items, an ordered list numbered on', async () => {
    // A reference near the top of the chapter's first page, then 40 one-line items: the list reaches
    // past the page's foot. Before, the note area went before the whole list, which left the page empty
    // under two lines of text.
    const items = Array.from({ length: 40 }, (_, i) => `${i + 1}. 条目${han(16, i)}`).join('\n');
    const chapter = `---\ntitle: 列表\n---\n\n${han(60, 1)}${ref(0)}。${han(30, 2)}。\n\n${items}\n\n${note(0)}\n`;
    const printed = await printBook({ '01-list.md': chapter });
    const [page] = assertAtFoot(printed, 1);
    const itemsOn = (p: number) => [...printed.texts[p]!.matchAll(/(\d+)\.条目/g)].map((m) => Number(m[1]));
    const here = itemsOn(page!);
    assert.ok(here.length >= 10, `the list starts on the note's page: items ${here.join(' ')}`);
    const next = itemsOn(page! + 1);
    assert.deepEqual([...here, ...next.filter((n) => !here.includes(n))].slice(0, 40), Array.from({ length: Math.min(40, here.length + next.length) }, (_, i) => i + 1), 'numbered on across the split');
    assert.equal(next[0], here[here.length - 1]! + 1, 'the rest counts on from the first part');
  });

  test('notes of references in a table cell and in a box are at the foot of their page', async () => {
    const table = [':::table[带注的表]{#tab-notes}', '| 项目 | 数值 |', '|---|---|', `| 平台${ref(0)} | 12 |`, '| 服务 | 30 |', ':::'].join('\n');
    const box = [':::box[带注的专栏]', `${han(80, 2)}${ref(1)}。${han(60, 3)}。`, ':::'].join('\n');
    const chapter = `---\ntitle: 表注\n---\n\n${han(200, 1)}。\n\n${table}\n\n${han(300, 4)}。\n\n${box}\n\n${han(300, 5)}。\n\n${note(0)}\n${note(1)}\n`;
    const printed = await printBook({ '01-table.md': chapter });
    assertAtFoot(printed, 2);
  });

  test('a part set in two columns (yearbook entries) keeps its notes at its end, without a fallback warning', async () => {
    const entry = (k: number) => `:::entry[条目${k + 1}]{#entry-${k}}\n${han(120, k)}${ref(k)}。${han(80, k + 1)}。\n:::`;
    const chapter = `---\ntitle: 条目\n---\n\n## 分目 {#sec-a}\n\n${[0, 1, 2].map(entry).join('\n\n')}\n\n${[0, 1, 2].map((k) => note(k)).join('\n')}\n`;
    const printed = await printBook({ '01-entries.md': chapter }, { kind: 'yearbook', extraYaml: 'page: { rectoChapters: false }\nnotes: { placement: page }' });
    const last = printed.texts.findLastIndex((t) => t.includes('甲注'));
    assert.ok(last >= 0 && [0, 1, 2].every((k) => printed.texts[last]!.includes(`${NAMES[k]}注`)), 'the notes are printed together');
    assert.ok(printed.texts[last]!.indexOf('丙注') > printed.texts[last]!.indexOf('标记丙') || printed.texts.findIndex((t) => t.includes('标记丙')) < last, 'after the text');
    assert.ok(!printed.rules.includes('pdf-page-note-moved'), `no fallback reported: ${printed.rules.join(', ')}`);
  });
});
