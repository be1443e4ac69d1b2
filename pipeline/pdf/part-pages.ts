/**
 * One body part of a book's PDF as a PDF of its own (the preview's print view shows a chapter's pages as
 * `annals build` made them: running heads, folios and all). Loaded with the print machinery.
 */
import { PDFDocument } from 'pdf-lib';
import { readDestinations } from './page-numbers.ts';

/**
 * The pages of the body part `id`: from its named destination's page to the page before the next part's
 * (`parts`: print.html's body parts in order, html/print-parts.ts).
 */
export async function partPages(bytes: Uint8Array, id: string, parts: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const dests = readDestinations(doc);
  const start = dests.get(id)?.page;
  if (start === undefined) throw new Error(`the PDF has no page for the chapter "${id}"`);
  const next = parts.slice(parts.indexOf(id) + 1).map((p) => dests.get(p)?.page).find((page) => page !== undefined);
  const end = next ?? doc.getPageCount();
  const cut = await PDFDocument.create({ updateMetadata: false });
  for (const page of await cut.copyPages(doc, Array.from({ length: end - start }, (_, i) => start + i))) cut.addPage(page);
  return cut.save();
}
