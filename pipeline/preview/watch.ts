/**
 * Watching the inputs of a build: the book's folder (book.yaml, chapters of every edition, images, data,
 * references), templates/ (locales included) and indicators/. Changes are gathered for a short quiet
 * time — an editor's save is often several events (write a temporary file, rename it over the old one) —
 * and reported once with the paths that changed. Dotfiles and editor backups are ignored.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isIgnoredName } from '../cache/hash.ts';

export interface InputWatcher {
  /** Resolves when the initial scan is done and changes are being reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Folders (or files) to watch; those that do not exist are skipped. */
  paths: readonly string[];
  /** Called once per burst of changes, with the changed paths. */
  onChange: (paths: string[]) => void;
  /** Quiet time that ends a burst, in ms. Default: 25. */
  debounceMs?: number;
  onError?: (error: unknown) => void;
}

export function watchInputs(options: WatchOptions): InputWatcher {
  const debounceMs = options.debounceMs ?? 25;
  const watcher: FSWatcher = watch(
    options.paths.filter((p) => existsSync(p)),
    {
      ignoreInitial: true,
      // The root folders themselves are never ignored; inside them, dotfiles and editor backups are.
      ignored: (path: string) => options.paths.every((p) => p !== path) && isIgnoredName(basename(path)),
    },
  );
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const paths = [...pending].sort();
    pending = new Set();
    if (paths.length) options.onChange(paths);
  };
  watcher.on('all', (_event, path) => {
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on('error', (error) => options.onError?.(error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await watcher.close();
    },
  };
}
