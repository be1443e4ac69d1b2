/**
 * The yearbook's chronicle of events (docs/directives.md `::chronicle`), from a data file; an event's
 * `terms:` become index marks, numbered by the counter `:idx` uses.
 */
import type { Feature } from '../feature.ts';
import { remarkChronicle } from './remark-chronicle.ts';

export const chronicleFeature: Feature = {
  name: 'chronicle',
  directives: ['chronicle'],
  parts: ({ context, data, marks }) => ({ remark: [[remarkChronicle, { context, data, counter: marks }]] }),
};
