/**
 * Emoji in text presentation, drawn by the edition's own symbol face.
 *
 * A character whose default presentation is emoji (🏆 U+1F3C6, 📦 U+1F4E6: Unicode's Emoji_Presentation),
 * or any character followed by the emoji variation selector U+FE0F, is drawn by Chromium with a colour
 * emoji font even when a face of the page's font stack has it (Noto Sans Symbols 2 has both): a font of
 * the machine, which the PDF embeds as a Type 3 font and the font audit refuses (`pdf-font-type3`,
 * `pdf-font-undeclared`), so a chapter with a trophy in it could not be printed. Every such character is
 * given the text variation selector U+FE0E instead (added, or put in place of U+FE0F), and Chromium then
 * takes the first face of the stack that has it, as for any other character: the edition's face, which
 * draws it in black like the text around it, in the site and the PDF alike; or, for one that no face
 * covers, the build's stand-in face (rehype-glyph-coverage.ts reports it). The text keeps its characters
 * (U+FE0E draws nothing). Mathematics is skipped (KaTeX sets it in its own fonts).
 */
import type { Root } from 'hast';
import { SKIP, visit } from '../base/visit.ts';
import { isMath } from './rehype-glyph-coverage.ts';

const TEXT_SELECTOR = '\uFE0E';
const EMOJI_SELECTOR = '\uFE0F';
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;

export function rehypeTextPresentation() {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'element' && isMath(node)) return SKIP;
      if (node.type === 'text' && (node.value.includes(EMOJI_SELECTOR) || EMOJI_PRESENTATION.test(node.value))) node.value = inTextPresentation(node.value);
      return undefined;
    });
  };
}

/** `text` with every emoji-presentation character, and every character before U+FE0F, followed by U+FE0E instead. */
export function inTextPresentation(text: string): string {
  const chars = [...text];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    out += ch;
    if (ch === EMOJI_SELECTOR || ch === TEXT_SELECTOR) continue;
    if (next === EMOJI_SELECTOR) {
      out += TEXT_SELECTOR;
      i++; // the emoji selector is replaced
    } else if (next !== TEXT_SELECTOR && EMOJI_PRESENTATION.test(ch)) {
      out += TEXT_SELECTOR;
    }
  }
  return out;
}
