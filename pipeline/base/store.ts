/**
 * A key → bytes store for cached build results: in memory (a preview keeps it between rebuilds), on disk
 * under out/.cache/ (a repeated `annals build` finds it), or both, memory first. Keys are content hashes,
 * so an entry never goes stale; `prune` drops the entries a successful build did not use.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from './write-atomic.ts';

export interface CacheStore {
  get(key: string): Buffer | undefined;
  set(key: string, value: Buffer): void;
  /** Keep only these keys. */
  prune(keep: ReadonlySet<string>): void;
}

export interface StoreOptions {
  /** Folder for entries on disk (`<key>.bin`); none keeps entries in memory only. */
  dir?: string;
  /** Keep entries in memory too (for a long-running preview). Default: false. */
  memory?: boolean;
  /**
   * A write or prune the file system refuses (read-only or full disk) is skipped: the entry is just not
   * kept on disk (`annals check`, which must not fail because of out/). Default: false, the error is thrown.
   */
  ignoreWriteFailures?: boolean;
}

export function createStore(options: StoreOptions): CacheStore {
  const { dir } = options;
  const memory = options.memory ? new Map<string, Buffer>() : undefined;
  const pathOf = (key: string) => join(dir!, `${key}.bin`);
  const writing = (write: () => void) => {
    try {
      write();
    } catch (error) {
      if (!options.ignoreWriteFailures) throw error;
    }
  };
  return {
    get(key) {
      const held = memory?.get(key);
      if (held) return held;
      if (!dir) return undefined;
      try {
        const value = readFileSync(pathOf(key));
        memory?.set(key, value);
        return value;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      memory?.set(key, value);
      if (!dir) return;
      // Write-then-rename: a concurrent build never reads half an entry.
      writing(() => {
        writeFileAtomicSync(pathOf(key), value);
      });
    },
    prune(keep) {
      if (memory) for (const key of [...memory.keys()]) if (!keep.has(key)) memory.delete(key);
      if (!dir || !existsSync(dir)) return;
      writing(() => {
        for (const name of readdirSync(dir)) {
          const key = name.replace(/\.bin$/, '');
          if (name.endsWith('.bin') && !keep.has(key)) rmSync(join(dir, name), { force: true });
        }
      });
    },
  };
}
