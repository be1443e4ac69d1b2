/**
 * Punctuation compression (标点挤压) and Latin punctuation in Chinese text, decided at build time.
 *
 * A full-width mark is a glyph on one half of a one-em box; when two marks meet, the white of both halves
 * would leave a gap of about an em between them ("），", "，“"). Chinese practice (clreq §3.1.6,
 * GB/T 15834) removes half an em: the pair takes one and a half em, and the white between the two
 * glyphs is at most half an em. CSS `text-spacing-trim` would do this, but Chromium applies it only with
 * fonts that carry the `halt`/`chws` OpenType features, and the npm builds of Noto Serif/Sans SC and TC do
 * not (measured: no change in Chromium 156), so the pairs are marked here:
 *
 * - a closing mark (）》」” and, in Simplified Chinese where they sit on the left, ，。、：；) followed by
 *   another mark gets `cjk-half-end`: its empty right half is taken away (`letter-spacing: -0.5em`);
 * - an opening mark (（《「“) that follows another opening mark gets `cjk-half-start`: its empty left half
 *   is taken away (`margin-inline-start: -0.5em`).
 *
 * The curly quotes ‘’“” are one code point for Chinese and for Latin text, and the CJK font draws them
 * full-width. In Latin context — an apostrophe between letters ("World’s"), quotes around Latin words
 * that do not touch Chinese text — they get `latin-punct`, which sets them in the Latin face
 * (templates/base/base.css). Everything else, including ‘’ inside Chinese text, keeps the CJK
 * full-width glyph.
 */
import type { Root } from 'hast';
import { isLatinQuote, OPENING } from '../locale/latin-quotes.ts';
import type { Script } from '../locale/locale.ts';
import { applyMarks, textRuns, type Mark } from './text-runs.ts';

export interface CjkPunctuationOptions {
  /** The edition's script; English editions are left as they are. */
  script: Script;
}

/** Closing brackets and quotes: the glyph sits on the left half. */
const CLOSING_BRACKETS = new Set('）〕］｝》〉」』】〗〙”’');
/** Simplified Chinese sets these on the left of the em box too; Traditional Chinese centres them. */
const LEFT_STOPS = new Set('，。、：；');
/** Full-width marks centred in their box: they meet others but are never compressed themselves. */
const CENTRED = new Set('！？·・‧—…');
const QUOTES = new Set('‘’“”');

export function rehypeCjkPunctuation(options: CjkPunctuationOptions) {
  const closing = new Set([...CLOSING_BRACKETS, ...(options.script === 'zh-Hans' ? LEFT_STOPS : [])]);
  return (tree: Root) => {
    if (options.script === 'en') return;
    const runs = textRuns(tree);
    const { text } = runs;
    const marks: Mark[] = [];
    const latin = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      if (QUOTES.has(text[i]!) && isLatinQuote(text, i)) latin.add(i);
    }
    const isMark = (i: number) => {
      const c = text[i];
      if (c === undefined || latin.has(i)) return false;
      return OPENING.has(c) || closing.has(c) || LEFT_STOPS.has(c) || CENTRED.has(c);
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (latin.has(i)) {
        marks.push({ start: i, end: i + 1, className: 'latin-punct' });
        continue;
      }
      if (closing.has(c) && isMark(i + 1)) marks.push({ start: i, end: i + 1, className: 'cjk-half-end' });
      else if (OPENING.has(c) && i > 0 && OPENING.has(text[i - 1]!) && !latin.has(i - 1)) marks.push({ start: i, end: i + 1, className: 'cjk-half-start' });
    }
    applyMarks(runs, marks);
  };
}
