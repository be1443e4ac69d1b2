/**
 * An indicator store that notes what it is asked on a read log (base/read-log.ts): every framework lookup
 * (the id and edition asked, the folder found or none), every framework it hands out (the stamp of the
 * files it was loaded from), every listing and every file read (indicator-reads.ts). The build's store is
 * shared by every edition and book; each edition's indicator directives use it through a view that notes
 * on that build's session, so the chapter-run cache knows which frameworks a chapter used.
 */
import type { ReadLog, Read } from '../base/read-log.ts';
import { fileRead, frameworkRead, listingRead, lookupRead } from './indicator-reads.ts';
import type { FrameworkEntry, IndicatorStore } from './store.ts';

export function observeStore(store: IndicatorStore, log: ReadLog): IndicatorStore {
  // A file's read, by path: its answer hashes the text (a map geometry is megabytes), which the store
  // keeps unchanged for the build.
  const fileReads = new Map<string, Read>();
  const handOut = (entry: FrameworkEntry) => {
    log.note(frameworkRead(entry.loaded));
    return entry;
  };
  return {
    get(id, edition) {
      const entry = store.get(id, edition);
      log.note(lookupRead(id, edition, entry?.ref));
      return entry && handOut(entry);
    },
    all() {
      const entries = store.all();
      log.note(listingRead(entries.map((e) => e.ref)));
      return entries.map(handOut);
    },
    files: () => store.files(),
    text(path) {
      const text = store.text(path);
      let read = fileReads.get(path);
      if (!read) fileReads.set(path, (read = fileRead(path, text)));
      log.note(read);
      return text;
    },
  };
}
