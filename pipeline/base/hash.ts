/**
 * Content hashes for the build cache: of strings and bytes, of one file, of a folder tree, and of the
 * pipeline itself (its source, package.json and the lockfile), so that a change to the code or to a
 * dependency invalidates every cached result. Everything here hashes content, never mtimes: a file that is
 * saved without a change hashes the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { toolRoot } from './tool-root.ts';

/** SHA-256 (hex) of the given parts. Each part is length-prefixed, so ["ab", "c"] ≠ ["a", "bc"]. */
export function digest(...parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export interface TreeOptions {
  /** Leave out a path (relative to the tree's root, `/`-separated) and, for a folder, all it holds. */
  exclude?: (rel: string, isDirectory: boolean) => boolean;
}

/** Names never part of a build input: dotfiles (.git, .DS_Store, editor swap files) and editor backups. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

/**
 * The files of a folder tree, recursively, as sorted `/`-separated relative paths. Dotfiles and editor
 * backups are left out. A missing folder has no files.
 */
export function listTree(root: string, options: TreeOptions = {}): string[] {
  const out: string[] = [];
  if (!existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (isIgnoredName(entry.name)) continue;
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      const isDirectory = entry.isDirectory();
      if (options.exclude?.(rel, isDirectory)) continue;
      if (isDirectory) walk(full);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk(root);
  return out.sort();
}

/**
 * A tree hasher that remembers: a file with the same size, mtime and inode as when it was last read is
 * not read again (its hash is reused); the others are read and hashed. A file modified less than two
 * seconds before it was read is always read again (a later change in the same mtime tick would otherwise
 * go unseen, as git's "racy" index entries). The tree's hash is the same as `hashTree`'s.
 */
export function createTreeHasher(): (root: string, options?: TreeOptions) => string {
  const files = new Map<string, { signature: string; hash: Buffer; trusted: boolean }>();
  return (root, options = {}) => {
    const hash = createHash('sha256');
    for (const rel of listTree(root, options)) {
      const path = join(root, rel);
      const s = statSync(path);
      const signature = `${s.size}\u0000${s.mtimeMs}\u0000${s.ino}`;
      let held = files.get(path);
      if (!held || !held.trusted || held.signature !== signature) {
        const started = Date.now();
        const bytes = readFileSync(path);
        held = { signature, hash: createHash('sha256').update(bytes).digest(), trusted: started - s.mtimeMs > 2000 };
        files.set(path, held);
      }
      hash.update(`${rel}\u0000${s.size}\u0000`);
      hash.update(held.hash);
    }
    return hash.digest('hex');
  };
}

/** One hash of every file's path and content under `root`. A missing folder hashes as empty. */
export function hashTree(root: string, options: TreeOptions = {}): string {
  const hash = createHash('sha256');
  for (const rel of listTree(root, options)) {
    const bytes = readFileSync(join(root, rel));
    hash.update(`${rel}\u0000${bytes.length}\u0000`);
    hash.update(createHash('sha256').update(bytes).digest());
  }
  return hash.digest('hex');
}

/** The hash of a file's bytes, or of "missing" when it does not exist. */
export function hashFile(path: string): string {
  return existsSync(path) ? digest(readFileSync(path)) : digest('<missing>');
}

const projectDir = toolRoot;
const pipelineDir = join(projectDir, 'pipeline');
let pipelineVersionMemo: string | undefined;

/**
 * The version of the pipeline as a hash: every file under pipeline/, package.json and package-lock.json
 * (fonts, OpenCC dictionaries and ECharts come from npm). Computed once per process: a running preview
 * keeps running the code it loaded, so its cache stays valid for that code.
 */
export function pipelineVersion(): string {
  pipelineVersionMemo ??= digest(
    'annals-pipeline',
    hashTree(pipelineDir, { exclude: (rel) => rel.endsWith('.md') }),
    hashFile(join(projectDir, 'package.json')),
    hashFile(join(projectDir, 'package-lock.json')),
    process.version,
  );
  return pipelineVersionMemo;
}
