/**
 * Watching the inputs of a build: the book's folder (book.yaml, chapters of every edition, images, data,
 * references), templates/ (locales included) and indicators/. Changes are gathered for a short quiet
 * time — an editor's save is often several events (write a temporary file, rename it over the old one) —
 * and reported once with the paths that changed. Dotfiles and editor backups are ignored. A folder that does
 * not exist yet is picked up when it is created.
 */
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isIgnoredName } from '../base/hash.ts';

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
  const missing = options.paths.filter((p) => !existsSync(p));
  const present = options.paths.filter((p) => existsSync(p));
  const watcher: FSWatcher = watch(
    present,
    {
      ignoreInitial: true,
      // The root folders themselves are never ignored; inside them, dotfiles and editor backups are.
      ignored: (path: string) => options.paths.every((p) => p !== path) && isIgnoredName(basename(path)),
    },
  );
  // A watched folder that does not exist yet (indicators/ before the first framework): its parent is
  // watched, without descending, until it appears; then it is watched like the others.
  const parents: FSWatcher[] = [...new Set(missing.map((p) => dirname(p)))].filter((d) => existsSync(d)).map((dir) => {
    const parent = watch(dir, { ignoreInitial: true, depth: 0 });
    parent.on('addDir', (path) => {
      if (!missing.includes(path)) return;
      watcher.add(path);
      changed(path);
    });
    parent.on('error', (error) => options.onError?.(error));
    return parent;
  });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const paths = [...pending].sort();
    pending = new Set();
    if (paths.length) options.onChange(paths);
  };
  const changed = (path: string) => {
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  watcher.on('all', (_event, path) => changed(path));
  watcher.on('error', (error) => options.onError?.(error));
  const readyOf = (w: FSWatcher) => new Promise<void>((resolve) => w.once('ready', () => resolve()));
  // A watcher given no path (all of them missing) never reports ready: only the others are waited for.
  const ready = Promise.all([...(present.length ? [watcher] : []), ...parents].map(readyOf)).then(() => undefined);
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all([watcher, ...parents].map((w) => w.close()));
    },
  };
}
