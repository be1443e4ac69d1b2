/**
 * The PDF's metadata from book.yaml: the Info dictionary (title, author, subject, keywords, creator,
 * producer, dates, and a custom /Publisher), the same in XMP (which is where dc:publisher and the
 * language live), and a document ID. Nothing depends on the clock: dates come from SOURCE_DATE_EPOCH,
 * else from January 1 of the book's year; the ID is a hash of the finished file. Two builds
 * of the same input are byte-identical.
 */
import { createHash } from 'node:crypto';
import { PDFDict, PDFHexString, PDFName, PDFRef, type PDFDocument } from 'pdf-lib';
import { findAll, pdfXref, trailerIdSpans } from '../base/pdf-xref.ts';

export interface PdfMetadata {
  title: string;
  subtitle?: string;
  /** Byline: author or editor. */
  author?: string;
  /** The edition's description; the subtitle when there is none. */
  subject?: string;
  keywords: readonly string[];
  publisher?: string;
  /** BCP 47 language of the edition. */
  lang: string;
  /** The application that made the content: Annals and its version. */
  creator: string;
  /** The tools that wrote the PDF (Chromium version, pdf-lib). */
  producer: string;
  /** Creation and modification date. */
  date: Date;
}

export { metadataDate } from '../release/source-date-epoch.ts';

/** The document ID written by `applyMetadata`, replaced by `stampDocumentId` once the bytes are known. */
export const PLACEHOLDER_ID = '0'.repeat(32);

/**
 * The document ID is a hash of the finished file: written as a placeholder, the file saved, then the
 * placeholder replaced in place by the hash of those bytes — same length, so no offset moves. Identical
 * input gives an identical ID; any change gives another. The places are read, not searched for: the
 * file is entered through its cross-reference table (base/pdf-xref.ts), the trailer's /ID gives two, and
 * the catalog's /Metadata stream (the XMP packet, written uncompressed by `applyMetadata`) holds the
 * rest (xmpMM:DocumentID and InstanceID). A file pdf-lib saved without object streams always has that
 * table; anything else is an error of the caller.
 */
export function stampDocumentId(bytes: Uint8Array): Uint8Array {
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32).toUpperCase();
  const out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const xref = pdfXref(out);
  const ids = xref && trailerIdSpans(out, xref);
  if (!xref || !ids) throw new Error('stampDocumentId: the PDF has no cross-reference table with a trailer /ID (save it without object streams)');
  for (const span of ids) if (out.toString('latin1', span.start, span.end) === PLACEHOLDER_ID) out.write(id, span.start, 'latin1');
  const root = xref.resolve(xref.trailer.get(PDFName.of('Root')));
  const metadata = root instanceof PDFDict ? root.get(PDFName.of('Metadata')) : undefined;
  const packet = metadata instanceof PDFRef ? xref.span(metadata) : undefined;
  if (packet) for (const span of findAll(out, uuidOf(PLACEHOLDER_ID), packet)) out.write(uuidOf(id), span.start, 'latin1');
  return out;
}

const uuidOf = (id: string) => `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`.toLowerCase();

export function applyMetadata(doc: PDFDocument, meta: PdfMetadata, id = PLACEHOLDER_ID): void {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  const subject = meta.subject ?? meta.subtitle;
  if (subject) doc.setSubject(subject);
  if (meta.keywords.length) doc.setKeywords([...meta.keywords]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.producer);
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict);
  if (meta.publisher) info?.set(PDFName.of('Publisher'), PDFHexString.fromText(meta.publisher));
  doc.setLanguage(meta.lang);

  const xmp = xmpPacket(meta, id);
  const stream = doc.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}

function xmpPacket(meta: PdfMetadata, id: string): string {
  const date = meta.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const uuid = uuidOf(id);
  const lang = esc(meta.lang);
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${esc(text)}</rdf:li><rdf:li xml:lang="${lang}">${esc(text)}</rdf:li></rdf:Alt>`;
  const subject = meta.subject ?? meta.subtitle;
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    '  xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '  xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    '  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(meta.title)}</dc:title>`,
    meta.author ? `<dc:creator><rdf:Seq><rdf:li>${esc(meta.author)}</rdf:li></rdf:Seq></dc:creator>` : '',
    subject ? `<dc:description>${alt(subject)}</dc:description>` : '',
    meta.keywords.length ? `<dc:subject><rdf:Bag>${meta.keywords.map((k) => `<rdf:li>${esc(k)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>` : '',
    meta.publisher ? `<dc:publisher><rdf:Bag><rdf:li>${esc(meta.publisher)}</rdf:li></rdf:Bag></dc:publisher>` : '',
    `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>`,
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<xmp:CreatorTool>${esc(meta.creator)}</xmp:CreatorTool>`,
    `<pdf:Producer>${esc(meta.producer)}</pdf:Producer>`,
    meta.keywords.length ? `<pdf:Keywords>${esc(meta.keywords.join(', '))}</pdf:Keywords>` : '',
    `<xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>${uuid}</xmpMM:InstanceID>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ]
    .filter(Boolean)
    .join('\n');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
