/**
 * The fonts an EPUB embeds. The edition's font set comes from npm (@fontsource, all SIL OFL 1.1, which
 * allows embedding and subsetting when the font is bundled with a document). Each @fontsource slice the
 * text needs is cut down with HarfBuzz (subset-font) to exactly the characters used, so a Chinese
 * edition carries a few hundred KB of fonts instead of megabytes. KaTeX faces are not embedded: the EPUB
 * shows formulas as MathML, which the reading system typesets.
 */
import { readFile } from 'node:fs/promises';
import subsetFont from 'subset-font';
import { selectFonts, type FontSet } from '../html/fonts.ts';

export interface EpubFont {
  /** File name under the fonts folder. */
  name: string;
  data: Uint8Array;
}

export interface EpubFonts {
  /** @font-face rules (urls relative to the stylesheet) and the body and heading families. */
  css: string;
  files: EpubFont[];
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
  const set: FontSet = { ...options.set, faces: options.set.faces.filter((f) => f.pkg !== 'katex') };
  const { slices } = selectFonts(set, options.used, prefix);
  const rules: string[] = [];
  const files: EpubFont[] = [];
  for (const slice of slices) {
    const text = String.fromCodePoint(...[...options.used].filter((c) => slice.ranges.some(([a, b]) => c >= a && c <= b)).sort((a, b) => a - b));
    if (!text.trim()) continue;
    const data = await subsetFont(await readFile(slice.file), text, { targetFormat: 'woff2' });
    files.push({ name: slice.name, data });
    rules.push(`@font-face{font-family:'${slice.family}';font-style:${slice.style};font-weight:${slice.weight};src:url(${prefix}${slice.name}) format('woff2');unicode-range:${slice.unicodeRange};}`);
  }
  const css = [
    '/* Fonts from npm (@fontsource, SIL OFL 1.1), subset to the characters of this edition. */',
    ...rules,
    `body{font-family:${set.body};}`,
    `h1,h2,h3,h4,h5,h6,figcaption,caption,th,nav{font-family:${set.heading};}`,
  ].join('\n');
  return { css: css + '\n', files };
}
