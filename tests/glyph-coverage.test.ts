/**
 * Which code points an edition's faces draw (pipeline/fonts/glyph-coverage.ts): the ranges the @fontsource
 * packages declare less what their files lack (absent-glyphs.ts, woff2-cmap.ts), or a face's own
 * `unicodeRange` within what its file maps, with KaTeX's faces left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { coverageFor, coverageOf } from '../pipeline/fonts/glyph-coverage.ts';
import { fontSetFor, isPackagedFace, slicesOf, type FontSet } from '../pipeline/fonts/fonts.ts';
import { ABSENT_GLYPHS_FILE, absentGlyphs, formatRanges, parseRanges, recordOfInstalledFonts, subtractRanges } from '../pipeline/fonts/absent-glyphs.ts';
import { mappedRanges } from '../pipeline/fonts/woff2-cmap.ts';
import { inTextPresentation } from '../pipeline/html/rehype-text-presentation.ts';
import { pdfSkip, tempProject, writeBook } from './helpers.ts';

const cp = (s: string) => s.codePointAt(0)!;

test('a face covers what its package declares, or its own unicodeRange within what its file maps', () => {
  const set = (unicodeRange?: string): FontSet => ({
    ...fontSetFor('en'),
    faces: [{ pkg: 'noto-sans-math', family: 'Noto Sans Math', weight: 400, style: 'normal', ...(unicodeRange ? { unicodeRange } : {}) }],
  });
  // The package declares U+0000-00FF among others, and nothing of Malayalam.
  const whole = coverageOf(set());
  assert.ok(whole.covers(cp('A')) && whole.covers(cp('a')));
  assert.ok(!whole.covers(0x0d06));
  // Narrowed to the capitals (and to a range the package lacks, which adds nothing).
  const capitals = coverageOf(set('U+0041-005A,U+0D00-0D7F'));
  assert.ok(capitals.covers(cp('A')) && capitals.covers(cp('Z')));
  assert.ok(!capitals.covers(cp('a')) && !capitals.covers(cp('@')) && !capitals.covers(0x0d06));
  // Outside Unicode: nothing.
  assert.ok(!whole.covers(-1) && !whole.covers(0x110000));
});

test('each script set covers exactly the union over its faces of each slice\'s declared ranges less its absent glyphs (repeated slices skipped)', () => {
  for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
    const set = fontSetFor(script);
    const absent = absentGlyphs();
    const expected = new Uint8Array(0x110000);
    for (const spec of set.faces.filter((f) => isPackagedFace(f) && !f.unicodeRange)) {
      for (const slice of slicesOf({ ...spec, unicodeRange: undefined })) for (const [a, b] of subtractRanges(slice.ranges, absent.of(spec, slice))) expected.fill(1, a, b + 1);
    }
    const coverage = coverageOf(set);
    let differ = 0;
    let count = 0;
    for (let c = 0; c < 0x110000; c++) {
      if (set.faces.some((f) => f.unicodeRange) && !expected[c]) continue; // a face's own range adds to the union (tested above)
      if (coverage.covers(c) !== (expected[c] === 1)) differ++;
      count += expected[c]!;
    }
    assert.equal(differ, 0, script);
    assert.ok(count > 1000, `${script} covers ${count} code points`);
  }
});

test('the script sets: Chinese faces cover hanzi, no face covers Malayalam', () => {
  for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
    const coverage = coverageFor(script);
    assert.ok(coverage.covers(cp('A')) && coverage.covers(cp('∑')), script);
    assert.ok(!coverage.covers(0x0d06), script);
  }
  assert.ok(coverageFor('zh-Hans').covers(cp('国')) && coverageFor('zh-Hant').covers(cp('國')));
});

const has = (ranges: Array<[number, number]>, c: number) => ranges.some(([a, b]) => a <= c && c <= b);

test('a WOFF2 file\'s cmap: the code points it maps, not the ones its CSS declares', () => {
  // Slice 102 of Noto Serif SC declares U+0639 (Arabic ع) in its unicode-range and has no glyph for it.
  const [slice] = slicesOf({ pkg: 'noto-serif-sc', family: 'Noto Serif SC', weight: 400, style: 'normal' }).filter((s) => s.name === 'noto-serif-sc-102-400-normal.woff2');
  assert.ok(slice && has(slice.ranges, 0x0639), 'the CSS declares it');
  const mapped = mappedRanges(readFileSync(slice.file));
  assert.ok(!has(mapped, 0x0639), 'the file lacks it');
  assert.ok(mapped.length > 0 && mapped.every(([a, b], i) => a <= b && (i === 0 || a > mapped[i - 1]![1] + 1)), 'sorted and joined');
  // Noto Sans Math's one file declares Latin only and maps the arrows (↩ U+21A9, the footnote back-link).
  const [math] = slicesOf({ pkg: 'noto-sans-math', family: 'Noto Sans Math', weight: 400, style: 'normal' });
  assert.ok(!has(math!.ranges, 0x21a9) && has(mappedRanges(readFileSync(math!.file)), 0x21a9));
  assert.throws(() => mappedRanges(new Uint8Array(64)), /not a WOFF2 file/);
});

test('range arithmetic of the absent-glyph record', () => {
  assert.deepEqual(subtractRanges([[1, 10], [20, 30]], [[0, 2], [5, 5], [9, 21], [30, 40]]), [[3, 4], [6, 8], [22, 29]]);
  assert.deepEqual(subtractRanges([[1, 3]], []), [[1, 3]]);
  assert.deepEqual(subtractRanges([[1, 3]], [[1, 3]]), []);
  assert.equal(formatRanges([[0x639, 0x639], [0x5d0, 0x5ea]]), '639,5d0-5ea');
  assert.deepEqual(parseRanges('639,5d0-5ea'), [[0x639, 0x639], [0x5d0, 0x5ea]]);
  assert.deepEqual(parseRanges(''), []);
});

test('no script set covers Arabic, Hebrew or emoji, which the CJK slices declare without glyphs; ↩ comes from Noto Sans Math', () => {
  for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
    const coverage = coverageFor(script);
    for (const c of [0x0639, 0x05e2, 0x1f642]) assert.ok(!coverage.covers(c), `${script} U+${c.toString(16)}`);
    assert.ok(coverage.covers(0x21a9), `${script} ↩`);
  }
});

test('the record of absent glyphs matches the installed font files (npm run font-absent-glyphs after a font package changes)', () => {
  const recorded = JSON.parse(readFileSync(ABSENT_GLYPHS_FILE, 'utf8'));
  assert.deepEqual(recorded, recordOfInstalledFonts());
  // A package the record lacks is read from its files: the same answer.
  const spec = { pkg: 'noto-serif-sc', family: 'Noto Serif SC', weight: 400, style: 'normal' } as const;
  const slice = slicesOf(spec).find((s) => s.name === 'noto-serif-sc-102-400-normal.woff2')!;
  assert.deepEqual(absentGlyphs({}).of(spec, slice), absentGlyphs().of(spec, slice));
  assert.ok(has(absentGlyphs().of(spec, slice), 0x0639));
});

test('Arabic, Hebrew and an emoji in a Chinese book print with the stand-in box, never a font of the machine', { skip: pdfSkip() }, async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': '---\ntitle: 引文\n---\n\n## 外文引文\n\n阿拉伯文 عربي、希伯来文 עברית 与表情 🙂 并列。\n' } });
  const result = await buildAll({ project, format: 'pdf' });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], 'no pdf-font-undeclared: Chromium reached no system font');
  const missing = result.diagnostics.filter((d) => d.ruleId === 'glyph-missing').map((d) => /^"(.+?)"/u.exec(d.message)?.[1]);
  assert.deepEqual(missing.sort(), ['ب', 'ر', 'ع', 'ي', 'ב', 'ר', 'ת', 'י', 'ע', '🙂'].sort());
  const fonts = execFileSync('pdffonts', [join(project.out, 'test-book', 'zh', 'test-book-zh.pdf')], { encoding: 'utf8' });
  assert.match(fonts, /\+annals-missing-glyph /, fonts);
  assert.doesNotMatch(fonts, /DejaVu|Liberation|FreeSans/, 'no font of the machine');
});

test('a symbol that only a one-weight face has prints in a bold heading and bold text from that face, and an emoji selector leaves no colour font of the machine: no Type 3 font', { skip: pdfSkip() }, async () => {
  const project = tempProject();
  // Noto Sans Symbols 2 (weight 400 only) has 🏆 and ♔; Chromium used to embolden it in the bold heading,
  // which Skia prints as a Type 3 font (pdf-font-type3, pdf-font-undeclared: the build failed).
  // An emoji selector (☺️, 🏆️) made Chromium take a colour emoji font of the machine where one is installed
  // (scripts/setup.sh installs Debian's, so that this checks something): the build sets them in text presentation.
  writeBook(project, { chapters: { '01-a.md': '---\ntitle: 符号\n---\n\n## 🏆 竞品对比\n\n**加粗的♔与🏆**，以及正文里的🏆、☺\uFE0F 与 🏆\uFE0F。\n' } });
  const result = await buildAll({ project, format: 'pdf' });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`), []);
  const fonts = execFileSync('pdffonts', [join(project.out, 'test-book', 'zh', 'test-book-zh.pdf')], { encoding: 'utf8' });
  assert.match(fonts, /\+NotoSansSymbols2-Regular /, fonts);
  assert.doesNotMatch(fonts, /Type 3/, fonts);
  const css = readFileSync(join(project.out, 'test-book', 'zh', 'site', 'assets', 'fonts.css'), 'utf8');
  assert.match(css, /font-family:'Noto Sans Symbols 2';font-style:normal;font-weight:100 900;/, 'one file for every weight');
  assert.match(css, /font-family:'Noto Serif SC';font-style:normal;font-weight:700;/, 'a family with a bold face keeps its weights');
});

test('emoji are set in text presentation: U+FE0E after each emoji-presentation character and in place of U+FE0F', () => {
  assert.equal(inTextPresentation('奖杯🏆和☺\uFE0F，🏆\uFE0E不变，✓不动'), '奖杯🏆\uFE0E和☺\uFE0E，🏆\uFE0E不变，✓不动');
  assert.equal(inTextPresentation('1\uFE0F\u20E3'), '1\uFE0E\u20E3', 'a keycap: its digit in text presentation');
  assert.equal(inTextPresentation('no emoji here'), 'no emoji here');
});
