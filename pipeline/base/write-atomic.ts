/**
 * Write-then-rename, the one way files that others may read at the same time are written (cache
 * entries, imported chapters and data, indicator exports): the data goes to `<path>.<pid>.tmp` beside
 * the target, which is then renamed over it, so a reader sees the old file or the new one, never half
 * of one. The folder is made first. Errors are thrown (the caller decides whether a cache may ignore them).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const tempOf = (path: string) => `${path}.${process.pid}.tmp`;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(tempOf(path), data);
  await rename(tempOf(path), path);
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(tempOf(path), data);
  renameSync(tempOf(path), path);
}
