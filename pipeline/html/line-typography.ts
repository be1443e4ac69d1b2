/**
 * Line-level typography of an edition (docs/pdf.md, "Line typography"): the last stage on every finished
 * tree — chapters after the book-wide stages, and the front and back matter — so that generated text
 * (cross-references, citations, reference lists) is treated like the author's. Each step is one plugin:
 * punctuation compression and Latin quotes, places where a line must not break, table cells that keep
 * words whole. English editions pass through unchanged (English is hyphenated and quoted in Markdown,
 * before the tree exists).
 */
import { unified, type Processor } from 'unified';
import type { Root } from 'hast';
import type { EditionContext } from '../types.ts';
import { rehypeCjkPunctuation } from './rehype-cjk-punctuation.ts';
import { rehypeNoBreak } from './rehype-no-break.ts';
import { rehypeTableWords } from './rehype-table-words.ts';

export function createLineTypography(context: Pick<EditionContext, 'locale'>): Processor<undefined, Root, Root, undefined, undefined> {
  const { script } = context.locale;
  return unified()
    .use(rehypeTableWords, { script })
    .use(rehypeNoBreak, { script })
    .use(rehypeCjkPunctuation, { script })
    .freeze() as unknown as Processor<undefined, Root, Root, undefined, undefined>;
}
