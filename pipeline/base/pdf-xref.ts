/**
 * A PDF read through its last cross-reference table, with pdf-lib's object parser: the trailer, any
 * object by reference, and where in the bytes the trailer and each object lie. Nothing is scanned: the
 * file is entered at `startxref`, and only the objects asked for are parsed (a few milliseconds for a
 * 300-page print, where parsing the whole file with pdf-lib takes 130–210 ms). The print passes read a
 * print's destinations through it (pdf/pdf-objects.ts); the PDF stage and the press stamp their document
 * ID in place (pdf/pdf-metadata.ts, press/ghostscript.ts); a release reads the browser from the metadata
 * (release/manifest.ts).
 *
 * Undefined when the file has no classic cross-reference table that can be followed (an xref stream, a
 * cut-off file, an update section with /Prev): the caller then parses the whole file with pdf-lib, or
 * says it cannot.
 */
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFName, PDFObjectParser, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

export interface PdfXref {
  /** The trailer dictionary. */
  trailer: PDFDict;
  /** Where the trailer's part of the file lies: from the `trailer` keyword to `startxref`. */
  trailerSpan: ByteSpan;
  /** The object a reference names (a direct object is returned as it is); undefined if unreadable. */
  resolve(object: PDFObject | undefined): PDFObject | undefined;
  /** Where an indirect object lies: from `N G obj` to the next object or the cross-reference table. */
  span(ref: PDFRef): ByteSpan | undefined;
}

/** Bytes `[start, end)` of the file. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** The file's last cross-reference table and trailer (see above), or undefined. */
export function pdfXref(bytes: Uint8Array): PdfXref | undefined {
  const table = crossReferences(bytes);
  if (!table) return undefined;
  const context = PDFContext.create();
  const cache = new Map<number, PDFObject | undefined>();
  const load = (ref: PDFRef): PDFObject | undefined => {
    if (!cache.has(ref.objectNumber)) cache.set(ref.objectNumber, indirectObject(bytes, context, ref, table.objects.get(ref.objectNumber)));
    return cache.get(ref.objectNumber);
  };
  // Each object ends where the next one (by offset) or the table begins.
  const span = (ref: PDFRef): ByteSpan | undefined => {
    const start = table.objects.get(ref.objectNumber);
    if (start === undefined) return undefined;
    let end = table.xref > start ? table.xref : table.trailerSpan.start;
    for (const offset of table.objects.values()) if (offset > start && offset < end) end = offset;
    return { start, end };
  };
  return { trailer: table.trailer, trailerSpan: table.trailerSpan, resolve: (object) => (object instanceof PDFRef ? load(object) : object), span };
}

/**
 * The places of the trailer's two document IDs (`/ID [<…> <…>]`), each the hex digits inside `<…>`, in
 * the trailer's span. Undefined when the trailer has no ID of two hex strings.
 */
export function trailerIdSpans(bytes: Uint8Array, xref: PdfXref): [ByteSpan, ByteSpan] | undefined {
  const id = xref.trailer.get(PDFName.of('ID'));
  if (!(id instanceof PDFArray) || id.size() !== 2) return undefined;
  const spans: ByteSpan[] = [];
  let from = xref.trailerSpan.start;
  for (const part of id.asArray()) {
    if (!(part instanceof PDFHexString)) return undefined;
    const found = find(bytes, `<${part.asString()}>`, { start: from, end: xref.trailerSpan.end });
    if (found === undefined) return undefined;
    spans.push({ start: found.start + 1, end: found.end - 1 });
    from = found.end;
  }
  return [spans[0]!, spans[1]!];
}

/** Every place of `text` (latin1) inside `within`, in order, not overlapping. */
export function findAll(bytes: Uint8Array, text: string, within: ByteSpan): ByteSpan[] {
  const out: ByteSpan[] = [];
  for (let at = find(bytes, text, within); at; at = find(bytes, text, { start: at.end, end: within.end })) out.push(at);
  return out;
}

/** The first place of `text` (latin1) inside `within`. */
function find(bytes: Uint8Array, text: string, within: ByteSpan): ByteSpan | undefined {
  const region = Buffer.from(bytes.buffer, bytes.byteOffset + within.start, Math.max(0, Math.min(bytes.length, within.end) - within.start));
  const at = region.indexOf(text, 0, 'latin1');
  return at < 0 ? undefined : { start: within.start + at, end: within.start + at + text.length };
}

/** A text string of the metadata (`PDFString` or `PDFHexString`), decoded; undefined for anything else. */
export function textOf(object: PDFObject | undefined): string | undefined {
  return object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined;
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

interface CrossReferences {
  objects: Map<number, number>;
  /** Offset of the `xref` keyword. */
  xref: number;
  trailer: PDFDict;
  trailerSpan: ByteSpan;
}

/**
 * The last cross-reference table (object number → offset) and its trailer, found through `startxref`.
 * Undefined for anything else: an xref stream, a trailer with /Prev (an update), a cut-off file.
 */
function crossReferences(bytes: Uint8Array): CrossReferences | undefined {
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
  const trailerStart = cursor.at - 'trailer'.length;
  let trailer: PDFObject;
  try {
    trailer = PDFObjectParser.forBytes(bytes.subarray(cursor.at), PDFContext.create()).parseObject();
  } catch {
    return undefined;
  }
  if (!(trailer instanceof PDFDict) || trailer.has(PDFName.of('Prev'))) return undefined;
  return { objects, xref, trailer, trailerSpan: { start: trailerStart, end: tail + start } };
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
