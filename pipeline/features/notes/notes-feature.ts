/**
 * Notes (GFM footnotes) at the end of each chapter: their ids made unique in the book (the print edition
 * holds every chapter in one document), then numbered with the book's markers. A reference without a
 * definition is reported with the manuscript's input checks (markdown/remark-undefined-footnotes.ts); a
 * marker is glued to its word by line typography (html/rehype-note-markers.ts).
 */
import type { Feature } from '../feature.ts';
import { rehypeChapterNotes } from './rehype-chapter-notes.ts';
import { rehypeFootnoteIds } from './rehype-footnote-ids.ts';

export const notesFeature: Feature = {
  name: 'notes',
  directives: [],
  parts: ({ context }) => ({ rehype: [rehypeFootnoteIds, [rehypeChapterNotes, { context }]] }),
};
