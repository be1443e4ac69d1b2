/**
 * Sort keys and letter groups of the back-of-book index. Chinese editions sort by Hanyu Pinyin
 * (pinyin-pro, which reads polyphonic characters in context: 重要 zhòng, 银行 háng), letter by letter,
 * then by tone, then by character; headings are grouped by the initial letter A–Z. English editions sort
 * alphabetically (Intl.Collator, case- and accent-insensitive). An explicit `sort` key replaces the
 * computed letters. Terms that start with a digit or symbol form a first group.
 */
import { createRequire } from 'node:module';
import type { pinyin as Pinyin } from 'pinyin-pro';

/** pinyin-pro (its dictionaries take ~0.1 s to load), loaded by the first Chinese index. */
let pinyinFn: typeof Pinyin | undefined;
const pinyin: typeof Pinyin = ((...args: Parameters<typeof Pinyin>) => (pinyinFn ??= (createRequire(import.meta.url)('pinyin-pro') as { pinyin: typeof Pinyin }).pinyin)(...args)) as typeof Pinyin;

export interface IndexSortKey {
  /** Lower-case ASCII letters and digits: "renGongzhineng" → "rengongzhineng". */
  letters: string;
  /** Tone digits of the syllables (Chinese), for ties between homophones. */
  tones: string;
  /** The term itself: the last tie-breaker. */
  text: string;
}

export interface IndexCollation {
  key(term: string, sort?: string): IndexSortKey;
  compare(a: IndexSortKey, b: IndexSortKey): number;
  /** The group a key belongs to: "A" … "Z", or "#" for digits and symbols. */
  group(key: IndexSortKey): string;
}

export function createIndexCollation(lang: string): IndexCollation {
  const chinese = lang.toLowerCase().startsWith('zh');
  const collator = new Intl.Collator(lang, { numeric: true, sensitivity: 'base' });
  const strict = new Intl.Collator(lang, { numeric: true });
  const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const onlyLetters = (s: string) => ascii(s).replace(/[^a-z0-9]/g, '');

  const key = (term: string, sort?: string): IndexSortKey => {
    if (!chinese) return { letters: ascii(sort ?? term).trim(), tones: '', text: term };
    const syllables = pinyin(term, { toneType: 'none', type: 'array' });
    const tones = pinyin(term, { pattern: 'num', type: 'array' }).map((t) => t || '0').join('');
    return { letters: onlyLetters(sort ?? syllables.join('')), tones, text: term };
  };

  const compare = (a: IndexSortKey, b: IndexSortKey): number => {
    if (!chinese) return collator.compare(a.letters, b.letters) || strict.compare(a.text, b.text);
    // Digits and symbols first, then letters; within letters plain ASCII order (letter by letter).
    return cmp(rank(a), rank(b)) || cmp(a.letters, b.letters) || cmp(a.tones, b.tones) || strict.compare(a.text, b.text);
  };

  const group = (k: IndexSortKey): string => {
    const first = k.letters.replace(/^[^a-z0-9]+/, '')[0];
    return first && /[a-z]/.test(first) ? first.toUpperCase() : '#';
  };

  const rank = (k: IndexSortKey) => (group(k) === '#' ? 0 : 1);

  return { key, compare, group };
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
