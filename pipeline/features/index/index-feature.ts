/**
 * The back-of-book index (docs/directives.md `:idx`): the remark part records index marks (anchors idx-1,
 * idx-2 … numbered through the edition by the counter it shares with the chronicle's `terms:`); the index
 * page is made from every chapter's marks after the last chapter.
 */
import type { Feature } from '../feature.ts';
import { remarkIndexTerms } from './remark-index-terms.ts';
import { buildIndexPage } from './index-page.ts';

export const indexFeature: Feature = {
  name: 'index',
  directives: ['idx'],
  parts: ({ context, marks, memo }) => ({
    remark: [[remarkIndexTerms, { counter: marks }]],
    pages(chapters) {
      // Readings and converters shared with the run's other editions (a zh and a zh-Hant edition read alike).
      const page = buildIndexPage(context, chapters, memo?.collation);
      return page ? { back: [page] } : {};
    },
  }),
};
