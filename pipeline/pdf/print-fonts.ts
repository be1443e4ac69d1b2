/**
 * One font file per face for the print.
 *
 * The site's fonts are @fontsource's unicode-range slices (pipeline/fonts/fonts.ts): right for the web,
 * wrong for a PDF. Chromium embeds every slice as a font of its own, and Google's slices of the Noto CJK
 * faces carry the name of the variable font's default instance ("NotoSerifSCExtraLight-Bold"), so a
 * printer's preflight sees a hundred fonts with wrong names. For the print, each face of the edition's
 * FontSet (family × weight × style) is instead cut from a full static font with its real name
 * (`NotoSerifSC-Bold`), pinned on npm: `@expo-google-fonts/<package>`, where `<package>` is the face's
 * @fontsource package name (the same Google Fonts family; both are SIL OFL 1.1). HarfBuzz (subset-font)
 * keeps the characters the print uses and every OpenType layout table for them (kerning, `vert` for the
 * spine, `halt` for the punctuation Chromium trims), and the face is declared with the union of its
 * slices' unicode-ranges, so CSS font matching picks the same family for every character as on the site.
 *
 * A face with no full font on npm (LXGW WenKai ships only as web-font slices) is joined from the slices
 * the print uses instead: each is cut to the print's characters with HarfBuzz, and fonteditor-core merges
 * the cuts into one TrueType font under the face's name (`joinSlices`). The join keeps outlines, advance
 * widths and the character map, not the OpenType layout tables, which is enough for the horizontal text
 * such faces set (boxes, quotations, signatures). A face that can be neither cut nor joined keeps its
 * slices (and is listed in `sliced`, for a warning).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import subsetFont from 'subset-font';
import { faceWeight, fontStacksCss, isPackagedFace, mergeRanges, selectFonts, slicesOf, parseUnicodeRange, type FontFaceSpec, type FontSet } from '../fonts/fonts.ts';
import { fileIdentity, fontKey, packageVersions, type FontCache } from './font-cache.ts';
import { fonteditor } from './fonteditor.ts';

export interface PrintFontFile {
  face: FontFaceSpec;
  /** The font's PostScript name (name ID 6), which the PDF shows: NotoSerifSC-Bold. */
  postScriptName: string;
  /** File name (under the folder given to `printFontsCss`). */
  name: string;
  /** The subset (TrueType or CFF OpenType, as the full font). */
  data: Uint8Array;
  /** The full font it was cut from. */
  source: string;
}

export interface PrintFonts {
  files: PrintFontFile[];
  /** Faces without a full static font: printed from their unicode-range slices. */
  sliced: FontFaceSpec[];
}

export interface PrintFontsOptions {
  set: FontSet;
  /** Code points of everything the print shows (print.html, its stylesheets, margin text). */
  used: Set<number>;
  /** Full font of a face. Default: `fullFontOf` (the @expo-google-fonts package of the face). */
  resolve?: (face: FontFaceSpec) => string | undefined;
  /**
   * Cut and joined fonts from earlier prints (font-cache.ts), keyed by the source files and the
   * characters: the same bytes as cutting them again. Default: none (every face is cut).
   */
  cache?: FontCache;
}

/**
 * Characters the browser draws that are in no text node or stylesheet string: list markers (disc,
 * circle, square), the hyphen of automatic hyphenation, the quotes of `<q>`, digits and points of
 * ordered lists. Every face keeps them (when it has them), as a web font's slices would.
 */
export const GENERATED_TEXT = '•◦▪‐-–—…“”‘’「」『』0123456789.';

const WEIGHT_NAMES: Record<number, string> = { 100: 'Thin', 200: 'ExtraLight', 300: 'Light', 400: 'Regular', 500: 'Medium', 600: 'SemiBold', 700: 'Bold', 800: 'ExtraBold', 900: 'Black' };

const require = createRequire(import.meta.url);

/**
 * The full static font of a face: `@expo-google-fonts/<pkg>/<weight><Name>[_Italic]/*.ttf`
 * (e.g. `400Regular/NotoSerifSC_400Regular.ttf`), or undefined when the package or the weight is not
 * installed. KaTeX's faces are already one file per face and are not replaced.
 */
