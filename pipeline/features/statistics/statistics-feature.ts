/**
 * Statistics tables from the book's data files (docs/directives.md `::stats-table`): the directive expands
 * into a `:::table` before the built-in directives, so it is numbered with the chapter's other tables.
 */
import type { Feature } from '../feature.ts';
import { remarkStatsTable } from './remark-stats-table.ts';

export const statisticsFeature: Feature = {
  name: 'statistics',
  directives: ['stats-table'],
  parts: ({ context, data }) => ({ expand: [[remarkStatsTable, { context, data }]] }),
};
