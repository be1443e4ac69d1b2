/**
 * Where a framework's files are and what they hold, without loading them (no YAML parsing, no schema):
 * the framework editions under indicators/, the lookup of one by id and edition, and the stamp of a
 * framework folder's files (a preview's memo compares it: load.ts `frameworkStamp`). load.ts reads
 * frameworks with these; the build cache asks them again to tell whether the frameworks a kept chapter run
 * or book used changed (indicator-reads.ts), so a build whose chapters are all reused never loads the
 * indicator machinery (YAML, schemas, computation).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedFramework } from './load.ts';

export interface FrameworkRef {
  id: string;
  edition: number;
  dir: string;
}

/** Every framework edition under `indicatorsRoot`, sorted by id then edition. */
export function listFrameworks(indicatorsRoot: string): FrameworkRef[] {
  if (!existsSync(indicatorsRoot)) return [];
  const out: FrameworkRef[] = [];
  for (const id of readdirSync(indicatorsRoot).sort()) {
    const base = join(indicatorsRoot, id);
    let editions: string[];
    try {
      editions = readdirSync(base);
    } catch {
      continue;
    }
    for (const edition of editions.filter((e) => /^\d{4}$/.test(e)).sort()) {
      const dir = join(base, edition);
      if (existsSync(join(dir, 'framework.yaml'))) out.push({ id, edition: Number(edition), dir });
    }
  }
  return out;
}

/** The framework `id` in `edition` (default: its latest edition). */
export function findFramework(indicatorsRoot: string, id: string, edition?: number): FrameworkRef | undefined {
  const all = listFrameworks(indicatorsRoot).filter((f) => f.id === id);
  return edition == null ? all.at(-1) : all.find((f) => f.edition === edition);
}

/** SHA-256 of files' paths and texts, in order. */
export function hashFiles(files: ReadonlyArray<readonly [string, string]>) {
  const hash = createHash('sha256');
  for (const [path, text] of files) hash.update(`${path}\u0000${text}\u0000`);
  return hash;
}

/** The YAML files of a data folder, sorted; none when it does not exist. */
export function dataPathsOf(dataDir: string): string[] {
  return existsSync(dataDir)
    ? readdirSync(dataDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(dataDir, f))
    : [];
}

/** What a load of a framework folder read besides framework.yaml: its data folder and its map geometry. */
export interface StampedFiles {
  /** Absolute folder of framework.yaml. */
  dir: string;
  /** Absolute data folder (framework.yaml's `data`, default `data`): every YAML file in it. */
  dataDir: string;
  /** Absolute path of the map geometry, whose existence the load checks; null without a map. */
  geometry: string | null;
}

/** The folders and the file whose existence a load of `loaded.dir` depended on. */
export function stampedFiles(loaded: LoadedFramework): StampedFiles {
  const map = loaded.framework?.map;
  return { dir: loaded.dir, dataDir: join(loaded.dir, loaded.framework?.data ?? 'data'), geometry: map ? resolve(loaded.dir, map.geometry) : null };
}

/**
 * The stamp of these files as they are on disk now: equal to `loadedStamp(loaded)` of a framework loaded
 * from them (for `stampedFiles(loaded)`) while none changed; 'missing' when one cannot be read.
 */
export function folderStamp(files: StampedFiles): string {
  const texts: Array<[string, string]> = [];
  for (const path of [join(files.dir, 'framework.yaml'), ...dataPathsOf(files.dataDir)]) {
    try {
      texts.push([path, readFileSync(path, 'utf8')]);
    } catch {
      return 'missing';
    }
  }
  return `${hashFiles(texts).digest('hex')}:${files.geometry !== null && existsSync(files.geometry)}`;
}

/** The stamp of `loaded` as it was read (compare with `frameworkStamp`). */
export function loadedStamp(loaded: LoadedFramework): string {
  return `${loaded.hash}:${geometryExists(loaded)}`;
}

export function geometryExists(loaded: LoadedFramework): boolean {
  const map = loaded.framework?.map;
  return map ? existsSync(resolve(loaded.dir, map.geometry)) : false;
}
