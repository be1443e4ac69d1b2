/**
 * Emoji in text presentation, drawn by the edition's own faces.
 *
 * A character followed by the emoji variation selector U+FE0F (☺️, 🏆️) is drawn by Chromium with a colour
 * emoji font of the machine even when a face of the page's font stack has it: the PDF then embeds that
 * font as a Type 3 font and the font audit refuses it (`pdf-font-type3`, `pdf-font-undeclared`). Measured
 * with Debian's fonts-noto-color-emoji installed; without the selector, Chromium took Noto Sans Symbols 2's
 * 🏆 and 📦 from the stack, and `font-variant-emoji: text` (base.css) did not change what the selector asks
 * for. So U+FE0F is replaced by the text selector U+FE0E, and an emoji-presentation character (Unicode's
 * Emoji_Presentation) gets U+FE0E after it too, which asks for what the stack already gives. Chromium then
 * takes the first face of the stack that has the character, as for any other: the edition's face, drawing
 * it in black like the text around it, or, for one that no face covers, the build's stand-in face
 * (rehype-glyph-coverage.ts reports it). U+FE0E draws nothing, so the text reads and copies as before.
 * Mathematics is skipped (KaTeX sets it in its own fonts).
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
