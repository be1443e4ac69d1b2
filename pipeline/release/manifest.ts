/**
 * The release manifest, `out/manifest.json`: every file under out/ (except the build's own .cache/ and
 * .staging/ folders and the manifest itself) with its size and SHA-256, plus what made them — the Annals
 * version, Node, Chromium (when a PDF was printed) and the @fontsource font packages. Deterministic: paths
 * sorted by code point, keys in a fixed order, no time other than SOURCE_DATE_EPOCH.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toolRoot } from '../base/tool-root.ts';
import { otherFontPackages } from '../fonts/fonts.ts';

export const MANIFEST_NAME = 'manifest.json';
/** Folders under out/ that belong to the build, not to the release. */
export const EXCLUDED = ['.cache', '.staging'] as const;

export interface ManifestFile {
  /** Relative to out/, with `/` separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  manifestVersion: 1;
  /** Seconds since 1970 (SOURCE_DATE_EPOCH): the release's only time. */
  sourceDateEpoch: number;
  tool: { name: string; version: string };
  node: string;
  /** Version of the browser that printed the PDFs; absent when no PDF is in out/. */
  chromium?: string;
  /** @fontsource package → version, from node_modules/@fontsource/<pkg>/package.json. */
  fonts: Record<string, string>;
  files: ManifestFile[];
}

export interface ManifestOptions {
  sourceDateEpoch: number;
  /** The exact browser version, when the PDF stage knows it. Default: read from the printed PDFs' metadata. */
  chromium?: string;
  /** Folder holding Annals' package.json and node_modules/. Default: this repository. */
  toolRoot?: string;
}

const defaultToolRoot = toolRoot;

/** Describe the files under `outDir`. */
export async function createManifest(outDir: string, options: ManifestOptions): Promise<Manifest> {
  const toolRoot = options.toolRoot ?? defaultToolRoot;
  const tool = JSON.parse(readFileSync(join(toolRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const paths = listFiles(outDir);
  const files: ManifestFile[] = [];
  for (const path of paths) {
    const bytes = await readFile(join(outDir, path));
    files.push({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  const pdfs = paths.filter((p) => p.endsWith('.pdf'));
  const chromium = options.chromium ?? (pdfs.length ? await chromiumOf(pdfs.map((p) => join(outDir, p))) : undefined);
  return {
    manifestVersion: 1,
    sourceDateEpoch: options.sourceDateEpoch,
    tool: { name: tool.name, version: tool.version },
    node: process.version,
    ...(chromium ? { chromium } : {}),
    fonts: fontVersions(toolRoot),
    files,
  };
}

/** Write `out/manifest.json` and return its path. */
export async function writeManifest(outDir: string, options: ManifestOptions): Promise<string> {
  const manifest = await createManifest(outDir, options);
  const path = join(outDir, MANIFEST_NAME);
  await writeFile(path, JSON.stringify(manifest, null, 2) + '\n');
  return path;
}

/** Every file under `dir`, relative, sorted by code point; build folders and the manifest left out. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && ((EXCLUDED as readonly string[]).includes(entry.name) || entry.name === MANIFEST_NAME)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  if (existsSync(dir)) walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Versions of the installed @fontsource packages and of the other font packages the font sets name (LXGW WenKai), sorted by name. */
export function fontVersions(toolRoot: string): Record<string, string> {
  const dir = join(toolRoot, 'node_modules', '@fontsource');
  const fonts: Record<string, string> = {};
  const names = [...(existsSync(dir) ? readdirSync(dir).map((name) => `@fontsource/${name}`) : []), ...otherFontPackages()].sort();
  for (const name of names) {
    const pkg = join(toolRoot, 'node_modules', name, 'package.json');
    if (existsSync(pkg)) fonts[name] = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return fonts;
}

/**
 * The browser named in the PDFs' Creator/Producer metadata (Chromium writes its user agent, e.g.
 * `HeadlessChrome/131.0.0.0`, or `Skia/PDF m131`). Several different versions are listed sorted.
 */
async function chromiumOf(pdfs: readonly string[]): Promise<string> {
  // pdf-lib is loaded only when there are PDFs to read.
  const { metadataTexts } = await import('./pdf-tools.ts');
  const found = new Set<string>();
  for (const pdf of pdfs) {
    const text = (await metadataTexts(await readFile(pdf))).join('\n');
    const agent = /(HeadlessChrome|Chromium|Chrome)\/(\d+(?:\.\d+)*)/.exec(text);
    const skia = /Skia\/PDF m(\d+)/.exec(text);
    found.add(agent ? `${agent[1]}/${agent[2]}` : skia ? `Skia/PDF m${skia[1]}` : 'unknown');
  }
  return [...found].sort().join(', ');
}
