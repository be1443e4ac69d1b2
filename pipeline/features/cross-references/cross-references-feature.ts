/**
 * Cross-references (docs/directives.md `:ref`, `:pageref`): the remark part leaves a placeholder; the
 * book-wide part, once every label of the edition is known, writes the reference's text and link and
 * counts what is referred to; after the last chapter, a labelled figure, table or box nothing refers to is
 * reported.
 */
import type { Feature } from '../feature.ts';
import { remarkCrossReferences, CROSS_REFERENCE_DIRECTIVES } from './remark-cross-references.ts';
import { createCrossReferenceUsage, rehypeCrossReferences, reportUnreferencedLabels } from './rehype-cross-references.ts';

export const crossReferencesFeature: Feature = {
  name: 'cross-references',
  directives: CROSS_REFERENCE_DIRECTIVES,
  roles: { keyLabels: CROSS_REFERENCE_DIRECTIVES },
  parts: ({ context }) => ({
    remark: [remarkCrossReferences],
    bookWide(index) {
      const usage = createCrossReferenceUsage();
      return {
        rehype: [[rehypeCrossReferences, { context, index, usage }]],
        finish: (chapters) => reportUnreferencedLabels(chapters, usage),
      };
    },
  }),
};