export function fullFontOf(face: FontFaceSpec): string | undefined {
  if (face.pkg === 'katex') return undefined;
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve(`@expo-google-fonts/${face.pkg}/package.json`));
  } catch {
    return undefined;
  }
  const folder = `${face.weight}${WEIGHT_NAMES[face.weight] ?? ''}${face.style === 'italic' ? '_Italic' : ''}`;
  try {
    const file = readdirSync(join(pkgDir, folder)).find((f) => /\.(ttf|otf)$/i.test(f));
    return file ? join(pkgDir, folder, file) : undefined;
  } catch {
    return undefined;
  }
}

/** Cut one font per face of the set (that has a full font) to the characters the print uses. */
export async function printFonts(options: PrintFontsOptions): Promise<PrintFonts> {
  const resolve = options.resolve ?? fullFontOf;
  const files: PrintFontFile[] = [];
  const sliced: FontFaceSpec[] = [];
  // Full fonts are tens of MB: read one at a time (the subsets are a few hundred KB).
  for (const face of options.set.faces) {
    // KaTeX's faces are one file per face already (katex.css); the build's stand-in for characters no
    // font has is one generated file (its rule is kept from the site's stylesheet: `otherFaceRules`).
    if (!isPackagedFace(face)) continue;
    const source = resolve(face);
    const ranges = faceRanges(face);
    const text = String.fromCodePoint(...[...options.used].filter((c) => inRanges(ranges, c)).sort((a, b) => a - b));
    if (!source) {
      const joined = text.trim() ? await cached(options.cache, options.cache && joinKey(face, text), face, text) : undefined;
      if (joined) files.push(joined);
      else if (text.trim()) sliced.push(face);
      continue;
    }
    if (!text.trim()) continue; // the print does not use this face
    const cut = async () => subsetFont(await readFile(source), text, { targetFormat: 'sfnt' });
    const identity = options.cache ? fileIdentity(source) : undefined;
    const data = identity ? await cachedBytes(options.cache!, fontKey('cut', CUT_VERSIONS(), identity, text), cut) : await cut();
    const postScriptName = postScriptNameOf(data) ?? `${face.family.replace(/\s+/g, '')}-${WEIGHT_NAMES[face.weight] ?? face.weight}${face.style === 'italic' ? 'Italic' : ''}`;
    const ext = data.subarray(0, 4).toString('latin1') === 'OTTO' ? 'otf' : 'ttf';
    files.push({ face, postScriptName, name: `${postScriptName}.${ext}`, data, source });
  }
  return { files, sliced };
}

/** The code whose output a cached font is: a new version of any of them makes new keys. */
const CUT_VERSIONS = () => packageVersions(['subset-font', 'harfbuzzjs'], require.resolve);
const JOIN_VERSIONS = () => packageVersions(['subset-font', 'harfbuzzjs', 'fonteditor-core'], require.resolve);

/** The bytes under `key`, else made by `make` and stored. */
async function cachedBytes(cache: FontCache, key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const hit = cache.get(key);
  if (hit) return hit;
  const data = await make();
  cache.set(key, data);
  return data;
}

/** The key of a face joined from its slices: every slice file's identity and the characters; undefined when a slice cannot be read. */
function joinKey(face: FontFaceSpec, text: string): string | undefined {
  const identities = slicesOf(face).map((s) => fileIdentity(s.file));
  if (identities.some((i) => i === undefined)) return undefined;
  return fontKey('join', JOIN_VERSIONS(), face.family, face.weight, face.style, ...(identities as string[]), text);
}

/** A joined face from the cache (its name and sources follow from the face and the text), else joined and stored. */
async function cached(cache: FontCache | undefined, key: string | undefined, face: FontFaceSpec, text: string): Promise<PrintFontFile | undefined> {
  if (!cache || !key) return joinSlices(face, text);
  const hit = cache.get(key);
  if (hit) {
    const postScriptName = madeUpPostScriptName(face);
    return { face, postScriptName, name: `${postScriptName}.ttf`, data: hit, source: slicesFor(face, text).map(({ slice }) => slice.file).join(', ') };
  }
  const joined = await joinSlices(face, text);
  if (joined) cache.set(key, joined.data);
  return joined;
}

