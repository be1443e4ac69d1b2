/**
 * Fonts come from npm (@fontsource packages), never from the machine, so every machine makes the same
 * pages and PDF. For each edition we declare the families its script needs, then keep only the
 * unicode-range slices that the edition's text actually uses: the site carries a few hundred KB of fonts
 * instead of tens of MB, and a glyph that appears only in a running head is still covered.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Script } from '../locale/locale.ts';

export interface FontFaceSpec {
  /**
   * npm package under @fontsource, e.g. noto-serif-sc; `katex` for KaTeX's own fonts; `generated` for the
   * build's stand-in for characters no font has (missing-glyph-font.ts); with `stylesheet`, the package's
   * full name (lxgw-wenkai-webfont).
   */
  pkg: string;
  /**
   * The package's CSS file for this face, for a package not laid out like @fontsource (whose CSS is
   * `<weight>[-italic].css`). Its rules must point at `./files/*.woff2`, as both layouts do.
   */
  stylesheet?: string;
  /**
   * The font's licence (SPDX id) where the package's `license` field names only the packaging: the LXGW
   * packages are MIT, the fonts in them SIL OFL 1.1 (their OFL.txt). Default: the package's field.
   */
  licence?: string;
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /**
   * The characters the face is used for, replacing the ranges the package's CSS declares. Default: the
   * package's. Noto Sans Math ships the whole font in one file but declares only a Latin range.
   */
  unicodeRange?: string;
}

/** A face whose files come from an @fontsource package (not KaTeX's stylesheet, not the build's stand-in). */
export function isPackagedFace(spec: FontFaceSpec): boolean {
  return spec.pkg !== 'katex' && spec.pkg !== 'generated';
}

export interface FontSet {
  /** CSS font-family stacks exposed as custom properties. */
  body: string;
  heading: string;
  /**
   * Code (`code`, `pre`, `kbd`, `samp`): Noto Sans Mono from npm, then the edition's CJK sans face for
   * Chinese comments and strings inside code (a monospace face has no CJK glyphs), then the fallbacks of
   * the heading stack.
   */
  mono: string;
  /**
   * The Kai (楷体) voice of Chinese books, for boxes (专栏), quotations and signatures
   * (templates/base/base.css, `--font-kai`): LXGW WenKai (zh-Hans) or LXGW WenKai TC (zh-Hant, Taiwan
   * forms), then the body stack, which sets the few characters the Kai face lacks (33 rare GB 2312
   * hanzi such as 劐, and 燬 and 譭 of the zh-Hant editions) in the serif face. English has no such voice:
   * its stack is the body's.
   */
  kai: string;
  faces: FontFaceSpec[];
}

const face = (pkg: string, family: string, weight: number, style: 'normal' | 'italic' = 'normal'): FontFaceSpec => ({ pkg, family, weight, style });
const symbols = face('noto-sans-symbols-2', 'Noto Sans Symbols 2', 400);
/**
 * Mathematical operators no other face has (∲, ≧, the combining long solidus U+0338 of ≯ written as
 * > + U+0338), after Noto Sans Symbols 2 in every stack: combining marks, general punctuation, arrows,
 * operators and the mathematical alphanumerics of Noto Sans Math.
 */
const math: FontFaceSpec = { ...face('noto-sans-math', 'Noto Sans Math', 400), unicodeRange: 'U+0300-036F,U+2000-2BFF,U+1D400-1D7FF' };
/** Noto Sans Mono (Latin, Greek, Cyrillic) for code; its bold for code inside bold text and table heads. */
const mono = [face('noto-sans-mono', 'Noto Sans Mono', 400), face('noto-sans-mono', 'Noto Sans Mono', 700)];
/** Greek, phonetic and mathematical letters (Σ, Π, wᵢ in the methodology's formulas), absent from the CJK and Source faces. */
const greekAndMath = [face('noto-serif', 'Noto Serif', 400), face('noto-serif', 'Noto Serif', 700)];

