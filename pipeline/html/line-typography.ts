/**
 * Line-level typography of an edition (docs/pdf.md, "Line typography"): the last stage on every finished
 * tree — chapters after the book-wide stages, and the front and back matter — so that generated text
 * (cross-references, citations, reference lists) is treated like the author's. Each step is one plugin:
 * numbers aligned on the decimal point in numeric table columns, note and citation markers against their word, English quotes left straight by generated text, English
 * soft hyphens, and for Chinese: table cells that
 * keep words whole, no space before 《 and other opening marks, places where a line must not break,
 * punctuation compression and Latin quotes.
 * (English curly quotes and dashes are made earlier, on the Markdown: markdown/remark-smartypants.ts.)
 */
import { unified, type Processor } from 'unified';
import type { Root } from 'hast';
import type { EditionContext } from '../context/types.ts';
import { rehypeCjkPunctuation } from './rehype-cjk-punctuation.ts';
import { rehypeNoBreak } from './rehype-no-break.ts';
import { rehypeTableWords } from './rehype-table-words.ts';
import { rehypeNoteMarkers } from './rehype-note-markers.ts';
import { rehypeHyphenate } from './rehype-hyphenate.ts';
import { rehypeEnglishQuotes } from './rehype-english-quotes.ts';
import { rehypeDecimalAlign } from './rehype-decimal-align.ts';
import { rehypeCjkSpaces } from './rehype-cjk-spaces.ts';

export function createLineTypography(context: Pick<EditionContext, 'locale'>): Processor<undefined, Root, Root, undefined, undefined> {
  const { script } = context.locale;
  return unified()
    // First: it reads table cells that hold only text, before the other steps wrap parts of them.
    .use(rehypeDecimalAlign)
    .use(rehypeNoteMarkers, { script })
    .use(rehypeEnglishQuotes, { script })
    .use(rehypeHyphenate, { script })
    .use(rehypeCjkSpaces, { script })
    .use(rehypeTableWords, { script })
    .use(rehypeNoBreak, { script })
    .use(rehypeCjkPunctuation, { script })
    .freeze() as unknown as Processor<undefined, Root, Root, undefined, undefined>;
}
