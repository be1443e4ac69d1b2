/**
 * Page numbers of anchors. Chromium writes a named destination for every id that an internal link
 * targets (print.html gets hidden links to every id we need); reading the catalog's /Dests gives the page
 * and position of each. From those and the page plan come the values written into `[data-page-of]`
 * elements: the contents now, the index and `:pageref` later, with the column (a/b) of two-column pages.
 *
 * The destinations are read with pdf-lib: of a print, only the objects they need, straight from its
 * bytes (pdf-objects.ts), so the next print starts while pdf-lib parses the whole file for the
 * assembler; else from the parsed document. pdfjs-dist would parse the same 10 MB again (about 0.5 s
 * per 1,000 pages); tests read them with pdfjs-dist as an independent check.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { documentObjects, printObjects, type PdfObjects } from './pdf-objects.ts';
import { folioOf, type PagePlan } from './page-plan.ts';
import { PLACE_PREFIX } from './page-scripts.ts';

export interface Destination {
  /** 0-based page index in the document that was read. */
  page: number;
  /** Left and top of the target in PDF points (origin bottom left). */
  x: number;
  y: number;
}

const utf8 = new TextDecoder();

/**
 * Named destinations of a Chromium PDF: id → page and position. Read from a parsed document or from a
 * print's objects (pdf-objects.ts `printObjects`, which parses only what this asks for). Names come from
 * the catalog's /Dests dictionary (what Chromium writes) or its /Names /Dests name tree.
 */
export function readDestinations(source: PDFDocument | PdfObjects): Map<string, Destination> {
  const objects = source instanceof PDFDocument ? documentObjects(source) : source;
  const pageIndex = new Map<PDFRef, number>(objects.pages.map((ref, i) => [ref, i]));
  const out = new Map<string, Destination>();
  for (const [name, value] of namedDestinations(objects)) {
    const destination = explicitDestination(objects, value, pageIndex);
    if (destination) out.set(idOfNameBytes(name), destination);
  }
  // Locators' self-links are named destinations too: without any, no annotation needs reading.
  if (![...out.keys()].some((id) => id.startsWith(PLACE_PREFIX))) return out;
  const placed = placesOf(objects);
  for (const id of out.keys()) if (id.startsWith(PLACE_PREFIX)) out.delete(id);
  for (const [id, { page, x, y }] of placed) out.set(id, { page, x, y });
  return out;
}

/** Every name and its destination value: the /Dests dictionary, then the /Names /Dests name tree. */
function namedDestinations(objects: PdfObjects): Array<[Uint8Array, PDFObject | undefined]> {
  const out: Array<[Uint8Array, PDFObject | undefined]> = [];
  const dests = objects.resolve(objects.catalog.get(PDFName.of('Dests')));
  if (dests instanceof PDFDict) for (const [name, value] of dests.entries()) out.push([name.asBytes(), value]);
  const names = objects.resolve(objects.catalog.get(PDFName.of('Names')));
  const tree = names instanceof PDFDict ? names.get(PDFName.of('Dests')) : undefined;
  if (tree) nameTreeEntries(objects, tree, out, 0);
  return out;
}

/** The leaves of a name tree (/Kids, /Names [key value …]) in order. */
function nameTreeEntries(objects: PdfObjects, node: PDFObject, out: Array<[Uint8Array, PDFObject | undefined]>, depth: number): void {
  const dict = objects.resolve(node);
  if (!(dict instanceof PDFDict) || depth > 32) return;
  const kids = objects.resolve(dict.get(PDFName.of('Kids')));
  if (kids instanceof PDFArray) for (let i = 0; i < kids.size(); i++) nameTreeEntries(objects, kids.get(i), out, depth + 1);
  const names = objects.resolve(dict.get(PDFName.of('Names')));
  if (!(names instanceof PDFArray)) return;
  for (let i = 0; i + 1 < names.size(); i += 2) {
    const key = objects.resolve(names.get(i));
    if (key instanceof PDFString || key instanceof PDFHexString) out.push([key.asBytes(), names.get(i + 1)]);
  }
}