/** The slices of a face that hold some of `text`, with the code points of it each holds. */
function slicesFor(face: FontFaceSpec, text: string) {
  const chars = [...text].map((c) => c.codePointAt(0)!);
  return slicesOf(face).flatMap((slice) => {
    const ranges = mergeRanges(slice.ranges);
    const mine = chars.filter((c) => inRanges(ranges, c));
    return mine.length > 0 ? [{ slice, mine }] : [];
  });
}

/** `LXGWWenKai-Regular`: the PostScript name of a face made here (no letters but ASCII ones). */
function madeUpPostScriptName(face: FontFaceSpec): string {
  return `${face.family.replace(/[^A-Za-z0-9]/g, '')}-${WEIGHT_NAMES[face.weight] ?? face.weight}${face.style === 'italic' ? 'Italic' : ''}`;
}

/**
 * One TrueType font for a face that exists only as unicode-range slices: every slice that has some of
 * `text` is cut to those characters (HarfBuzz), and the cuts are merged (fonteditor-core,
 * pipeline/pdf/fonteditor.ts). Undefined when the slices are not TrueType or the merge fails.
 */
async function joinSlices(face: FontFaceSpec, text: string): Promise<PrintFontFile | undefined> {
  const { Font } = fonteditor();
  let joined: InstanceType<typeof Font> | undefined;
  const sources: string[] = [];
  const mapped = new Set<number>();
  try {
    for (const { slice, mine } of slicesFor(face, text)) {
      const cut = await subsetFont(await readFile(slice.file), String.fromCodePoint(...mine), { targetFormat: 'sfnt' });
      if (cut.subarray(0, 4).toString('latin1') === 'OTTO') return undefined; // CFF outlines: fonteditor-core joins TrueType only
      const font = Font.create(cut, { type: 'ttf', hinting: false, kerning: false });
      // HarfBuzz keeps a few characters in every cut (the space, control codes): the first cut keeps them.
      for (const glyph of font.get().glyf) if (glyph.unicode) glyph.unicode = glyph.unicode.filter((u) => !mapped.has(u));
      for (const glyph of font.get().glyf) for (const u of glyph.unicode ?? []) mapped.add(u);
      if (joined) joined.merge(font, { scale: 1 });
      else joined = font;
      sources.push(slice.file);
    }
    if (!joined) return undefined;
    const postScriptName = madeUpPostScriptName(face);
    const data = joined.get();
    const style = `${WEIGHT_NAMES[face.weight] ?? face.weight}${face.style === 'italic' ? ' Italic' : ''}`;
    Object.assign(data.name, { fontFamily: face.family, fontSubFamily: style, fullName: `${face.family} ${style}`, postScriptName, uniqueSubFamily: postScriptName });
    joined.set(data);
    const bytes = new Uint8Array(joined.write({ type: 'ttf', toBuffer: true }) as Buffer);
    return { face, postScriptName, name: `${postScriptName}.ttf`, data: bytes, source: sources.join(', ') };
  } catch {
    return undefined;
  }
}

/**
 * The stylesheet of the print fonts: the custom properties of the set, one @font-face per face file
 * (`fileUrl` is the folder of the files, relative to the stylesheet), and the slices of the faces that
 * have no full font (`sliceUrl`: the folder of the site's slices); with `site` (the site's fonts.css and
 * the folder its urls start from, relative to this stylesheet), the rules of its other families.
 */
