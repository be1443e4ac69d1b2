/**
 * Chapter runs are reused (by a repeated `annals build` and a preview's rebuilds). A chapter's per-chapter stages (`processor.run`: remark
 * → rehype) are a pure function of
 *
 * - the chapter's text, its place in the book (number, label, id, title) and its front matter;
 * - what every chapter shares and does not change while one chapter is edited: the pipeline's code, the
 *   book folder without its Markdown and templates/ (`environment`);
 * - what the run read of indicators/: the frameworks its directives resolved (each lookup of an id and its
 *   answer, so a framework folder added later that would answer differently counts), the files of each
 *   framework it used and the map geometries it drew (features/indicators/ notes them on the session's read
 *   log: indicators/observed-store.ts, indicators/indicator-reads.ts);
 * - the state the chapters before it leave behind: the edition's counters (EditionContext.counters:
 *   book-wide figure numbers, index anchors, chart ids) and, of the edition's slugger (automatic heading
 *   ids are unique through the book), the entries of the slugs its own headings make (`概述`, `概述-1` …).
 *
 * So a run is kept under the hash of the first two and the counters, with what it produced: the HTML tree,
 * the chapter's `file.data`, the messages it added (to the chapter and to data files it loaded), the
 * counters it left, its slug entries before and after, and its reads of indicators/ with their answers. It
 * is reused when the slugger holds the same entries for those slugs now and every read, asked again
 * (`answer`), gets the answer it got: an edit of a framework's data reruns only the chapters that used that
 * framework, and one of a framework no chapter uses reruns none. Reusing it sets the counters and those
 * entries as the run left them, and notes its reads on the session (the book's record keeps them, as a
 * full run's), so the chapters after it see exactly what a full run would have left. An edit that adds a heading reruns
 * only a later chapter with a heading of the same text; one that adds a figure numbered through the book
 * or an index term reruns the chapters whose numbers or anchors move.
 */
import v8 from 'node:v8';
import GithubSlugger, { slug as slugOf } from 'github-slugger';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { ChapterProcessor } from '../chapter/processor.ts';
import type { EditionContext, EditionCounters } from '../context/types.ts';
import { digest } from '../base/hash.ts';
import type { CacheStore } from '../base/store.ts';
import { markMessages, messagesSince, replayMessages, type LoggedFile } from '../base/message-log.ts';
import type { Read } from '../base/read-log.ts';

/** Kept runs by key: on disk under out/.cache/ and, in a preview, in memory as well (store.ts). */
export type RunStore = CacheStore;

export interface RunCacheOptions {
  store: RunStore;
  /** Hash of everything all chapters share (see the file comment). */
  environment: string;
  context: EditionContext;
  /**
   * The build's session: data files a run loads are added to it, as in a full run, and a run's reads are
   * taken from its read log (`session.reads`).
   */
  session: BuildSession;
  /** The answer a run's read gets now (the project's `indicatorReads(indicators/).answer`, indicators/indicator-reads.ts). */
  answer(question: string): string;
}

export interface RunCachingProcessor extends ChapterProcessor {
  /** Chapters run, and chapters whose run was reused, in this build. */
  readonly runStats: { ran: number; reused: number };
  /** Drop the runs this build did not use (after a successful build). */
  prune(): void;
  /** The run key and the slug entries the run depended on; undefined for a tree it did not make. */
  identity(tree: HastRoot): string | undefined;
}

/** The slugger's entries of one slug and its numbered repeats (`概述`, `概述-1`, `概述-2` …). */
type SlugEntries = Array<[string, number]>;

interface SlugUse {
  base: string;
  before: SlugEntries;
  after: SlugEntries;
}

interface RunRecord {
  hast: HastRoot;
  /** `file.data` after the run, without the tree. */
  data: Record<string, unknown>;
  /** Messages the run added to the chapter. */
  own: LoggedFile[];
  /** Messages it added to other files (data files it loaded, by path), and those of the frameworks it used. */
  others: LoggedFile[];
  /** The counters after the run. */
  counters: EditionCounters;
  /** The slugs its headings made, with the slugger's entries for them before and after the run. */
  slugs: SlugUse[];
  /** What it read beyond its key (indicators/), each question once with the answer it got. */
  reads: Read[];
}

export function withRunCache(processor: ChapterProcessor, options: RunCacheOptions): RunCachingProcessor {
  const { store, environment, context } = options;
  const used = new Set<string>();
  const runStats = { ran: 0, reused: 0 };
  const identities = new WeakMap<HastRoot, string>();
  // A read's answer now, asked once per question for this edition's build (many chapters use one framework).
  const answers = new Map<string, string>();
  const answerNow = (question: string) => held(answers, question, options.answer);
  return {
    identity: (tree) => identities.get(tree),
    runStats,
    parse: (file) => processor.parse(file),
    ...(processor.head ? { head: (file: VFile) => processor.head!(file) } : {}),
    async run(tree: MdastRoot | (() => MdastRoot), file: VFile): Promise<HastRoot> {
      const { hast: _hast, ...data } = file.data;
      const key = digest('run', environment, file.path, String(file.value), JSON.stringify(data), JSON.stringify(context.counters));
      used.add(key);
      const kept = store.get(key);
      const record = kept ? readRecord(kept) : undefined;
      if (record && reusable(record, context.slugger, answerNow)) {
        reuseRun(record, file, options);
        runStats.reused += 1;
        identities.set(record.hast, identityOf(key, record));
        return record.hast;
      }
      const made = await runAndRecord(processor, tree, file, options);
      runStats.ran += 1;
      // The answers it got are those of now: later chapters of this edition need not ask again.
      for (const read of made.reads) answers.set(read.question, read.answer);
      store.set(key, v8.serialize(made));
      identities.set(made.hast, identityOf(key, made));
      return made.hast;
    },
    prune() {
      store.prune(used);
    },
  };
}

