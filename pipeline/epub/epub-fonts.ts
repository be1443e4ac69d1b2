/**
 * The fonts an EPUB embeds. The edition's font set comes from npm (@fontsource); a package is embedded
 * only when its declared licence allows it (EMBEDDABLE_LICENCES: the SIL OFL 1.1 of every font used today
 * allows embedding and subsetting when the font is bundled with a document). Each @fontsource slice the
 * text needs is cut down with HarfBuzz (subset-font) to exactly the characters used, so a Chinese
 * edition carries a few hundred KB of fonts instead of megabytes. KaTeX faces are not embedded: the EPUB
 * shows formulas as MathML, which the reading system typesets.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';
import { faceWeight, fontPackage, isPackagedFace, mergeRanges, selectFonts, type FontFaceSpec, type FontSet } from '../fonts/fonts.ts';

/** Licences (SPDX ids of the font packages) that allow embedding a subset in a document. */
export const EMBEDDABLE_LICENCES = ['OFL-1.1', 'Apache-2.0', 'MIT'] as const;

const require = createRequire(import.meta.url);

/**
 * The SPDX licence id of a face's font: the one the face declares (`licence`), else the one its package
 * declares. A string is a @fontsource package's short name.
 */
export function fontLicence(face: FontFaceSpec | string): string {
  const spec: FontFaceSpec = typeof face === 'string' ? { pkg: face, family: '', weight: 400, style: 'normal' } : face;
  if (spec.licence) return spec.licence;
  const json = JSON.parse(readFileSync(require.resolve(`${fontPackage(spec)}/package.json`), 'utf8')) as { license?: string };
  return json.license ?? 'UNKNOWN';
}

export interface EpubFont {
  /** File name under the fonts folder. */
  name: string;
  data: Uint8Array;
  /** font/ttf or font/otf. */
  mediaType: string;
}

export interface EpubFonts {
  /** @font-face rules (urls relative to the stylesheet) and the body and heading families. */
  css: string;
  files: EpubFont[];
  /** Packages left out because their licence does not allow embedding (reading systems use their own fonts). */
  skipped: string[];
}

export interface EpubFontsOptions {
  set: FontSet;
  /** Code points of every text the EPUB shows. */
  used: Set<number>;
  /** Folder of the font files relative to the stylesheet. Default: `fonts/`. */
  urlPrefix?: string;
}

export async function epubFonts(options: EpubFontsOptions): Promise<EpubFonts> {
  const prefix = options.urlPrefix ?? 'fonts/';
  const faces = options.set.faces.filter(isPackagedFace);
  const allowed = (face: FontFaceSpec) => (EMBEDDABLE_LICENCES as readonly string[]).includes(fontLicence(face));
  const skipped = [...new Set(faces.filter((f) => !allowed(f)).map((f) => f.pkg))];
  const set: FontSet = { ...options.set, faces: faces.filter((f) => allowed(f)) };
  const { slices } = selectFonts(set, options.used, prefix);
  const rules: string[] = [];
  const files: EpubFont[] = [];
  const used = [...options.used].sort((x, y) => x - y);
  for (const slice of slices) {
    const text = String.fromCodePoint(...usedInRanges(used, mergeRanges(slice.ranges)));
    if (!text.trim()) continue;
    // Plain OpenType out, not WOFF2: WOFF2's Brotli pass costs some 15 times the subsetting itself, and
    // the EPUB's ZIP compresses the tables anyway (about 25% larger than WOFF2 in the end).
    const data = await subsetFont(await readFile(slice.file), text, { targetFormat: 'sfnt' });
    const cff = data.subarray(0, 4).toString('latin1') === 'OTTO';
    const name = slice.name.replace(/\.woff2$/, cff ? '.otf' : '.ttf');
    files.push({ name, data, mediaType: cff ? 'font/otf' : 'font/ttf' });
    rules.push(`@font-face{font-family:'${slice.family}';font-style:${slice.style};font-weight:${faceWeight(set, slice)};src:url(${prefix}${name}) format('${cff ? 'opentype' : 'truetype'}');unicode-range:${slice.unicodeRange};}`);
  }
  const css = [
    '/* Fonts from npm (@fontsource, SIL OFL 1.1), subset to the characters of this edition. */',
    ...rules,
    `body{font-family:${set.body};}`,
    `h1,h2,h3,h4,h5,h6,figcaption,caption,th,nav{font-family:${set.heading};}`,
    // The Kai voice of boxes, quotations and signatures (templates/base/base.css, for the site and print).
    `aside.box,blockquote,.signature{font-family:${set.kai};}`,
    `aside.box header.caption{font-family:${set.heading};}`,
  ].join('\n');
  return { css: css + '\n', files, skipped };
}

/**
 * The code points of `used` (sorted) inside `ranges` (sorted and merged: `mergeRanges`), in order: each
 * range's first one found by bisection. (Testing every used character against every range of every slice
 * took 1.2 s of a seven-edition EPUB build.)
 */
export function usedInRanges(used: readonly number[], ranges: ReadonlyArray<readonly [number, number]>): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) {
    let lo = 0;
    let hi = used.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (used[mid]! < a) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < used.length && used[i]! <= b; i++) out.push(used[i]!);
  }
  return out;
}
