/**
 * The indicator store of one build: loads each framework edition once, checks it, computes its index and
 * keeps the result, so every edition of every book (and the CLI) asks the same object. Results are cached
 * by the content hash of the framework's files in a `ResultsCache` that the caller may keep across builds
 * (the preview server does): an unchanged framework is never computed twice.
 */
import type { VFile } from 'vfile';
import { reportProblems } from './check.ts';
import { computeIndex, computeYear } from './compute.ts';
import { findFramework, listFrameworks, loadFramework, type FrameworkRef, type LoadedFramework } from './load.ts';
import type { IndexResult, YearResult } from './model.ts';

/** Results by content hash (and year). Create one per build, or keep one for a watch session. */
export class ResultsCache {
  readonly #index = new Map<string, IndexResult>();
  readonly #years = new Map<string, YearResult>();
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
}

export interface IndicatorStore {
  /** The framework `id` in `edition` (default: the latest edition), or undefined if there is none. */
  get(id: string, edition?: number): FrameworkEntry | undefined;
  /** Every framework edition under the indicators folder (for `annals check`). */
  all(): FrameworkEntry[];
  /** Every file read so far, carrying its diagnostics. */
  files(): VFile[];
}

export function createIndicatorStore(indicatorsRoot: string, cache: ResultsCache = new ResultsCache()): IndicatorStore {
  const entries = new Map<string, FrameworkEntry>();

  const open = (ref: FrameworkRef): FrameworkEntry => {
    const key = ref.dir;
    const existing = entries.get(key);
    if (existing) return existing;
    const loaded = loadFramework(ref.dir);
    const framework = loaded.framework;
    let result: IndexResult | undefined;
    if (framework) {
      result = cache.index(loaded.hash, () => computeIndex(framework, loaded.dataset));
      const problems = [...result.current.problems, ...(result.previous?.problems ?? [])];
      reportProblems(problems, loaded.places, loaded.frameworkYaml);
    }
    const entry: FrameworkEntry = {
      ref,
      loaded,
      result,
      yearResult(year) {
        if (!framework || !result) return undefined;
        if (year === result.current.year) return result.current;
        if (year === result.previous?.year) return result.previous;
        return cache.year(loaded.hash, year, () => computeYear(framework, loaded.dataset, year));
      },
    };
    entries.set(key, entry);
    return entry;
  };

  return {
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
  };
}
