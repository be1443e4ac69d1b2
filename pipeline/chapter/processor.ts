/**
 * The chapter processor: built once per edition and reused for every chapter (as Astro's Markdown package
 * does). `parse` gives the Markdown tree; `run` applies the per-chapter stages in the order below and
 * returns the chapter as an HTML tree. It runs the Markdown and HTML machinery (markdown/, html/) and, at
 * their places, the plugins of the features it is given (features/index.ts); it names no directive itself.
 * Book-wide stages (links, the features' book-wide passes) run later in build/book-wide.ts, once every
 * chapter's labels are known.
 */
import { unified, type PluggableList } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkCjkFriendlyGfmStrikethrough from 'remark-cjk-friendly-gfm-strikethrough';
import remarkDirective from 'remark-directive';
import remarkMath from 'remark-math';
import remarkRehype from 'remark-rehype';
import type { Root as MdastRoot } from 'mdast';
import type { Root as HastRoot } from 'hast';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
import { remarkHeadingIds } from '../markdown/remark-heading-ids.ts';
import { remarkUnknownDirectives } from '../markdown/remark-unknown-directives.ts';
import { remarkProseColons } from '../markdown/remark-prose-colons.ts';
import { remarkAutolinkCjk } from '../markdown/remark-autolink-cjk.ts';
import { remarkHtmlFigures } from '../markdown/remark-html-figures.ts';
import { remarkDollarAmounts } from '../markdown/remark-dollar-amounts.ts';
import { remarkUnclosedDirectives } from '../markdown/remark-unclosed-directives.ts';
import { remarkTableCells } from '../markdown/remark-table-cells.ts';
import { remarkUndefinedFootnotes } from '../markdown/remark-undefined-footnotes.ts';
import { remarkChapterHeadings } from '../markdown/remark-chapter-headings.ts';
import { remarkEditionFacts } from '../markdown/remark-edition-facts.ts';
import { remarkConvertScript } from '../markdown/remark-convert-script.ts';
import { remarkSmartypants } from '../markdown/remark-smartypants.ts';
import { rehypeHeadingNumbers } from '../html/rehype-heading-numbers.ts';
import { rehypeImages } from '../html/rehype-images.ts';
import { rehypeRawHtml } from '../html/rehype-raw-html.ts';
import { rehypeUnsafeUrls } from '../html/rehype-unsafe-urls.ts';
import { rehypeGlyphCoverage } from '../html/rehype-glyph-coverage.ts';
import { rehypeTextPresentation } from '../html/rehype-text-presentation.ts';
import { coverageFor } from '../fonts/glyph-coverage.ts';
import type { DirectiveRoles, EditionFeature } from '../features/feature.ts';

export interface ChapterProcessor {
  parse(file: VFile): MdastRoot;
  /**
   * The start of the tree, enough to read the front matter (its `yaml` node): a cache can answer this
   * without the whole tree. Default: the whole tree.
   */
  head?(file: VFile): MdastRoot;
  /** The per-chapter stages; the tree is asked for only when they run (a cache may answer without). */
  run(tree: MdastRoot | (() => MdastRoot), file: VFile): Promise<HastRoot>;
  /**
   * What determines a tree `run` returned, when a cache knows it (run-cache.ts): equal identities, equal
   * trees. Default: unknown.
   */
  identity?(tree: HastRoot): string | undefined;
}

/**
 * `features`: the edition's features (features/index.ts `editionFeatures`), whose plugins run at their
 * places below in the features' order. Default: none (Markdown and HTML without any directive).
 */
