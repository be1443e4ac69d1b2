/**
 * One embedded font per face.
 *
 * Every print Chromium makes (the body, the front matter with its page numbers, the late parts, the
 * body's runs on other tabs) embeds its own subset of each face, so the assembled PDF holds the same
 * face two to five times (`ABCDEF+NotoSerifSC-Regular`, `GHIJKL+NotoSerifSC-Regular` …). Chromium cuts
 * them from the same print font (print-fonts.ts) keeping glyph ids (Identity-H, CID = GID), so they
 * can be joined without touching a content stream: the first font of a face gets a program cut from the
 * print font with the union of their glyphs (glyph-subset.ts), the union of their widths (W) and of
 * their ToUnicode maps, and every resource that named one of the others names it instead.
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';
import { fontKey, type FontCache } from './font-cache.ts';
import { loadHarfBuzz, subsetGlyphs } from './glyph-subset.ts';
import { readToUnicode } from './to-unicode.ts';

export interface FaceProgram {
  /** PostScript name the font is embedded under (without subset tag). */
  postScriptName: string;
  /** The font Chromium loaded (glyph ids of the PDF refer to it). */
  data: Uint8Array;
}

export interface UnifyOptions {
  /** Joined programs of earlier prints (font-cache.ts), keyed by the print font and the glyph ids. Default: none. */
  cache?: FontCache;
}

export interface UnifyResult {
  /** Faces that were embedded more than once. */
  joined: number;
  /** Font dictionaries removed. */
  removed: number;
}

interface EmbeddedFont {
  ref: PDFRef;
  font: PDFDict;
  cidFont: PDFDict;
  descriptor: PDFDict;
  programKey: PDFName;
  program: PDFStream;
}

export async function unifyFonts(doc: PDFDocument, faces: readonly FaceProgram[], options: UnifyOptions = {}): Promise<UnifyResult> {
  const byName = new Map(faces.map((f) => [f.postScriptName, f]));
  const joinedGroups = [...embeddedFaces(doc, byName)].filter(([, members]) => members.length > 1);
  if (joinedGroups.length === 0) return { joined: 0, removed: 0 };
  const subsetter: Subsetter = { cache: options.cache };
  const replaced = new Map<PDFRef, PDFRef>();
  let removed = 0;
  for (const [name, members] of joinedGroups) {
    const [first, ...rest] = members as [EmbeddedFont, ...EmbeddedFont[]];
    const { widths, unicode, glyphs } = glyphsOf(members);
    const sorted = [...glyphs].sort((a, b) => a - b);
    const program = await joinedProgram(subsetter, byName.get(name)!.data, sorted);
    const tagged = `${subsetTag(name, sorted)}+${name}`;
    rewriteFirst(doc, first, members, { program, tagged, widths, unicode });
    for (const m of rest) {
      replaced.set(m.ref, first.ref);
      removeFont(doc, m);
      removed++;
    }
  }
  redirectReferences(doc, replaced);
  return { joined: joinedGroups.length, removed };
}

/** The Type0 fonts with an Identity CIDToGIDMap and an embedded program, by face (one of `byName`). */
function embeddedFaces(doc: PDFDocument, byName: ReadonlyMap<string, FaceProgram>): Map<string, EmbeddedFont[]> {
  const groups = new Map<string, EmbeddedFont[]>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue;
    const base = object.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.decodeText().replace(/^[A-Z]{6}\+/, '');
    if (!base || !byName.has(base)) continue;
    const cidFont = object.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)?.lookup(0);
    if (!(cidFont instanceof PDFDict) || cidFont.get(PDFName.of('CIDToGIDMap')) !== PDFName.of('Identity')) continue;
    const descriptor = cidFont.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const programKey = [PDFName.of('FontFile2'), PDFName.of('FontFile3')].find((k) => descriptor?.has(k));
    const program = programKey ? descriptor!.lookup(programKey) : undefined;
    if (!descriptor || !programKey || !(program instanceof PDFStream)) continue;
    if (!groups.has(base)) groups.set(base, []);
    groups.get(base)!.push({ ref, font: object, cidFont, descriptor, programKey, program });
  }
  return groups;
}

