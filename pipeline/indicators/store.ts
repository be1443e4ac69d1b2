/**
 * The indicator store of one build: loads each framework edition once, checks it, computes its index and
 * keeps the result, so every edition of every book (and the CLI) asks the same object. Results are cached
 * by the content hash of the framework's files in a `ResultsCache` that the caller may keep across builds
 * (the preview server does): an unchanged framework is never computed twice.
 */
import type { VFile } from 'vfile';
import { reportProblems } from './check.ts';
import { computeIndex, computeYear, goalpostsOf, type GoalpostBounds } from './compute.ts';
import type { FrameworkMemo } from '../base/memo.ts';
import { frameworkStamp, frameworkStatSignature, loadFramework, type LoadedFramework } from './load.ts';
import { findFramework, listFrameworks, loadedStamp, type FrameworkRef } from './framework-files.ts';
import type { IndexResult, YearResult } from './model.ts';
import { readText } from './indicator-reads.ts';
import { coherenceOf, type CoherenceReport } from './coherence.ts';
import { uncertaintyOf, undrawnUncertainty, type UncertaintyResult } from './uncertainty.ts';

/** Results by content hash (and year). Create one per build, or keep one for a watch session. */
export class ResultsCache {
  readonly #index = new Map<string, IndexResult>();
  readonly #years = new Map<string, YearResult>();
  readonly #uncertainty = new Map<string, UncertaintyResult>();
  /** Number of computations actually run (for tests and benchmarks). */
  computed = 0;

  index(hash: string, compute: () => IndexResult): IndexResult {
    let r = this.#index.get(hash);
    if (!r) {
      r = compute();
      this.computed++;
      this.#index.set(hash, r);
    }
    return r;
  }

  /** The Monte Carlo of a framework's current year, by content hash (it is the slowest part of a build). */
  uncertainty(hash: string, compute: () => UncertaintyResult): UncertaintyResult {
    let r = this.#uncertainty.get(hash);
    if (!r) {
      r = compute();
      this.computed++;
      this.#uncertainty.set(hash, r);
    }
    return r;
  }

  year(hash: string, year: number, compute: () => YearResult): YearResult {
    const key = `${hash}:${year}`;
    let r = this.#years.get(key);
    if (!r) {
      r = compute();
      this.computed++;
      this.#years.set(key, r);
    }
    return r;
  }
}

export interface FrameworkEntry {
  ref: FrameworkRef;
  loaded: LoadedFramework;
  /** Undefined when the framework or its data could not be read into a framework. */
  result: IndexResult | undefined;
  /** The index of any data year (for time series), computed on demand and cached. */
  yearResult(year: number): YearResult | undefined;
  /** The uncertainty analysis of the current year, when the framework declares `uncertainty` (cached). */
  uncertainty(): UncertaintyResult | undefined;
  /** The coherence report of the current year. */
  coherence(): CoherenceReport | undefined;
}

export interface IndicatorStore {
  /** The indicators folder it reads (absolute). */
  readonly root: string;
  /** The framework `id` in `edition` (default: the latest edition), or undefined if there is none. */
  get(id: string, edition?: number): FrameworkEntry | undefined;
  /** Every framework edition under the indicators folder (for `annals check`). */
  all(): FrameworkEntry[];
  /** Every file read so far, carrying its diagnostics. */
  files(): VFile[];
  /**
   * The text of a file a framework names (its map geometry, or the book's base map that replaces it), read
   * once per store; undefined when it cannot be read.
   */
  text(path: string): string | undefined;
}

export interface StoreOptions {
  /**
   * Run the Monte Carlo of `uncertainty()`. False (`annals check`, which renders nothing): its settings,
   * and each ranked entity at its published rank (uncertainty.ts `undrawnUncertainty`), so the directives
   * that use it are checked as in a build. Default: true.
   */
  draws?: boolean;
}

