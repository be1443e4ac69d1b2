/**
 * Sort keys and letter groups of the back-of-book index.
 *
 * Chinese editions sort by Hanyu Pinyin **syllable by syllable**, as the Chinese index standard
 * (GB/T 22466) orders headings: the first syllables are compared (as letter strings, so `gu` ‹ `guan` ‹
 * `guang` ‹ `gui` ‹ `guo`), then their tones, then the characters themselves; only when all of that is equal
 * do the second syllables count, and a heading that runs out of syllables first comes first. So 固定 ‹ 关键 ‹
 * 广东 ‹ 贵州 ‹ 国家, where joined letters would give 关键 ‹ 广东 ‹ 固定. ü sorts as `v`, after `u`.
 * pinyin-pro reads polyphonic characters by word (重要 zhòng, 银行 háng); Traditional editions (zh-Hant,
 * zh-TW, zh-HK) are read through OpenCC's Traditional → Simplified conversion first, so 銀行 is háng too.
 * A run of Latin letters or digits inside a heading (AI, 5G) is one syllable.
 *
 * English editions sort alphabetically (Intl.Collator, case- and accent-insensitive). An explicit `sort`
 * key replaces the computed syllables: its space-separated words are the syllables. Headings that start with
 * a digit or symbol form a first group.
 */
import { createRequire } from 'node:module';
import type OpenCCModule from 'opencc-js';
import type { pinyin as Pinyin } from 'pinyin-pro';
import { createCollationMemo, type CollationMemo, type PinyinReading } from '../../base/memo.ts';

// Loaded by the first Chinese index (pinyin-pro's dictionaries take ~0.1 s to load), OpenCC by the first
// Traditional one: a build without an index loads neither.
const load = createRequire(import.meta.url);
let pinyinFn: typeof Pinyin | undefined;
const pinyin = ((...args: Parameters<typeof Pinyin>) => (pinyinFn ??= (load('pinyin-pro') as { pinyin: typeof Pinyin }).pinyin)(...args)) as typeof Pinyin;

export interface IndexSortKey {
  /** Lower-case ASCII letters and digits of the whole heading ("rengongzhineng"); its group letter. */
  letters: string;
  /** The syllables, in lower-case ASCII (ü as v): ["ren", "gong", "zhi", "neng"]. Chinese only. */
  syllables: string[];
  /** Tone of each syllable, 0 (neutral or none) to 4. Chinese only. */
  tones: number[];
  /** The character behind each syllable ("" for an explicit sort key). Chinese only. */
  chars: string[];
  /** The term itself: the last tie-breaker. */
  text: string;
}

export interface IndexCollation {
  key(term: string, sort?: string): IndexSortKey;
  compare(a: IndexSortKey, b: IndexSortKey): number;
  /** The group a key belongs to: "A" … "Z", or "#" for digits and symbols. */
  group(key: IndexSortKey): string;
}

const TRADITIONAL = /^zh-(hant|tw|hk|mo)\b/i;

/** @param memo what the run's collations share (default: nothing, each builds its own) */
export function createIndexCollation(lang: string, memo: CollationMemo = createCollationMemo()): IndexCollation {
  const chinese = lang.toLowerCase().startsWith('zh');
  const collator = new Intl.Collator(lang, { numeric: true, sensitivity: 'base' });
  const strict = new Intl.Collator(lang, { numeric: true });
  const toSimplified = TRADITIONAL.test(lang) ? simplifier(/^zh-(hk|mo)\b/i.test(lang) ? 'hk' : 'tw', memo) : (text: string) => text;
  const read = (simplified: string): PinyinReading => {
    const kept = memo.readings.get(simplified);
    if (kept) return kept;
    const reading = pinyin(simplified, { type: 'all', toneType: 'none', nonZh: 'consecutive', v: true });
    memo.readings.set(simplified, reading);
    return reading;
  };
  const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const onlyLetters = (s: string) => ascii(s).replace(/[^a-z0-9]/g, '');

  const key = (term: string, sort?: string): IndexSortKey => {
    if (!chinese) return { letters: ascii(sort ?? term).trim(), syllables: [], tones: [], chars: [], text: term };
    if (sort !== undefined) {
      const syllables = sort.split(/\s+/).map(onlyLetters).filter(Boolean);
      return { letters: syllables.join(''), syllables, tones: syllables.map(() => 0), chars: syllables.map(() => ''), text: term };
    }
    const syllables: string[] = [];
    const tones: number[] = [];
    const chars: string[] = [];
    // Read the Simplified form (same length, character for character) so polyphones resolve by word.
    const simplified = toSimplified(term);
    const source = simplified.length === term.length ? term : simplified;
    let offset = 0;
    for (const item of read(simplified)) {
      const origin = source.slice(offset, offset + item.origin.length);
      offset += item.origin.length;
      const letters = onlyLetters(item.isZh ? item.pinyin : item.origin);
      if (!letters) continue;
      syllables.push(letters);
      tones.push(item.isZh ? item.num : 0);
      chars.push(item.isZh ? origin : '');
    }
    return { letters: syllables.join(''), syllables, tones, chars, text: term };
  };

  const compare = (a: IndexSortKey, b: IndexSortKey): number => {
    if (!chinese) return collator.compare(a.letters, b.letters) || strict.compare(a.text, b.text);
    // Digits and symbols first, then letters; then syllable by syllable: letters, tone, character.
    const first = cmp(rank(a), rank(b));
    if (first) return first;
    const n = Math.min(a.syllables.length, b.syllables.length);
    for (let i = 0; i < n; i++) {
      const order = cmp(a.syllables[i]!, b.syllables[i]!) || cmp(a.tones[i]!, b.tones[i]!) || strict.compare(a.chars[i]!, b.chars[i]!);
      if (order) return order;
    }
    return cmp(a.syllables.length, b.syllables.length) || strict.compare(a.text, b.text);
  };

  const group = (k: IndexSortKey): string => {
    const first = k.letters.replace(/^[^a-z0-9]+/, '')[0];
    return first && /[a-z]/.test(first) ? first.toUpperCase() : '#';
  };

  const rank = (k: IndexSortKey) => (group(k) === '#' ? 0 : 1);

  return { key, compare, group };
}

/** OpenCC's converter from `from` (tw or hk) to Simplified, built once per memo (its dictionaries take 25–75 ms). */
function simplifier(from: 'tw' | 'hk', memo: CollationMemo): (text: string) => string {
  const kept = memo.toSimplified.get(from);
  if (kept) return kept;
  const convert = (load('opencc-js') as typeof OpenCCModule).Converter({ from, to: 'cn' });
  memo.toSimplified.set(from, convert);
  return convert;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
