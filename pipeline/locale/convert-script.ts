/**
 * Simplified → Traditional conversion for derived editions: OpenCC (opencc-js, phrase-level segmentation as
 * in upstream OpenCC) with a per-book list of term overrides applied before and over it. An override is
 * matched in the Simplified text (longest term first) and written exactly as the editors gave it; the
 * text between overrides goes through OpenCC. So `数据 → 數據` holds even under `twp`, whose phrase
 * dictionary would make it 資料.
 *
 * Building OpenCC's dictionaries takes 0.2–0.4 s: with a BuildMemo (`openccMemo`) the editions of a run
 * and the rebuilds of a preview share one per target; nothing is cached at module level.
 */
import { createRequire } from 'node:module';
import type OpenCCModule from 'opencc-js';
import type { OPENCC_TARGETS } from '../config/book-schema.ts';

/** opencc-js, loaded by the first derived edition (its dictionaries are large). */
let opencc: typeof OpenCCModule | undefined;
const openccModule = () => (opencc ??= createRequire(import.meta.url)('opencc-js') as typeof OpenCCModule);

export type OpenccTarget = (typeof OPENCC_TARGETS)[number];

/** Text of a source edition → the same text in the edition's script. */
export type ScriptConverter = (text: string) => string;

export interface ScriptConverterOptions {
  /** OpenCC target locale: tw, twp, hk or hkp (the source is always `cn`). */
  target: OpenccTarget;
  /** Simplified term → Traditional term, applied before and over OpenCC. Default: none. */
  overrides?: ReadonlyArray<readonly [string, string]>;
  /** OpenCC converters already built, by target (a BuildMemo's `opencc`); the one built here is added. Default: none. */
  openccMemo?: Map<string, (text: string) => string>;
}

/** A converter from Simplified Chinese to the target, honouring the overrides. */
export function createScriptConverter(options: ScriptConverterOptions): ScriptConverter {
  const opencc = options.openccMemo?.get(options.target) ?? openccModule().Converter({ from: 'cn', to: options.target });
  options.openccMemo?.set(options.target, opencc);
  const overrides = new Map((options.overrides ?? []).filter(([from]) => from.length > 0));
  if (overrides.size === 0) return (text) => (hasHan(text) ? opencc(text) : text);
  // Longest first, so 东数西算工程 wins over 东数西算 when both are listed.
  const terms = [...overrides.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const pattern = new RegExp(terms.map(escapeRegExp).join('|'), 'gu');
  return (text) => {
    if (!hasHan(text)) return text;
    let out = '';
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      out += opencc(text.slice(last, match.index));
      out += overrides.get(match[0])!;
      last = match.index! + match[0].length;
    }
    return out + opencc(text.slice(last));
  };
}

/** True when the text holds a CJK ideograph (ASCII-only text never needs OpenCC). */
function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
