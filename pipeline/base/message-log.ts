/**
 * The diagnostics of a build, kept with its cache entry: an edition skipped because nothing changed still
 * reports the warnings it had, at the same places, so a repeated build prints what the first one printed.
 */
import { VFile } from 'vfile';
import type { Point, Position } from 'unist';
import type { BuildSession } from './build-session.ts';

export interface LoggedMessage {
  reason: string;
  place?: Position | Point;
  ruleId?: string;
  source?: string;
  fatal?: boolean | null;
  note?: string;
}

export interface LoggedFile {
  path: string;
  messages: LoggedMessage[];
}

/** Where each file's messages stood before a step, to take the step's own messages afterwards. */
export interface MessageMark {
  files: number;
  counts: Map<VFile, number>;
}

export function markMessages(files: readonly VFile[]): MessageMark {
  return { files: files.length, counts: new Map(files.map((f) => [f, f.messages.length])) };
}

/** The messages added to `files` since `mark`, on files that existed then and on files added since. */
export function messagesSince(files: readonly VFile[], mark: MessageMark): LoggedFile[] {
  const out: LoggedFile[] = [];
  for (const file of files) {
    const before = mark.counts.get(file) ?? 0;
    const added = file.messages.slice(before);
    if (!added.length) continue;
    out.push({
      path: file.path,
      messages: added.map((m) => ({
        reason: m.reason,
        place: m.place ? structuredClone(m.place) : undefined,
        ruleId: m.ruleId ?? undefined,
        source: m.source ?? undefined,
        fatal: m.fatal,
        note: m.note,
      })),
    });
  }
  return out;
}

/** Where replayed messages go: a build's session, or anything that finds and adds files as it does. */
export type ReplayTarget = Pick<BuildSession, 'find' | 'add'>;

/**
 * Add logged messages back onto the build's files (the file with that path, or a new one added): those of
 * a build's session, or of a list of files (a chapter's own, a book built in a worker thread).
 */
export function replayMessages(target: ReplayTarget | VFile[], logged: readonly LoggedFile[]): void {
  const into: ReplayTarget = Array.isArray(target) ? { find: (path) => target.find((f) => f.path === path), add: (...files) => void target.push(...files) } : target;
  for (const entry of logged) {
    let file = into.find(entry.path);
    if (!file) {
      file = new VFile({ path: entry.path });
      into.add(file);
    }
    for (const m of entry.messages) {
      const message = file.message(m.reason, { place: m.place, ruleId: m.ruleId, source: m.source });
      message.fatal = m.fatal ?? undefined;
      if (m.note !== undefined) message.note = m.note;
    }
  }
}
