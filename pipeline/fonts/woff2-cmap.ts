/**
 * The code points a WOFF2 font file really maps to a glyph, read from its `cmap` table.
 *
 * The @fontsource packages declare each slice's `unicode-range` in CSS, and those ranges promise more
 * than the files hold: the CJK slices list emoji, Arabic and Hebrew letters, and thousands of rare hanzi
 * for which the file has no glyph (Noto Serif TC declares about 9,000 such characters). Chromium then
 * goes on to a font of the machine, so the coverage that decides which characters get the build's
 * stand-in (`glyph-coverage.ts`) must come from the files themselves.
 *
 * WOFF2 keeps every table in one Brotli stream after a table directory; `cmap` is never transformed, so
 * reading it needs only the directory, Node's own Brotli and the cmap subtables of formats 4 and 12
 * (every Unicode cmap a web font carries). About 1 ms per CJK slice.
 */
import { brotliDecompressSync } from 'node:zlib';
import { mergeRanges } from './fonts.ts';

/** Where each table lies in the decompressed stream. */
interface TableEntry {
  tag: string;
  offset: number;
  length: number;
}

/** The 63 tags a WOFF2 directory names by index (the WOFF2 specification's table of known tags). */
const KNOWN_TAGS = (
  'cmap head hhea hmtx maxp name OS/2 post cvt  fpgm glyf loca prep CFF  VORG EBDT EBLC gasp hdmx kern LTSH PCLT VDMX vhea vmtx ' +
  'BASE GDEF GPOS GSUB EBSC JSTF MATH CBDT CBLC COLR CPAL SVG  sbix acnt avar bdat bloc bsln cvar fdsc feat fmtx fvar gvar hsty ' +
  'just lcar mort morx opbd prop trak Zapf Silf Glat Gloc Feat Sill'
).match(/.{4} ?/g)!.map((t) => t.slice(0, 4));

/** Ranges `[first, last]` of the code points a WOFF2 file maps to a glyph other than .notdef, sorted and joined. */
export function mappedRanges(woff2: Uint8Array): Array<[number, number]> {
  const view = new DataView(woff2.buffer, woff2.byteOffset, woff2.byteLength);
  if (view.getUint32(0) !== 0x774f4632) throw new Error('not a WOFF2 file (no wOF2 signature)');
  const { tables, streamStart } = readDirectory(woff2, view.getUint16(12));
  const cmapEntry = tables.find((t) => t.tag === 'cmap');
  if (!cmapEntry) return [];
  const stream = brotliDecompressSync(woff2.subarray(streamStart, streamStart + view.getUint32(20)));
  const cmap = new DataView(stream.buffer, stream.byteOffset + cmapEntry.offset, cmapEntry.length);
  return mergeRanges(unicodeSubtables(cmap).flatMap((at) => subtableRanges(cmap, at)));
}

/** The table directory (after the 48-byte header) and where the compressed stream starts. */
function readDirectory(bytes: Uint8Array, count: number): { tables: TableEntry[]; streamStart: number } {
  const cursor = { at: 48 };
  const tables: TableEntry[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const flags = bytes[cursor.at++]!;
    let tag = KNOWN_TAGS[flags & 0x3f];
    if ((flags & 0x3f) === 0x3f) {
      tag = String.fromCharCode(...bytes.subarray(cursor.at, cursor.at + 4));
      cursor.at += 4;
    }
    const version = flags >> 6;
    let length = base128(bytes, cursor);
    // glyf and loca are transformed at version 0, every other table at any version but 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? version !== 3 : version !== 0;
    if (transformed) length = base128(bytes, cursor);
    tables.push({ tag: tag!, offset, length });
    offset += length;
  }
  return { tables, streamStart: cursor.at };
}

/** A UIntBase128 (WOFF2): seven bits a byte, high bit set on every byte but the last. */
function base128(bytes: Uint8Array, cursor: { at: number }): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[cursor.at++]!;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  throw new Error('WOFF2 table directory: a length longer than five bytes');
}

/** Offsets (in the cmap table) of the Unicode subtables: platform 0, or Windows with encoding 1 (BMP) or 10 (full). */
function unicodeSubtables(cmap: DataView): number[] {
  const offsets: number[] = [];
  const count = cmap.getUint16(2);
  for (let i = 0; i < count; i++) {
    const record = 4 + i * 8;
    const platform = cmap.getUint16(record);
    const encoding = cmap.getUint16(record + 2);
    if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) offsets.push(cmap.getUint32(record + 4));
  }
  return [...new Set(offsets)];
}

function subtableRanges(cmap: DataView, at: number): Array<[number, number]> {
  const format = cmap.getUint16(at);
  if (format === 4) return format4(cmap, at);
  if (format === 12) return format12(cmap, at);
  return []; // format 14 (variation sequences) and the byte formats map no further characters
}

/** Segment mapping to delta values: each segment's code points that reach a glyph other than 0. */
function format4(cmap: DataView, at: number): Array<[number, number]> {
  const segments = cmap.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  const out: Array<[number, number]> = [];
  for (let s = 0; s < segments; s++) {
    const end = cmap.getUint16(ends + s * 2);
    const start = cmap.getUint16(starts + s * 2);
    const delta = cmap.getUint16(deltas + s * 2);
    const rangeOffset = cmap.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) out.push([c, c]);
    }
  }
  return out;
}

/** Segmented coverage: groups of consecutive code points on consecutive glyphs. */
function format12(cmap: DataView, at: number): Array<[number, number]> {
  const groups = cmap.getUint32(at + 12);
  const out: Array<[number, number]> = [];
  for (let g = 0; g < groups; g++) {
    const group = at + 16 + g * 12;
    const first = cmap.getUint32(group);
    const last = cmap.getUint32(group + 4);
    // A group starting on glyph 0 maps its first code point to .notdef.
    const from = cmap.getUint32(group + 8) === 0 ? first + 1 : first;
    if (from <= last) out.push([from, last]);
  }
  return out;
}
