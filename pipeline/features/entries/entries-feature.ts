/**
 * The yearbook's 类目/分目/条目 (docs/directives.md `:::entry`): the entries (blocks, so other directives
 * may sit in them), then, after the notes are placed, entries and 分目 headings made visible to the TOC,
 * the PDF outline and the running heads.
 */
import type { Feature } from '../feature.ts';
import { remarkEntries } from './remark-entries.ts';
import { rehypeYearbookStructure } from './rehype-yearbook-structure.ts';

export const entriesFeature: Feature = {
  name: 'entries',
  directives: ['entry'],
  roles: { labelled: ['entry'] },
  parts: ({ context }) => ({
    blocks: [[remarkEntries, { context }]],
    rehype: [[rehypeYearbookStructure, { context }]],
  }),
};
