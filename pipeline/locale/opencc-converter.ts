/**
 * OpenCC's Simplified → Traditional converters, built so that the targets of one run share their tries.
 *
 * opencc-js's `Converter({ from: 'cn', to })` reads the configuration `s2<to>` of its preset: a
 * normalisation chain, a segmentation dictionary and a conversion chain, each group of dictionaries loaded
 * into a trie of its own. Every `s2*` configuration has the same normalisation, the same segmentation
 * (STPhrases) and the same first conversion group (STPhrases and STCharacters, ~60,000 entries); only the
 * last group (TWPhrases, TWVariants …) differs. Building those shared tries was most of the 0.2–0.4 s a
 * converter took, and a derived edition under `twp` needs two converters (twp, and tw for titles in 《》).
 *
 * `openccConverter` does what opencc-js's converter does, step for step, with the package's own `Trie` and
 * configuration: normalise, segment, convert every segment through each trie of the chain in order, join.
 * A trie already built for another target (the same dictionaries, in `tries`) is used again; tries are
 * only read once built. A target without an `s2*` configuration falls back to `Converter`.
 */
import type OpenCCModule from 'opencc-js';
import type { DictGroup, DictLike, Trie } from 'opencc-js';

/** The tries built so far, by the dictionaries they hold (a BuildMemo keeps one for the run). */
export interface OpenccTries {
  /** Each dictionary's number (dictionaries are the preset's strings, shared by every configuration). */
  readonly ids: Map<DictLike, number>;
  readonly tries: Map<string, Trie>;
}

export function createOpenccTries(): OpenccTries {
  return { ids: new Map(), tries: new Map() };
}

/** The `s2*` configuration of opencc-js's full preset, with the normalisation its type does not declare. */
interface S2Config {
  normalizationChain?: readonly DictGroup[];
  segmentation?: DictLike | DictGroup;
  conversionChain: readonly DictGroup[];
}

/** The converter from Simplified Chinese (`cn`) to `target`, as opencc-js's `Converter` gives it. */
export function openccConverter(opencc: typeof OpenCCModule, target: string, tries: OpenccTries): (text: string) => string {
  const config = (opencc.Locale.configs as Record<string, S2Config> | undefined)?.[`s2${target}`];
  if (!config) return opencc.Converter({ from: 'cn', to: target });
  const trieOf = (group: DictGroup): Trie => {
    const key = group.map((dict: DictLike) => idOf(tries, dict)).join(',');
    let trie = tries.tries.get(key);
    if (!trie) {
      trie = new opencc.Trie();
      trie.loadDictGroup(group);
      tries.tries.set(key, trie);
    }
    return trie;
  };
  const normalise = (config.normalizationChain ?? []).map(trieOf);
  const segmentation = config.segmentation ? trieOf(isGroup(config.segmentation) ? config.segmentation : [config.segmentation]) : undefined;
  const chain = config.conversionChain.map(trieOf);
  return (text) => {
    const normalised = normalise.reduce((s, trie) => trie.convert(s), text);
    const segments = segmentation ? segmentation.segment(normalised) : [normalised];
    return chain.reduce((parts: string[], trie) => parts.map((part) => trie.convert(part)), segments).join('');
  };
}

/** A group of dictionaries (opencc-js: an array of serialised dictionaries), not one dictionary of pairs. */
function isGroup(value: DictLike | DictGroup): value is DictGroup {
  return Array.isArray(value) && value.every((dict) => typeof dict === 'string');
}

function idOf(tries: OpenccTries, dict: DictLike): number {
  let id = tries.ids.get(dict);
  if (id === undefined) tries.ids.set(dict, (id = tries.ids.size));
  return id;
}
