/**
 * The byte-identity guard (issue 13): builds every sample book's HTML, and the world report's zh PDF,
 * into temporary folders and records a SHA-256 per output file in tests/fixtures/output-hashes.json.
 * tests/byte-identity.test.ts builds again and lists the files whose bytes differ. A change that alters
 * the output on purpose re-records the hashes (`npm run record-hashes`) in the same commit.
 *
 * PDF bytes depend on the Chromium that printed them, so the PDF hashes are stored under that Chromium's
 * version (`chromium --version`); a machine with another version skips the PDF comparison and says why.
 *
 *   node --import tsx scripts/record-hashes.ts [--html-only]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, type Format } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { findBrowser } from '../pipeline/pdf/find-browser.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the hashes are kept (relative path → SHA-256 hex). */
export const HASHES_FILE = join(repoRoot, 'tests', 'fixtures', 'output-hashes.json');

/** The one PDF whose bytes are guarded: the cheapest sample PDF to print. */
export const GUARDED_PDF = { book: 'world-report', edition: 'zh' } as const;

export interface OutputHashes {
  /** Every file of every sample book's HTML build (`--format html`), keyed by its path under out/. */
  html: Record<string, string>;
  /** The guarded PDF's hash, valid only for the Chromium that printed it. */
  pdf?: { chromium: string; files: Record<string, string> };
}

/** SHA-256 of every file under `dir`, keyed by its path relative to `dir` with `/` separators, sorted. */
export function hashTree(dir: string, keep: (path: string) => boolean = () => true): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = relative(dir, full).split(sep).join('/');
        if (keep(path)) hashes[path] = createHash('sha256').update(readFileSync(full)).digest('hex');
      }
    }
  };
  walk(dir);
  return hashes;
}

/**
 * The version line of the browser the PDF stage would use (`Chromium 156.0.8078.114 built on …`), or
 * undefined when there is none or it does not answer.
 */
export function chromiumVersion(): string | undefined {
  try {
    const { path } = findBrowser();
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    return out.trim().split('\n').pop()?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds into a fresh temporary folder (no build cache, SOURCE_DATE_EPOCH unset so dates come from each
 * book's year) and returns the hashes of the files written; the folder is removed afterwards. Throws when
 * the build reports an error, since the hashes of a failed build guard nothing.
 */
async function buildAndHash(format: Format, select: { books?: string[]; edition?: string; threads?: number } = {}): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'annals-hashes-'));
  const epoch = process.env.SOURCE_DATE_EPOCH;
  delete process.env.SOURCE_DATE_EPOCH;
  try {
    const result = await buildAll({ project: projectAt(repoRoot, out), format, ...select });
    if (!result.ok) {
      const first = result.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`the sample build failed${first ? `: ${first.file}:${first.line ?? ''} ${first.message}` : ''}`);
    }
    // Only the books' folders: nothing else (staging, caches) belongs to the output.
    return hashTree(out, (path) => !path.startsWith('.'));
  } finally {
    if (epoch !== undefined) process.env.SOURCE_DATE_EPOCH = epoch;
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Every file of every sample book's HTML build; `threads` > 1 builds the books side by side in worker
 * threads (pipeline/build/book-threads.ts, ANNALS_THREADS). Default: 1.
 */
export function hashSampleHtml(threads = 1): Promise<Record<string, string>> {
  return buildAndHash('html', { threads });
}

/** The guarded PDF only (its edition's site files, built on the way, are the HTML hashes' concern). */
export async function hashGuardedPdf(): Promise<Record<string, string>> {
  const all = await buildAndHash('pdf', { books: [GUARDED_PDF.book], edition: GUARDED_PDF.edition });
  return Object.fromEntries(Object.entries(all).filter(([path]) => path.endsWith('.pdf')));
}

/** The recorded hashes, or undefined when none were recorded. */
export function readHashes(file = HASHES_FILE): OutputHashes | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OutputHashes;
  } catch {
    return undefined;
  }
}

/** Paths whose hash differs between `recorded` and `fresh`, each with why (changed, missing, new). */
export function differences(recorded: Record<string, string>, fresh: Record<string, string>): string[] {
  const paths = [...new Set([...Object.keys(recorded), ...Object.keys(fresh)])].sort();
  return paths.flatMap((path) => {
    if (!(path in fresh)) return [`${path} (no longer written)`];
    if (!(path in recorded)) return [`${path} (new)`];
    return recorded[path] === fresh[path] ? [] : [`${path} (changed)`];
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const htmlOnly = process.argv.includes('--html-only');
  const previous = readHashes();
  const html = await hashSampleHtml();
  const chromium = htmlOnly ? undefined : chromiumVersion();
  let pdf = previous?.pdf;
  if (chromium) pdf = { chromium, files: await hashGuardedPdf() };
  else if (!htmlOnly) console.warn('no Chromium answered `--version`: the PDF hashes are left as they were');
  const hashes: OutputHashes = { html, ...(pdf ? { pdf } : {}) };
  writeFileSync(HASHES_FILE, JSON.stringify(hashes, null, 2) + '\n');
  const changed = previous ? differences(previous.html, html).length + differences(previous.pdf?.files ?? {}, pdf?.files ?? {}).length : undefined;
  console.log(`${Object.keys(html).length} HTML output files and ${Object.keys(pdf?.files ?? {}).length} PDF recorded in ${relative(repoRoot, HASHES_FILE)}` + (changed === undefined ? '' : ` (${changed} differ from the previous record)`));
}
