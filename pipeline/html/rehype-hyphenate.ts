/**
 * Build-time hyphenation of English prose: soft hyphens (U+00AD) from the en-US Liang patterns of the
 * `hyphen` package. Chromium on Linux has no hyphenation dictionaries, so `hyphens: auto` does nothing in
 * print; with soft hyphens and `hyphens: manual` (base.css) justified lines can break inside long words
 * instead of opening rivers.
 *
 * Only words of letters in running text are hyphenated: headings, figures and tables (captions, cells,
 * source lines), reference lists
 * (bibliographic data), the index, code, mathematics, URLs, e-mail
 * addresses and anything with a digit are left whole, and so are words shorter than `minWordLength` and
 * words in capitals (acronyms and markers such as NATO, ORIGINAL: English typesetting does not break them).
 */
import { createRequire } from 'node:module';
import type { Element, Root } from 'hast';
import type EnUs from 'hyphen/en-us/index.js';
import type { Script } from '../locale/locale.ts';
import { classesOf, textRuns } from './text-runs.ts';

export interface HyphenateOptions {
  /** The edition's script: only English editions are hyphenated. */
  script: Script;
  /** Words shorter than this are never hyphenated. Default: 7. */
  minWordLength?: number;
}

// The patterns are loaded by the first English edition that is hyphenated (a check, or a Chinese book, loads none).
let enUs: typeof EnUs | undefined;
const patterns = () => (enUs ??= createRequire(import.meta.url)('hyphen/en-us/index.js') as typeof EnUs);

/** Elements whose text is never hyphenated. */
const WHOLE_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'title', 'nav', 'th', 'td', 'figcaption', 'figure']);
const WHOLE_CLASSES = ['caption', 'source', 'caption-label', 'xref', 'nobreak', 'references', 'index-body', 'index-entries', 'toc-label'];

export function rehypeHyphenate(options: HyphenateOptions) {
  const minWordLength = options.minWordLength ?? 7;
  const skip = (node: Element) => WHOLE_TAGS.has(node.tagName) || classesOf(node).some((c) => WHOLE_CLASSES.includes(c));
  return (tree: Root) => {
    if (options.script !== 'en') return;
    for (const { node } of textRuns(tree, skip).slots) {
      // Whitespace-separated tokens; a token that looks like a URL, an address or a code is left whole.
      node.value = node.value.replace(/\S+/g, (token) =>
        /[:/@\\_=]|\.\w|\d/.test(token) ? token : token.replace(/\p{L}+/gu, (word) => (word.length >= minWordLength && word !== word.toUpperCase() ? patterns().hyphenateSync(word, { minWordLength, html: false }) : word)),
      );
    }
  };
}
