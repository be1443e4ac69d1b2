/**
 * In-memory memos that a long-running preview keeps between rebuilds (BuildOptions.memo): work whose
 * inputs hash the same is not done again. Each memo is keyed by a content hash of everything its output
 * depends on, so a build with a memo writes the same bytes as one without (tests/preview-memo.test.ts).
 * Nothing here is module state; the preview session creates one `BuildMemo` and passes it to every
 * build, the command line one per run.
 *
 *   charts      ECharts option (+ chart inputs, geometry hash) → SVG text     pipeline/charts/render.ts
 *   frameworks  framework folder → loaded, checked framework and its index   pipeline/indicators/store.ts
 *   citations   bibliography + style + locale → CSL engine (citeproc-js)      pipeline/features/citations/citation-processor.ts
 *   articles    finished chapter tree + header + mode + SVGs → its HTML, PDF copy's HTML  pipeline/html/render-edition.ts
 *   parsed      front matter and locale files by text → value (and messages)    pipeline/markdown/front-matter.ts,
 *                                                                                 pipeline/locale/locale.ts
 *   opencc      OpenCC target (tw, twp, hk, hkp) → its converter (~0.2–0.4 s to build)  pipeline/locale/convert-script.ts
 *   tex         formula (mode + TeX) → KaTeX's output as hast, or its error                 pipeline/features/equations/remark-equations.ts
 *   trees       chapter text → its parsed Markdown tree (v8), for the next edition that      pipeline/build/parse-cache.ts
 *               reads the same file (a derived edition reads its source's), without a cache
 *
 * `annals build` and `annals check` keep one for the run, so the editions of a build share them (a
 * derived edition's charts are the source edition's, converted afterwards).
 */
import { createHash } from 'node:crypto';
import type { ElementContent } from 'hast';

/**
 * What the back-of-book index's collations of a run share (features/index/index-collation.ts): the
 * Traditional → Simplified converters by source locale (tw, hk), and pinyin-pro's reading of each
 * Simplified text, which a zh and a zh-Hant edition of one book ask for alike. Both are pure functions of
 * their key.
 */
export interface CollationMemo {
  toSimplified: Map<string, (text: string) => string>;
  readings: Map<string, PinyinReading>;
}

/** pinyin-pro's reading of a text (`type: 'all'`), item by item. */
export type PinyinReading = ReadonlyArray<{ origin: string; pinyin: string; isZh: boolean; num: number }>;

export function createCollationMemo(): CollationMemo {
  return { toSimplified: new Map(), readings: new Map() };
}

/** A formula as KaTeX renders it: its HTML as hast, or the parse error (features/equations/remark-equations.ts). */
export type RenderedTex = { children: ElementContent[] } | { error: string; position?: number | undefined };

/**
 * A memo by content hash, with hit and miss counts (tests, bench). `sweep` ends a build: entries not used
 * in the last `builds` builds are dropped, so a long preview keeps what its edits still use, not every
 * version of every chapter it ever saw.
 */
