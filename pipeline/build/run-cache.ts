/**
 * Chapter runs are reused (by a repeated `annals build` and a preview's rebuilds). A chapter's per-chapter stages (`processor.run`: remark
 * → rehype) are a pure function of
 *
 * - the chapter's text, its place in the book (number, label, id, title) and its front matter;
 * - what every chapter shares and does not change while one chapter is edited: the pipeline's code, the
 *   book folder without its Markdown, templates/ and indicators/ (`environment`);
 * - the state the chapters before it leave behind: the edition's counters (EditionContext.counters:
 *   book-wide figure numbers, index anchors, chart ids) and, of the edition's slugger (automatic heading
 *   ids are unique through the book), the entries of the slugs its own headings make (`概述`, `概述-1` …).
 *
 * So a run is kept under the hash of the first two and the counters, with what it produced: the HTML tree,
 * the chapter's `file.data`, the messages it added (to the chapter and to data files it loaded), the
 * counters it left and its slug entries before and after. It is reused when the slugger holds the same
 * entries for those slugs now; reusing it sets the counters and those entries as the run left them, so
 * the chapters after it see exactly what a full run would have left. An edit that adds a heading reruns
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

/** Kept runs by key: on disk under out/.cache/ and, in a preview, in memory as well (store.ts). */
export type RunStore = CacheStore;

export interface RunCacheOptions {
  store: RunStore;
  /** Hash of everything all chapters share (see the file comment). */
  environment: string;
  context: EditionContext;
  /** The build's session: data files a run loads are added to it, as in a full run. */
  session: BuildSession;
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
  /** Messages it added to other files (data files and frameworks it loaded, by path). */
  others: LoggedFile[];
  /** The counters after the run. */
  counters: EditionCounters;
  /** The slugs its headings made, with the slugger's entries for them before and after the run. */
  slugs: SlugUse[];
}

export function withRunCache(processor: ChapterProcessor, options: RunCacheOptions): RunCachingProcessor {
  const { store, environment, context, session } = options;
  const used = new Set<string>();
  const runStats = { ran: 0, reused: 0 };
  const slugger = context.slugger;
  const identities = new WeakMap<HastRoot, string>();
  const identityOf = (key: string, slugs: readonly SlugUse[]) => digest('run-identity', key, JSON.stringify(slugs.map((u) => [u.base, u.before])));
  return {
    identity: (tree) => identities.get(tree),
    runStats,
    parse: (file) => processor.parse(file),
    ...(processor.head ? { head: (file: VFile) => processor.head!(file) } : {}),
    async run(tree: MdastRoot | (() => MdastRoot), file: VFile): Promise<HastRoot> {
      const { hast: _hast, ...data } = file.data;
      const key = digest('run', environment, file.path, String(file.value), JSON.stringify(data), JSON.stringify(context.counters));
      used.add(key);
      const held = store.get(key);
      const record = held ? readRecord(held) : undefined;
      if (record && record.slugs.every((use) => sameEntries(slugEntries(slugger.occurrences, use.base), use.before))) {
        Object.assign(file.data, record.data);
        replayMessages([file], record.own);
        // Other files' messages go on a fresh file of that path, as a full run's fresh load would; the
        // report merges identical diagnostics (report/diagnostics.ts `collect`).
        for (const logged of record.others) {
          const target = new VFile({ path: logged.path });
          replayMessages([target], [logged]);
          session.add(target);
        }
        for (const use of record.slugs) for (const [slug, n] of use.after) slugger.occurrences[slug] = n;
        Object.assign(context.counters, record.counters);
        runStats.reused += 1;
        identities.set(record.hast, identityOf(key, record.slugs));
        return record.hast;
      }
      const mark = markMessages([file, ...session.files]);
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
      runStats.ran += 1;
      const { hast: _done, ...after } = file.data;
      const made: RunRecord = {
        hast,
        data: after,
        own: messagesSince([file], mark).map((logged) => ({ ...logged, path: file.path })),
        others: messagesSince(session.files.filter((f) => f !== file), mark),
        counters: { ...context.counters },
        slugs: [...bases].map((base) => ({ base, before: slugEntries(before, base), after: slugEntries(slugger.occurrences, base) })),
      };
      store.set(key, v8.serialize(made));
      identities.set(hast, identityOf(key, made.slugs));
      return hast;
    },
    prune() {
      store.prune(used);
    },
  };
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
    return record && typeof record === 'object' && Array.isArray(record.slugs) ? record : undefined;
  } catch {
    return undefined;
  }
}
