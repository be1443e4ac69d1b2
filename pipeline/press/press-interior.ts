/**
 * The interior for the printer, from the screen PDF: it starts at the 扉页 (the cover and its blank verso
 * are left out), every page sits on a sheet `bleed` mm larger on each side, with TrimBox (the trimmed
 * page) and BleedBox (trim + bleed) set, and with `marks`, crop marks in a slug around the bleed. Link
 * annotations are dropped. Neutral colours become DeviceGray, so that black text prints in K alone
 * (neutral-to-gray.ts); crop marks are in registration colour (100 % of every ink), on every plate.
 */
import { PDFDocument, PDFName, cmyk, type PDFPage } from 'pdf-lib';
import { neutralColoursToGray, type NeutralToGrayOptions } from './neutral-to-gray.ts';

export interface PressSheetOptions {
  /** Pages of the source before the first page of the result. */
  skip: number;
  /** Bleed in mm on every side. */
  bleed: number;
  /** Draw crop marks (and leave a slug for them). Default: false. */
  marks?: boolean;
  /** Neutral RGB colours as DeviceGray (K only after the CMYK conversion); `false` keeps them. Default: on. */
  neutralToGray?: NeutralToGrayOptions | false;
}

const MM = 72 / 25.4;
/** Slug around the bleed that holds the crop marks, in mm. */
export const MARK_SLUG = 10;
/** Crop marks start this far outside the trim (the bleed) and are this long, in mm. */
const MARK_LENGTH = 6;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** MediaBox, BleedBox and TrimBox (points) of a press page for a trimmed page of `width` × `height` points. */
export function pressBoxes(width: number, height: number, bleedMm: number, marks: boolean): { media: Box; bleed: Box; trim: Box } {
  const b = bleedMm * MM;
  const slug = marks ? MARK_SLUG * MM : 0;
  const off = b + slug;
  return {
    media: { x: 0, y: 0, width: width + 2 * off, height: height + 2 * off },
    bleed: { x: slug, y: slug, width: width + 2 * b, height: height + 2 * b },
    trim: { x: off, y: off, width, height },
  };
}

/**
 * The press interior of `source` (bytes of the screen PDF). Pages are copied whole (content, fonts,
 * links) and only their boxes change: the MediaBox grows by the bleed (and the slug) around the page,
 * whose origin stays where it was, so nothing on the page moves.
 */
export async function pressInterior(source: Uint8Array, options: PressSheetOptions): Promise<{ bytes: Uint8Array; pages: number }> {
  const from = await PDFDocument.load(source, { updateMetadata: false });
  const out = await PDFDocument.create({ updateMetadata: false });
  const indices = from.getPageIndices().slice(options.skip);
  const copied = await out.copyPages(from, indices);
  for (const page of copied) out.addPage(page);
  // Before the marks are drawn: they are not text, and stay in registration colour.
  if (options.neutralToGray !== false) neutralColoursToGray(out, options.neutralToGray || {});
  for (const page of copied) {
    // Links mean nothing on paper, and PDF/X allows no annotation on the page (Ghostscript would fall
    // back to plain PDF output).
    page.node.delete(PDFName.of('Annots'));
    const { width, height } = page.getSize();
    const boxes = pressBoxes(width, height, options.bleed, options.marks ?? false);
    // Around the page: its own origin (0, 0) is the trim's lower left corner.
    const shift = (b: Box): Box => ({ ...b, x: b.x - boxes.trim.x, y: b.y - boxes.trim.y });
    const media = shift(boxes.media);
    page.setMediaBox(media.x, media.y, media.width, media.height);
    setBoxes(page, { bleed: shift(boxes.bleed), trim: shift(boxes.trim) });
    if (options.marks) drawCropMarks(page, shift(boxes.trim), options.bleed * MM);
  }
  copyInfo(from, out);
  return { bytes: await out.save({ useObjectStreams: false }), pages: copied.length };
}

export function setBoxes(page: PDFPage, boxes: { bleed: Box; trim: Box }): void {
  page.setBleedBox(boxes.bleed.x, boxes.bleed.y, boxes.bleed.width, boxes.bleed.height);
  page.setTrimBox(boxes.trim.x, boxes.trim.y, boxes.trim.width, boxes.trim.height);
  // PDF/X wants no CropBox other than the MediaBox; ArtBox is not used.
  page.node.delete(PDFName.of('CropBox'));
}

/** Eight hairlines at the corners of `trim`, starting `gap` outside it (in the slug, clear of the bleed). */
export function drawCropMarks(page: PDFPage, trim: Box, gap: number): void {
  const len = MARK_LENGTH * MM;
  const line = (x1: number, y1: number, x2: number, y2: number) => page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: cmyk(1, 1, 1, 1) });
  for (const x of [trim.x, trim.x + trim.width]) {
    for (const y of [trim.y, trim.y + trim.height]) {
      const outX = x === trim.x ? -1 : 1;
      const outY = y === trim.y ? -1 : 1;
      line(x + outX * gap, y, x + outX * (gap + len), y); // horizontal mark, on the trim line's level
      line(x, y + outY * gap, x, y + outY * (gap + len)); // vertical mark
    }
  }
}

function copyInfo(from: PDFDocument, to: PDFDocument): void {
  const title = from.getTitle();
  if (title) to.setTitle(title);
  const author = from.getAuthor();
  if (author) to.setAuthor(author);
  to.setProducer('Annals (pdf-lib, Ghostscript)');
  to.setCreator(from.getCreator() ?? 'Annals');
  const created = from.getCreationDate();
  if (created) {
    to.setCreationDate(created);
    to.setModificationDate(created);
  }
}