export class HashMemo<T> {
  readonly #entries = new Map<string, { value: T; used: number }>();
  #generation = 0;
  hits = 0;
  misses = 0;

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    entry.used = this.#generation;
    return entry.value;
  }

  set(key: string, value: T): void {
    this.#entries.set(key, { value, used: this.#generation });
  }

  /** Drop the entries not used (got or set) in the last `builds` builds, then start the next build. */
  sweep(builds = 1): void {
    for (const [key, entry] of this.#entries) if (this.#generation - entry.used >= builds) this.#entries.delete(key);
    this.#generation += 1;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Chart SVG text by the hash of the chart's full option and inputs (pipeline/charts/render.ts). */
export type ChartSvgMemo = HashMemo<string>;

/**
 * A loaded framework, by folder. Kept with the hash of its files (pipeline/indicators/load.ts
 * `LoadedFramework.hash`) and the number of messages each of its files carried once it was loaded and
 * checked, so a reuse can hand back the same files with exactly those messages.
 */
export interface FrameworkMemoEntry<Loaded, Result> {
  hash: string;
  loaded: Loaded;
  result: Result;
  messages: number[];
  /** Size/mtime signature of the files when last checked: while equal (and trusted), no file is read. */
  stat?: { signature: string; trusted: boolean };
}
export type FrameworkMemo<Loaded = unknown, Result = unknown> = Map<string, FrameworkMemoEntry<Loaded, Result>>;

/** CSL engines by the hash of the bibliography items, the style and the locale (used one sequence at a time). */
export type CitationEngineMemo = HashMemo<unknown>;

/** An article as render-edition.ts compiles it: its HTML, the PDF copy's (print), and how many SVG images it inlined. */
export interface RenderedArticle {
  html: string;
  /** The PDF copy's text: page-number placeholders filled; the same string as `html` when it has none. */
  pdf: string;
  svgs: number;
}

/** Rendered articles by the hash of their tree, header and place (pipeline/html/render-edition.ts). */
export type ArticleMemo = HashMemo<RenderedArticle>;

export interface BuildMemo {
  /** Chart SVGs by the hash of their option; none in a memo of one run (`createBuildMemo`). */
  charts?: ChartSvgMemo;
  frameworks: FrameworkMemo;
  citations: CitationEngineMemo;
  /** Rendered articles by the hash of their finished tree; none in a memo of one run. */
  articles?: ArticleMemo;
  parsed: HashMemo<unknown>;
  /** OpenCC converters by target: built from the package's dictionaries only, so kept as long as the memo. */
  opencc: Map<string, (text: string) => string>;
  /** Parsed chapters (v8-serialised Markdown trees) by the hash of their text (parse-cache.ts `withTreeMemo`). */
  trees: HashMemo<Buffer>;
  /** Rendered formulas by mode and TeX (remark-equations.ts). */
  tex: HashMemo<RenderedTex>;
  /** The back-of-book index's pinyin readings and Traditional → Simplified converters (index-collation.ts). */
  collation: CollationMemo;
}

/**
 * End a build for the memo: rendered chapters are all looked up on every build, so the ones not used
 * are stale at once; charts and citation results are looked up only for the chapters that ran, so they
 * stay while recent builds used them.
 */
export function sweepBuildMemo(memo: BuildMemo): void {
  memo.articles?.sweep(1);
  memo.charts?.sweep(20);
  memo.citations.sweep(20);
  memo.parsed.sweep(20);
  memo.trees.sweep(1);
  memo.tex.sweep(20);
}

export interface BuildMemoOptions {
  /**
   * The memo outlives the run (a preview's, kept from build to build). A command-line run's memo does not:
   * it keeps no rendered articles and no chart SVGs, which one run never asks for twice (each edition's
   * trees and charts differ, in words or ids) and which cost a hash of each tree (v8-serialised, ~110 ms
   * of a cold HTML build of the sample books) and of each chart's option to look up. Default: true.
   */
  acrossBuilds?: boolean;
}

export function createBuildMemo(options: BuildMemoOptions = {}): BuildMemo {
  const acrossBuilds = options.acrossBuilds ?? true;
  return {
    ...(acrossBuilds ? { charts: new HashMemo<string>(), articles: new HashMemo<RenderedArticle>() } : {}),
    frameworks: new Map(),
    citations: new HashMemo(),
    parsed: new HashMemo(),
    opencc: new Map(),
    trees: new HashMemo(),
    tex: new HashMemo(),
    collation: createCollationMemo(),
  };
}

/**
 * SHA-256 of a JSON-like value: functions by their source (ECharts formatters), numbers that JSON cannot
 * write (NaN, Infinity) by their text, `undefined` kept apart from absent. The caller includes whatever a
 * function closes over in the value itself.
 */
export function hashValue(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'function') return `\u0000fn:${v.toString()}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `\u0000num:${String(v)}`;
    if (v === undefined) return '\u0000undefined';
    if (v instanceof Map) return { '\u0000map': [...v.entries()] };
    return v;
  });
  return createHash('sha256').update(text ?? '').digest('hex');
}
