/**
 * What `annals check` keeps in the build cache (out/.cache/, build-cache.ts), so that a check of books
 * that did not change replays its last result instead of checking again:
 *
 * - per book (`<book>/check.json`): every edition's chapter count and whether it passed, and the
 *   diagnostics of that check, under the book key of build-cache.ts (the pipeline's code and lockfile, the
 *   book folder, templates/, SOURCE_DATE_EPOCH) with the checked edition ids, and what its chapters read of
 *   indicators/ (`reads`, checked again before a replay);
 * - for the indicator frameworks (`indicators-check.json`): the diagnostics of the last check of all of them
 *   (`annals check` without book names), under the hash of indicators/ and the pipeline.
 *
 * The frameworks' record keeps the whole of indicators/ in its key: that check reads all of it. A book
 * that is checked again reuses the chapter runs (`check-runs`) whose frameworks did not change (run-cache.ts
 * keeps a run with its reads of indicators/).
 *
 * A failed check is kept as well as a passed one: its errors are as much a function of those inputs as its
 * warnings, and an editor who fixes one book's error then checks again wants the other books replayed.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { BuildSession } from '../base/build-session.ts';
import { replayMessages, type LoggedFile } from '../base/message-log.ts';
import type { Read } from '../base/read-log.ts';
import type { EditionResult } from './build.ts';
import type { ProgressSink } from '../report/progress.ts';

export const CHECK_RECORD_VERSION = 2;

/** One book's last check, or the last check of every framework (no editions). */
export interface CheckRecord {
  version: typeof CHECK_RECORD_VERSION;
  /** Hash of everything the check read (see the file comment). */
  key: string;
  /** Per edition id: its chapters and whether it passed. */
  editions: Record<string, { chapters: number; ok: boolean }>;
  /** The check's diagnostics, by file (paths relative to the project). */
  messages: LoggedFile[];
  /** A book's check: what its chapters read of indicators/, with the answers (build-cache.ts `readsHold`). */
  reads?: Read[];
}

/** The record to keep for a check of `editionIds` that ended with `results` (undefined when one is missing). */
export function checkRecordOf(key: string, editionIds: readonly string[], results: readonly EditionResult[], messages: LoggedFile[], reads: Read[]): CheckRecord | undefined {
  const editions: CheckRecord['editions'] = {};
  for (const id of editionIds) {
    const result = results.find((r) => r.edition === id);
    if (!result) return undefined;
    editions[id] = { chapters: result.chapters, ok: result.ok };
  }
  return { version: CHECK_RECORD_VERSION, key, editions, messages, reads };
}

/**
 * The results of a kept check of `editionIds`, with its diagnostics added back onto the session and each edition
 * reported done to `progress`; undefined when the record does not cover every edition.
 */
export function replayCheck(record: CheckRecord, bookId: string, editionIds: readonly string[], session: BuildSession, root: string, progress?: ProgressSink): EditionResult[] | undefined {
  if (!editionIds.every((e) => record.editions[e] !== undefined)) return undefined;
  replayMessages(session, absolutePaths(record.messages, root));
  return editionIds.map((e) => {
    const { chapters, ok } = record.editions[e]!;
    progress?.({ kind: 'edition-done', book: bookId, edition: e, ok, chapters, skipped: true });
    return { book: bookId, edition: e, chapters, ok, skipped: true };
  });
}

/** Logged files with paths relative to `root` (a moved project still finds its files); `<…>` names stay. */
export function relativePaths(logged: readonly LoggedFile[], root: string): LoggedFile[] {
  return logged.map((f) => ({ ...f, path: isAbsolute(f.path) ? relative(root, f.path) : f.path }));
}

/** The inverse of `relativePaths`. */
export function absolutePaths(logged: readonly LoggedFile[], root: string): LoggedFile[] {
  return logged.map((f) => ({ ...f, path: f.path.startsWith('<') ? f.path : resolve(root, f.path) }));
}
