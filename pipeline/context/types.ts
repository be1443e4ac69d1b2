/**
 * Types shared by the stages. Data passes between stages on `file.data` (typed below), never through
 * module-level state.
 */
import type { Root as HastRoot } from 'hast';
import type Slugger from 'github-slugger';
import type { BookConfig, EditionConfig, FrontMatter } from '../config/book-schema.ts';
import type { ChapterSource, LoadedBook, Project } from '../config/load-book.ts';
import type { Locale } from '../locale/locale.ts';

/** Something a cross-reference can point at. */
export interface Label {
  id: string;
  kind: 'chapter' | 'section' | 'figure' | 'table' | 'box' | 'entry' | (string & {});
  /** The bare number: "2-1", "2.1", "3"; empty for unnumbered things. */
  number: string;
  /** What a reference prints: 图2-1, Figure 2.1, 第三章, 【条目】. */
  text: string;
  /** Caption or title as plain text. */
  title: string;
  /** Slug of the chapter that holds it. */
  chapter: string;
  /**
   * Id of an inline element holding the label's title (an entry's 【title】), where page-and-column
   * locators point: in a multi-column page Chromium gives a block the x of its first column in the PDF's
   * destinations, while an inline element gets the column it is printed in. Default: `id`.
   */
  place?: string;
}

export interface HeadingInfo {
  id: string;
  /** 2 for ##, 3 for ###, … */
  depth: number;
  /** Generated number label: 一、 / 2.1; empty when unnumbered. */
  label: string;
  text: string;
}

export interface ChapterInfo {
  slug: string;
  /** File name, e.g. 02-infrastructure.md */
  name: string;
  /** Anchor id of the chapter: ch-<slug> unless the front matter sets one. */
  id: string;
  title: string;
  short: string;
  authors: string[];
  /** The authors' ids in the book's people.yaml, in byline order (absent without a registry). */
  authorIds?: string[];
  /** Where `authors:` is in the front matter, for diagnostics. */
  authorsAt?: { line: number; column: number };
  /** 1-based number among numbered chapters; undefined for unnumbered ones. */
  number?: number;
  /** 第二章 / Chapter 2; empty when unnumbered. */
  label: string;
  headings: HeadingInfo[];
  labels: Label[];
}

/** Everything a stage may need to know about the edition being built. Built once per edition. */
export interface EditionContext {
  project: Project;
  book: LoadedBook;
  config: BookConfig;
  editionId: string;
  edition: EditionConfig;
  locale: Locale;
  chapters: ChapterSource[];
  /** One slugger per edition, so automatic heading ids are unique through the book. */
  slugger: Slugger;
  /**
   * The counters that carry from chapter to chapter, in chapter order. With the slugger they are all the
   * state the per-chapter stages share (the chapter-run cache saves and restores exactly these).
   */
  counters: EditionCounters;
  /**
   * The build's one time, seconds since 1970 (SOURCE_DATE_EPOCH; base/build-session.ts): the date of the
   * PDF, EPUB and press files. Undefined: 1 January of the book's year.
   */
  sourceDateEpoch?: number | undefined;
}

/** Book-wide counters of one edition build (see `EditionContext.counters`). */
export interface EditionCounters {
  /** Figures, tables, boxes and equations, when `figureNumbering: book`. */
  figure: number;
  table: number;
  box: number;
  equation: number;
  /** Index anchors idx-1, idx-2 … (`:idx` and the chronicle's `terms:`). */
  indexMarks: number;
  /** Indicator charts (their SVG id prefix when the chart has no id). */
  charts: number;
}

export function createEditionCounters(): EditionCounters {
  return { figure: 0, table: 0, box: 0, equation: 0, indexMarks: 0, charts: 0 };
}

declare module 'vfile' {
  interface DataMap {
    /** Validated front matter (set by the front-matter stage). */
    matter: FrontMatter;
    /** The chapter's place in the book, its headings and labels. */
    chapter: ChapterInfo;
    /** The chapter as HTML tree after the per-chapter stages. */
    hast: HastRoot;
    /**
     * With a chapter-run cache: a hash of everything the finished tree (after the book-wide stages)
     * depends on, so rendering can reuse its HTML without hashing the tree (render-edition.ts).
     */
    renderKey?: string;
  }
}
