/**
 * An indicator store that notes what it is asked on a read log (base/read-log.ts): every framework lookup
 * (the id and edition asked, the folder found or none), every framework it hands out (the stamp of the
 * files it was loaded from), every listing and every file read (indicator-reads.ts). The build's store is
 * shared by every edition and book; each edition's indicator directives use it through a view that notes
 * on that build's session, so the caches know which frameworks a chapter, and a book, used.
 */
import type { ReadLog, Read } from '../base/read-log.ts';
import { indicatorReads } from './indicator-reads.ts';
import type { LoadedFramework } from './load.ts';
import type { FrameworkEntry, IndicatorStore } from './store.ts';

export function observeStore(store: IndicatorStore, log: ReadLog): IndicatorStore {
  const reads = indicatorReads(store.root);
  // A framework's and a file's read are made once: their answers hash the files' texts (a map geometry is
  // megabytes), which the store keeps unchanged for the build.
  const frameworks = new WeakMap<LoadedFramework, Read>();
  const files = new Map<string, Read>();
  const handOut = (entry: FrameworkEntry) => {
    let read = frameworks.get(entry.loaded);
    if (!read) frameworks.set(entry.loaded, (read = reads.framework(entry.loaded)));
    log.note(read);
    return entry;
  };
  return {
    root: store.root,
    get(id, edition) {
      const entry = store.get(id, edition);
      log.note(reads.lookup(id, edition, entry?.ref));
      return entry && handOut(entry);
    },
    all() {
      const entries = store.all();
      log.note(reads.listing(entries.map((e) => e.ref)));
      return entries.map(handOut);
    },
    files: () => store.files(),
    text(path) {
      const text = store.text(path);
      let read = files.get(path);
      if (!read) files.set(path, (read = reads.file(path, text)));
      log.note(read);
      return text;
    },
  };
}
