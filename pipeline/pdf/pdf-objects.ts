/**
 * The objects of a PDF as the page-number passes read them: the catalog, the pages in order, and any
 * object a reference names. Two sources give them:
 *
 * - `documentObjects`: a document pdf-lib has parsed (the assembler's, or any PDF);
 * - `printObjects`: a print's bytes, read object by object through its cross-reference table with
 *   pdf-lib's object parser. Only the objects asked for are parsed (the catalog, the page tree, the
 *   destinations, link annotations): a few milliseconds for a 300-page print, where parsing the whole
 *   file with pdf-lib takes 130–210 ms, so the page plan is made and the next print started while pdf-lib
 *   parses the file for the assembler. Undefined when the file has no classic cross-reference table
 *   that can be followed (an xref stream, a cut-off file, an update section): the caller then parses
 *   the whole file.
 */
import { PDFArray, PDFContext, PDFDict, PDFName, PDFObjectParser, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';

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
  const offsets = crossReferences(bytes);
  if (!offsets) return undefined;
  const context = PDFContext.create();
  const cache = new Map<number, PDFObject | undefined>();
  const load = (ref: PDFRef): PDFObject | undefined => {
    if (!cache.has(ref.objectNumber)) cache.set(ref.objectNumber, indirectObject(bytes, context, ref, offsets.objects.get(ref.objectNumber)));
    return cache.get(ref.objectNumber);
  };
  const resolve = (object: PDFObject | undefined) => (object instanceof PDFRef ? load(object) : object);
  const catalog = resolve(offsets.trailer.get(PDFName.of('Root')));
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

/** The object at `offset` if it is `ref`'s (`N G obj` followed by the object). */
function indirectObject(bytes: Uint8Array, context: PDFContext, ref: PDFRef, offset: number | undefined): PDFObject | undefined {
  if (offset === undefined) return undefined;
  const cursor = new Cursor(bytes, offset);
  if (cursor.int() !== ref.objectNumber || cursor.int() !== ref.generationNumber || !cursor.keyword('obj')) return undefined;
  try {
    return PDFObjectParser.forBytes(bytes.subarray(cursor.at), context).parseObject();
  } catch {
    return undefined;
  }
}

/**
 * The last cross-reference table (object number → offset) and its trailer, found through `startxref`.
 * Undefined for anything else: an xref stream, a trailer with /Prev (an update), a cut-off file.
 */
function crossReferences(bytes: Uint8Array): { objects: Map<number, number>; trailer: PDFDict } | undefined {
  const tail = Math.max(0, bytes.length - 1024);
  const start = Buffer.from(bytes.buffer, bytes.byteOffset + tail, bytes.length - tail).lastIndexOf('startxref');
  if (start < 0) return undefined;
  const end = new Cursor(bytes, tail + start + 'startxref'.length);
  const xref = end.int();
  if (xref === undefined || !end.keyword('%%EOF')) return undefined;
  const cursor = new Cursor(bytes, xref);
  if (!cursor.keyword('xref')) return undefined;
  const objects = new Map<number, number>();
  for (let first = cursor.int(); first !== undefined; first = cursor.int()) {
    const count = cursor.int();
    if (count === undefined) return undefined;
    for (let k = 0; k < count; k++) {
      const offset = cursor.int();
      const generation = cursor.int();
      const kind = cursor.byte();
      if (offset === undefined || generation === undefined || (kind !== N && kind !== F)) return undefined;
      if (kind === N) objects.set(first + k, offset);
    }
  }
  if (!cursor.keyword('trailer')) return undefined;
  let trailer: PDFObject;
  try {
    trailer = PDFObjectParser.forBytes(bytes.subarray(cursor.at), PDFContext.create()).parseObject();
  } catch {
    return undefined;
  }
  if (!(trailer instanceof PDFDict) || trailer.has(PDFName.of('Prev'))) return undefined;
  return { objects, trailer };
}

const N = 'n'.charCodeAt(0);
const F = 'f'.charCodeAt(0);

/** Reads the tokens of a cross-reference table: unsigned integers, keywords, single bytes. */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}

  private skipSpace(): void {
    while (this.at < this.bytes.length && isSpace(this.bytes[this.at]!)) this.at++;
  }

  /** An unsigned integer, or undefined (and nothing consumed but space) if none is next. */
  int(): number | undefined {
    this.skipSpace();
    let value = 0;
    const from = this.at;
    for (let b = this.bytes[this.at]; b !== undefined && b >= 0x30 && b <= 0x39; b = this.bytes[++this.at]) value = value * 10 + (b - 0x30);
    return this.at > from ? value : undefined;
  }

  keyword(word: string): boolean {
    this.skipSpace();
    for (let i = 0; i < word.length; i++) if (this.bytes[this.at + i] !== word.charCodeAt(i)) return false;
    this.at += word.length;
    return true;
  }

  byte(): number | undefined {
    this.skipSpace();
    return this.bytes[this.at++];
  }
}

/** PDF white space: NUL, tab, line feed, form feed, carriage return, space. */
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
