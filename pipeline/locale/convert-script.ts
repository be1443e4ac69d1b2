/**
 * Simplified → Traditional conversion for derived editions: OpenCC (opencc-js, phrase-level segmentation as
 * in upstream OpenCC) with a per-book glossary applied before and over it. A glossary entry is matched in
 * the Simplified text (longest first) and written exactly as the editors gave it; the text between entries
 * goes through OpenCC. So `数据 → 數據` holds even under `twp`, whose phrase dictionary would make it 資料.
 * Entries are terms (how a word of the field is written in this edition) or names (organisations, laws,
 * the report's own title: written as their owners write them, whatever the variant).
 *
 * Titles in 《》 — laws, policy documents, books — are official names too: they are converted character by
 * character (tw / hk), never with the phrase dictionaries of twp / hkp.
 *
 * Quotes: Taiwan and Hong Kong set 「」 for quotations and 『』 inside them; `quotes: 'corner'` turns the
 * Chinese “”‘’ into those (quotes in Latin text, such as World’s, stay).
 *
 * The converter records how the words of glossary terms were written (`usage`) — by the term, and by
 * OpenCC where the word stands outside it — so the edition check (pipeline/check/hant-terms.ts) can report
 * a word written two ways in one edition. Names are not terms and are not recorded.
 *
 * Building OpenCC's dictionaries takes 0.2–0.4 s: with a BuildMemo (`openccMemo`) the editions of a run
 * and the rebuilds of a preview share one per target; nothing is cached at module level. The two converters
 * of a `twp` or `hkp` edition share the tries their targets have in common (opencc-converter.ts).
 */
import { createRequire } from 'node:module';
import type OpenCCModule from 'opencc-js';
import type { OPENCC_TARGETS } from '../config/book-schema.ts';
import { isLatinQuote } from './latin-quotes.ts';
import { createOpenccTries, openccConverter } from './opencc-converter.ts';

/** opencc-js, loaded by the first derived edition (its dictionaries are large). */
let opencc: typeof OpenCCModule | undefined;
const openccModule = () => (opencc ??= createRequire(import.meta.url)('opencc-js') as typeof OpenCCModule);

export type OpenccTarget = (typeof OPENCC_TARGETS)[number];

/** How the words of the source were written in the edition: word → rendering → the glossary entries that gave it (empty: OpenCC). */
export type TermUsage = Map<string, Map<string, Set<string>>>;

/** Text of a source edition → the same text in the edition's script. */
export interface ScriptConverter {
  (text: string): string;
  /** The words of glossary terms converted so far, and how (see TermUsage). */
  usage?: TermUsage;
}

export interface ScriptConverterOptions {
  /** OpenCC target locale: tw, twp, hk or hkp (the source is always `cn`). */
  target: OpenccTarget;
  /** Simplified term → Traditional term, applied before and over OpenCC. Default: none. */
  overrides?: ReadonlyArray<readonly [string, string]>;
  /** Glossary entries (Simplified keys of `overrides`) that are names, exempt from the usage record. Default: none. */
  names?: ReadonlySet<string>;
  /** `corner`: “”‘’ in Chinese text become 「」『』. Default: `keep`. */
  quotes?: 'corner' | 'keep';
  /** OpenCC converters already built, by target (a BuildMemo's `opencc`); the one built here is added. Default: none. */
  openccMemo?: Map<string, (text: string) => string>;
}

const CORNER: Record<string, string> = { '“': '「', '”': '」', '‘': '『', '’': '』' };

/** A converter from Simplified Chinese to the target, honouring the glossary. */
export function createScriptConverter(options: ScriptConverterOptions): ScriptConverter {
  // twp and tw (for titles) share most of their tries: built once for both (opencc-converter.ts).
  const tries = createOpenccTries();
  const converter = (target: OpenccTarget) => {
    const built = options.openccMemo?.get(target) ?? openccConverter(openccModule(), target, tries);
    options.openccMemo?.set(target, built);
    return built;
  };
  const phrases = converter(options.target);
  // Titles in 《》 (laws, documents, books) are official names: characters only, never localised terms.
  const characters = options.target.endsWith('p') ? converter(options.target.slice(0, -1) as OpenccTarget) : phrases;
  const opencc = (text: string) => (text.includes('《') ? text.split(/(《[^《》]*》)/).map((part, i) => (i % 2 === 1 ? characters(part) : phrases(part))).join('') : phrases(text));
  const overrides = new Map((options.overrides ?? []).filter(([from]) => from.length > 0));
  const names = options.names ?? new Set<string>();
  const usage: TermUsage = new Map();
  const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
  const record = (word: string, rendering: string, entry: string) => {
    if (!/^\p{Script=Han}{2,}$/u.test(word) || word === rendering) return;
    const ways = usage.get(word) ?? new Map<string, Set<string>>();
    const entries = ways.get(rendering) ?? new Set<string>();
    if (entry) entries.add(entry);
    ways.set(rendering, entries);
    usage.set(word, ways);
  };
  // The words a glossary term is made of (数据要素: 数据, 要素), as the term writes them: OpenCC may
  // write the same word another way elsewhere (数据 → 資料 under twp).
  const watched = new Map<string, Array<[string, string]>>();
  for (const [from, to] of overrides) {
    if (names.has(from)) continue;
    const parts: Array<[string, string]> = [[from, to]];
    if (from.length === to.length) for (const { segment, index } of segmenter.segment(from)) if (segment !== from) parts.push([segment, to.slice(index, index + segment.length)]);
    watched.set(from, parts.filter(([w]) => /^\p{Script=Han}{2,}$/u.test(w)));
  }
  const watchedWords = new Set([...watched.values()].flatMap((parts) => parts.map(([w]) => w)));
  const plain = (text: string) => {
    for (const word of watchedWords) if (text.includes(word)) record(word, opencc(word), '');
    return opencc(text);
  };
  const quotes = options.quotes === 'corner' ? cornerQuotes : (text: string) => text;
  // Longest first, so 东数西算工程 wins over 东数西算 when both are listed.
  const terms = [...overrides.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const pattern = terms.length > 0 ? new RegExp(terms.map(escapeRegExp).join('|'), 'gu') : undefined;
  const convert: ScriptConverter = (text) => {
    if (!hasHan(text)) return text;
    if (!pattern) return quotes(plain(text));
    let out = '';
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      out += plain(text.slice(last, match.index));
      const written = overrides.get(match[0])!;
      for (const [word, form] of watched.get(match[0]) ?? []) record(word, form, match[0]);
      out += written;
      last = match.index! + match[0].length;
    }
    return quotes(out + plain(text.slice(last)));
  };
  convert.usage = usage;
  return convert;
}

/** “”‘’ in Chinese text → 「」『』; quotes in Latin text (isLatinQuote) are kept. */
export function cornerQuotes(text: string): string {
  if (!/[“”‘’]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += CORNER[c] !== undefined && !isLatinQuote(text, i) ? CORNER[c] : c;
  }
  return out;
}

/** True when the text holds a CJK ideograph (ASCII-only text never needs OpenCC). */
function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
