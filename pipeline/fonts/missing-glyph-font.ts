/**
 * The build's stand-in face for characters none of the edition's fonts has (`glyph-coverage.ts`). It is
 * made for each build, one glyph per character, all the same empty box (like a font's .notdef), mapped
 * to exactly those code points, so Chromium never reaches for a font of the machine (which would make the
 * PDF differ from machine to machine and fail the font audit), and the PDF still maps each box to its
 * character (a reader can copy it, a search finds it).
 *
 * The font is written as an SVG font and converted by svg2ttf: TrueType outlines, because Chromium's PDF
 * writer embeds a CFF font as a Type 3 font. Fixed metrics and a fixed timestamp make it deterministic.
 */
import { MISSING_GLYPH_FAMILY } from './fonts.ts';
import { codePointName } from './glyph-coverage.ts';

export interface MissingGlyphFont {
  /** File name under assets/fonts/. */
  name: string;
  data: Uint8Array;
  /** The @font-face rule, with the url under `urlPrefix`. */
  css: string;
}

/** Width of the box glyph (em = 1000): between a Latin letter and a CJK character. */
const ADVANCE = 700;
/**
 * A hollow box on the baseline, in font units (y up): the outer contour clockwise, the inner one
 * counter-clockwise, so the non-zero rule leaves the inside empty.
 */
const BOX = 'M80 0V720H620V0Z M130 50H570V670H130Z';

/** The stand-in font for the given code points (none: no font). Loads svg2ttf only when needed. */
export async function missingGlyphFont(codePoints: readonly number[], urlPrefix = 'fonts/'): Promise<MissingGlyphFont | undefined> {
  if (codePoints.length === 0) return undefined;
  const { default: svg2ttf } = await import('svg2ttf');
  const glyphs = codePoints.map((c) => `<glyph glyph-name="uni${c.toString(16).toUpperCase().padStart(4, '0')}" unicode="&#x${c.toString(16)};" horiz-adv-x="${ADVANCE}" d="${BOX}"/>`);
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg"><defs>',
    `<font id="annals-missing-glyph" horiz-adv-x="${ADVANCE}">`,
    `<font-face font-family="${MISSING_GLYPH_FAMILY}" font-weight="400" units-per-em="1000" ascent="880" descent="-120"/>`,
    `<missing-glyph horiz-adv-x="${ADVANCE}" d="${BOX}"/>`,
    ...glyphs,
    '</font></defs></svg>',
  ].join('\n');
  const data = svg2ttf(svg, { ts: 0, version: '1.0', description: 'Annals: a box for characters none of the edition\'s fonts has' }).buffer;
  const name = 'annals-missing-glyph.ttf';
  const range = codePoints.map(codePointName).join(',');
  const css = `@font-face{font-family:'${MISSING_GLYPH_FAMILY}';font-style:normal;font-weight:100 900;font-display:block;src:url(${urlPrefix}${name}) format('truetype');unicode-range:${range};}`;
  return { name, data: new Uint8Array(data), css };
}
