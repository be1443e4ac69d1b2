/**
 * Safe output. An edition is written into a staging folder under out/.staging/ and only renamed into
 * place (out/<book>/<edition>/) when everything succeeded: a failed build leaves the previous edition
 * intact and never a half-written one.
 */
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface Staging {
  dir: string;
  /** Write a file (string or bytes) at a path relative to the staging folder. */
  write(path: string, data: string | Uint8Array): Promise<void>;
  copy(from: string, path: string): Promise<void>;
  /** Move the staging folder to `target`, replacing what was there. */
  commit(target: string): Promise<void>;
  /** Remove the staging folder (after a failure). */
  discard(): Promise<void>;
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
      const trash = join(outDir, '.staging', `${name}-${process.pid}-old`);
      await rm(trash, { recursive: true, force: true });
      await rename(target, trash).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await rename(dir, target);
      await rm(trash, { recursive: true, force: true });
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
