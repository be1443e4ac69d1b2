/**
 * Black text in black ink only. Chromium writes every colour as DeviceRGB (`r g b rg`), and an RGB black
 * or grey converted to CMYK through the output profile becomes a four-colour mix ("rich black": the SWOP
 * profile makes RGB black about 75/68/67/90), which misregisters on small type. Before the CMYK
 * conversion, every neutral RGB colour (r = g = b) in the content streams of the press files is written
 * as DeviceGray (`g`/`G`), which Ghostscript maps to the K plate alone (its DeviceGrayToK default); a
 * neutral at least as dark as `solidBlack` (default 0.15, i.e. 85 % K or more: the templates' text colour
 * #1b1b1b) becomes solid black, 100 % K. Chromatic colours are left to the profile.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument } from 'pdf-lib';
import { contentTokens } from '../pdf/content-operands.ts';

export interface NeutralToGrayOptions {
  /** A neutral colour whose value is at most this (0 black … 1 white) prints as 100 % K. Default 0.15. */
  solidBlack?: number;
}

export interface NeutralToGrayResult {
  /** Content streams rewritten. */
  streams: number;
  /** Colour operators turned into DeviceGray. */
  colours: number;
}

/** Rewrite the neutral RGB colours of every page and form content stream (see above). */
export function neutralColoursToGray(doc: PDFDocument, options: NeutralToGrayOptions = {}): NeutralToGrayResult {
  const solid = options.solidBlack ?? 0.15;
  const refs = new Set<PDFRef>();
  for (const page of doc.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'));
    if (contents instanceof PDFRef) refs.add(contents);
    else if (contents instanceof PDFArray) for (const r of contents.asArray()) if (r instanceof PDFRef) refs.add(r);
  }
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) refs.add(ref);
  }
  let streams = 0;
  let colours = 0;
  for (const ref of refs) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) continue;
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    let changed = 0;
    const out = grayOperators(text, solid, () => changed++);
    if (changed === 0) continue;
    const dict = PDFDict.withContext(doc.context);
    for (const [key, value] of stream.dict.entries()) {
      if (key !== PDFName.of('Length') && key !== PDFName.of('Filter') && key !== PDFName.of('DecodeParms')) dict.set(key, value);
    }
    const replaced = doc.context.flateStream(Buffer.from(out, 'latin1'));
    for (const [key, value] of dict.entries()) replaced.dict.set(key, value);
    doc.context.assign(ref, replaced);
    streams++;
    colours += changed;
  }
  return { streams, colours };
}

/**
 * `r g b rg` with r = g = b as `v g` (and RG as G); v ≤ solid as 0. Found among the stream's operators
 * (content-operands.ts), so strings and inline images are never read as colours; every other byte stays.
 */
export function grayOperators(content: string, solid: number, onChange: () => void = () => {}): string {
  const tokens = contentTokens(content);
  let out = '';
  let copied = 0;
  for (let i = 3; i < tokens.length; i++) {
    const op = tokens[i]!;
    if (op.kind !== 'operator' || (op.text !== 'rg' && op.text !== 'RG')) continue;
    const [r, g, b] = tokens.slice(i - 3, i);
    if (r!.kind !== 'number' || g!.kind !== 'number' || b!.kind !== 'number') continue;
    const [vr, vg, vb] = [Number(r!.text), Number(g!.text), Number(b!.text)];
    if (vr !== vg || vg !== vb) continue;
    onChange();
    out += content.slice(copied, r!.start) + `${vr <= solid ? '0' : r!.text} ${op.text === 'rg' ? 'g' : 'G'}`;
    copied = op.end;
  }
  return out + content.slice(copied);
}