/** The glyphs the embedded fonts of one face used, with their widths and text. */
function glyphsOf(members: readonly EmbeddedFont[]): { widths: Map<number, number>; unicode: Map<number, string>; glyphs: Set<number> } {
  const widths = new Map<number, number>();
  const unicode = new Map<number, string>();
  const glyphs = new Set<number>();
  const trust = new Map<number, number>();
  for (const m of members) {
    // The glyphs this print used: those with an outline in its program, and those it maps to text
    // (a space has no outline). Its W array may give any width to the others (Chromium writes runs).
    const bytes = m.program instanceof PDFRawStream ? decodeStream(m.program) : undefined;
    const own = new Set(bytes ? glyphsWithOutlines(bytes) : []);
    const mapped = new Set<number>();
    const toUnicode = m.font.lookup(PDFName.of('ToUnicode'));
    if (toUnicode instanceof PDFRawStream) {
      for (const [cid, hex] of readToUnicode(Buffer.from(decodeStream(toUnicode)).toString('latin1'))) {
        unicode.set(cid, hex);
        mapped.add(cid);
      }
    }
    // Each print chooses its own default width (DW): a glyph it does not list has that width. A width
    // is trusted for a glyph the print maps to text, listed (2) or by default (1), before one that only
    // has an outline there (0: perhaps just a component of a composite glyph, its W entry a filler).
    const listed = readWidths(m.cidFont.lookupMaybe(PDFName.of('W'), PDFArray));
    const dw = m.cidFont.lookupMaybe(PDFName.of('DW'), PDFNumber)?.asNumber() ?? 1000;
    for (const g of new Set([...own, ...mapped])) {
      const width = listed.get(g);
      const rank = mapped.has(g) ? (width !== undefined ? 2 : 1) : 0;
      if (rank >= (trust.get(g) ?? -1)) {
        widths.set(g, width ?? dw);
        trust.set(g, rank);
      }
      glyphs.add(g);
    }
  }
  return { widths, unicode, glyphs };
}

/** HarfBuzz, loaded on the first program that is cut, and the cache of cut programs. */
interface Subsetter {
  cache?: FontCache;
  hb?: Awaited<ReturnType<typeof loadHarfBuzz>>;
}

/** The program with `glyphs` cut from the print font `source` (from the cache when it has it). */
async function joinedProgram(subsetter: Subsetter, source: Uint8Array, glyphs: readonly number[]): Promise<Uint8Array> {
  const { cache } = subsetter;
  const key = cache ? fontKey('unify', PROGRAM_VERSION, source, glyphs.join(',')) : undefined;
  const held = key ? cache!.get(key) : undefined;
  if (held) return held;
  subsetter.hb ??= await loadHarfBuzz();
  const program = subsetGlyphs(subsetter.hb, source, glyphs);
  if (key) cache!.set(key, program);
  return program;
}

/** The first font of a face takes the joined program, widths and text map; the others' programs go. */
function rewriteFirst(doc: PDFDocument, first: EmbeddedFont, members: readonly EmbeddedFont[], joined: { program: Uint8Array; tagged: string; widths: Map<number, number>; unicode: Map<number, string> }): void {
  const { program, tagged, widths } = joined;
  const isCff = program.subarray(0, 4).every((b, i) => b === 'OTTO'.charCodeAt(i));
  const stream = flateStream(doc, program, isCff ? { Subtype: 'OpenType' } : { Length1: program.length });
  for (const m of members) {
    doc.context.delete(m.descriptor.get(m.programKey) as PDFRef);
  }
  first.descriptor.delete(first.programKey);
  first.descriptor.set(PDFName.of(isCff ? 'FontFile3' : 'FontFile2'), doc.context.register(stream));
  first.descriptor.set(PDFName.of('FontName'), PDFName.of(tagged));
  first.descriptor.set(PDFName.of('FontBBox'), unionBBox(doc, members.map((m) => m.descriptor.lookupMaybe(PDFName.of('FontBBox'), PDFArray))));
  first.cidFont.set(PDFName.of('BaseFont'), PDFName.of(tagged));
  // The most common width becomes the default; the others are listed.
  const dw = mostCommon([...widths.values()]) ?? 1000;
  for (const [cid, w] of widths) if (w === dw) widths.delete(cid);
  first.cidFont.set(PDFName.of('DW'), PDFNumber.of(dw));
  first.cidFont.set(PDFName.of('W'), writeWidths(doc, widths));
  first.font.set(PDFName.of('BaseFont'), PDFName.of(tagged));
  const oldToUnicode = first.font.get(PDFName.of('ToUnicode'));
  if (oldToUnicode instanceof PDFRef) doc.context.delete(oldToUnicode);
  first.font.set(PDFName.of('ToUnicode'), doc.context.register(flateStream(doc, Buffer.from(writeToUnicode(joined.unicode), 'latin1'))));
}

/** A font of a face that was joined into the first: its dictionaries go. */
function removeFont(doc: PDFDocument, m: EmbeddedFont): void {
  for (const value of [m.font.get(PDFName.of('ToUnicode')), m.font.get(PDFName.of('DescendantFonts')), m.cidFont.get(PDFName.of('FontDescriptor')), m.cidFont.get(PDFName.of('W'))]) {
    if (value instanceof PDFRef) doc.context.delete(value);
  }
  const descendants = m.font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray);
  const cidRef = descendants?.get(0);
  if (cidRef instanceof PDFRef) doc.context.delete(cidRef);
  doc.context.delete(m.ref);
}

