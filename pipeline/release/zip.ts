/**
 * A deterministic ZIP (a release's HTML edition, an EPUB), written with JSZip (already a dependency): entries in
 * the order given (callers sort them), every timestamp set to SOURCE_DATE_EPOCH (JSZip stores UTC DOS
 * times), DOS platform attributes and no folder entries — the same files give the same bytes everywhere.
 */
import JSZip from 'jszip';

export interface ZipEntry {
  /** Path inside the archive, with `/` separators. */
  path: string;
  data: Uint8Array;
  /** Store without compression (an EPUB's `mimetype`, which must come first and uncompressed). Default: deflate. */
  store?: boolean;
}

export function createZip(entries: readonly ZipEntry[], epochSeconds: number): Promise<Buffer> {
  // The DOS date format starts in 1980.
  const date = new Date(Math.max(epochSeconds, 315532800) * 1000);
  const zip = new JSZip();
  for (const entry of entries) zip.file(entry.path, entry.data, { date, createFolders: false, binary: true, ...(entry.store ? { compression: 'STORE' as const } : {}) });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'DOS' });
}
