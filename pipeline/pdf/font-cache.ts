/**
 * A disk cache for the font programs the PDF stage makes: the print fonts cut from full static fonts
 * and joined from slices (print-fonts.ts), and the programs that join the subsets of several prints
 * (unify-fonts.ts). Cutting a CJK face with HarfBuzz and joining LXGW WenKai's slices costs about 1.5 s
 * of CPU per edition; the same characters cut from the same file give the same bytes, so a build that
 * prints an edition whose characters did not change (or changed in one face only) reads them back.
 *
 * Entries are addressed by content: the key hashes what the program is made of (the source font's
 * identity, the code points or glyph ids, the cutting code's version), never a name, so an entry never
 * goes stale and two builds that share the folder never disagree. A source font is identified by its
 * path, size, inode and modification time rather than by hashing its 10–15 MB: npm gives every file of a
 * package the same modification time, but a reinstall makes a new inode. Not the change time: the site's
 * font slices are hard links to the package files (html/write-output.ts), and making or removing a link
 * changes the file's change time, so every build that linked a slice made the joined faces miss.
 *
 * The folder lives in the build cache (out/.cache/print-fonts/), so `--no-cache`, a release and a press
 * build, which take no build cache, take none of this either. It is bounded: after a print, the least
 * recently used entries beyond `maxBytes` are removed (a hit refreshes an entry's time).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../base/write-atomic.ts';

export interface FontCache {
  /** The bytes stored under `key`, or undefined. */
  get(key: string): Buffer | undefined;
  set(key: string, data: Uint8Array): void;
  /** Remove the least recently used entries until the folder holds at most `maxBytes`. */
  trim(): void;
  /** Entries read and written since the cache was made (bench and tests). */
  readonly stats: { hits: number; misses: number };
}

export interface FontCacheOptions {
  /** Folder of the entries (`<key>.font`). */
  dir: string;
  /** Bytes kept after `trim`. Default: DEFAULT_MAX_BYTES (a few editions' worth of CJK subsets). */
  maxBytes?: number;
}

/** About 40 editions of two CJK families in two weights (0.4–0.6 MB per face). */
export const DEFAULT_MAX_BYTES = 96 * 1024 * 1024;

const SUFFIX = '.font';

export function createFontCache(options: FontCacheOptions): FontCache {
  const { dir } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const pathOf = (key: string) => join(dir, `${key}${SUFFIX}`);
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    get(key) {
      try {
        const data = readFileSync(pathOf(key));
        stats.hits++;
        const now = new Date();
        utimesSync(pathOf(key), now, now); // recently used: kept by `trim`
        return data;
      } catch {
        stats.misses++;
        return undefined;
      }
    },
    set(key, data) {
      try {
        // Write, then rename: a build printing at the same time never reads half an entry.
        writeFileAtomicSync(pathOf(key), data);
      } catch {
        /* a cache that cannot be written is only slower */
      }
    },
    trim() {
      let entries: Array<{ path: string; size: number; used: number }>;
      try {
        entries = readdirSync(dir)
          .filter((name) => name.endsWith(SUFFIX))
          .map((name) => {
            const s = statSync(join(dir, name));
            return { path: join(dir, name), size: s.size, used: s.mtimeMs };
          });
      } catch {
        return;
      }
      let total = entries.reduce((n, e) => n + e.size, 0);
      // Oldest first; equal times by name, so two builds trim alike.
      entries.sort((a, b) => a.used - b.used || (a.path < b.path ? -1 : 1));
      for (const e of entries) {
        if (total <= maxBytes) break;
        rmSync(e.path, { force: true });
        total -= e.size;
      }
    },
  };
}

/** The key of a font program: a SHA-256 of its parts, in order (strings, numbers and bytes). */
export function fontKey(...parts: ReadonlyArray<string | number | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Each part with its length first, so that no two lists of parts hash alike.
    const bytes = typeof part === 'string' || typeof part === 'number' ? Buffer.from(String(part)) : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

/**
 * What identifies a font file without reading it: its path, size, inode and modification time (not its
 * change time, which a hard link to it changes; see above). Undefined when it cannot be read (nothing is
 * cached for it then).
 */
export function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${path}\n${s.size}\n${s.ino}\n${s.mtimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Versions of the packages whose code shapes a program (a new version makes new keys): `name@version`,
 * from the package.json found from `resolve(name)` upwards (some packages do not export it).
 */
export function packageVersions(names: readonly string[], resolve: (specifier: string) => string): string {
  return names
    .map((name) => {
      let dir: string;
      try {
        dir = dirname(resolve(name));
      } catch {
        return `${name}@?`; // not installed
      }
      for (; dir !== dirname(dir); dir = dirname(dir)) {
        try {
          const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (manifest.name === name) return `${name}@${manifest.version}`;
        } catch {
          /* no manifest in this folder: look further up */
        }
      }
      return `${name}@?`;
    })
    .join(',');
}
