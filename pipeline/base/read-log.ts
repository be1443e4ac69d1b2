/**
 * What a build read besides the inputs its caches key on, as questions and the answers they got: "which
 * folder does framework `widi` resolve to" → `indicators/widi/2026`, "what do that framework's files hold"
 * → their hash. A result made while these reads were taken stands as long as every question, asked again,
 * gets the same answer (build/run-cache.ts keeps a chapter run with the reads it took). The log belongs to
 * a build's session (base/build-session.ts); a reader notes each read on it, and whoever wants the reads of
 * one piece of work takes a mark before it and the reads `since` the mark after it.
 */
import type { VFile } from 'vfile';

/** One read: a question (a string its owner can answer again, e.g. JSON) and the answer it got. */
export interface Read {
  question: string;
  answer: string;
  /**
   * The files that carry the messages of what was read (a framework's framework.yaml and data files): a
   * piece of work that took the read carries their messages, also when an earlier one loaded the files.
   * Not kept with a cached result. Default: none.
   */
  files?: readonly VFile[];
}

export interface ReadLog {
  /** Notes a read, in order (the same question may be noted more than once). */
  note(read: Read): void;
  /** The number of reads noted so far: `since(mark)` returns those noted after it. */
  mark(): number;
  /** The reads noted after `mark`, each question once, as first noted (with the first answer it got). */
  since(mark: number): Read[];
}

export function createReadLog(): ReadLog {
  const reads: Read[] = [];
  return {
    note: (read) => void reads.push(read),
    mark: () => reads.length,
    since(mark) {
      const first = new Map<string, Read>();
      for (const read of reads.slice(mark)) if (!first.has(read.question)) first.set(read.question, read);
      return [...first.values()];
    },
  };
}
