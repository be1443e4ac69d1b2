/**
 * Straight quotes left in an English edition's finished text — from generated words, data files (source
 * lines, indicator names) or bibliographic data, which remarkSmartypants never sees — become typographic:
 * an apostrophe or a closing single quote ’, an opening ‘ after a space or bracket, and “…” for double
 * quotes. Code and mathematics are not touched (text-runs.ts).
 */
import type { Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { textRuns } from './text-runs.ts';

export interface EnglishQuotesOptions {
  /** The edition's script: only English editions are changed. */
  script: Script;
}

/** A quote is opening when it starts the text or follows a space, a bracket, a dash or another opening quote. */
const OPENS_AFTER = /[\s([{\u2014\u2013\u2018\u201C-]/;

export function curlyQuotes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "'" && c !== '"') {
      out += c;
      continue;
    }
    const before = i === 0 ? ' ' : text[i - 1]!;
    const opening = OPENS_AFTER.test(before) && !/\s/.test(text[i + 1] ?? ' ');
    if (c === "'") out += opening ? '\u2018' : '\u2019';
    else out += opening ? '\u201C' : '\u201D';
  }
  return out;
}

export function rehypeEnglishQuotes(options: EnglishQuotesOptions) {
  return (tree: Root) => {
    if (options.script !== 'en') return;
    const runs = textRuns(tree);
    if (!/['"]/.test(runs.text)) return;
    const curly = curlyQuotes(runs.text);
    for (const slot of runs.slots) slot.node.value = curly.slice(slot.start, slot.start + slot.node.value.length);
  };
}
