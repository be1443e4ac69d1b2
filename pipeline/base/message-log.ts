/**
 * The diagnostics of a build, kept with its cache entry: an edition skipped because nothing changed still
 * reports the warnings it had, at the same places, so a repeated build prints what the first one printed.
 */
import { VFile } from 'vfile';
import type { Point, Position } from 'unist';

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

/** Add logged messages back onto the build's files (the file with that path, or a new one). */
export function replayMessages(files: VFile[], logged: readonly LoggedFile[]): void {
  for (const entry of logged) {
    let file = files.find((f) => f.path === entry.path);
    if (!file) {
      file = new VFile({ path: entry.path });
      files.push(file);
    }
    for (const m of entry.messages) {
      const message = file.message(m.reason, { place: m.place, ruleId: m.ruleId, source: m.source });
      message.fatal = m.fatal ?? undefined;
      if (m.note !== undefined) message.note = m.note;
    }
  }
}
