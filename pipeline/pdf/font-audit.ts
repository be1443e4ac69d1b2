/**
 * The font audit, run on the finished PDF before it is written: every font must be embedded, none may be
 * a Type 3 font (what Chromium makes of a missing bold or italic), and every font must be one of the
 * families the edition declares (pipeline/fonts/fonts.ts `fontSetFor(script)`). A font from elsewhere
 * means the browser fell back to a system font for some characters; the audit names them, read from the
 * font's ToUnicode map.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument } from 'pdf-lib';
import type { FontSet } from '../fonts/fonts.ts';
import { readToUnicode, textOfHex } from './to-unicode.ts';

export interface AuditedFont {
  /** BaseFont without the subset tag, e.g. NotoSerifSCExtraLight-Regular. */
  name: string;
  /** Type0, TrueType, Type1, Type3 … (the descendant's subtype for Type0 fonts). */
  type: string;
  embedded: boolean;
  /** The declared family it belongs to, if any. */
  family?: string;
  /** The characters the PDF draws with it. */
  chars: string;
}

export type FontProblem =
  | { kind: 'not-embedded'; font: AuditedFont }
  | { kind: 'type3'; font: AuditedFont }
  | { kind: 'undeclared'; font: AuditedFont };

export interface FontAudit {
  fonts: AuditedFont[];
  problems: FontProblem[];
  /** The declared families, for messages. */
  declared: string[];
}

export function auditFonts(doc: PDFDocument, fonts: FontSet): FontAudit {
  const declared = [...new Set(fonts.faces.map((f) => f.family))];
  const keys = declared.map((family) => ({ family, key: normalise(family) }));
  const seen = new Set<string>();
  const byName = new Map<string, AuditedFont>();
  const visitResources = (resources: PDFDict | undefined) => {
    if (!resources) return;
    const fontDict = resources.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [, value] of fontDict?.entries() ?? []) {
      const key = value instanceof PDFRef ? value.toString() : undefined;
      if (key && seen.has(key)) continue;
      if (key) seen.add(key);
      const font = doc.context.lookupMaybe(value, PDFDict);
      if (!font) continue;
      const audited = auditFont(doc, font, keys);
      const existing = byName.get(audited.name + audited.type);
      if (existing) existing.chars = mergeChars(existing.chars, audited.chars);
      else byName.set(audited.name + audited.type, audited);
    }
    const xobjects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict);
    for (const [, value] of xobjects?.entries() ?? []) {
      const key = value instanceof PDFRef ? value.toString() : undefined;
      if (key && seen.has(key)) continue;
      if (key) seen.add(key);
      const xobject = doc.context.lookup(value);
      if (xobject instanceof PDFStream && xobject.dict.lookupMaybe(PDFName.of('Subtype'), PDFName) === PDFName.of('Form')) {
        visitResources(xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict));
      }
    }
  };
  for (const page of doc.getPages()) visitResources(page.node.Resources());

  const audited = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  const problems: FontProblem[] = [];
  for (const font of audited) {
    if (font.type === 'Type3') problems.push({ kind: 'type3', font });
    else if (!font.embedded) problems.push({ kind: 'not-embedded', font });
    if (!font.family) problems.push({ kind: 'undeclared', font });
  }
  return { fonts: audited, problems, declared };
}

/** One line per problem, naming the font and the characters drawn with it. */
export function describeProblem(problem: FontProblem, declared: readonly string[]): string {
  const { font } = problem;
  const chars = font.chars ? `; characters drawn with it: ${showChars(font.chars)}` : '';
  switch (problem.kind) {
    case 'type3':
      return `font ${font.name} is a Type 3 font (a synthesised bold or italic: the weight or style is missing from the declared faces)${chars}`;
    case 'not-embedded':
      return `font ${font.name} is not embedded${chars}`;
    case 'undeclared':
      return `font ${font.name} is not one of the edition's fonts (${declared.join(', ')}): the browser fell back to a system font${chars}`;
  }
}

function auditFont(doc: PDFDocument, font: PDFDict, keys: ReadonlyArray<{ family: string; key: string }>): AuditedFont {
  const subtype = font.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() ?? '?';
  let descendant = font;
  if (subtype === 'Type0') {
    const first = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)?.lookup(0);
    if (first instanceof PDFDict) descendant = first;
  }
  const type = subtype === 'Type0' ? (descendant.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() ?? 'Type0') : subtype;
  const base = (font.lookupMaybe(PDFName.of('BaseFont'), PDFName) ?? descendant.lookupMaybe(PDFName.of('BaseFont'), PDFName))?.decodeText() ?? (subtype === 'Type3' ? 'Type3' : '?');
  const name = base.replace(/^[A-Z]{6}\+/, '');
  const descriptor = descendant.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
  const embedded = subtype === 'Type3' || ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor?.has(PDFName.of(k)));
  const normalised = normalise(name);
  const family = keys.filter((k) => normalised.startsWith(k.key)).sort((a, b) => b.key.length - a.key.length)[0]?.family;
  const toUnicode = font.lookup(PDFName.of('ToUnicode'));
  const chars = toUnicode instanceof PDFRawStream ? charsOf(Buffer.from(decodePDFRawStream(toUnicode).decode()).toString('latin1')) : '';
  void doc;
  return { name, type, embedded, family, chars };
}

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The characters a ToUnicode CMap maps glyphs to, sorted, without white space. */
export function charsOf(cmap: string): string {
  const out = new Set<string>();
  for (const hex of readToUnicode(cmap).values()) out.add(textOfHex(hex));
  return [...out].filter((c) => c.trim() !== '').sort().join('');
}

function mergeChars(a: string, b: string): string {
  return [...new Set([...a, ...b])].sort().join('');
}

function showChars(chars: string, max = 40): string {
  const list = [...chars];
  const shown = list.slice(0, max).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  return shown.join(', ') + (list.length > max ? ` and ${list.length - max} more` : '');
}