/** LXGW WenKai from its webfont package (unicode-range slices like @fontsource), regular and bold. */
const lxgw = (pkg: string, family: string, file: string): FontFaceSpec[] =>
  ([[400, 'regular'], [700, 'bold']] as const).map(([weight, name]) => ({ ...face(pkg, family, weight), stylesheet: `${file}-${name}.css`, licence: 'OFL-1.1' }));
const kaiHans = lxgw('lxgw-wenkai-webfont', 'LXGW WenKai', 'lxgwwenkai');
const kaiHant = lxgw('lxgw-wenkai-tc-webfont', 'LXGW WenKai TC', 'lxgwwenkaitc');

/**
 * KaTeX's fonts (npm `katex`), used by rendered mathematics in every script. Their @font-face rules and
 * files come with the KaTeX stylesheet (pipeline/html/katex-assets.ts), shipped only when an edition
 * contains math, so `slicesOf` gives no slices for them; they are declared here so the PDF font audit
 * accepts them.
 */
export const KATEX_FAMILIES = [
  'KaTeX_Main',
  'KaTeX_Math',
  'KaTeX_AMS',
  'KaTeX_Size1',
  'KaTeX_Size2',
  'KaTeX_Size3',
  'KaTeX_Size4',
  'KaTeX_Caligraphic',
  'KaTeX_Fraktur',
  'KaTeX_SansSerif',
  'KaTeX_Script',
  'KaTeX_Typewriter',
] as const;
const katexFaces = KATEX_FAMILIES.map((family) => face('katex', family, 400));
/** The build's stand-in face for characters no font has (missing-glyph-font.ts). */
export const MISSING_GLYPH_FAMILY = 'Annals Missing Glyph';
/** Declared so the PDF font audit accepts it; its @font-face comes from the build, only when needed. */
const missingGlyph = face('generated', MISSING_GLYPH_FAMILY, 400);
/** Every stack ends with the stand-in face, so no character is ever drawn by a font of the machine. */
const LAST = `'${MISSING_GLYPH_FAMILY}'`;

/** The families each script declares. The PDF font audit accepts exactly these. */
export function fontSetFor(script: Script): FontSet {
  switch (script) {
    case 'zh-Hans':
      return {
        body: `'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        heading: `'Noto Sans SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, sans-serif`,
        mono: `'Noto Sans Mono', 'Noto Sans SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, monospace`,
        kai: `'LXGW WenKai', 'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        faces: [face('noto-serif-sc', 'Noto Serif SC', 400), face('noto-serif-sc', 'Noto Serif SC', 700), face('noto-sans-sc', 'Noto Sans SC', 400), face('noto-sans-sc', 'Noto Sans SC', 700), ...kaiHans, ...mono, ...greekAndMath, symbols, math, ...katexFaces, missingGlyph],
      };
    case 'zh-Hant':
      return {
        // The SC faces after the TC ones: bibliographic data is never converted (docs/editions.md), so a
        // reference published in Simplified characters (数, 报) needs glyphs the TC fonts lack.
        body: `'Noto Serif TC', 'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        heading: `'Noto Sans TC', 'Noto Sans SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, sans-serif`,
        mono: `'Noto Sans Mono', 'Noto Sans TC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, monospace`,
        kai: `'LXGW WenKai TC', 'Noto Serif TC', 'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        faces: [face('noto-serif-tc', 'Noto Serif TC', 400), face('noto-serif-tc', 'Noto Serif TC', 700), face('noto-sans-tc', 'Noto Sans TC', 400), face('noto-sans-tc', 'Noto Sans TC', 700), face('noto-serif-sc', 'Noto Serif SC', 400), face('noto-serif-sc', 'Noto Serif SC', 700), face('noto-sans-sc', 'Noto Sans SC', 400), face('noto-sans-sc', 'Noto Sans SC', 700), ...kaiHant, ...mono, ...greekAndMath, symbols, math, ...katexFaces, missingGlyph],
      };
    case 'en':
      return {
        body: `'Source Serif 4', 'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        heading: `'Source Sans 3', 'Noto Sans SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, sans-serif`,
        mono: `'Noto Sans Mono', 'Noto Sans SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, monospace`,
        kai: `'Source Serif 4', 'Noto Serif SC', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Sans Math', ${LAST}, serif`,
        faces: [
          face('source-serif-4', 'Source Serif 4', 400),
          face('source-serif-4', 'Source Serif 4', 700),
          face('source-serif-4', 'Source Serif 4', 400, 'italic'),
          face('source-serif-4', 'Source Serif 4', 700, 'italic'),
          face('source-sans-3', 'Source Sans 3', 400),
          face('source-sans-3', 'Source Sans 3', 700),
          face('noto-serif-sc', 'Noto Serif SC', 400),
          face('noto-serif-sc', 'Noto Serif SC', 700),
          face('noto-sans-sc', 'Noto Sans SC', 400),
          face('noto-sans-sc', 'Noto Sans SC', 700),
          ...mono,
          ...greekAndMath,
          symbols,
          math,
          ...katexFaces,
          missingGlyph,
        ],
      };
  }
}