export function createChapterProcessor(context: EditionContext, features: readonly EditionFeature[] = []): ChapterProcessor {
  const known = features.flatMap((f) => f.directives);
  const roles = (role: keyof DirectiveRoles) => features.flatMap((f) => f.roles?.[role] ?? []);
  const processor = unified()
    // 1. Syntax: CommonMark + GFM (tables, footnotes, strikethrough) + front matter + generic directives + math.
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    // Emphasis and strikethrough next to full-width punctuation (`**强化学习（RL）**讨论`), as Chinese
    // authors write them (CommonMark's flanking rules would print the asterisks).
    .use(remarkCjkFriendly)
    .use(remarkCjkFriendlyGfmStrikethrough)
    .use(remarkDirective)
    // Mathematics: inline $…$ and display $$…$$ (rendered with KaTeX by remarkEquations).
    .use(remarkMath)
    // English prose: typographic quotes, apostrophes and dashes (-- en dash, --- em dash) from what the
    // author typed; code is left alone (markdown/remark-smartypants.ts). Chinese editions keep the author's
    // full-width marks.
    .use(context.locale.script === 'en' ? [[remarkSmartypants, { dashes: 'oldschool' }]] : [])
    // 2. A colon in prose (`作者:Zhang San`, `key:value`) is text, not a directive: before any directive plugin.
    .use(remarkProseColons, { known })
    // A `:::box` without its closing `:::` would swallow the rest of the chapter: an error at its opening.
    .use(remarkUnclosedDirectives)
    // Bare URLs end at CJK text (`访问https://www.cac.gov.cn，了解更多`); `[^x]` without a definition is reported.
    .use(remarkAutolinkCjk)
    .use(remarkUndefinedFootnotes)
    // A row wider than its header loses its last cells (a `|` inside a cell): reported, as GFM drops them.
    .use(remarkTableCells)
    // An HTML `<img>` (centred, with its caption below) becomes the Markdown image a figure is made from.
    .use(remarkHtmlFigures)
    // `从$5涨到$10` is prose: inline math follows Pandoc's dollar rule (docs/writing-chapters.md).
    .use(remarkDollarAmounts)
    // Markdown-level structure: explicit heading ids, then the directives that expand into blocks
    // (::ranking-table, ::stats-table → :::table), so they are numbered with the chapter's own.
    .use(remarkHeadingIds)
    .use(remarkChapterHeadings)
    .use(features.flatMap((f) => f.expand ?? []))
    // Editions: on the Markdown as written (expanded, no directive rendered yet), record what the edition
    // consistency check compares, then — in a derived edition only — convert the text to its script.
    .use(remarkEditionFacts, { labelled: roles('labelled'), indicators: roles('indicatorReferences') })
    .use(remarkConvertScript, { context, keyDirectives: roles('keyLabels') })
    // 3. Feature directives: first the blocks (figures, tables, boxes, equations, signatures, entries),
    //    then the rest (indicators, citations, index terms, yearbook data …), each in the features' order.
    .use(features.flatMap((f) => f.blocks ?? []))
    .use(features.flatMap((f) => f.remark ?? []))
    // 4. Anything still a directive here is unknown: report it and keep its text visible.
    .use(remarkUnknownDirectives, { known })
    // 5. To HTML. Positions are kept on every element so later stages can still report `file:line:col`.
    //    Raw HTML is carried over (allowDangerousHtml) only to be parsed and sanitised at once: what it may
    //    keep is rawHtmlSchema, and whatever is removed is reported at its line. Then no URL that runs code
    //    (javascript:, vbscript:, data:text/html) is left, from Markdown or HTML.
    .use(remarkRehype, { footnoteLabel: context.locale.t('notes'), footnoteBackLabel: '↩', clobberPrefix: '', allowDangerousHtml: true })
    .use(rehypeRawHtml, { convert: (text: string) => context.locale.convert(text) })
    .use(rehypeUnsafeUrls)
    // A character none of the edition's fonts draws is reported here, at its line (the build gives it a
    // stand-in face, so no font of the machine is ever used).
    .use(rehypeGlyphCoverage, { coverage: coverageFor(context.locale.script) })
    // Emoji are set in text presentation (U+FE0E), by the edition's faces: never a colour font of the machine.
    .use(rehypeTextPresentation)
    // 6. HTML-level per-chapter stages: heading ids and numbers (needs the chapter number), images.
    .use(rehypeHeadingNumbers, { context })
    .use(rehypeImages, { context })
    .use(features.flatMap((f) => f.rehype ?? []));
  processor.freeze();
  return {
    parse: (file) => processor.parse(file) as MdastRoot,
    run: async (tree, file) => (await processor.run(typeof tree === 'function' ? tree() : tree, file)) as HastRoot,
  };
}
