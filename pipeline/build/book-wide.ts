/**
 * Stage 4 of an edition (build-edition.ts): what needs every chapter. References first — links, then each
 * feature's book-wide pass in the order of the feature list (features/index.ts: cross-references, which
 * count links and references to a label, then citations, numbered in book order) — then, for a build that
 * writes, the features' pages made from the finished chapters and line typography on every tree.
 */
import type { VFile } from 'vfile';
import type { Root as HastRoot } from 'hast';
import { unified } from 'unified';
import type { EditionContext } from '../context/types.ts';
import type { BookIndex } from '../html/book-index.ts';
import { rehypeInternalLinks } from '../html/rehype-internal-links.ts';
import { createLineTypography } from '../html/line-typography.ts';
import type { MatterPage } from '../html/render-edition.ts';
import type { BookWidePass, EditionFeature } from '../features/feature.ts';

/** Runs `step` on one chapter; a cache wraps it to name the finished tree (finished-keys.ts). */
export type ChapterStep = (file: VFile, step: () => Promise<void>) => Promise<void>;

/** The features' book-wide passes, started in the features' order once the book index is known. */
export function startBookWide(features: readonly EditionFeature[], index: BookIndex): BookWidePass[] {
  return features.flatMap((feature) => (feature.bookWide ? [feature.bookWide(index)] : []));
}

export interface ResolveReferencesInput {
  /** The chapters after their per-chapter stages (`file.data.hast`), in book order. */
  chapters: readonly VFile[];
  index: BookIndex;
  /** The features' passes (`startBookWide`). */
  passes: readonly BookWidePass[];
  /** Around each chapter's run. Default: the run alone. */
  around?: ChapterStep;
}

/** Resolves links, then runs the features' passes on every chapter tree, then lets each pass finish. */
export async function resolveReferences(input: ResolveReferencesInput): Promise<void> {
  const { index, passes } = input;
  const bookWide = unified()
    .use(rehypeInternalLinks, { index })
    .use(passes.flatMap((pass) => pass.rehype))
    .freeze();
  const around: ChapterStep = input.around ?? ((_file, step) => step());
  for (const file of input.chapters) {
    await around(file, async () => {
      file.data.hast = (await bookWide.run(file.data.hast!, file)) as HastRoot;
    });
  }
  for (const pass of passes) pass.finish?.(input.chapters);
}

export interface BookMatter {
  /** Lists of figures and tables, after the contents. */
  frontMatter: MatterPage[];
  /** The list of references (placement: book) and the index, after the last chapter. */
  backMatter: MatterPage[];
}

/**
 * The features' pages from the finished chapters, in the features' order, then line typography last, on
 * every finished tree (generated words included): punctuation compression, no-break spans, table cells
 * that keep words whole (pipeline/html/line-typography.ts).
 */
export function finishMatter(context: EditionContext, chapters: readonly VFile[], features: readonly EditionFeature[]): BookMatter {
  const pages = features.flatMap((feature) => (feature.pages ? [feature.pages(chapters)] : []));
  const frontMatter = pages.flatMap((p) => p.front ?? []);
  const backMatter = pages.flatMap((p) => p.back ?? []);
  const typography = createLineTypography(context);
  for (const file of chapters) file.data.hast = typography.runSync(file.data.hast!, file);
  for (const m of [...frontMatter, ...backMatter]) m.html = typography.runSync(m.html);
  return { frontMatter, backMatter };
}
