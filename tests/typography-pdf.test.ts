/**
 * Line-level typography (issue 16), checked in printed PDFs: glyph positions read with pdfjs-dist
 * (tests/pdf-glyphs.ts) and line text from poppler's pdftotext. One small book per script, printed by one
 * shared browser.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pdfSkip, repoRoot, tempProject, writeBook, type TempProject } from './helpers.ts';
import { own } from './apparatus-helpers.ts';
import { linesOf, pdfGlyphs, type Glyph } from './pdf-glyphs.ts';

const skip = pdfSkip();
const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;

/** Text lines of the PDF's body pages, spaces removed (pdftotext puts spaces between Han and digits). */
function pdfLines(pdf: string): string[] {
  return execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })
    .split(/\n|\f/)
    .map((l) => l.replace(/\s+/g, ''))
    .filter((l) => l.length > 0);
}

/** Whether `token` is cut between the end of one line and the start of the next. */
function splitAcrossLines(lines: readonly string[], token: string): string | undefined {
  for (let i = 0; i + 1 < lines.length; i++) {
    for (let k = 1; k < token.length; k++) {
      if (lines[i]!.endsWith(token.slice(0, k)) && lines[i + 1]!.startsWith(token.slice(k))) return `${lines[i]} / ${lines[i + 1]}`;
    }
  }
  return undefined;
}

// Forty paragraphs, each moving the phrases one character further along the line, so that in some of
// them the line would end inside 表1-1, 第22位 or before the middle dot.
const shifting = Array.from({ length: 40 }, (_, k) => '文'.repeat(24 + k) + '，见表1-1，排名第22位，整治人工智能·算法推荐乱象。').join('\n\n');
// Short words in a table too wide for its columns: every cell has to wrap.
const WORDS = ['综合权重', '区域类型', '资源富集', '正向指标', '治理体系', '算力规模', '数据要素', '网络安全'];
// Six columns: narrow enough for the text block, too narrow for a cell of three words on one line.
const row = (shift: number) => `| ${Array.from({ length: 6 }, (_, c) => WORDS[(c + shift) % 8] + WORDS[(c + shift + 3) % 8] + WORDS[(c + shift + 5) % 8]).join(' | ')} |`;
const table = ['| ' + WORDS.slice(0, 6).join(' | ') + ' |', '|' + '---|'.repeat(6), row(0), row(1), row(2)].join('\n');
/** How many times a word is written in the table's Markdown. */
const inTable = (word: string) => table.split(word).length - 1;

const zhChapter =
  front('排版') +
  '在某年（2024年），“引号”，再看‘内引’。《报告》（《全文》）。World’s best “quote” here.\n\n' +
  table +
  '\n\n' +
  shifting +
  '\n';

// One browser prints every book of this file.
let browser: BrowserSession;
before(() => {
  if (!skip) browser = createBrowserSession();
});
after(async () => {
  await browser?.close();
});

