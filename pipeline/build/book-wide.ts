/**
 * Stage 4 of an edition (build-edition.ts): what needs every chapter. References first — links,
 * cross-references (both count as references to a label) and citations, numbered in book order — then,
 * for a build that writes, the front and back matter made from the finished chapters and line typography
 * on every tree.
 */
import type { VFile } from 'vfile';
import type { Root as HastRoot } from 'hast';
import { unified } from 'unified';
import type { EditionContext } from '../context/types.ts';
import type { BookIndex } from '../html/book-index.ts';
import { rehypeInternalLinks } from '../html/rehype-internal-links.ts';
import { createCrossReferenceUsage, rehypeCrossReferences, reportUnreferencedLabels } from '../html/rehype-cross-references.ts';
import { rehypeCitations, type Citations } from '../html/rehype-citations.ts';
import { buildLists } from '../html/lists-of-figures.ts';
import { buildIndexPage } from '../html/index-page.ts';
import { createLineTypography } from '../html/line-typography.ts';
import type { MatterPage } from '../html/render-edition.ts';

/** Runs `step` on one chapter; a cache wraps it to name the finished tree (finished-keys.ts). */
export type ChapterStep = (file: VFile, step: () => Promise<void>) => Promise<void>;

export interface ResolveReferencesInput {
  context: EditionContext;
  /** The chapters after their per-chapter stages (`file.data.hast`), in book order. */
  chapters: readonly VFile[];
  index: BookIndex;
  citations: Citations;
  /** Around each chapter's run. Default: the run alone. */
  around?: ChapterStep;
}

/** Resolves links, cross-references and citations on every chapter tree, then reports unreferenced labels. */
export async function resolveReferences(input: ResolveReferencesInput): Promise<void> {
  const { context, index, citations } = input;
  const usage = createCrossReferenceUsage();
  const bookWide = unified()
    .use(rehypeInternalLinks, { index })
    .use(rehypeCrossReferences, { context, index, usage })
    .use(rehypeCitations, { citations })
    .freeze();
  const around: ChapterStep = input.around ?? ((_file, step) => step());
  for (const file of input.chapters) {
    await around(file, async () => {
      file.data.hast = (await bookWide.run(file.data.hast!, file)) as HastRoot;
    });
  }
  reportUnreferencedLabels(input.chapters, usage);
}

export interface BookMatter {
  /** Lists of figures and tables, after the contents. */
  frontMatter: MatterPage[];
  /** The list of references (placement: book) and the index, after the last chapter. */
  backMatter: MatterPage[];
}

/**
 * Front and back matter from the finished chapters, then line typography last, on every finished tree
 * (generated words included): punctuation compression, no-break spans, table cells that keep words whole
 * (pipeline/html/line-typography.ts).
 */
export function finishMatter(context: EditionContext, chapters: readonly VFile[], citations: Citations): BookMatter {
  const frontMatter = buildLists(context, chapters);
  const backMatter = [citations.backMatter(), buildIndexPage(context, chapters)].filter((m) => m !== undefined);
  const typography = createLineTypography(context);
  for (const file of chapters) file.data.hast = typography.runSync(file.data.hast!, file);
  for (const m of [...frontMatter, ...backMatter]) m.html = typography.runSync(m.html);
  return { frontMatter, backMatter };
}
