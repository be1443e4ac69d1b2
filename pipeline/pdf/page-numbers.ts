/**
 * Page numbers of anchors. Chromium writes a named destination for every id that an internal link
 * targets (print.html gets hidden links to every id we need); reading the catalog's /Dests gives the page
 * and position of each. From those and the page plan come the values written into `[data-page-of]`
 * elements: the contents now, the index and `:pageref` later, with the column (a/b) of two-column pages.
 *
 * The destinations are read with pdf-lib from the document the assembler has loaded anyway: pdfjs-dist
 * would parse the same 10 MB again (about 0.5 s per 1,000 pages); tests read them with pdfjs-dist as an
 * independent check.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, type PDFDocument } from 'pdf-lib';
import { folioOf, type PagePlan } from './page-plan.ts';

export interface Destination {
  /** 0-based page index in the document that was read. */
  page: number;
  /** Left and top of the target in PDF points (origin bottom left). */
  x: number;
  y: number;
}

const utf8 = new TextDecoder();

/** Named destinations of a Chromium PDF: id → page and position. */
export function readDestinations(doc: PDFDocument): Map<string, Destination> {
  const out = new Map<string, Destination>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return out;
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i));
  for (const [name, value] of dests.entries()) {
    const array = value instanceof PDFRef ? doc.context.lookupMaybe(value, PDFArray) : value instanceof PDFArray ? value : undefined;
    const target = array?.get(0);
    if (!(target instanceof PDFRef)) continue;
    const page = pageIndex.get(target.toString());
    if (page === undefined) continue;
    const num = (i: number) => {
      const n = array!.lookup(i);
      return n instanceof PDFNumber ? n.asNumber() : 0;
    };
    out.set(destinationId(name), { page, x: num(2), y: num(3) });
  }
  return out;
}

/** The element id a destination name stands for: Chromium percent-encodes ids that are not ASCII. */
export function destinationId(name: PDFName): string {
  const raw = utf8.decode(name.asBytes());
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export interface PageValue {
  /** Folio as printed: 12, or iv in the front matter. */
  page: string;
  /** Column of a two-column page: a (left) or b (right); a on one-column pages. */
  column: 'a' | 'b';
}

/** The folio (and column) of every destination, once the final page order is planned. */
export function pageValues(dests: ReadonlyMap<string, Destination>, plan: PagePlan, pageWidth: number, columns: 1 | 2): Record<string, PageValue> {
  const out: Record<string, PageValue> = {};
  for (const [id, d] of dests) {
    const final = plan.finalIndex[d.page];
    if (final === undefined) continue;
    out[id] = { page: folioOf(plan, final), column: columns === 2 && d.x >= pageWidth / 2 ? 'b' : 'a' };
  }
  return out;
}
