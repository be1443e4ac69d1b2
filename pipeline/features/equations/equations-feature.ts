/**
 * Mathematics (docs/directives.md `:::equation`, `$…$`, `$$…$$`): formulas rendered with KaTeX at build
 * time, numbered equations with labels. Formulas rendered by an earlier edition of the run are reused
 * (the BuildMemo's `tex`). The KaTeX stylesheet and fonts are shipped by html/katex-assets.ts.
 */
import type { Feature } from '../feature.ts';
import { remarkEquations, EQUATION_DIRECTIVES } from './remark-equations.ts';

export const equationsFeature: Feature = {
  name: 'equations',
  directives: EQUATION_DIRECTIVES,
  parts: ({ context, memo }) => ({ blocks: [[remarkEquations, { context, ...(memo ? { rendered: memo.tex } : {}) }]] }),
};
