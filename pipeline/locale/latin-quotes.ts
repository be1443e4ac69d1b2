/**
 * Which curly quotes belong to Latin text inside a Chinese edition. ‘’“” are one code point for both
 * scripts: the line typography (pipeline/html/rehype-cjk-punctuation.ts) sets Latin ones in the Latin face,
 * and the zh-Hant conversion (convert-script.ts) turns only the Chinese ones into 「」『』.
 */

/** Opening marks: the glyph sits on the right half of its em box. */
export const OPENING = new Set('（〔［｛《〈「『【〖〘“‘');

const LATIN = /[A-Za-z0-9\u00C0-\u024F]/;
const HAN = /[\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/;

/**
 * Whether the curly quote at `i` belongs to Latin text: an apostrophe or closing quote after a Latin
 * letter that is not followed by Chinese, or an opening quote before a Latin letter that does not follow
 * Chinese. "World’s", ‘the “Digital Silk Road”’ are Latin; 称“AI”。 and ‘内引’ are Chinese.
 */
export function isLatinQuote(text: string, i: number): boolean {
  const c = text[i]!;
  const before = text[i - 1] ?? ' ';
  const after = text[i + 1] ?? ' ';
  if (c === '’' || c === '”') return (LATIN.test(before) || /[.,;:!?)\]]/.test(before)) && !HAN.test(after);
  return LATIN.test(after) && !HAN.test(before) && !OPENING.has(before);
}
