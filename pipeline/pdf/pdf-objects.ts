/**
 * The objects of a PDF as the page-number passes read them: the catalog, the pages in order, and any
 * object a reference names. Two sources give them:
 *
 * - `documentObjects`: a document pdf-lib has parsed (the assembler's, or any PDF);
 * - `printObjects`: a print's bytes, read object by object through its cross-reference table with
 *   pdf-lib's object parser (base/pdf-xref.ts). Only the objects asked for are parsed (the catalog, the page tree, the
 *   destinations, link annotations): a few milliseconds for a 300-page print, where parsing the whole
 *   file with pdf-lib takes 130–210 ms, so the page plan is made and the next print started while pdf-lib
 *   parses the file for the assembler. Undefined when the file has no classic cross-reference table
 *   that can be followed (an xref stream, a cut-off file, an update section): the caller then parses
 *   the whole file.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';
import { pdfXref } from '../base/pdf-xref.ts';

export interface PdfObjects {
  /** The document catalog. */
  catalog: PDFDict;
  /** The page objects, in page order. */
  pages: readonly PDFRef[];
  /** The object a reference names (a direct object is returned as it is); undefined if unreadable. */
  resolve(object: PDFObject | undefined): PDFObject | undefined;
}

/** The objects of a document pdf-lib has parsed. */
export function documentObjects(doc: PDFDocument): PdfObjects {
  return {
    catalog: doc.catalog,
    pages: doc.getPages().map((p) => p.ref),
    resolve: (object) => (object instanceof PDFRef ? doc.context.lookup(object) : object),
  };
}

/** The objects of a print, read on demand through its cross-reference table (see above). */
export function printObjects(bytes: Uint8Array): PdfObjects | undefined {
  const xref = pdfXref(bytes);
  if (!xref) return undefined;
  const { resolve } = xref;
  const catalog = resolve(xref.trailer.get(PDFName.of('Root')));
  if (!(catalog instanceof PDFDict)) return undefined;
  const pages: PDFRef[] = [];
  if (!pageLeaves(catalog.get(PDFName.of('Pages')), resolve, pages, 0)) return undefined;
  return { catalog, pages, resolve };
}

/** Depth-first walk of the page tree; false when a node cannot be read. */
function pageLeaves(node: PDFObject | undefined, resolve: PdfObjects['resolve'], out: PDFRef[], depth: number): boolean {
  const dict = resolve(node);
  if (!(node instanceof PDFRef) || !(dict instanceof PDFDict) || depth > 32) return false;
  const kids = resolve(dict.get(PDFName.of('Kids')));
  if (dict.get(PDFName.of('Type')) === PDFName.of('Page')) return out.push(node) > 0;
  if (!(kids instanceof PDFArray)) return false;
  for (let i = 0; i < kids.size(); i++) if (!pageLeaves(kids.get(i), resolve, out, depth + 1)) return false;
  return true;
}
