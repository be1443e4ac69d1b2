/**
 * A feature — citations, the index, cross-references, notes, the indicators … — is one folder of
 * pipeline/features/ that exports one `Feature`: the directive names it handles and, per edition, its
 * parts in the order the build runs them (mdast-util-to-hast's one handler per node type is the model):
 *
 *   expand   remark plugins before the block directives, for directives that become blocks (a table)
 *   blocks   remark plugins of the blocks other directives sit in or refer to (figures, tables, boxes,
 *            equations, signatures, entries), after the edition facts and the script conversion
 *   remark   remark plugins after every feature's blocks (chapter/processor.ts step 3)
 *   rehype   per-chapter rehype plugins, after the processor's own (raw HTML, heading numbers, images)
 *   bookWide rehype plugins run on every chapter tree once all chapters ran (build/book-wide.ts)
 *   pages    generated pages (lists, the list of references, the index) from the finished chapters
 *
 * Every part is optional. The features are listed once, in `FEATURES` (features/index.ts); the build
 * iterates that list, so adding a feature touches its folder and that list only.
 */
import type { PluggableList } from 'unified';
import type { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { BuildMemo } from '../base/memo.ts';
import type { DataFiles } from '../config/data-files.ts';
import type { IndexMarkCounter } from '../context/index-marks.ts';
import type { EditionContext } from '../context/types.ts';
import type { BookIndex } from '../html/book-index.ts';
import type { MatterPage } from '../html/render-edition.ts';
import type { IndicatorStore } from '../indicators/store.ts';

/** What a feature's parts are made from: one edition of one build. */
export interface FeatureEdition {
  context: EditionContext;
  /** The build's session: a data file a feature reads joins it, so its diagnostics are printed. */
  session: BuildSession;
  /** The build's indicator computations (one per framework for every edition of the build). */
  store: IndicatorStore;
  /** What earlier builds of the run kept (a preview's BuildMemo). Default: nothing kept. */
  memo?: BuildMemo;
  /** Draw charts (false for `annals check`, which writes nothing but still checks their data). */
  draw: boolean;
  /** The edition's index anchors idx-1, idx-2 …, shared by `:idx` and the chronicle's `terms:`. */
  marks: IndexMarkCounter;
  /** The book's data files (chronicle, statistics), each read once per edition. */
  data: DataFiles;
}

/** A feature's part of the book-wide stage, started once every chapter ran and the book index is known. */
export interface BookWidePass {
  /** Rehype plugins run on each chapter tree, in book order. */
  rehype: PluggableList;
  /**
   * What a finished chapter depends on besides its own tree and the book index, read just before its run
   * (the run cache names finished trees with it: build/finished-keys.ts). Default: nothing.
   */
  key?(): string;
  /** After every chapter's run: what needs all of them (e.g. labels nothing refers to). Default: nothing. */
  finish?(chapters: readonly VFile[]): void;
}

/** Generated pages: `front` after the contents, `back` after the last chapter. */
export interface FeaturePages {
  front?: MatterPage[];
  back?: MatterPage[];
}

/** One edition's parts of a feature; every part is optional. */
export interface FeatureParts {
  expand?: PluggableList;
  blocks?: PluggableList;
  remark?: PluggableList;
  rehype?: PluggableList;
  bookWide?(index: BookIndex): BookWidePass;
  pages?(chapters: readonly VFile[]): FeaturePages;
}

/**
 * What the Markdown machinery must know of a feature's directives before any of them is rendered (the
 * edition facts, markdown/remark-edition-facts.ts; the script conversion, markdown/remark-convert-script.ts).
 * Every field defaults to none.
 */
export interface DirectiveRoles {
  /** Labelled, numbered blocks (`{#id}`): counted and their ids compared between editions. */
  labelled?: readonly string[];
  /** Directives that reference indicators: compared between editions. */
  indicatorReferences?: readonly string[];
  /** Directives whose [label] is a key or an id (a citation key, a label), never prose to convert. */
  keyLabels?: readonly string[];
}

export interface Feature {
  /** The feature's folder under pipeline/features/. */
  name: string;
  /** Every directive name the feature handles; any other name left in a chapter is reported as unknown. */
  directives: readonly string[];
  /** What the machinery must know of those directives. Default: nothing. */
  roles?: DirectiveRoles;
  /** The feature's parts for one edition (state shared by them lives in this call, never in the module). */
  parts(edition: FeatureEdition): FeatureParts;
}

/** A feature's parts for one edition, with its name and directives (what the build iterates). */
export interface EditionFeature extends FeatureParts {
  name: string;
  directives: readonly string[];
  roles?: DirectiveRoles;
}
