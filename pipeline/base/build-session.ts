/**
 * One build's session: the files that carry its messages, the build's one time and what it read. build.ts
 * makes one per build (and one per book built in a worker thread); every stage that loads a file reports on it and hands
 * it to the session with `add`, and the build's diagnostics are collected from `files` at the end. The
 * stages return their results as values; nothing else is shared, and nothing is global: two builds in one
 * process (a preview and its comparison, two tests) have two sessions.
 */
import { VFile } from 'vfile';
import { createReadLog, type ReadLog } from './read-log.ts';

export interface BuildSession {
  /** `<command line>`: problems with the command itself (a book or edition that does not exist …). */
  readonly cli: VFile;
  /** Every file that carries messages of this build, in the order they were added. */
  readonly files: readonly VFile[];
  /** Adds files whose messages the build reports; a file already in the session is not added again. */
  add(...files: VFile[]): void;
  /** The file with this path, when one was added (a file that several editions read is reported once). */
  find(path: string): VFile | undefined;
  /**
   * The build's one time, in seconds since 1970 (SOURCE_DATE_EPOCH, or for a release the last commit's):
   * the date of the PDF, EPUB and press files. Undefined: each book's year gives the date (1 January).
   */
  readonly sourceDateEpoch: number | undefined;
  /**
   * What the build's stages read beyond their keyed inputs (the indicator frameworks a chapter's directives
   * resolve and load: features/indicators/), so the chapter-run cache can keep a run with what it read
   * (base/read-log.ts, build/run-cache.ts). Each session has its own.
   */
  readonly reads: ReadLog;
}

export interface BuildSessionOptions {
  /** See `BuildSession.sourceDateEpoch`. Default: none. */
  sourceDateEpoch?: number | undefined;
  /** The command line's file, shared with another session (a book built apart). Default: a new one. */
  cli?: VFile;
}

export function createBuildSession(options: BuildSessionOptions = {}): BuildSession {
  const cli = options.cli ?? new VFile({ path: '<command line>' });
  const files: VFile[] = options.cli ? [] : [cli];
  const held = new Set<VFile>(files);
  return {
    cli,
    files,
    add(...added) {
      for (const file of added) {
        if (held.has(file)) continue;
        held.add(file);
        files.push(file);
      }
    },
    find: (path) => files.find((f) => f.path === path),
    sourceDateEpoch: options.sourceDateEpoch,
    reads: createReadLog(),
  };
}
