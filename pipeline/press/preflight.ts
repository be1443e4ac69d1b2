/**
 * The press file's preflight, read with pdf-lib (no rendering): the PDF/X keys and output intent, the
 * boxes of every page, every font embedded, and no RGB left — neither an RGB colour space in any object
 * (images, shadings, ICC-based spaces with three components) nor an `rg`/`RG` operator in any content
 * stream. Ghostscript's `inkcov` device cannot answer the last question (it renders everything in CMYK),
 * so the content is read instead.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream } from 'pdf-lib';

export interface PreflightResult {
  /** GTS_PDFXVersion from the document information, e.g. PDF/X-3:2002. */
  pdfx?: string;
  /** Output intents with subtype GTS_PDFX. */
  outputIntents: number;
  /** Pages without a TrimBox or a BleedBox (1-based). */
  pagesWithoutBoxes: number[];
  /** Pages with annotations (links …), which PDF/X does not allow on the page (1-based). */
  pagesWithAnnotations: number[];
  /** Font dictionaries without an embedded font file (BaseFont names). */
  unembeddedFonts: string[];
  /** Objects that name an RGB colour space, and content streams that set an RGB colour. */
  rgbObjects: number;
  rgbOperators: number;
}

const RGB_OPERATOR = /(?:^|[\s\]])[-+]?[\d.]+\s+[-+]?[\d.]+\s+[-+]?[\d.]+\s+(?:rg|RG)(?=\s|$)/;

export async function preflight(bytes: Uint8Array): Promise<PreflightResult> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const ctx = doc.context;
  const info = ctx.lookupMaybe(ctx.trailerInfo.Info, PDFDict);
  const version = info?.get(PDFName.of('GTS_PDFXVersion'));
  const intents = doc.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray);
  let outputIntents = 0;
  for (let i = 0; i < (intents?.size() ?? 0); i++) {
    const intent = intents!.lookupMaybe(i, PDFDict);
    if (intent?.get(PDFName.of('S'))?.toString() === '/GTS_PDFX' && intent.get(PDFName.of('DestOutputProfile'))) outputIntents++;
  }
  const pagesWithoutBoxes: number[] = [];
  const pagesWithAnnotations: number[] = [];
  doc.getPages().forEach((page, i) => {
    if (!page.node.get(PDFName.of('TrimBox')) || !page.node.get(PDFName.of('BleedBox'))) pagesWithoutBoxes.push(i + 1);
    if ((page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size() ?? 0) > 0) pagesWithAnnotations.push(i + 1);
  });
  const unembeddedFonts: string[] = [];
  let rgbObjects = 0;
  let rgbOperators = 0;
  for (const [, object] of ctx.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (!dict) continue;
    if (usesRgb(dict, ctx.lookup.bind(ctx))) rgbObjects++;
    const type = dict.get(PDFName.of('Type'))?.toString();
    if (type === '/FontDescriptor' && !['FontFile', 'FontFile2', 'FontFile3'].some((k) => dict.get(PDFName.of(k)))) {
      unembeddedFonts.push(dict.get(PDFName.of('FontName'))?.toString().slice(1) ?? '?');
    }
    if (type === '/Font') {
      const subtype = dict.get(PDFName.of('Subtype'))?.toString();
      // Type 3 fonts are drawn by the file itself; Type 0 fonts are checked at their descendant's descriptor.
      if (subtype !== '/Type3' && subtype !== '/Type0' && !dict.get(PDFName.of('FontDescriptor'))) unembeddedFonts.push(dict.get(PDFName.of('BaseFont'))?.toString().slice(1) ?? '?');
    }
    if (object instanceof PDFRawStream && isContent(dict)) {
      let text: string;
      try {
        text = Buffer.from(decodePDFRawStream(object).decode()).toString('latin1');
      } catch {
        continue;
      }
      if (RGB_OPERATOR.test(text)) rgbOperators++;
    }
  }
  return { ...(version ? { pdfx: decodeText(version.toString()) } : {}), outputIntents, pagesWithoutBoxes, pagesWithAnnotations, unembeddedFonts, rgbObjects, rgbOperators };
}

/** A content stream or form XObject (not an image, font file, ICC profile or metadata). */
function isContent(dict: PDFDict): boolean {
  const subtype = dict.get(PDFName.of('Subtype'))?.toString();
  if (subtype === '/Form') return true;
  return !subtype && !dict.get(PDFName.of('Type')) && !dict.get(PDFName.of('Length1')) && !dict.get(PDFName.of('N'));
}

/** The dictionary's own colour space (ColorSpace / CS entries, resources' ColorSpace) is RGB. */
function usesRgb(dict: PDFDict, lookup: (ref: PDFRef) => unknown): boolean {
  const isRgbSpace = (value: unknown): boolean => {
    const v = value instanceof PDFRef ? lookup(value) : value;
    if (v instanceof PDFName) return v.toString() === '/DeviceRGB' || v.toString() === '/CalRGB';
    if (v instanceof PDFArray) {
      const head = v.get(0)?.toString();
      if (head === '/CalRGB') return true;
      if (head === '/ICCBased') {
        const stream = v.get(1) instanceof PDFRef ? lookup(v.get(1) as PDFRef) : v.get(1);
        const n = stream instanceof PDFStream ? stream.dict.get(PDFName.of('N')) : undefined;
        return n instanceof PDFNumber && n.asNumber() === 3;
      }
      if (head === '/Indexed' || head === '/Separation' || head === '/DeviceN') return [1, 2].some((i) => isRgbSpace(v.get(i)));
    }
    return false;
  };
  for (const key of ['ColorSpace', 'CS']) {
    const value = dict.get(PDFName.of(key));
    if (value === undefined) continue;
    const resolved = value instanceof PDFRef ? lookup(value) : value;
    if (resolved instanceof PDFDict && key === 'ColorSpace') {
      // A resources dictionary's named colour spaces.
      for (const [, space] of resolved.entries()) if (isRgbSpace(space)) return true;
    } else if (isRgbSpace(resolved)) return true;
  }
  return false;
}

/** A PDF string as written by pdf-lib's toString: (text) or <hex>. */
function decodeText(raw: string): string {
  if (raw.startsWith('(')) return raw.slice(1, -1);
  if (raw.startsWith('<')) return Buffer.from(raw.slice(1, -1), 'hex').toString('latin1');
  return raw;
}
