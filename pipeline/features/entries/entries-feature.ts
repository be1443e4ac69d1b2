/**
 * The yearbook's 类目/分目/条目 (docs/directives.md `:::entry`): entries and 分目 headings made visible
 * to the TOC, the PDF outline and the running heads. Runs after the notes are placed.
 */
import type { Feature } from '../feature.ts';
import { rehypeYearbookStructure } from './rehype-yearbook-structure.ts';

export const entriesFeature: Feature = {
  name: 'entries',
  directives: [],
  parts: ({ context }) => ({ rehype: [[rehypeYearbookStructure, { context }]] }),
};