describe('Chinese line typography in the PDF', { skip }, () => {
  let project: TempProject;
  let result: BuildResult;
  let glyphs: Glyph[][];
  let lines: string[];

  before(async () => {
    project = tempProject();
    writeBook(project, { chapters: { '01-typo.md': zhChapter } });
    result = await buildAll({ project, format: 'all', browser });
    const pdf = join(project.out, 'test-book', 'zh', 'test-book-zh.pdf');
    glyphs = await pdfGlyphs(pdf);
    lines = pdfLines(pdf);
  });

  test('builds without problems', () => {
    assert.equal(result.ok, true);
    assert.deepEqual(own(result), []);
  });

  /**
   * The glyphs of the first line that contains `text`, from its first character on (one more than the
   * text), and the justification: the space added after each character of that line, in ems, measured
   * between two Han characters (each is one em wide).
   */
  const find = (text: string): { g: Glyph[]; stretch: number } => {
    for (const page of glyphs) {
      for (const line of linesOf(page)) {
        const s = line.map((g) => g.char).join('');
        const at = s.indexOf(text);
        if (at < 0) continue;
        const han = line.findIndex((g, i) => /\p{Script=Han}/u.test(g.char) && /\p{Script=Han}/u.test(line[i + 1]?.char ?? ''));
        const stretch = han >= 0 ? (line[han + 1]!.x - line[han]!.x) / line[han]!.em - 1 : 0;
        return { g: line.slice(at, at + text.length + 1), stretch };
      }
    }
    throw new Error(`"${text}" is not printed on one line`);
  };
  /** Advance from the first glyph over `n` glyphs, in ems, without the justification's added space. */
  const width = ({ g, stretch }: { g: Glyph[]; stretch: number }, n: number) => (g[n]!.x - g[0]!.x) / g[0]!.em - n * stretch;

  test('two adjacent full-width marks share one em of white: the pair advances one and a half em', () => {
    // ）， then “: each of ）and ，gives up its empty right half.
    const close = find('），“');
    assert.ok(Math.abs(width(close, 2) - 1.0) < 0.06, `），takes ${width(close, 2).toFixed(2)} em, expected 1.0`);
    const quote = find('”，');
    assert.ok(Math.abs(width(quote, 2) - 1.5) < 0.06, `”，takes ${width(quote, 2).toFixed(2)} em, expected 1.5`);
    // An opening mark after an opening mark gives up its empty left half: 》（《 is 0.5 + 1 − 0.5.
    const open = find('》（《');
    assert.ok(Math.abs(width(open, 3) - 2.0) < 0.06, `》（《 takes ${width(open, 3).toFixed(2)} em, expected 2.0`);
    // A mark before a Han character keeps its full em: ，再.
    const single = find('，再');
    assert.ok(Math.abs(width(single, 1) - 1.0) < 0.06, `，before 再 takes ${width(single, 1).toFixed(2)} em`);
  });

  test('inner quotes ‘’ are full-width CJK glyphs; quotes and apostrophes in Latin text are Latin', () => {
    const inner = find('‘内引’');
    assert.ok(Math.abs(width(inner, 1) - 1.0) < 0.06, `‘ advances ${width(inner, 1).toFixed(2)} em`);
    const a = find('World’s').g[5]!;
    assert.equal(a.char, '’');
    assert.ok(a.advance / a.em < 0.45, `the apostrophe in World’s advances ${(a.advance / a.em).toFixed(2)} em`);
    const latin = find('“quote”').g;
    assert.ok(latin[0]!.advance / latin[0]!.em < 0.6, 'the Latin opening quote is proportional');
  });

  test('no line starts with a middle dot; 表1-1 and 第22位 are never split', () => {
    assert.ok(lines.filter((l) => l.startsWith('文文')).length >= 40, 'the shifting paragraphs wrap');
    assert.deepEqual(lines.filter((l) => l.startsWith('·')), []);
    assert.equal(splitAcrossLines(lines, '表1-1'), undefined);
    assert.equal(splitAcrossLines(lines, '第22位'), undefined);
  });

  test('table cells wrap between words, never inside a word of four characters', () => {
    // Every time a word is written in the table, it is printed whole on one line.
    for (const word of WORDS) {
      const whole = lines.reduce((n, l) => n + l.split(word).length - 1, 0);
      assert.equal(whole, inTable(word), `${word} is printed whole ${whole} times of ${inTable(word)}`);
    }
    // The cells did wrap: each holds three words, and no printed line holds a cell's three words.
    assert.ok(!lines.some((l) => l.includes(WORDS[0]! + WORDS[3]! + WORDS[5]!)), 'cells wrap');
  });

  test('print.html marks the pairs and the no-break runs', () => {
    const html = readFileSync(join(project.out, 'test-book', 'zh', 'print.html'), 'utf8');
    assert.match(html, /<span class="cjk-half-end">）<\/span><span class="cjk-half-end">，<\/span>“/);
    assert.match(html, /World<span class="latin-punct">’<\/span>s/);
    assert.match(html, /<span class="nobreak">第22位<\/span>/);
  });
});

// Long words in justified lines; the author typed straight quotes, double hyphens and a space before a citation.
const enParagraph =
  'The internationalization of telecommunications infrastructure requires interoperability, accountability and ' +
  'transparency among administrations, manufacturers and intergovernmental organizations; "multistakeholder" ' +
  "governance isn't a slogan -- it's a commitment that characterizes responsible institutions everywhere. ";
const enChapter = front('Typography') + Array.from({ length: 8 }, () => enParagraph).join('\n\n') + '\n\nA disadvantage :cite[ref-a].\n';
const references = ['- id: ref-a', '  type: report', '  title: "A Report on Networks"', '  author: [{family: Smith, given: Anne}]', '  issued: {date-parts: [[2024]]}', ''].join('\n');

