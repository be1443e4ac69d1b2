/**
 * Every feature of the build, registered once. The order is the order their parts run in: a feature's
 * expand, remark and rehype plugins run after those of the features before it (chapter/processor.ts), its
 * book-wide pass after theirs (build/book-wide.ts), and its pages follow theirs (back matter: the list of
 * references, then the index).
 */
import { createDataFiles } from '../config/data-files.ts';
import { createIndexMarkCounter } from '../context/index-marks.ts';
import type { EditionFeature, Feature, FeatureEdition } from './feature.ts';
import { indicatorsFeature } from './indicators/indicators-feature.ts';
import { statisticsFeature } from './statistics/statistics-feature.ts';
import { crossReferencesFeature } from './cross-references/cross-references-feature.ts';
import { citationsFeature } from './citations/citations-feature.ts';
import { indexFeature } from './index/index-feature.ts';
import { langFeature } from './lang/lang-feature.ts';
import { chronicleFeature } from './chronicle/chronicle-feature.ts';
import { notesFeature } from './notes/notes-feature.ts';
import { entriesFeature } from './entries/entries-feature.ts';
import { figuresFeature } from './figures/figures-feature.ts';
import { equationsFeature } from './equations/equations-feature.ts';
import { signatureFeature } from './signature/signature-feature.ts';

export const FEATURES: readonly Feature[] = [
  // Blocks first: figures, tables and boxes, then equations and signatures (entries' blocks come last,
  // with the entries feature). The lists of figures and tables are the first pages made.
  figuresFeature,
  equationsFeature,
  signatureFeature,
  // ::ranking-table, ::chart and ::stats-table expand into :::table / ::figure first, so they are numbered
  // with the chapter's own tables and figures.
  indicatorsFeature,
  statisticsFeature,
  // Book-wide: cross-references, then citations in book order.
  crossReferencesFeature,
  citationsFeature,
  indexFeature,
  langFeature,
  chronicleFeature,
  // Notes at the chapter's end, then the yearbook's 类目/分目/条目 for the TOC and running heads.
  notesFeature,
  entriesFeature,
];

/** The edition's parts of every feature, in order; `marks` and `data` are made here, once per edition. */
export function editionFeatures(input: Omit<FeatureEdition, 'marks' | 'data'>, features: readonly Feature[] = FEATURES): EditionFeature[] {
  const edition: FeatureEdition = {
    ...input,
    marks: createIndexMarkCounter(input.context.counters),
    data: createDataFiles({ bookDir: input.context.book.dir, session: input.session }),
  };
  return features.map((feature) => ({ name: feature.name, directives: feature.directives, ...(feature.roles ? { roles: feature.roles } : {}), ...feature.parts(edition) }));
}
