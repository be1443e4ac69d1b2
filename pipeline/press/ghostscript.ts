/**
 * Ghostscript (Debian's `ghostscript` package) for the press files: the CMYK PDF/X conversion with an
 * output intent, and the ink coverage check (`inkcov`) that finds RGB left over. Only release builds (or
 * `--press`) call it, so normal builds never need it.
 *
 * The output intent is the CMYK profile Ghostscript itself ships (iccprofiles/default_cmyk.icc, "Artifex
 * CMYK SWOP Profile", a SWOP characterisation: CGATS TR 001). Debian's Ghostscript 10.0 writes PDF/X-3
 * (`-dPDFX`); PDF/X-4 needs Ghostscript 10.04 or later; X-1a is X-3's rules at PDF 1.3 (transparency
 * flattened) with the X-1a version keys (docs/print-production.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pdfXref, trailerIdSpans } from '../base/pdf-xref.ts';

const run = promisify(execFile);

export type PdfxFlavour = 'x3' | 'x4' | 'x1a';

/** What the PDF/X keys say for each flavour. */
export const PDFX_VERSION: Record<PdfxFlavour, { version: string; conformance?: string; compatibility: string }> = {
  x3: { version: 'PDF/X-3:2002', compatibility: '1.3' },
  x1a: { version: 'PDF/X-1:2001', conformance: 'PDF/X-1a:2001', compatibility: '1.3' },
  x4: { version: 'PDF/X-4', compatibility: '1.6' },
};

export interface Ghostscript {
  path: string;
  /** e.g. 10.0 (major.minor as a number for comparison: 10.04 → 10.04). */
  version: number;
  versionText: string;
  /** The CMYK profile for the output intent. */
  cmykProfile: string;
}

export class GhostscriptError extends Error {}

/** Find `gs` and its CMYK profile. Throws GhostscriptError when either is missing. */
export async function findGhostscript(): Promise<Ghostscript> {
  const candidates = [process.env.ANNALS_GHOSTSCRIPT, '/usr/bin/gs', '/usr/local/bin/gs'].filter((p): p is string => !!p);
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new GhostscriptError('Ghostscript (gs) was not found; the press PDF needs it');
  const { stdout } = await run(path, ['--version']);
  const versionText = stdout.trim();
  const [major, minor] = versionText.split('.').map(Number);
  const cmykProfile = findProfile(versionText);
  if (!cmykProfile) throw new GhostscriptError(`Ghostscript ${versionText} has no iccprofiles/default_cmyk.icc`);
  return { path, version: major! + (minor ?? 0) / 100, versionText, cmykProfile };
}