describe('English line typography in the PDF', { skip }, () => {
  let project: TempProject;
  let result: BuildResult;
  let text: string;
  let html: string;
  let glyphs: Glyph[][];

  before(async () => {
    project = tempProject();
    writeBook(project, { edition: 'en', chapters: { '01-typo.md': enChapter } });
    project.write('manuscripts/test-book/references.yaml', references);
    result = await buildAll({ project, format: 'all', browser });
    const pdf = join(project.out, 'test-book', 'en', 'test-book-en.pdf');
    // The text layer keeps every soft hyphen, printed or not: they are left out of the text compared.
    text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\u00AD/g, '').replace(/\s+/g, ' ');
    glyphs = await pdfGlyphs(pdf);
    html = readFileSync(join(project.out, 'test-book', 'en', 'print.html'), 'utf8');
  });

  test('builds without problems', () => {
    assert.equal(result.ok, true);
    assert.deepEqual(own(result), []);
  });

  test('justified lines end in soft hyphens inside words', () => {
    assert.ok(html.includes('in\u00ADter\u00ADna\u00ADtion\u00ADal\u00ADiza\u00ADtion'), 'print.html carries soft hyphens');
    // The source has no hyphen at all, so a printed line ending in one was hyphenated by the build.
    const printed = glyphs.flatMap((page) => linesOf(page.filter((g) => g.char !== '\u00AD' && g.char.trim() !== '')));
    const hyphenated = printed.filter((l) => l.length > 20 && /\p{L}/u.test(l.at(-2)!.char) && /^[-\u2010]$/.test(l.at(-1)!.char));
    assert.ok(hyphenated.length >= 3, `${hyphenated.length} hyphenated line ends`);
  });

  test('no straight quotes in the prose; dashes are typographic; no space before the citation marker', () => {
    assert.ok(!/["']/.test(text), 'no straight quote in the PDF text');
    assert.match(text, /\u201Cmultistakeholder\u201D/);
    assert.match(text, /isn\u2019t a slogan \u2013 it\u2019s/);
    // The marker is glued to the word's last character by a no-break span (rehype-note-markers.ts).
    assert.match(html.replace(/\u00AD/g, '').replace(/<span class="nobreak">/g, ''), /disadvantage<a class="citation"/);
  });
});

// The methodology's generated sentences (locale strings with `$…$`) and the author's own inline math.
const mathChapter =
  front('方法') +
  '各国综合得分为加权平均，其中 $s_{ij}$ 为国家 $j$ 在指标 $i$ 上的标准化得分，$w_i$ 为权重。\n\n' +
  '::methodology{framework=mini}\n\n' +
  // A numeric column whose values differ in decimals and suffix.
  '| 项目 | 数值 |\n|---|---:|\n| 甲项 | 1079 |\n| 乙项 | 78.6 |\n| 丙项 | 5.25% |\n| 丁项 | — |\n';

describe('inline math and decimal alignment in the PDF', { skip }, () => {
  let project: TempProject;
  let result: BuildResult;
  let html: string;
  let lines: string[];
  let glyphs: Glyph[][];

  before(async () => {
    project = { ...tempProject(), indicators: join(repoRoot, 'tests/fixtures/indicators/mini') };
    writeBook(project, { chapters: { '01-math.md': mathChapter } });
    result = await buildAll({ project, format: 'pdf', browser });
    html = readFileSync(join(project.out, 'test-book', 'zh', 'print.html'), 'utf8');
    lines = pdfLines(join(project.out, 'test-book', 'zh', 'test-book-zh.pdf'));
    glyphs = await pdfGlyphs(join(project.out, 'test-book', 'zh', 'test-book-zh.pdf'));
  });

  /** The printed glyphs of the line that starts with `label` (spaces left out). */
  const glyphLine = (label: string): Glyph[] => {
    for (const page of glyphs) {
      for (const line of linesOf(page)) {
        const kept = line.filter((g) => g.char.trim() !== '');
        if (kept.map((g) => g.char).join('').startsWith(label)) return kept;
      }
    }
    throw new Error(`no printed line starts with ${label}`);
  };

  test('builds without problems', () => {
    assert.equal(result.ok, true);
    assert.deepEqual(own(result), []);
  });

  test('print.html sets the generated formulas with KaTeX, as the author\'s inline math', () => {
    const paragraph = (word: string) => html.slice(html.lastIndexOf('<p', html.indexOf(word)), html.indexOf('</p>', html.indexOf(word)));
    const minmax = paragraph('极差标准化');
    assert.equal((minmax.match(/<span class="math-inline"><span class="katex">/g) ?? []).length, 4, 'the formula, min, max and 100 − s');
    assert.match(minmax, /<annotation encoding="application\/x-tex">s = 100 \\times \(x - \\mathrm\{min\}\) \/ \(\\mathrm\{max\} - \\mathrm\{min\}\)<\/annotation>/);
    assert.match(paragraph('加权算术平均'), /<annotation encoding="application\/x-tex">S = \\sum_i w_i s_i \/ \\sum_i w_i<\/annotation>/);
    assert.equal((paragraph('标准化得分').match(/class="katex"/g) ?? []).length, 4, 'the author\'s $…$');
    // Nothing of the text stages inside a formula: no punctuation spans, no no-break runs.
    for (const formula of minmax.split('<span class="math-inline">').slice(1)) assert.ok(!/cjk-half|nobreak|latin-punct/.test(formula.slice(0, formula.indexOf('</math>'))));
    // The comma before a formula is not compressed as if it stood next to the comma after it.
    assert.match(minmax, /极差标准化，<span class="math-inline">/);
  });

  test('numbers of a numeric column stand on one decimal point; the invisible tail shapes are not printed', () => {
    const cells = Object.fromEntries(['甲项', '乙项', '丙项'].map((label) => [label, glyphLine(label)]));
    /** x of the decimal point, or where it would be: the right edge of the integer's last digit. */
    const point = (glyphs: Glyph[]) => {
      const dot = glyphs.findIndex((g) => g.char === '.');
      if (dot >= 0) return glyphs[dot]!.x;
      const last = glyphs.findLast((g) => /\d/.test(g.char))!;
      return last.x + last.advance;
    };
    const xs = Object.values(cells).map((g) => point(g.slice(2)));
    assert.ok(Math.max(...xs) - Math.min(...xs) < 0.1, `decimal points at ${xs.map((x) => x.toFixed(2)).join(', ')} pt`);
    assert.deepEqual(Object.values(cells).map((g) => g.slice(2).map((c) => c.char).join('')), ['1079', '78.6', '5.25%']);
    const row = (label: string) => html.slice(html.indexOf(`>${label}<`), html.indexOf('</tr>', html.indexOf(`>${label}<`)));
    assert.match(row('乙项'), /<td align="right" class="num decimal">78<span class="decimal-tail"><span>\.6<\/span><span class="decimal-ghost" aria-hidden="true" data-pagefind-ignore="all">\.00%<\/span><\/span><\/td>/);
  });

  test('the printed formula has Latin brackets and the minus sign, no full-width brackets', () => {
    const line = lines.find((l) => l.includes('100×(x−min)'));
    assert.ok(line, `a printed line holds 100×(x−min): ${lines.filter((l) => l.includes('100')).join(' | ')}`);
    const formula = line.slice(line.indexOf('s=100×'), line.indexOf('(max−min)') + '(max−min)'.length);
    assert.equal(formula, 's=100×(x−min)/(max−min)');
    assert.ok(!lines.some((l) => /[（）]\s*(x|max)\s*−/.test(l)), 'no full-width bracket around a formula');
  });
});

/** The font of each printed character of `text` (its first occurrence on one line), e.g. LXGWWenKai-Regular. */
function fontsOf(glyphs: readonly Glyph[][], text: string): string[] {
  for (const page of glyphs) {
    for (const line of linesOf(page)) {
      const s = line.map((g) => g.char).join('');
      const at = s.indexOf(text);
      if (at >= 0) return line.slice(at, at + [...text].length).map((g) => g.font ?? '?');
    }
  }
  throw new Error(`"${text}" is not printed on one line`);
}

/** The family of a PostScript name: NotoSerifSCExtraLight-Regular → NotoSerifSC (the variable fonts name their lightest instance). */
const familyOf = (font: string) => font.split('-')[0]!.replace(/(Thin|ExtraLight)$/, '');

// A box with a character the Kai face lacks and the serif face has (鿰, U+9FF0, of Unicode 14: WenKai has
// every GB 2312 hanzi the Noto Serif SC slices have; 燬 of the zh-Hant sample text), which must come from
// the serif face, not be missing; a quotation and a signature.
const kaiChapter = (hant: boolean) =>
  front(hant ? '楷體' : '楷体') +
  (hant ? '正文段落見:ref[box-kai]。\n\n' : '正文段落见:ref[box-kai]。\n\n') +
  (hant ? ':::box[專欄標題]{#box-kai}\n專欄正文用楷體，燬字另取。\n:::\n\n' : ':::box[专栏标题]{#box-kai}\n专栏正文用楷体，鿰字另取。\n:::\n\n') +
  (hant ? '> 引文一段用楷體。\n\n' : '> 引文一段用楷体。\n\n') +
  (hant ? ':::signature\n某某研究院\n\n二〇二六年六月\n:::\n' : ':::signature\n某某研究院\n\n二〇二六年六月\n:::\n');

for (const [edition, lang, kai, serif] of [
  ['zh', 'zh-CN', 'LXGWWenKai', 'NotoSerifSC'],
  ['zh-Hant', 'zh-TW', 'LXGWWenKaiTC', 'NotoSerifTC'],
] as const) {
  describe(`the Kai voice in the ${edition} PDF`, { skip }, () => {
    let result: BuildResult;
    let glyphs: Glyph[][];
    let text: string;
    let fonts: string;
    const hant = edition === 'zh-Hant';

    before(async () => {
      const project = tempProject();
      writeBook(project, { edition, lang, chapters: { '01-kai.md': kaiChapter(hant) } });
      result = await buildAll({ project, format: 'pdf', browser });
      const pdf = join(project.out, 'test-book', edition, `test-book-${edition}.pdf`);
      glyphs = await pdfGlyphs(pdf);
      text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    });

    test('builds without problems', () => {
      assert.equal(result.ok, true);
      assert.deepEqual(own(result), []);
    });

    test('boxes, quotations and signatures are set in the Kai face, embedded; the rest keeps its faces', () => {
      assert.match(fonts, new RegExp(`\\+${kai}-Regular +CID TrueType +Identity-H +yes +yes +yes`), 'the Kai face is embedded as a subset with a ToUnicode map');
      const only = (chars: string, family: string) => {
        const used = fontsOf(glyphs, chars);
        assert.ok(used.every((f) => familyOf(f) === family), `${chars}: ${used.join(' ')}`);
      };
      only(hant ? '專欄正文用楷體' : '专栏正文用楷体', kai);
      only(hant ? '引文一段用楷體' : '引文一段用楷体', kai);
      only('某某研究院', kai);
      only('正文段落', serif);
      only(hant ? '專欄標題' : '专栏标题', hant ? 'NotoSansTC' : 'NotoSansSC');
    });

    test('a character the Kai face lacks is printed in the serif face: no tofu, the text is the source', () => {
      const rare = hant ? '燬' : '鿰';
      assert.deepEqual(fontsOf(glyphs, rare).map(familyOf), [serif]);
      for (const line of hant ? ['專欄正文用楷體，燬字另取。', '引文一段用楷體。', '某某研究院', '二〇二六年六月'] : ['专栏正文用楷体，鿰字另取。', '引文一段用楷体。', '某某研究院', '二〇二六年六月']) {
        assert.ok(text.includes(line), `the PDF text has ${line}`);
      }
    });
  });
}

describe('a four-column prose table fits the text block at full size', { skip }, () => {
  test('China report 表1-1 prints without pdf-wide-element', async () => {
    // The table as the sample book has it: 146 mm wide with pieces of four characters in every cell.
    const source = readFileSync(join(repoRoot, 'manuscripts/china-report-2026/zh/01-overview.md'), 'utf8');
    const start = source.indexOf(':::table[2025年我国互联网发展主要领域进展概览]');
    assert.ok(start >= 0, 'the sample table is there');
    const block = source.slice(start, source.indexOf('\n:::\n', start) + 5);
    const project = tempProject();
    // The sample book's page: 16开 with the default margins, a text block 145 mm wide.
    writeBook(project, { chapters: { '01-table.md': front('概览') + '各领域进展要点见:ref[tab-overview-progress]。\n\n' + block }, extraYaml: 'page:\n  size: 16k\n' });
    const result = await buildAll({ project, format: 'pdf', browser });
    assert.equal(result.ok, true);
    assert.deepEqual(own(result).filter((d) => d.ruleId === 'pdf-wide-element'), []);
    assert.deepEqual(own(result), []);
  });
});