export interface FontSlice {
  family: string;
  weight: number;
  style: string;
  /** Absolute path of the woff2 file in node_modules. */
  file: string;
  /** File name under the site's assets/fonts/. */
  name: string;
  unicodeRange: string;
  /** `unicodeRange` parsed; shared by the slices that declare the same range (never change it). */
  ranges: Array<[number, number]>;
}

const require = createRequire(import.meta.url);

/** All slices of one face, read from the package's CSS. */
export function slicesOf(spec: FontFaceSpec): FontSlice[] {
  if (!isPackagedFace(spec)) return []; // declared by the KaTeX stylesheet, or by the build
  const pkgDir = dirname(require.resolve(`${fontPackage(spec)}/package.json`));
  const cssName = spec.stylesheet ?? `${spec.weight}${spec.style === 'italic' ? '-italic' : ''}.css`;
  // The packages' files do not change while a process runs: a preview reads and parses each CSS once.
  const memoKey = `${join(pkgDir, cssName)}\u0000${spec.family}\u0000${spec.unicodeRange ?? ''}`;
  const memo = slicesMemo.get(memoKey);
  if (memo) return memo;
  const css = readFileSync(join(pkgDir, cssName), 'utf8');
  const slices: FontSlice[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const url = /url\((['"]?)\.\/files\/([^)'"]+\.woff2)\1\)/.exec(block)?.[2];
    if (!url) continue;
    const unicodeRange = spec.unicodeRange ?? /unicode-range:\s*([^;}]+)/.exec(block)?.[1]?.trim() ?? 'U+0-10FFFF';
    slices.push({ family: spec.family, weight: spec.weight, style: spec.style, file: join(pkgDir, 'files', url), name: url, unicodeRange, ranges: packageRanges(unicodeRange) });
  }
  slicesMemo.set(memoKey, slices);
  return slices;
}

/** The font packages outside @fontsource that the font sets name (the Kai faces'). */
export function otherFontPackages(): string[] {
  const scripts: Script[] = ['zh-Hans', 'zh-Hant', 'en'];
  return [...new Set(scripts.flatMap((s) => fontSetFor(s).faces.filter((f) => f.stylesheet).map(fontPackage)))].sort();
}

/** The npm package that holds a face's files. */
export function fontPackage(spec: FontFaceSpec): string {
  return spec.stylesheet ? spec.pkg : `@fontsource/${spec.pkg}`;
}

/** Parsed package CSS, per file and family (read-only data of installed packages, not build state). */
const slicesMemo = new Map<string, FontSlice[]>();

/**
 * The ranges of a `unicode-range` of a package's CSS, parsed once per process and shared, read-only, by
 * every slice that declares it: the weights of a CJK family repeat their slices' ranges (a zh-Hant font
 * set declares 95,000 ranges, 29,000 of them distinct), and glyph-coverage.ts skips a slice whose ranges
 * it has already marked by their identity.
 */
const rangesMemo = new Map<string, Array<[number, number]>>();

function packageRanges(unicodeRange: string): Array<[number, number]> {
  let ranges = rangesMemo.get(unicodeRange);
  if (!ranges) rangesMemo.set(unicodeRange, (ranges = parseUnicodeRange(unicodeRange)));
  return ranges;
}

export function parseUnicodeRange(value: string): Array<[number, number]> {
  return value.split(',').map((part) => {
    const p = part.trim().replace(/^U\+/i, '');
    if (p.includes('?')) return [parseInt(p.replace(/\?/g, '0'), 16), parseInt(p.replace(/\?/g, 'f'), 16)] as [number, number];
    const [a, b] = p.split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
  });
}

/** Ranges sorted and joined where they overlap or touch. */
export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The code points used in some text, as a sorted array. */
export function codePointsOf(texts: Iterable<string>): Set<number> {
  // A bitmap of every code point marks what was seen without a Set lookup per character (a book's
  // pages are a few MB of text, scanned on every build of a preview).
  const seen = new Uint8Array(0x110000);
  const set = new Set<number>();
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      let c = t.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
        const low = t.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      if (seen[c] === 0) {
        seen[c] = 1;
        set.add(c);
      }
    }
  }
  return set;
}

