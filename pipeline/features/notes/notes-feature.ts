/**
 * Notes (GFM footnotes) at the end of each chapter, numbered with the book's markers: after the
 * processor's rehype-footnote-ids has made their ids unique in the book.
 */
import type { Feature } from '../feature.ts';
import { rehypeChapterNotes } from './rehype-chapter-notes.ts';

export const notesFeature: Feature = {
  name: 'notes',
  directives: [],
  parts: ({ context }) => ({ rehype: [[rehypeChapterNotes, { context }]] }),
};