function findProfile(version: string): string | undefined {
  const roots = ['/usr/share/ghostscript', '/usr/local/share/ghostscript'];
  for (const root of roots) {
    const exact = join(root, version, 'iccprofiles', 'default_cmyk.icc');
    if (existsSync(exact)) return exact;
    if (!existsSync(root)) continue;
    for (const dir of readdirSync(root).sort().reverse()) {
      const p = join(root, dir, 'iccprofiles', 'default_cmyk.icc');
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/** PostScript string literal: backslashes and parentheses escaped, non-ASCII as octal bytes. */
function psString(text: string): string {
  let out = '(';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (c === '(' || c === ')' || c === '\\') out += '\\' + c;
    else if (byte < 32 || byte > 126) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += c;
  }
  return out + ')';
}

/** The PostScript prologue that names the PDF/X version and attaches the output intent with its profile. */
export function pdfxPrologue(flavour: PdfxFlavour, title: string, profile: string): string {
  const keys = PDFX_VERSION[flavour];
  return [
    '% Written by Annals (pipeline/press/ghostscript.ts): PDF/X keys and the output intent.',
    `[ /GTS_PDFXVersion ${psString(keys.version)}${keys.conformance ? ` /GTS_PDFXConformance ${psString(keys.conformance)}` : ''}`,
    `  /Title ${psString(title)} /Trapped /False /DOCINFO pdfmark`,
    '[ /_objdef {annalsICC} /type /stream /OBJ pdfmark',
    '[ {annalsICC} << /N 4 >> /PUT pdfmark',
    `[ {annalsICC} ${psString(profile)} (r) file /PUT pdfmark`,
    '[ /_objdef {annalsIntent} /type /dict /OBJ pdfmark',
    '[ {annalsIntent} << /Type /OutputIntent /S /GTS_PDFX',
    '  /OutputCondition (SWOP, coated paper) /OutputConditionIdentifier (CGATS TR 001)',
    '  /RegistryName (http://www.color.org) /Info (Artifex CMYK SWOP Profile) /DestOutputProfile {annalsICC} >> /PUT pdfmark',
    '[ {Catalog} << /OutputIntents [ {annalsIntent} ] >> /PUT pdfmark',
    '',
  ].join('\n');
}

export interface PdfxOptions {
  gs: Ghostscript;
  flavour: PdfxFlavour;
  title: string;
  input: string;
  output: string;
  /** A folder for the prologue file. */
  workDir: string;
  /** Seconds since 1970 for the file's dates (SOURCE_DATE_EPOCH), so that the same input gives the same bytes. */
  epoch: string;
}

/** Convert `input` to a CMYK PDF/X file at `output`. */
export async function convertToPdfx(options: PdfxOptions): Promise<void> {
  const { gs, flavour } = options;
  if (flavour === 'x4' && gs.version < 10.04) {
    throw new GhostscriptError(`PDF/X-4 needs Ghostscript 10.04 or later; this one is ${gs.versionText} (set press.pdfx to x3 or x1a)`);
  }
  const prologue = join(options.workDir, `.pdfx-${flavour}.ps`);
  await writeFile(prologue, pdfxPrologue(flavour, options.title, gs.cmykProfile));
  const args = [
    '-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-dNOINTERPOLATE',
    `--permit-file-read=${gs.cmykProfile}`,
    '-sDEVICE=pdfwrite',
    flavour === 'x4' ? '-dPDFX=4' : '-dPDFX',
    `-dCompatibilityLevel=${PDFX_VERSION[flavour].compatibility}`,
    '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK',
    `-sOutputICCProfile=${gs.cmykProfile}`,
    '-dEmbedAllFonts=true', '-dSubsetFonts=true',
    // Same input, same bytes: no creation time or random document id from Ghostscript.
    '-dPDFSETTINGS=/prepress', '-dDetectDuplicateImages=true',
    `-sOutputFile=${options.output}`,
    prologue,
    options.input,
  ];
  const { stdout, stderr } = await run(gs.path, args, { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, SOURCE_DATE_EPOCH: options.epoch } });
  // Ghostscript writes plain PDF, with a message, when the input has something PDF/X forbids.
  const fallback = /^.*not permitted in PDF\/X.*$|^.*reverting to normal PDF output.*$/m.exec(stdout + '\n' + stderr);
  if (fallback) throw new GhostscriptError(`Ghostscript could not write PDF/X: ${(stdout + ' ' + stderr).replace(/\s+/g, ' ').trim()}`);
  await writeFile(options.output, stableDocumentId(await readFile(options.output)));
}

/**
 * Ghostscript's document /ID changes from run to run (the dates follow SOURCE_DATE_EPOCH, the ID does
 * not): replace it, in place and at the same length, by the MD5 of the file with the ID zeroed. The two
 * IDs are read from the trailer through the cross-reference table (base/pdf-xref.ts), not searched for
 * in the file; a file without an /ID is returned as it is. Throws GhostscriptError when the file has no
 * classic cross-reference table (Ghostscript 10 writes one; an xref stream would need pdf-lib's full
 * parse, which gives no byte positions).
 */
export function stableDocumentId(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  const xref = pdfXref(out);
  if (!xref) throw new GhostscriptError('Ghostscript wrote a PDF whose cross-reference table cannot be read (an xref stream?): its document ID cannot be made stable');
  const ids = trailerIdSpans(out, xref);
  if (!ids) return out;
  for (const { start, end } of ids) out.fill(0x30, start, end);
  const id = createHash('md5').update(out).digest('hex').toUpperCase();
  for (const { start, end } of ids) out.write(id.slice(0, end - start).padEnd(end - start, '0'), start, 'latin1');
  return out;
}

/** Per page, the ink coverage of C, M, Y, K (0–1) and whether the page was rendered in CMYK (`inkcov`). */
export async function inkCoverage(gs: Ghostscript, file: string): Promise<Array<{ c: number; m: number; y: number; k: number; cmyk: boolean }>> {
  const { stdout } = await run(gs.path, ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-o', '-', '-sDEVICE=inkcov', '-r36', file], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((l) => /^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(CMYK|RGB|\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ c: Number(m[1]), m: Number(m[2]), y: Number(m[3]), k: Number(m[4]), cmyk: m[5] === 'CMYK' }));
}
