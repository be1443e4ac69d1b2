/**
 * Safe output. An edition is written into a staging folder under out/.staging/ and only moved into
 * place (out/<book>/<edition>/) when everything succeeded: a failed build leaves the previous edition
 * intact and never a half-written one.
 *
 * Moving into place: the first build renames the whole folder. Later builds bring the existing folder in
 * line file by file — a file whose bytes did not change is left alone (same bytes, same mtime, so a
 * preview reloads nothing and rsync/CI caches see no change), a changed file replaces the old one by a
 * rename (atomic per file), a file the build no longer makes is removed. A failed build still never
 * touches out/; only a process killed in the middle of a commit could leave some files of each build.
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface Staging {
  dir: string;
  /** Write a file (string or bytes) at a path relative to the staging folder. */
  write(path: string, data: string | Uint8Array): Promise<void>;
  copy(from: string, path: string): Promise<void>;
  /** Make `target` hold exactly the staging folder's files, rewriting only the files whose bytes differ. */
  commit(target: string): Promise<CommitResult>;
  /** Remove the staging folder (after a failure). */
  discard(): Promise<void>;
}

export interface CommitResult {
  /** Files written or replaced, and files removed (paths relative to the target). */
  changed: string[];
  removed: string[];
}

export async function createStaging(outDir: string, name: string): Promise<Staging> {
  const dir = join(outDir, '.staging', `${name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const made = new Set<string>();
  const ensure = async (path: string) => {
    const d = dirname(path);
    if (!made.has(d)) {
      await mkdir(d, { recursive: true });
      made.add(d);
    }
  };
  return {
    dir,
    async write(path, data) {
      const full = join(dir, path);
      await ensure(full);
      await writeFile(full, data);
    },
    async copy(from, path) {
      const full = join(dir, path);
      await ensure(full);
      await copyFile(from, full);
    },
    async commit(target) {
      await mkdir(dirname(target), { recursive: true });
      if (!existsSync(target)) {
        const changed = await filesUnder(dir);
        await rename(dir, target);
        return { changed, removed: [] };
      }
      const result = await syncInto(dir, target);
      await rm(dir, { recursive: true, force: true });
      return result;
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Files under a folder, as sorted paths relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b).catch(() => undefined)]);
  if (!sb || !sb.isFile() || sa.size !== sb.size) return false;
  const [ba, bb] = await Promise.all([readFile(a), readFile(b)]);
  return ba.equals(bb);
}

/** Bring `target` in line with `source`, file by file (see the file comment). */
async function syncInto(source: string, target: string): Promise<CommitResult> {
  const wanted = await filesUnder(source);
  const existing = await filesUnder(target);
  const changed: string[] = [];
  // Comparing is reading: done for many files at once. Replacing is done one file at a time, in order.
  const same = await mapLimited(wanted, 16, (rel) => sameBytes(join(source, rel), join(target, rel)));
  for (const [i, rel] of wanted.entries()) {
    const from = join(source, rel);
    const to = join(target, rel);
    if (same[i]) continue;
    // A folder where a file now goes (or a file where a folder now goes) is cleared first.
    if ((await stat(to).catch(() => undefined))?.isDirectory()) await rm(to, { recursive: true, force: true });
    await mkdir(dirname(to), { recursive: true }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST' && e.code !== 'ENOTDIR') throw e;
      await clearFileOnPath(target, dirname(rel));
      await mkdir(dirname(to), { recursive: true });
    });
    await rename(from, to);
    changed.push(rel);
  }
  const keep = new Set(wanted);
  const removed = existing.filter((rel) => !keep.has(rel));
  for (const rel of removed) await rm(join(target, rel), { force: true });
  await removeEmptyFolders(target);
  return { changed, removed };
}

/** `fn` over `items` with at most `limit` calls running at once; results in the order of `items`. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Remove a file that sits where a folder of `relDir` must be. */
async function clearFileOnPath(root: string, relDir: string): Promise<void> {
  let path = root;
  for (const part of relDir.split('/')) {
    path = join(path, part);
    const s = await stat(path).catch(() => undefined);
    if (s && !s.isDirectory()) await rm(path, { force: true });
  }
}

async function removeEmptyFolders(root: string): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name));
  // Deepest first, so a folder emptied by removing its empty children goes too.
  for (const d of dirs.sort((a, b) => b.length - a.length)) {
    await rmdir(d).catch(() => undefined);
  }
}
