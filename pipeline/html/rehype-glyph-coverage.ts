/**
 * Reports each character of a chapter that none of the edition's fonts draws (`glyph-missing`, a
 * warning at the first place it occurs, once per character and chapter). The PDF then draws it with the
 * build's stand-in face (an empty box, `missing-glyph-font.ts`) instead of a font of the machine, and
 * the site does the same, so every machine shows the same pages. Mathematics is skipped: KaTeX sets it
 * in its own fonts.
 */
import type { Element, Root } from 'hast';
import { SKIP, visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { codePointName, type Coverage, needsGlyph } from '../fonts/glyph-coverage.ts';

export interface RehypeGlyphCoverageOptions {
  /** What the edition's faces cover (`coverageOf(fontSetFor(script))`). */
  coverage: Coverage;
}

const MATH_CLASSES = new Set(['math-inline', 'math-display', 'katex', 'katex-display', 'language-math']);

export function rehypeGlyphCoverage(options: RehypeGlyphCoverageOptions) {
  const { coverage } = options;
  return (tree: Root, file: VFile) => {
    const seen = new Set<number>();
    visit(tree, (node) => {
      if (node.type === 'element' && isMath(node)) return SKIP;
      if (node.type !== 'text') return;
      for (const ch of node.value) {
        const c = ch.codePointAt(0)!;
        if (c < 0x80 || seen.has(c) || !needsGlyph(c) || coverage.covers(c)) continue;
        seen.add(c);
        report(file, 'glyph-missing', `"${ch}" (${codePointName(c)}) is in none of the edition's fonts: the PDF and the site show it as an empty box`, node);
      }
      return undefined;
    });
  };
}

/** KaTeX's output and the math it replaced: set in KaTeX's own fonts. */
export function isMath(node: Element): boolean {
  const cls = node.properties.className;
  return Array.isArray(cls) && cls.some((c) => MATH_CLASSES.has(String(c)));
}
