/**
 * The print fonts (pipeline/pdf/print-fonts.ts): every face of every script's font set is cut from a
 * full static font with its real PostScript name, and the pieces unify-fonts.ts joins a PDF's fonts
 * with: glyph-id subsetting (glyph-subset.ts), W arrays and ToUnicode maps. The PDFs themselves are
 * checked in tests/press-pdf.test.ts (pdffonts: one font per face).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { codePointsOf, fontSetFor, isPackagedFace } from '../pipeline/fonts/fonts.ts';
import type { Script } from '../pipeline/locale/locale.ts';
import { loadHarfBuzz, subsetGlyphs } from '../pipeline/pdf/glyph-subset.ts';
import { ACCESSOR_TYPES, directAccessors } from '../pipeline/pdf/fonteditor.ts';
import { fullFontOf, otherFaceRules, postScriptNameOf, printFonts, printFontsCss } from '../pipeline/pdf/print-fonts.ts';
import { glyphsWithOutlines, readWidths } from '../pipeline/pdf/unify-fonts.ts';
import { readToUnicode } from '../pipeline/pdf/to-unicode.ts';

const STYLE = { '400normal': 'Regular', '700normal': 'Bold', '400italic': 'Italic', '700italic': 'BoldItalic' } as Record<string, string>;

describe('print fonts', () => {
  for (const script of ['zh-Hans', 'zh-Hant', 'en'] as Script[]) {
    test(`${script}: every face is one font under its real name, cut from a full static font or joined from its slices`, async () => {
      const set = fontSetFor(script);
      // LXGW WenKai exists on npm only as web-font slices: it is joined (joinSlices); every other face has its full font.
      const withoutFull = set.faces.filter(isPackagedFace).filter((face) => !fullFontOf(face));
      assert.deepEqual([...new Set(withoutFull.map((f) => f.family))], script === 'en' ? [] : [script === 'zh-Hant' ? 'LXGW WenKai TC' : 'LXGW WenKai']);
      // Text for every face: CJK (simplified and traditional), Latin, Greek, symbols, mathematics.
      const used = codePointsOf(['网络发展報告 Network ISBN 978 αβΣ ✓ ∲ ←']);
      const fonts = await printFonts({ set, used });
      assert.deepEqual(fonts.sliced, []);
      for (const file of fonts.files) {
        const want = `${file.face.family.replace(/\s+/g, '')}-${STYLE[`${file.face.weight}${file.face.style}`]}`;
        assert.equal(file.postScriptName, want);
        assert.equal(postScriptNameOf(file.data), want);
        assert.ok(file.data.length < 200_000, `${want}: ${file.data.length} bytes, a subset`);
      }
      for (const face of withoutFull) assert.ok(fonts.files.some((f) => f.face === face), `${face.family} ${face.weight} joined`);
      const names = fonts.files.map((f) => f.postScriptName);
      assert.equal(new Set(names).size, names.length, 'one file per face');
      const css = printFontsCss(set, fonts, used, { fileUrl: 'f/', sliceUrl: 's/' });
      assert.equal([...css.matchAll(/@font-face/g)].length, fonts.files.length);
      assert.doesNotMatch(css, /woff2/, 'no slice');
    });
  }

  test("the site's rules for other families (the build's stand-in face) are kept, their urls rebased", () => {
    const site = "@font-face{font-family:'Noto Serif SC';src:url(fonts/a.woff2) format('woff2');}\n@font-face{font-family:'Annals Missing Glyph';font-weight:100 900;src:url(fonts/annals-missing-glyph-1.ttf) format('truetype');unicode-range:U+E000;}";
    assert.deepEqual(otherFaceRules(site, ['Noto Serif SC'], '../site/assets/'), [
      "@font-face{font-family:'Annals Missing Glyph';font-weight:100 900;src:url(../site/assets/fonts/annals-missing-glyph-1.ttf) format('truetype');unicode-range:U+E000;}",
    ]);
  });

  test('a face without a full font is joined from the slices the text uses into one font under its name', async () => {
    const set = fontSetFor('zh-Hans');
    // 网 and 络 lie in different slices of Noto Sans SC; N, e, t in a third.
    const used = codePointsOf(['网络 Net']);
    const fonts = await printFonts({ set, used, resolve: (face) => (face.family === 'Noto Sans SC' ? undefined : fullFontOf(face)) });
    assert.deepEqual(fonts.sliced, []);
    const joined = fonts.files.filter((f) => f.face.family === 'Noto Sans SC');
    assert.deepEqual(joined.map((f) => [f.postScriptName, postScriptNameOf(f.data), f.name]), [
      ['NotoSansSC-Regular', 'NotoSansSC-Regular', 'NotoSansSC-Regular.ttf'],
      ['NotoSansSC-Bold', 'NotoSansSC-Bold', 'NotoSansSC-Bold.ttf'],
    ]);
    assert.ok(joined[0]!.source.split(', ').length >= 2, `joined from several slices: ${joined[0]!.source}`);
    const { Font } = await import('fonteditor-core');
    const cmap = Font.create(Buffer.from(joined[0]!.data), { type: 'ttf' }).get().cmap as Record<number, number>;
    for (const c of '网络Net') assert.ok(cmap[c.codePointAt(0)!]! > 0, `${c} mapped in the joined font`);
    const css = printFontsCss(set, fonts, used, { fileUrl: 'f/', sliceUrl: 's/' });
    assert.match(css, /font-family:'Noto Sans SC';[^}]*src:url\(f\/NotoSansSC-Regular\.ttf\) format\('truetype'\)/);
    assert.match(css, /--font-kai:'LXGW WenKai'/, 'the Kai stack is declared in print too');
  });
});

type Cursor = Record<string, (...args: unknown[]) => unknown> & { offset: number };
type CursorClass = (new (buffer: ArrayBuffer, offset?: number, length?: number, littleEndian?: boolean) => Cursor) & { prototype: Record<string, unknown> };
// fonteditor-core as the package defines it, before any join in this process makes its accessors direct.
const core = (await import('fonteditor-core')) as unknown as { Reader: CursorClass; Writer: CursorClass };
const ACCESSORS = Object.keys(ACCESSOR_TYPES).flatMap((type) => [['Reader', `read${type}`], ['Writer', `write${type}`]] as const);
const CURRIED = ACCESSORS.map(([cls, name]) => core[cls].prototype[name]);

describe("fonteditor-core's accessors made direct (pipeline/pdf/fonteditor.ts)", () => {
  test('each reads and writes as the curried one it replaces: offsets, byte order, the cursor, the return value', () => {
    assert.match(String(CURRIED[0]), /concat|apply/, 'the package defines them curried');
    class TheirReader extends core.Reader {}
    class TheirWriter extends core.Writer {}
    ACCESSORS.forEach(([cls, name], i) => (((cls === 'Reader' ? TheirReader : TheirWriter).prototype as Record<string, unknown>)[name] = CURRIED[i]));
    class DirectReader extends core.Reader {}
    class DirectWriter extends core.Writer {}
    directAccessors({ Reader: DirectReader, Writer: DirectWriter });
    const bytes = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff);
    for (const type of Object.keys(ACCESSOR_TYPES)) {
      for (const littleEndian of [false, true]) {
        const theirs = new TheirReader(bytes.buffer.slice(0), 4, 48, littleEndian);
        const ours = new DirectReader(bytes.buffer.slice(0), 4, 48, littleEndian);
        // From the cursor, at an offset (the cursor moves past it), and in the other byte order.
        for (const args of [[], [], [8], [], [16, !littleEndian], [3]]) {
          const expected = theirs[`read${type}`]!(...args);
          assert.equal(ours[`read${type}`]!(...args), expected, `read${type}(${args.join(', ')})`);
          assert.equal(ours.offset, theirs.offset, `read${type} moves the cursor alike`);
        }
        const theirBuffer = new ArrayBuffer(48);
        const ourBuffer = new ArrayBuffer(48);
        const w1 = new TheirWriter(theirBuffer, 0, 48, littleEndian);
        const w2 = new DirectWriter(ourBuffer, 0, 48, littleEndian);
        for (const [value, ...args] of [[7], [-3], [200, 20], [1.5], [65, 30, !littleEndian]] as Array<[number, ...unknown[]]>) {
          assert.equal(w1[`write${type}`]!(value, ...args), w1);
          assert.equal(w2[`write${type}`]!(value, ...args), w2, `write${type} returns the writer`);
          assert.equal(w2.offset, w1.offset, `write${type} moves the cursor alike`);
        }
        assert.deepEqual(new Uint8Array(ourBuffer), new Uint8Array(theirBuffer), `write${type} writes the same bytes`);
      }
    }
  });

  test('a face joined with them is the same bytes as with the curried ones', async () => {
    const set = fontSetFor('zh-Hans');
    const kai = { ...set, faces: set.faces.filter((f) => f.family === 'LXGW WenKai') };
    const used = codePointsOf(['数据要素市场化配置改革深入推进，公共数据授权运营试点扩大。Network 2026 “引文”']);
    const direct = await printFonts({ set: kai, used }); // a join loads fonteditor-core through fonteditor(): direct
    const replaced = ACCESSORS.map(([cls, name]) => core[cls].prototype[name]);
    assert.notEqual(replaced[0], CURRIED[0], 'the accessors were replaced');
    try {
      ACCESSORS.forEach(([cls, name], i) => (core[cls].prototype[name] = CURRIED[i]));
      const theirs = await printFonts({ set: kai, used });
      assert.equal(direct.files.length, 2);
      direct.files.forEach((f, i) => assert.ok(Buffer.from(f.data).equals(Buffer.from(theirs.files[i]!.data)), `${f.postScriptName}: the same bytes`));
    } finally {
      ACCESSORS.forEach(([cls, name], i) => (core[cls].prototype[name] = replaced[i]));
    }
  });
});

describe('joining a face embedded by several prints', () => {
  test('glyph subsetting keeps glyph ids', async () => {
    const hb = await loadHarfBuzz();
    const font = readFileSync(fullFontOf({ pkg: 'noto-serif', family: 'Noto Serif', weight: 400, style: 'normal' })!);
    const withOutlines = glyphsWithOutlines(font).slice(30, 33);
    const out = subsetGlyphs(hb, font, withOutlines);
    const kept = glyphsWithOutlines(out);
    for (const g of withOutlines) assert.ok(kept.includes(g), `glyph ${g} kept at its id`);
    assert.ok(kept.length <= withOutlines.length + 1, 'only those (and .notdef)');
  });

  test('W arrays and ToUnicode maps are read in both of their forms', async () => {
    const doc = await PDFDocument.create();
    const w = readWidths(doc.context.obj([3, [500, 600], 10, 12, 250]));
    assert.deepEqual([...w], [[3, 500], [4, 600], [10, 250], [11, 250], [12, 250]]);
    const cmap = '2 beginbfchar\n<0003> <7F51>\n<0004> <0041>\nendbfchar\n2 beginbfrange\n<0010> <0012> <0061>\n<0020> <0021> [<4E2D> <56FD>]\nendbfrange';
    assert.deepEqual([...readToUnicode(cmap)], [[3, '7F51'], [4, '0041'], [16, '0061'], [17, '0062'], [18, '0063'], [32, '4E2D'], [33, '56FD']]);
  });
});