/**
 * `memo` (a preview's BuildMemo): frameworks loaded by earlier builds. One whose files hash as before is
 * not read, parsed and checked again: the same loaded framework (and its files, with the messages they had
 * once loaded and checked) is handed out again. Default: none, every build loads every framework it uses.
 * `options`: StoreOptions (a check's store draws no Monte Carlo).
 */
export function createIndicatorStore(indicatorsRoot: string, cache: ResultsCache = new ResultsCache(), memo?: FrameworkMemo, options: StoreOptions = {}): IndicatorStore {
  const entries = new Map<string, FrameworkEntry>();
  const texts = new Map<string, string | undefined>();
  const memos = memo as FrameworkMemo<LoadedFramework, IndexResult | undefined> | undefined;

  const open = (ref: FrameworkRef): FrameworkEntry => {
    const key = ref.dir;
    const existing = entries.get(key);
    if (existing) return existing;
    const { loaded, result } = loadChecked(ref.dir, cache, memos);
    const framework = loaded.framework;
    let coherence: CoherenceReport | undefined;
    let posts: GoalpostBounds | undefined;
    let undrawn: UncertaintyResult | undefined;
    const entry: FrameworkEntry = {
      ref,
      loaded,
      result,
      yearResult(year) {
        if (!framework || !result) return undefined;
        if (year === result.current.year) return result.current;
        if (year === result.previous?.year) return result.previous;
        return cache.year(loaded.hash, year, () => {
          posts ??= framework.goalposts ? goalpostsOf(framework, loaded.dataset, framework.goalposts.year) : undefined;
          return computeYear(framework, loaded.dataset, year, posts);
        });
      },
      uncertainty() {
        if (!framework?.uncertainty || !result) return undefined;
        // Not kept in the cache: a later build of the same process must draw.
        if (options.draws === false) return (undrawn ??= undrawnUncertainty(framework, result.current));
        return cache.uncertainty(loaded.hash, () => uncertaintyOf(framework, loaded.dataset, result.current.year));
      },
      coherence() {
        if (!framework || !result) return undefined;
        return (coherence ??= coherenceOf(framework, result.current));
      },
    };
    entries.set(key, entry);
    return entry;
  };

  return {
    root: indicatorsRoot,
    get(id, edition) {
      const ref = findFramework(indicatorsRoot, id, edition);
      return ref ? open(ref) : undefined;
    },
    all() {
      return listFrameworks(indicatorsRoot).map(open);
    },
    files() {
      return [...entries.values()].flatMap((e) => e.loaded.files);
    },
    text(path) {
      if (!texts.has(path)) texts.set(path, readText(path));
      return texts.get(path);
    },
  };
}

/** The framework at `dir`: from the memo when its files are unchanged, else loaded, checked and kept. */
function loadChecked(dir: string, cache: ResultsCache, memos: FrameworkMemo<LoadedFramework, IndexResult | undefined> | undefined): { loaded: LoadedFramework; result: IndexResult | undefined } {
  const kept = memos?.get(dir);
  // Unchanged by size and mtime (no file read), or else by content.
  const stat = kept ? frameworkStatSignature(kept.loaded) : undefined;
  const unchanged = kept !== undefined && ((kept.stat?.trusted === true && kept.stat.signature === stat!.signature) || frameworkStamp(kept.loaded) === kept.hash);
  if (kept && unchanged) {
    kept.stat = stat;
    // Messages reported on these files later in a build (none today) are dropped, as a fresh load would.
    kept.loaded.files.forEach((file, i) => {
      file.messages.length = kept.messages[i]!;
    });
    return kept;
  }
  const loaded = loadFramework(dir);
  const framework = loaded.framework;
  let result: IndexResult | undefined;
  if (framework) {
    result = cache.index(loaded.hash, () => computeIndex(framework, loaded.dataset));
    const problems = [...result.current.problems, ...(result.previous?.problems ?? [])];
    reportProblems(problems, loaded.places, loaded.frameworkYaml);
  }
  if (memos) memos.set(dir, { hash: loadedStamp(loaded), loaded, result, messages: loaded.files.map((f) => f.messages.length), stat: frameworkStatSignature(loaded) });
  return { loaded, result };
}
