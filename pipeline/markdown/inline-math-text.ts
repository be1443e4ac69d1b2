/**
 * Generated sentences that carry formulas (the methodology's normalisation and aggregation steps) write
 * them the way authors do, as `$…$` in the locale string. `phrasingWithMath` splits such a sentence into
 * text and `inlineMath` nodes, the nodes remark-math makes from a manuscript, so remark-equations renders
 * both with KaTeX and the text stages (标点挤压, script conversion, hyphenation) leave the formula alone.
 *
 * Only sentences known to hold formulas go through it: a `$` in data (an indicator named "US$ …") is not
 * a delimiter anywhere else.
 */
import type { PhrasingContent } from 'mdast';
import type { Position } from 'unist';

/** Text and inline formulas of one sentence; an unpaired `$` stays text. */
export function phrasingWithMath(sentence: string, position?: Position): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const match of sentence.matchAll(/\$([^$\n]+)\$/g)) {
    if (match.index > last) out.push({ type: 'text', value: sentence.slice(last, match.index) });
    out.push({ type: 'inlineMath', value: match[1]!, ...(position ? { position } : {}) } as PhrasingContent);
    last = match.index + match[0].length;
  }
  if (last < sentence.length) out.push({ type: 'text', value: sentence.slice(last) });
  return out;
}