/** `[page /XYZ left top zoom]`, directly or as the /D of a dictionary; its page must be one of the document's. */
function explicitDestination(objects: PdfObjects, value: PDFObject | undefined, pageIndex: ReadonlyMap<PDFRef, number>): Destination | undefined {
  let array = objects.resolve(value);
  if (array instanceof PDFDict) array = objects.resolve(array.get(PDFName.of('D')));
  if (!(array instanceof PDFArray)) return undefined;
  const target = array.get(0);
  const page = target instanceof PDFRef ? pageIndex.get(target) : undefined;
  if (page === undefined) return undefined;
  const num = (i: number) => {
    const n = objects.resolve(array.get(i));
    return n instanceof PDFNumber ? n.asNumber() : 0;
  };
  return { page, x: num(2), y: num(3) };
}

/**
 * Targets of page-and-column locators: where their self-link is painted (page-scripts.ts PREPARE), the
 * first rectangle in page order, instead of their destination. A line pushed to the next column (a
 * heading kept with its text) can leave a sliver of a rectangle, under a point high, at the foot of the
 * column it left: such slivers count only when there is nothing else.
 */
function placesOf(objects: PdfObjects): Map<string, Destination & { sliver: boolean }> {
  const placed = new Map<string, Destination & { sliver: boolean }>();
  objects.pages.forEach((ref, i) => {
    const page = objects.resolve(ref);
    const annots = page instanceof PDFDict ? objects.resolve(page.get(PDFName.of('Annots'))) : undefined;
    if (!(annots instanceof PDFArray)) return;
    for (let k = 0; k < annots.size(); k++) {
      const annot = objects.resolve(annots.get(k));
      const dest = annot instanceof PDFDict ? annot.get(PDFName.of('Dest')) : undefined;
      const rect = dest instanceof PDFName ? objects.resolve((annot as PDFDict).get(PDFName.of('Rect'))) : undefined;
      if (!(dest instanceof PDFName) || !(rect instanceof PDFArray)) continue;
      const name = destinationId(dest);
      if (!name.startsWith(PLACE_PREFIX)) continue;
      const id = name.slice(PLACE_PREFIX.length);
      const corner = (n: number) => (objects.resolve(rect.get(n)) as PDFNumber).asNumber();
      const sliver = Math.abs(corner(3) - corner(1)) < 1;
      const known = placed.get(id);
      if (known && !(known.sliver && !sliver)) continue;
      placed.set(id, { page: i, x: Math.min(corner(0), corner(2)), y: Math.max(corner(1), corner(3)), sliver });
    }
  });
  return placed;
}

/** A print's page count and named destinations, read from only the objects they need (pdf-objects.ts); undefined when its cross-references cannot be followed. */
export function readPrintDestinations(bytes: Uint8Array): { pages: number; dests: Map<string, Destination> } | undefined {
  const objects = printObjects(bytes);
  return objects && { pages: objects.pages.length, dests: readDestinations(objects) };
}

/** The element id a destination name stands for: Chromium percent-encodes ids that are not ASCII. */
export function destinationId(name: PDFName): string {
  return idOfNameBytes(name.asBytes());
}

function idOfNameBytes(bytes: Uint8Array): string {
  const raw = utf8.decode(bytes);
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

/**
 * The folio (and column) of every destination, once the final page order is planned; with `facts`, the
 * text it computes from the final page count replaces the folio of its ids (the imprint's 印张).
 */
export function pageValues(dests: ReadonlyMap<string, Destination>, plan: PagePlan, pageWidth: number, columns: 1 | 2, facts?: (pages: number) => Record<string, string>): Record<string, PageValue> {
  const out: Record<string, PageValue> = {};
  for (const [id, d] of dests) {
    const final = plan.finalIndex[d.page];
    if (final === undefined) continue;
    out[id] = { page: folioOf(plan, final), column: columns === 2 && d.x >= pageWidth / 2 ? 'b' : 'a' };
  }
  for (const [id, text] of Object.entries(facts?.(plan.pages.length) ?? {})) out[id] = { page: text, column: 'a' };
  return out;
}
