/**
 * Pass 5, assemble (pdf-lib): the late pages spliced in after print 1's with their structure
 * (splice-pages.ts; the destinations pdf-lib then reads must equal those read from the bytes), then the
 * book put together from print 1 and print 2 (assemble-pdf.ts: front pages, blanks, binding-edge shift,
 * running heads and folios), the outline from the contents, page labels, metadata, and one font program
 * per face (unify-fonts.ts: each print embedded its own subset of every face).
 */
import { PDFObjectCopier, type PDFDocument } from 'pdf-lib';
import { addOutline, addPageLabels, assemblePdf, destinationArrays, normalizeStructureIds, shortenDestinationNames } from './assemble-pdf.ts';
import { readDestinations, type Destination } from './page-numbers.ts';
import type { BodyPrint } from './pass-print-body.ts';
import { applyMetadata } from './pdf-metadata.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import type { SettledPages } from './pass-settle-late.ts';
import { parsePrint, type PrintRun } from './print-run.ts';
import type { HeadPrint } from './running-heads.ts';
import { replaceTail } from './splice-pages.ts';
import { unifyFonts } from './unify-fonts.ts';

export interface SplicedBook {
  /** Print 1 with the late pages after its own: every page of the book, in print order. */
  doc: PDFDocument;
  /** Print 2, when it was the print of the late parts too (parsed once, its fonts copied once). */
  second?: PDFDocument;
  /** The copier from `second` the splice used (assemblePdf goes on with it). */
  copier?: PDFObjectCopier;
}

/** Print 1 (parsed in the background meanwhile) with the late pages spliced in. */
export async function spliceLate(run: PrintRun, body: BodyPrint, settled: SettledPages): Promise<SplicedBook> {
  const doc = await body.document;
  const { tail, combined } = settled;
  let second: PDFDocument | undefined;
  let copier: PDFObjectCopier | undefined;
  if (tail) {
    const tailDoc = await parsePrint(tail.bytes);
    if (combined && tail.bytes === combined.bytes) {
      second = tailDoc;
      copier = PDFObjectCopier.for(tailDoc.context, doc.context); // shared: their fonts are copied once
    }
    replaceTail(doc, body.pages, tailDoc, { first: tail.first, copier });
  }
  if (!sameDestinations(readDestinations(doc), settled.dests) || doc.getPageCount() !== settled.total) {
    throw new Error('the destinations read from the printed bytes differ from those pdf-lib reads');
  }
  run.lap('splice');
  return { doc, second, copier };
}

export interface AssembleBookInput {
  prepared: PreparedPrint;
  settled: SettledPages;
  heads: HeadPrint;
  book: SplicedBook;
  /** Print 2, parsed. */
  second: PDFDocument;
}

/** The final book, in `input.book.doc`. */
export async function assembleBook(run: PrintRun, input: AssembleBookInput): Promise<PDFDocument> {
  const { options } = run;
  const { found, faces } = input.prepared;
  const { doc, copier } = input.book;
  const { plan } = input.settled;
  assemblePdf({ body: doc, second: input.second, heads: input.heads, plan, layout: options.layout, hasCover: found.hasCover, copier });
  normalizeStructureIds(doc);
  const tocEntry = found.frontIds.includes('toc') ? [{ id: 'toc', title: options.contentsTitle }] : [];
  const arrays = destinationArrays(doc);
  addOutline(doc, found.toc, (id) => arrays.get(id)?.clone(), tocEntry);
  shortenDestinationNames(doc);
  addPageLabels(doc, plan.frontCount);
  const version = options.session.info()?.version ?? 'Chromium';
  applyMetadata(doc, { ...options.metadata, producer: `${options.metadata.producer}; ${version}` });
  run.lap('assemble');
  // Each print embedded its own subset of every face: one per face (unify-fonts.ts).
  await unifyFonts(doc, faces.files, { cache: options.fontCache });
  run.lap('fonts-unify');
  return doc;
}

function sameDestinations(a: ReadonlyMap<string, Destination>, b: ReadonlyMap<string, Destination>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, d] of a) {
    const e = b.get(id);
    if (!e || e.page !== d.page || e.x !== d.x || e.y !== d.y) return false;
  }
  return true;
}