/** What names a run's tree for the book-wide stages: its key, the slug entries and the reads it depended on. */
function identityOf(key: string, record: RunRecord): string {
  return digest('run-identity', key, JSON.stringify(record.slugs.map((u) => [u.base, u.before])), JSON.stringify(record.reads));
}

/** A kept run stands: the slugger holds the entries it saw for its slugs, and every read gets its answer. */
function reusable(record: RunRecord, slugger: GithubSlugger, answer: (question: string) => string): boolean {
  return record.slugs.every((use) => sameEntries(slugEntries(slugger.occurrences, use.base), use.before)) && record.reads.every((read) => answer(read.question) === read.answer);
}

/** Leaves the chapter, the session, the slugger and the counters as the kept run left them. */
function reuseRun(record: RunRecord, file: VFile, options: RunCacheOptions): void {
  const { context, session } = options;
  Object.assign(file.data, record.data);
  replayMessages([file], record.own);
  // Other files' messages go on a fresh file of that path, as a full run's fresh load would; the
  // report merges identical diagnostics (report/diagnostics.ts `collect`).
  for (const logged of record.others) {
    const target = new VFile({ path: logged.path });
    replayMessages([target], [logged]);
    session.add(target);
  }
  for (const use of record.slugs) for (const [slug, n] of use.after) context.slugger.occurrences[slug] = n;
  Object.assign(context.counters, record.counters);
  // Its reads are this run's reads too: whatever is kept around this run depends on them as well.
  for (const read of record.reads) session.reads.note(read);
}

/** Runs the chapter and returns what a later build needs to reuse the run. */
async function runAndRecord(processor: ChapterProcessor, tree: MdastRoot | (() => MdastRoot), file: VFile, options: RunCacheOptions): Promise<RunRecord> {
  const { context, session } = options;
  const slugger = context.slugger;
  const mark = markMessages([file, ...session.files]);
  const readMark = session.reads.mark();
  // Which slugs the run's headings make, and the slugger's entries for them before it.
  const before = { ...slugger.occurrences };
  const bases = new Set<string>();
  slugger.slug = (value: string, maintainCase?: boolean) => {
    bases.add(slugOf(value, maintainCase === true));
    return GithubSlugger.prototype.slug.call(slugger, value, maintainCase);
  };
  let hast: HastRoot;
  try {
    hast = await processor.run(tree, file);
  } finally {
    delete (slugger as Partial<GithubSlugger>).slug;
  }
  const { hast: _done, ...after } = file.data;
  const reads = session.reads.since(readMark);
  // The files of what it read (a framework's) carry all their messages: an earlier chapter may have loaded
  // them, and a later build may rerun that chapter alone, or not at all.
  const readFiles = new Set(reads.flatMap((read) => read.files ?? []));
  return {
    hast,
    data: after,
    own: messagesSince([file], mark).map((logged) => ({ ...logged, path: file.path })),
    others: [...messagesSince(session.files.filter((f) => f !== file && !readFiles.has(f)), mark), ...messagesSince([...readFiles], markMessages([]))],
    counters: { ...context.counters },
    slugs: [...bases].map((base) => ({ base, before: slugEntries(before, base), after: slugEntries(slugger.occurrences, base) })),
    reads: reads.map(({ question, answer }) => ({ question, answer })),
  };
}

/** The value of `map` at `key`, made (from the key) and kept on first use. */
function held<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make(key)));
  return value;
}

/** The entries of `base` and of its numbered repeats (`base-1`, `base-2` …), sorted. */
function slugEntries(occurrences: Record<string, number>, base: string): SlugEntries {
  const out: SlugEntries = [];
  for (const [slug, n] of Object.entries(occurrences)) {
    if (slug === base || (slug.startsWith(`${base}-`) && /^\d+$/.test(slug.slice(base.length + 1)))) out.push([slug, n]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function sameEntries(a: SlugEntries, b: SlugEntries): boolean {
  return a.length === b.length && a.every(([slug, n], i) => b[i]![0] === slug && b[i]![1] === n);
}

/** A kept run, or undefined when the entry is damaged (the chapter then runs and the entry is rewritten). */
function readRecord(bytes: Buffer): RunRecord | undefined {
  try {
    const record = v8.deserialize(bytes) as RunRecord;
    return record && typeof record === 'object' && Array.isArray(record.slugs) && Array.isArray(record.reads) ? record : undefined;
  } catch {
    return undefined;
  }
}
