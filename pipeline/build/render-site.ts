/**
 * Stage 5 of an edition (build-edition.ts): the site pages and print.html from the finished trees, with
 * the edition's SVG images sanitised, converted like the chapters (a derived edition) and written into
 * the pages; then the fonts that the rendered text needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { EditionContext } from '../context/types.ts';
import type { ArticleMemo } from '../base/memo.ts';
import type { BookIndex } from '../html/book-index.ts';
import { frontChapterCount, renderEdition } from '../html/render-edition.ts';
import { printParts, type PrintPart } from '../html/print-parts.ts';
import { loadTemplates, type Templates } from '../html/templates.ts';
import { sanitizeSvg } from '../html/sanitize-svg.ts';
import { codePointsOf, fontSetFor, selectFonts, type FontSelection } from '../fonts/fonts.ts';
import { coverageFor, uncovered } from '../fonts/glyph-coverage.ts';
import { missingGlyphFont, type MissingGlyphFont } from '../fonts/missing-glyph-font.ts';
import { coverWords } from '../imprint/imprint-page.ts';
import { bodyParts, editionPageCss } from '../pdf/pdf-edition.ts';
import { PLACEHOLDER } from '../pdf/print-options.ts';
import type { PrintCopy } from '../html/print-copy.ts';
import { report } from '../report/diagnostics.ts';
import type { BookMatter } from './book-wide.ts';

export interface RenderSiteInput extends BookMatter {
  context: EditionContext;
  index: BookIndex;
  /** The finished chapters, in book order. */
  chapters: readonly VFile[];
  /** The build's session: an SVG image that was sanitised reports it on its own file, which joins it. */
  session: BuildSession;
  /** Rendered articles kept between builds (html/render-edition.ts). Default: none. */
  articles?: ArticleMemo | undefined;
  /**
   * Render what the PDF stage's copy of print.html is made from (`printCopy`): a build that prints the
   * PDF. It costs a second compilation of the parts with page-number slots (the contents, the index,
   * the lists, chapters with page references). Default: false.
   */
  pdfCopy?: boolean;
}

export interface RenderedSite {
  templates: Templates;
  /** Site pages, data files and print.html, by path relative to the edition folder. */
  pages: Map<string, string>;
  /** The site's stylesheets, by file name under site/assets/. */
  styles: ReadonlyArray<readonly [string, string]>;
  /** The chapters' SVG images, sanitised and converted, by asset path. */
  svgImages: ReadonlyMap<string, string>;
  /** The body parts of print.html (html/print-parts.ts): the PDF stage receives them as data. */
  printParts: PrintPart[];
  /** What print.html was rendered from, for the PDF stage's copy of it (html/print-copy.ts); with `pdfCopy` only. */
  printCopy?: PrintCopy | undefined;
}

export async function renderSite(input: RenderSiteInput): Promise<RenderedSite> {
  const { context, chapters, frontMatter, backMatter } = input;
  const { project, config, book, locale } = context;
  const templates = loadTemplates(project.templates, config.template ?? config.kind);
  const parts = bodyParts(chapters.map((f) => f.data.chapter!), backMatter);
  const pageCss = editionPageCss(context, parts, 'standalone');
  // SVG images are text: a derived edition (zh-Hant) shows them converted like its chapters, and the
  // fonts must cover them. Every SVG is sanitised first (sanitize-svg.ts: no script, handler,
  // foreignObject or external reference); what was removed is a warning at the SVG file. The sanitised
  // text is what is inlined and copied: render-edition.ts writes each into the articles' trees in place
  // of its <img> (inline-svg-images.ts), since an SVG loaded by <img> cannot use the book's web fonts.
  const svgPaths = [...new Set(chapters.flatMap((f) => f.data.assets ?? []))].filter((a) => a.endsWith('.svg'));
  const svgImages = new Map(svgPaths.map((a) => [a, locale.convert(safeSvg(join(book.dir, a), input.session))]));
  // The PDF copy of print.html is rendered with the page-number placeholder in its page-number slots.
  const { pages, printCopy } = renderEdition({
    context, index: input.index, templates, chapters, frontMatter, backMatter, pageCss, svgImages,
    ...(input.pdfCopy ? { pagePlaceholder: PLACEHOLDER } : {}),
    ...(input.articles ? { articles: input.articles } : {}),
  });
  const styles = ['base.css', 'layout.css', 'site.css', 'print.css'].map((name) => [name, templates.read(name)] as const);
  const infos = chapters.map((f) => f.data.chapter!);
  return { templates, pages, styles, svgImages, printParts: printParts(infos, backMatter, frontChapterCount(infos)), printCopy };
}

/** An SVG image's text, sanitised; each removal is an `svg-sanitized` warning on the SVG file. */
function safeSvg(path: string, session: BuildSession): string {
  const { svg, removed } = sanitizeSvg(readFileSync(path, 'utf8'));
  if (removed.length > 0) {
    const file = new VFile({ path });
    session.add(file);
    for (const what of removed) report(file, 'svg-sanitized', `removed from the SVG image: ${what}`);
  }
  return svg ?? '<svg xmlns="http://www.w3.org/2000/svg"/>';
}

export interface EditionFonts {
  fonts: FontSelection;
  /** The build's stand-in for characters no face has (each reported by rehype-glyph-coverage). */
  standIn: MissingGlyphFont | undefined;
}

/** The font slices every text of the edition needs: pages, styles, SVG images and, for press, the cover. */
export async function editionFonts(context: EditionContext, site: RenderedSite, press: boolean): Promise<EditionFonts> {
  const { locale } = context;
  // The cover sheet of a press build is set in the edition's fonts too: its words count.
  const coverText = press ? [coverWords(context)] : [];
  const used = codePointsOf([...site.pages.values(), ...site.styles.map(([, css]) => css), ...site.svgImages.values(), ...coverText]);
  const fonts = selectFonts(fontSetFor(locale.script), used);
  const standIn = await missingGlyphFont(uncovered(coverageFor(locale.script), used));
  return { fonts, standIn };
}
