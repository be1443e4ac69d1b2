/**
 * Figures, tables and boxes (docs/directives.md `::figure`, `:::table`, `:::box`): numbered, captioned
 * blocks and labels a cross-reference can point at; the lists of figures and of tables after the contents
 * (front matter).
 */
import type { Feature } from '../feature.ts';
import { remarkCaptionedBlocks, CAPTIONED_DIRECTIVES } from './remark-captioned-blocks.ts';
import { buildLists } from './lists-of-figures.ts';

export const figuresFeature: Feature = {
  name: 'figures',
  directives: CAPTIONED_DIRECTIVES,
  roles: { labelled: CAPTIONED_DIRECTIVES },
  parts: ({ context }) => ({
    blocks: [[remarkCaptionedBlocks, { context }]],
    pages: (chapters) => ({ front: buildLists(context, chapters) }),
  }),
};