export function printFontsCss(set: FontSet, fonts: PrintFonts, used: Set<number>, urls: { fileUrl: string; sliceUrl: string; site?: { css: string; base: string } }): string {
  const rules = fonts.files.map(({ face, name }) => {
    const format = name.endsWith('.otf') ? 'opentype' : 'truetype';
    return `@font-face{font-family:'${face.family}';font-style:${face.style};font-weight:${faceWeight(set, face)};font-display:block;src:url(${urls.fileUrl}${name}) format('${format}');unicode-range:${faceUnicodeRange(face)};}`;
  });
  const sliced = fonts.sliced.length > 0 ? selectFonts({ ...set, faces: fonts.sliced }, used, urls.sliceUrl).slices : [];
  for (const s of sliced) {
    rules.push(`@font-face{font-family:'${s.family}';font-style:${s.style};font-weight:${faceWeight(set, s)};font-display:block;src:url(${urls.sliceUrl}${s.name}) format('woff2');unicode-range:${s.unicodeRange};}`);
  }
  if (urls.site) rules.push(...otherFaceRules(urls.site.css, [...fonts.files.map((f) => f.face.family), ...fonts.sliced.map((f) => f.family)], urls.site.base));
  return `/* Print fonts: one file per face, cut from a full static font (pipeline/pdf/print-fonts.ts). */\n${fontStacksCss(set)}\n${rules.join('\n')}\n`;
}

/**
 * The @font-face rules of the site's stylesheet for families the print fonts do not provide (the
 * build's stand-in face for characters no font has), their relative urls prefixed with `base`.
 */
export function otherFaceRules(css: string, provided: readonly string[], base: string): string[] {
  const families = new Set(provided.map((f) => f.toLowerCase()));
  const out: string[] = [];
  for (const m of css.matchAll(/@font-face\s*\{[^}]*\}/g)) {
    const family = /font-family:\s*['"]?([^;'"]+)['"]?\s*;/.exec(m[0])?.[1]?.trim().toLowerCase();
    if (!family || families.has(family)) continue;
    out.push(m[0].replace(/url\(\s*(['"]?)(?![a-z][a-z0-9+.-]*:|\/)([^'")]+)\1\s*\)/gi, (_, q: string, url: string) => `url(${q}${base}${url}${q})`));
  }
  return out;
}

/** The characters a face is used for: its own unicode-range, else the union of its slices' ranges. */
function faceUnicodeRange(face: FontFaceSpec): string {
  if (face.unicodeRange) return face.unicodeRange;
  const ranges = faceRanges(face);
  return ranges.map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`)).join(',');
}

/** The same as sorted, merged ranges (every code point for a face with neither). */
function faceRanges(face: FontFaceSpec): Array<[number, number]> {
  const ranges = mergeRanges(face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : slicesOf(face).flatMap((s) => s.ranges));
  return ranges.length > 0 ? ranges : [[0, 0x10ffff]];
}

/** Whether `c` is in one of `ranges` (sorted and merged: `mergeRanges`), by bisection. */
export function inRanges(ranges: ReadonlyArray<readonly [number, number]>, c: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (c < a) hi = mid - 1;
    else if (c > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const hex = (n: number) => n.toString(16).toUpperCase();


/** Name ID 6 (PostScript name) of an SFNT font, from its Windows (3) or Macintosh (1) name record. */
export function postScriptNameOf(sfnt: Uint8Array): string | undefined {
  const view = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  const tables = view.getUint16(4);
  for (let i = 0; i < tables; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(sfnt[record]!, sfnt[record + 1]!, sfnt[record + 2]!, sfnt[record + 3]!);
    if (tag !== 'name') continue;
    const table = view.getUint32(record + 8);
    const count = view.getUint16(table + 2);
    const strings = table + view.getUint16(table + 4);
    for (let r = 0; r < count; r++) {
      const at = table + 6 + 12 * r;
      const platform = view.getUint16(at);
      if (view.getUint16(at + 6) !== 6 || (platform !== 3 && platform !== 1)) continue;
      const length = view.getUint16(at + 8);
      const offset = strings + view.getUint16(at + 10);
      const bytes = sfnt.subarray(offset, offset + length);
      if (platform === 1) return String.fromCharCode(...bytes);
      let name = '';
      for (let j = 0; j + 1 < bytes.length; j += 2) name += String.fromCharCode((bytes[j]! << 8) | bytes[j + 1]!);
      return name;
    }
  }
  return undefined;
}
