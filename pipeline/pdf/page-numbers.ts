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
import { PLACE_PREFIX } from './page-scripts.ts';

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
  // Targets of page-and-column locators: where their self-link is painted (page-scripts.ts PREPARE), the
  // first rectangle in page order, instead of their destination. A line pushed to the next column (a
  // heading kept with its text) can leave a sliver of a rectangle, under a point high, at the foot of the
  // column it left: such slivers count only when there is nothing else.
  const placed = new Map<string, Destination & { sliver: boolean }>();
  doc.getPages().forEach((p, i) => {
    const annots = p.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let k = 0; k < (annots?.size() ?? 0); k++) {
      const annot = annots!.lookupMaybe(k, PDFDict);
      const dest = annot?.get(PDFName.of('Dest'));
      const rect = annot?.lookupMaybe(PDFName.of('Rect'), PDFArray);
      if (!(dest instanceof PDFName) || !rect) continue;
      const name = destinationId(dest);
      if (!name.startsWith(PLACE_PREFIX)) continue;
      const id = name.slice(PLACE_PREFIX.length);
      const corner = (n: number) => (rect.lookup(n) as PDFNumber).asNumber();
      const sliver = Math.abs(corner(3) - corner(1)) < 1;
      const known = placed.get(id);
      if (known && !(known.sliver && !sliver)) continue;
      placed.set(id, { page: i, x: Math.min(corner(0), corner(2)), y: Math.max(corner(1), corner(3)), sliver });
    }
  });
  for (const id of out.keys()) if (id.startsWith(PLACE_PREFIX)) out.delete(id);
  for (const [id, { page, x, y }] of placed) out.set(id, { page, x, y });
  return out;
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

/**
 * The page count and named destinations of a PDF as Chromium writes it (a classic xref table, plain
 * objects), read straight from the bytes without parsing the whole file: the page plan can be made, and
 * the next print started, while pdf-lib parses the file. Undefined when the file is not of that shape
 * (then the caller parses it with pdf-lib and uses `readDestinations`). pass-assemble.ts checks the result
 * against `readDestinations` once the document is parsed.
 */
export function scanDestinations(bytes: Uint8Array): { pages: number; dests: Map<string, Destination> } | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // Places (page-and-column targets) are read from link annotations: leave those documents to pdf-lib.
  if (text.includes('/' + PLACE_PREFIX)) return undefined;
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-128));
  if (!start) return undefined;
  const xref = Number(start[1]);
  if (!text.startsWith('xref', xref)) return undefined;
  const trailerAt = text.indexOf('trailer', xref);
  if (trailerAt < 0) return undefined;
  const offsets = new Map<number, number>();
  const lines = text.slice(xref + 4, trailerAt).trim().split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; ) {
    const head = /^(\d+) (\d+)\s*$/.exec(lines[i]!);
    if (!head) return undefined;
    const first = Number(head[1]);
    const count = Number(head[2]);
    for (let k = 0; k < count; k++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(lines[i + 1 + k] ?? '');
      if (!entry) return undefined;
      if (entry[3] === 'n') offsets.set(first + k, Number(entry[1]));
    }
    i += 1 + count;
  }
  const object = (n: number): string | undefined => {
    const at = offsets.get(n);
    if (at === undefined || !new RegExp(`^${n} 0 obj\\b`).test(text.slice(at, at + 24))) return undefined;
    const end = text.indexOf('endobj', at);
    return end < 0 ? undefined : text.slice(at, end);
  };
  const ref = (dict: string | undefined, key: string) => {
    const m = dict ? new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict) : null;
    return m ? Number(m[1]) : undefined;
  };
  const trailer = text.slice(trailerAt, xref > trailerAt ? xref : undefined);
  const catalog = object(ref(trailer, 'Root') ?? -1);
  const pagesRoot = ref(catalog, 'Pages');
  if (!catalog || pagesRoot === undefined) return undefined;
  // Pages in order: a depth-first walk of the page tree.
  const pageIndex = new Map<number, number>();
  const walk = (n: number, depth: number): boolean => {
    const node = object(n);
    if (!node || depth > 32) return false;
    if (/\/Type\s*\/Pages\b/.test(node)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node);
      if (!kids) return false;
      for (const kid of kids[1]!.matchAll(/(\d+) 0 R/g)) if (!walk(Number(kid[1]), depth + 1)) return false;
      return true;
    }
    if (!/\/Type\s*\/Page\b/.test(node)) return false;
    pageIndex.set(n, pageIndex.size);
    return true;
  };
  if (!walk(pagesRoot, 0)) return undefined;
  const dests = new Map<string, Destination>();
  if (/\/Dests\s*<</.test(catalog)) return undefined; // inline: not what Chromium writes
  const destsRef = ref(catalog, 'Dests');
  if (destsRef !== undefined) {
    const dict = object(destsRef);
    if (!dict) return undefined;
    const body = dict.slice(dict.indexOf('<<') + 2, dict.lastIndexOf('>>'));
    const entries = [...body.matchAll(/\/([^\s/[\]<>()%{}]*)\s*\[\s*(\d+) 0 R\s*\/XYZ\s+([-+\d.]+)\s+([-+\d.]+)[^\]]*\]/g)];
    // Every entry must have been understood: count the names against the entries read.
    if (entries.length !== (body.match(/\/[^\s/[\]<>()%{}]*\s*\[/g) ?? []).length) return undefined;
    for (const m of entries) {
      const page = pageIndex.get(Number(m[2]));
      if (page === undefined) continue;
      const name = Buffer.from(m[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      dests.set(idOfNameBytes(name), { page, x: Number(m[3]), y: Number(m[4]) });
    }
  }
  return { pages: pageIndex.size, dests };
}
