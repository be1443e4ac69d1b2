/**
 * The output folder before anything is written into it: made one level at a time (Node 20's recursive
 * mkdir loops for ever under /proc), checked to be a folder, and cleared of staging folders that builds
 * killed by a signal left behind. Every file-system failure of the output becomes an `OutputError` whose
 * message names the path and says in words what went wrong (permission, read-only, full disk …), so the
 * command reports it as a diagnostic and exits 1 instead of printing a stack trace.
 */
import { lstat, mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';

/** A failure to write the output. `code` is the system's (EACCES, ENOSPC …) when there is one. */
export class OutputError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(message: string, path: string, code?: string) {
    super(message);
    this.name = 'OutputError';
    this.path = path;
    this.code = code;
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way of a file',
  EEXIST: 'something else is already there',
  ENOENT: 'the folder cannot be made there',
  EXDEV: 'the staging folder and the output are on different file systems',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in the path',
};

/** An error thrown by a file-system call on the output, as an OutputError (other errors: undefined). */
export function outputErrorOf(error: unknown): OutputError | undefined {
  if (error instanceof OutputError) return error;
  const e = error as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !e.syscall) return undefined;
  const path = e.path ?? '';
  const reason = REASONS[e.code] ?? e.message;
  return new OutputError(`cannot write the output: ${e.syscall} ${path}${e.dest ? ` → ${e.dest}` : ''} failed (${e.code}: ${reason})`, e.dest ?? path, e.code);
}

/**
 * Make `path` a folder, creating each missing level with a plain (non-recursive) mkdir. A level that
 * exists but is not a folder, or that cannot be made, is an OutputError naming it.
 */
export async function makeFolder(path: string): Promise<void> {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    const info = await lstat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined; // ENOTDIR: a level above is a file, found further up
      throw outputErrorOf(e) ?? e;
    });
    if (info) {
      // A symbolic link to a folder is fine (out/ may be linked elsewhere); lstat does not follow it.
      const isFolder = info.isDirectory() || (info.isSymbolicLink() && (await isFolderBehindLink(at)));
      if (!isFolder) throw new OutputError(`cannot write the output: ${at} is a file, not a folder`, at, 'ENOTDIR');
      break;
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at || at === parse(at).root) break;
    at = up;
  }
  for (const folder of missing.reverse()) {
    await mkdir(folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return;
      throw outputErrorOf(e) ?? e;
    });
  }
}

async function isFolderBehindLink(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** Staging folders are named `<book>-<edition>-<pid>` (write-output.ts). */
const STAGING_NAME = /-(\d+)$/;

/**
 * Make the output folder and its `.staging/` folder ready: both must be folders; staging folders of
 * processes that no longer run (a build killed by SIGINT/SIGTERM/SIGKILL) are removed. Returns the names
 * removed. Folders of running builds (a preview, a parallel build) are left alone.
 */
export async function prepareOutputFolder(out: string, isRunning: (pid: number) => boolean = processRunning): Promise<string[]> {
  await makeFolder(out);
  const staging = join(out, '.staging');
  const info = await lstat(staging).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) throw new OutputError(`cannot write the output: ${staging} is a file, not the staging folder (remove it)`, staging, 'ENOTDIR');
  const removed: string[] = [];
  for (const name of await readdir(staging)) {
    const pid = Number(STAGING_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(join(staging, name), { recursive: true, force: true }).catch((e: unknown) => {
      throw outputErrorOf(e) ?? e;
    });
    removed.push(name);
  }
  await removeIfEmpty(staging);
  return removed;
}

/** Remove `.staging/` when nothing is left in it (no empty folder after a build). */
export async function removeIfEmpty(folder: string): Promise<void> {
  await rmdir(folder).catch(() => undefined); // ENOTEMPTY while another build stages: fine
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}
