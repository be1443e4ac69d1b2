/**
 * Release assets: what a GitHub release carries, made from a release build's out/ folder.
 *   <book>-<edition>.pdf          each printed PDF (screen)
 *   <book>-<edition>-press.pdf    the printer's interior (CMYK PDF/X) and cover sheet, when the release
 *   <book>-<edition>-cover.pdf    build made them (docs/print-production.md)
 *   <book>-<edition>-html.zip     each edition's site/, under a <book>-<edition>/ folder (deterministic ZIP)
 *   manifest-<book>.json          out/manifest.json (named after the book when out/ holds one book)
 *   SHA256SUMS                    `sha256sum -c SHA256SUMS` checks every asset
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXCLUDED, listFiles, MANIFEST_NAME } from './manifest.ts';
import { createZip } from './zip.ts';

export const SUMS_NAME = 'SHA256SUMS';

export interface ReleaseAssetsOptions {
  /** A release build's output folder (holding manifest.json). */
  outDir: string;
  /** Where the assets go. */
  destDir: string;
  /** Timestamp of the ZIP entries. Default: the manifest's sourceDateEpoch. */
  epochSeconds?: number;
}

/** Write the assets and SHA256SUMS; returns the asset names, sorted. */
export async function writeReleaseAssets(options: ReleaseAssetsOptions): Promise<string[]> {
  const { outDir, destDir } = options;
  const manifestPath = join(outDir, MANIFEST_NAME);
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} does not exist: run \`annals build --release\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sourceDateEpoch: number };
  const epoch = options.epochSeconds ?? manifest.sourceDateEpoch;
  await mkdir(destDir, { recursive: true });
  const books = dirs(outDir).filter((d) => !(EXCLUDED as readonly string[]).includes(d));
  for (const book of books) {
    for (const edition of dirs(join(outDir, book))) {
      const editionDir = join(outDir, book, edition);
      const pdfs = readdirSync(editionDir).filter((n) => n.endsWith('.pdf')).sort();
      for (const pdf of pdfs) {
        // The build names its PDFs after the book and edition already; others get the prefix.
        const name = pdf.startsWith(`${book}-${edition}`) ? pdf : pdfs.length === 1 ? `${book}-${edition}.pdf` : `${book}-${edition}-${pdf}`;
        await copyFile(join(editionDir, pdf), join(destDir, name));
      }
      const site = join(editionDir, 'site');
      if (!existsSync(site)) continue;
      const entries = await Promise.all(listFiles(site).map(async (path) => ({ path: `${book}-${edition}/${path}`, data: await readFile(join(site, path)) })));
      await writeFile(join(destDir, `${book}-${edition}-html.zip`), await createZip(entries, epoch));
    }
  }
  await copyFile(manifestPath, join(destDir, books.length === 1 ? `manifest-${books[0]}.json` : MANIFEST_NAME));
  return writeSums(destDir);
}

/** (Re)write `SHA256SUMS` over every other file in `dir`, in `sha256sum` format; returns the names. */
export async function writeSums(dir: string): Promise<string[]> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== SUMS_NAME)
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = await Promise.all(names.map(async (n) => `${createHash('sha256').update(await readFile(join(dir, n))).digest('hex')}  ${n}`));
  await writeFile(join(dir, SUMS_NAME), lines.map((l) => l + '\n').join(''));
  return names;
}

function dirs(path: string): string[] {
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
