/**
 * The tools a PDF names in its metadata, for the release manifest (manifest.ts reads the browser from
 * them). Its own module so that pdf-lib is loaded only when a release has PDFs.
 */
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { pdfXref, textOf } from '../base/pdf-xref.ts';

/**
 * What a PDF says of the tools that made it, as text read with a PDF reader (never by scanning its
 * bytes): the Info dictionary's Creator and Producer and the catalog's XMP packet (where a tool that
 * rewrote the file, such as Ghostscript for the press, may have kept the browser). Read through the
 * cross-reference table (base/pdf-xref.ts), else with pdf-lib's parse of the whole file.
 */
export async function metadataTexts(bytes: Uint8Array): Promise<string[]> {
  const xref = pdfXref(bytes);
  if (xref) return metadataOf(xref.trailer.get(PDFName.of('Info')), xref.trailer.get(PDFName.of('Root')), xref.resolve);
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
    const { Info, Root } = doc.context.trailerInfo;
    return metadataOf(Info, Root, (object) => (object instanceof PDFRef ? doc.context.lookup(object) : object));
  } catch {
    return [];
  }
}

type Resolve = (object: PDFObject | undefined) => PDFObject | undefined;

/** The Creator, Producer and XMP texts of a document, from its trailer's /Info and /Root. */
function metadataOf(infoEntry: PDFObject | undefined, rootEntry: PDFObject | undefined, resolve: Resolve): string[] {
  const info = resolve(infoEntry);
  const root = resolve(rootEntry);
  const texts = info instanceof PDFDict ? [textOf(resolve(info.get(PDFName.of('Creator')))), textOf(resolve(info.get(PDFName.of('Producer'))))] : [];
  const xmp = root instanceof PDFDict ? resolve(root.get(PDFName.of('Metadata'))) : undefined;
  if (xmp instanceof PDFRawStream) texts.push(streamText(xmp));
  return texts.filter((t): t is string => t !== undefined);
}

/** A metadata stream's text (UTF-8), decoded from its filters; undefined when pdf-lib cannot decode it. */
function streamText(stream: PDFRawStream): string | undefined {
  try {
    return new TextDecoder().decode(decodePDFRawStream(stream).decode());
  } catch {
    return undefined;
  }
}