/** Every reference to a removed font now names the kept one (font resources of pages and forms). */
function redirectReferences(doc: PDFDocument, replaced: ReadonlyMap<PDFRef, PDFRef>): void {
  const visit = (object: PDFObject | undefined, depth: number): void => {
    if (depth > 8) return;
    const dict = object instanceof PDFStream ? object.dict : object;
    if (dict instanceof PDFDict) {
      for (const [key, value] of dict.entries()) {
        if (value instanceof PDFRef) {
          const to = replaced.get(value);
          if (to) dict.set(key, to);
        } else visit(value, depth + 1);
      }
    } else if (dict instanceof PDFArray) {
      for (let i = 0; i < dict.size(); i++) {
        const value = dict.get(i);
        if (value instanceof PDFRef) {
          const to = replaced.get(value);
          if (to) dict.set(i, to);
        } else visit(value, depth + 1);
      }
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object, 0);
}

/**
 * The HarfBuzz build that cuts the joined programs (glyph-subset.ts): part of a cached program's key.
 * Raise the number when glyph-subset.ts changes what it keeps.
 */
const PROGRAM_VERSION = 'glyph-subset 1';

/**
 * A stream compressed with Node's zlib (pdf-lib's `flateStream` runs pako, a JavaScript zlib, several
 * times slower on a font program; the bytes are just as deterministic).
 */
function flateStream(doc: PDFDocument, data: Uint8Array, dict: Record<string, string | number> = {}): PDFRawStream {
  const compressed = deflateSync(data);
  return doc.context.stream(new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength), { ...dict, Filter: 'FlateDecode' }) as PDFRawStream;
}

/** A stream's bytes: Flate alone (what Chromium writes) through Node's zlib, anything else through pdf-lib. */
function decodeStream(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const single = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter;
  if (single === PDFName.of('FlateDecode') && !stream.dict.has(PDFName.of('DecodeParms'))) {
    try {
      return inflateSync(stream.getContents());
    } catch {
      /* a stream zlib refuses (no checksum …): pdf-lib's decoder is more lenient */
    }
  }
  return decodePDFRawStream(stream).decode();
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)! || (n === counts.get(best)! && v < best)) best = v;
  return best;
}

/** A deterministic subset tag (six capitals) from the face and its glyphs. */
function subsetTag(name: string, glyphs: number[]): string {
  const digest = createHash('sha256').update(name).update(glyphs.sort((a, b) => a - b).join(',')).digest();
  return [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
}

/** A CIDFont's W array as CID → width. */
export function readWidths(w: PDFArray | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!w) return out;
  const num = (o: PDFObject | undefined) => (o instanceof PDFNumber ? o.asNumber() : NaN);
  for (let i = 0; i < w.size(); ) {
    const first = num(w.get(i));
    const next = w.get(i + 1);
    if (next instanceof PDFArray) {
      for (let j = 0; j < next.size(); j++) out.set(first + j, num(next.get(j)));
      i += 2;
    } else {
      const last = num(next);
      const width = num(w.get(i + 2));
      for (let c = first; c <= last; c++) out.set(c, width);
      i += 3;
    }
  }
  return out;
}

function writeWidths(doc: PDFDocument, widths: Map<number, number>): PDFArray {
  const out = doc.context.obj([]) as PDFArray;
  const cids = [...widths.keys()].sort((a, b) => a - b);
  for (let i = 0; i < cids.length; ) {
    let j = i;
    while (j + 1 < cids.length && cids[j + 1] === cids[j]! + 1) j++;
    out.push(PDFNumber.of(cids[i]!));
    out.push(doc.context.obj(cids.slice(i, j + 1).map((c) => widths.get(c)!)));
    i = j + 1;
  }
  return out;
}

function writeToUnicode(map: Map<number, string>): string {
  const entries = [...map].sort((a, b) => a[0] - b[0]);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([cid, hex]) => `<${cid.toString(16).toUpperCase().padStart(4, '0')}> <${hex}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function unionBBox(doc: PDFDocument, boxes: Array<PDFArray | undefined>): PDFArray {
  const nums = boxes.filter((b): b is PDFArray => !!b).map((b) => b.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)));
  const box = nums.reduce((a, b) => [Math.min(a[0]!, b[0]!), Math.min(a[1]!, b[1]!), Math.max(a[2]!, b[2]!), Math.max(a[3]!, b[3]!)], nums[0] ?? [0, 0, 0, 0]);
  return doc.context.obj(box) as PDFArray;
}

/** Glyph ids that have an outline in a TrueType program (a `glyf` entry of non-zero length). */
export function glyphsWithOutlines(sfnt: Uint8Array): number[] {
  const view = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  const table = (name: string) => {
    for (let i = 0; i < view.getUint16(4); i++) {
      const at = 12 + 16 * i;
      if (String.fromCharCode(...sfnt.subarray(at, at + 4)) === name) return view.getUint32(at + 8);
    }
    return undefined;
  };
  const head = table('head');
  const maxp = table('maxp');
  const loca = table('loca');
  if (head === undefined || maxp === undefined || loca === undefined) return [];
  const long = view.getInt16(head + 50) === 1;
  const count = view.getUint16(maxp + 4);
  const offset = (i: number) => (long ? view.getUint32(loca + 4 * i) : view.getUint16(loca + 2 * i) * 2);
  const out: number[] = [];
  for (let g = 0; g < count; g++) if (offset(g + 1) > offset(g)) out.push(g);
  return out;
}
