/** Figures and tables: the lists of figures and of tables, after the contents (front matter). */
import type { Feature } from '../feature.ts';
import { buildLists } from './lists-of-figures.ts';

export const figuresFeature: Feature = {
  name: 'figures',
  directives: [],
  parts: ({ context }) => ({ pages: (chapters) => ({ front: buildLists(context, chapters) }) }),
};