/** The set's stacks as the custom properties the stylesheets use (`--font-body` …), one `:root` rule. */
export function fontStacksCss(set: FontSet): string {
  return `:root{--font-body:${set.body};--font-heading:${set.heading};--font-mono:${set.mono};--font-kai:${set.kai};}`;
}

export interface FontSelection {
  css: string;
  /** Slices to copy into assets/fonts/. */
  slices: FontSlice[];
}

/**
 * The `font-weight` of a face's @font-face rules: its weight, or `100 900` for a family the set has in one
 * weight only (Noto Sans Symbols 2, Noto Sans Math). Chromium would otherwise synthesise the bold of such
 * a face — a symbol in a bold heading — and Skia prints a synthesised bold as a Type 3 font, which the
 * font audit refuses (`pdf-font-type3`); with the range the one file draws every weight, as the build's
 * stand-in face does (missing-glyph-font.ts).
 */
export function faceWeight(set: FontSet, face: { family: string; weight: number; style: string }): string {
  const weights = new Set(set.faces.filter((f) => f.family === face.family && f.style === face.style).map((f) => f.weight));
  return weights.size > 1 ? String(face.weight) : '100 900';
}

/** The @font-face rules and files an edition needs for the given code points. */
export function selectFonts(set: FontSet, used: Set<number>, urlPrefix = 'fonts/'): FontSelection {
  const chosen: FontSlice[] = [];
  for (const spec of set.faces) {
    for (const slice of slicesOf(spec)) {
      if (slice.ranges.some(([a, b]) => rangeUsed(used, a, b))) chosen.push(slice);
    }
  }
  const rules = chosen.map(
    (s) =>
      `@font-face{font-family:'${s.family}';font-style:${s.style};font-weight:${faceWeight(set, s)};font-display:block;src:url(${urlPrefix}${s.name}) format('woff2');unicode-range:${s.unicodeRange};}`,
  );
  const css = `/* Fonts from npm (@fontsource), reduced to the slices this edition uses. */\n${fontStacksCss(set)}\n${rules.join('\n')}\n`;
  return { css, slices: chosen };
}

function rangeUsed(used: Set<number>, a: number, b: number): boolean {
  if (b - a < used.size) {
    for (let c = a; c <= b; c++) if (used.has(c)) return true;
    return false;
  }
  for (const c of used) if (c >= a && c <= b) return true;
  return false;
}
