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
import { copyFile, cp, link, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { makeFolder, removeIfEmpty } from './output-folder.ts';

export interface Staging {
  dir: string;
  /** Write a file (string or bytes) at a path relative to the staging folder. */
  write(path: string, data: string | Uint8Array): Promise<void>;
  /**
   * Copy the file `from` to `path`. With `shared`, the source is a file no one edits in place (a package's
   * font or stylesheet under node_modules/): the output may be a hard link to it, the same bytes without a
   * copy, where the file system allows one (else it is copied). Default: copied.
   */
  copy(from: string, path: string, options?: CopyOptions): Promise<void>;
  /** The target's file at `path` stays as it is (e.g. a PDF carried over): part of the output, not written. */
  keep(path: string): void;
  /**
   * Make the staging folder hold every declared file (copying the unchanged ones from the target), for a
   * step that reads the folder as a whole: the PDF is printed from it.
   */
  materialize(): Promise<void>;
  /** A file the caller wrote into `dir` itself (the PDF stage prints there): part of the output. */
  add(path: string): void;
  /**
   * Where the output file `path` can be read now: in the staging folder when it was written there, else
   * in the target (a lazy staging skips files whose bytes are already there).
   */
  locate(path: string): string;
  /** Every output path declared so far (written, copied or kept), sorted. */
  paths(): string[];
  /** Make `target` hold exactly the declared files, rewriting only the files whose bytes differ. */
  commit(): Promise<CommitResult>;
  /** Remove the staging folder (after a failure). */
  discard(): Promise<void>;
}

export interface CopyOptions {
  /**
   * The source is never edited in place (an installed package's file): a hard link may stand for the copy.
   * A later install replaces such files by new ones, so out/ keeps the bytes it was built with; only an
   * edit of out/'s file in place would reach the package (nothing in Annals writes one in place: a
   * changed output replaces the file by a rename). Default: false (a copy, as for a book's own images,
   * which their authors edit).
   */
  shared?: boolean;
}

export interface CommitResult {
  /** Files written or replaced, and files removed (paths relative to the target). */
  changed: string[];
  removed: string[];
}

/**
 * What this process knows the target folder holds: per file its size and mtime when last seen, and the
 * hash of its bytes (or, for a copy, which source file it is a copy of). Kept between builds by a
 * preview (pipeline/build/build-cache.ts), so an unchanged file costs one `stat` instead of a read.
 */
export type OutputRecord = Map<string, OutputEntry>;

/** One file of an OutputRecord: its size and mtime when last seen, and the hash of what it holds. */
export interface OutputEntry {
  size: number;
  mtimeMs: number;
  hash: string;
}

export interface StagingOptions {
  /** The edition's output folder that `commit` brings in line. */
  target: string;
  /** The target's files as last committed by this process. Default: none (files are compared by reading them). */
  record?: OutputRecord;
  /** The file writes and renames (tests put a full disk or another device here). Default: node:fs/promises. */
  io?: OutputIo;
}

export interface OutputIo {
  writeFile: (path: string, data: Uint8Array) => Promise<void>;
  rename: (from: string, to: string) => Promise<void>;
  /** Hard-link `to` to `from` (a shared copy). Default: node:fs/promises `link`. */
  link?: (from: string, to: string) => Promise<void>;
}

const nodeIo: OutputIo = { writeFile, rename, link };

export async function createStaging(outDir: string, name: string, options: StagingOptions): Promise<Staging> {
  const { target, record } = options;
  const io = options.io ?? nodeIo;
  const linkOrCopy = sharedCopier(io.link ?? link);
  const stagingRoot = join(outDir, '.staging');
  const dir = join(stagingRoot, `${name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await makeFolder(dir); // level by level: a recursive mkdir can loop for ever (Node 20, under /proc)
  const targetExists = existsSync(target);
  /** Declared output paths → their hash (content or source), and which of them were staged. */
  const declared = new Map<string, string>();
  const staged = new Set<string>();
  /** Unchanged files copied in by `materialize` (the target already has them). */
  const mirrored = new Set<string>();
  const ensure = folderMaker();
  const unchanged = (path: string, hash: string, same: () => Promise<boolean>) => targetExists && targetHolds(target, record?.get(path), path, hash, same);
  /** `put` the file at `path` into the staging folder. */
  const stage = async (path: string, put: (full: string) => Promise<void>) => {
    const full = join(dir, path);
    await ensure(full);
    await put(full);
    staged.add(path);
  };
  return {
    dir,
    async write(path, data) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      const hash = createHash('sha1').update(bytes).digest('hex');
      declared.set(path, hash);
      if (await unchanged(path, hash, async () => Buffer.compare(bytes, await readFile(join(target, path))) === 0)) return;
      await stage(path, (full) => io.writeFile(full, bytes));
    },
    async copy(from, path, copyOptions) {
      // The source's size and time name the copy in the record; without a record nothing reads the name.
      const hash = record ? await copyHash(from) : 'copy';
      declared.set(path, hash);
      if (await unchanged(path, hash, () => sameBytes(from, join(target, path)))) return;
      await stage(path, (full) => (copyOptions?.shared ? linkOrCopy(from, full) : copyFile(from, full)));
    },
    keep(path) {
      declared.set(path, record?.get(path)?.hash ?? 'kept');
    },
    async materialize() {
      for (const path of declared.keys()) {
        if (staged.has(path) || mirrored.has(path)) continue;
        const full = join(dir, path);
        await ensure(full);
        await copyFile(join(target, path), full);
        mirrored.add(path);
      }
    },
    add(path) {
      declared.set(path, 'added');
      staged.add(path);
    },
    locate: (path) => (staged.has(path) || mirrored.has(path) || !targetExists ? join(dir, path) : join(target, path)),
    paths: () => [...declared.keys()].sort(),
    async commit() {
      await makeFolder(dirname(target));
      const move = (from: string, to: string) => moveAcross(io, from, to);
      const result = !existsSync(target) ? { changed: await renameWhole(dir, target, move), removed: [] } : await syncInto(dir, target, staged, new Set(declared.keys()), move);
      await rm(dir, { recursive: true, force: true });
      await removeIfEmpty(stagingRoot);
      // Remember what the target now holds, for the next build of this process.
      if (record) await rememberOutputs(record, declared, new Set(result.changed), target);
      return result;
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
      await removeIfEmpty(stagingRoot);
    },
  };
}

/** The target already holds the bytes that hash to `hash` at `path` (by its record `known`, or by `same()`). */
async function targetHolds(target: string, known: OutputEntry | undefined, path: string, hash: string, same: () => Promise<boolean>): Promise<boolean> {
  const now = await stat(join(target, path)).catch(() => undefined);
  if (!now?.isFile()) return false;
  if (known && known.size === now.size && known.mtimeMs === now.mtimeMs) return known.hash === hash;
  return same();
}

/** What names a copy of `from` in the record: its path, size and modification time. */
async function copyHash(from: string): Promise<string> {
  const source = await stat(from);
  return `copy:${from}:${source.size}:${source.mtimeMs}`;
}

/**
 * A shared copy: a hard link where the file system makes one, else a copy of the bytes (another device,
 * a file system without hard links, a file with too many links). Once a link was refused for a reason
 * that holds for every file (another device, no support), the later files are copied without trying.
 */
function sharedCopier(makeLink: (from: string, to: string) => Promise<void>): (from: string, to: string) => Promise<void> {
  let linking = true;
  return async (from, to) => {
    if (linking) {
      try {
        return await makeLink(from, to);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!LINK_REFUSED.has(code)) throw error;
        if (code !== 'EMLINK') linking = false;
      }
    }
    await copyFile(from, to);
  };
}

/** Why a file system refuses a hard link that a copy would still make. */
const LINK_REFUSED: ReadonlySet<string> = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EACCES', 'ENOSYS']);

/** Makes the folder of a path once (the folders made are remembered). */
function folderMaker(): (path: string) => Promise<void> {
  const made = new Set<string>();
  return async (path) => {
    const d = dirname(path);
    if (!made.has(d)) {
      await mkdir(d, { recursive: true });
      made.add(d);
    }
  };
}

/** The record after a commit: the declared files' sizes, times and hashes as `target` now holds them. */
async function rememberOutputs(record: OutputRecord, declared: ReadonlyMap<string, string>, changed: ReadonlySet<string>, target: string): Promise<void> {
  for (const path of [...record.keys()]) if (!declared.has(path)) record.delete(path);
  for (const [path, hash] of declared) {
    if (!changed.has(path) && record.get(path)?.hash === hash) continue;
    const now = await stat(join(target, path)).catch(() => undefined);
    if (now) record.set(path, { size: now.size, mtimeMs: now.mtimeMs, hash });
    else record.delete(path);
  }
}

type Move = (from: string, to: string) => Promise<void>;

/**
 * Rename, or, when `from` and `to` are on different file systems (EXDEV: out/<book> is a mount point),
 * copy and then remove the original.
 */
async function moveAcross(io: OutputIo, from: string, to: string): Promise<void> {
  try {
    await io.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, force: true, errorOnExist: false });
    await rm(from, { recursive: true, force: true });
  }
}

async function renameWhole(dir: string, target: string, move: Move): Promise<string[]> {
  const changed = await filesUnder(dir);
  await move(dir, target);
  return changed;
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
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true; // one file under two names (a shared copy)
  const [ba, bb] = await Promise.all([readFile(a), readFile(b)]);
  return ba.equals(bb);
}

/** Bring `target` in line with the declared files: move the staged ones in, remove the undeclared ones. */
async function syncInto(source: string, target: string, staged: ReadonlySet<string>, wanted: ReadonlySet<string>, move: Move): Promise<CommitResult> {
  const existing = await filesUnder(target);
  const changed: string[] = [];
  // A staged file may still equal the target's (written when no record said otherwise): compare first.
  const candidates = [...staged].sort();
  const same = await mapLimited(candidates, 16, (rel) => sameBytes(join(source, rel), join(target, rel)));
  for (const [i, rel] of candidates.entries()) {
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
    await move(from, to);
    changed.push(rel);
  }
  const removed = existing.filter((rel) => !wanted.has(rel));
  for (const rel of removed) await rm(join(target, rel), { force: true });
  if (removed.length) await removeEmptyFolders(target);
  return { changed, removed };
}

/**
 * Run output jobs (`staging.write`, `staging.copy`), at most `limit` at a time: each one waits on the file
 * system more than it computes (a `stat`, a read to compare, a write), so a sequence of them waited on one
 * another. Every job is awaited, also after one failed; then the first failure in the order of `jobs` is
 * thrown, the one a sequence would have stopped at. Jobs must write distinct paths. Default limit: 16.
 */
export async function runOutputJobs(jobs: ReadonlyArray<() => Promise<void>>, limit = 16): Promise<void> {
  const settled = await mapLimited(jobs, limit, (job) => job().then(() => undefined, (error: unknown) => ({ error })));
  const failed = settled.find((r) => r !== undefined);
  if (failed) throw failed.error;
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
