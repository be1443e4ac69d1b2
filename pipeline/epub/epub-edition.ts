/**
 * One EPUB 3 per edition (docs/editions.md), from the same finished chapter trees as the site:
 *
 *   mimetype                      stored first, uncompressed (OCF)
 *   META-INF/container.xml        points at EPUB/package.opf
 *   EPUB/package.opf              metadata (title, creators, language, ISBN or a stable UUID, dcterms:modified
 *                                 from SOURCE_DATE_EPOCH), manifest, spine
 *   EPUB/nav.xhtml, EPUB/toc.ncx  navigation (EPUB 3 nav with landmarks; NCX for EPUB 2 readers)
 *   EPUB/cover.xhtml, images/cover.svg   the cover, drawn from the title data
 *   EPUB/<slug>.xhtml             front matter, chapters, back matter (references, index), in reading order
 *   EPUB/images/…                 the chapters' figures (SVG or raster), as in the site
 *   EPUB/styles/…                 epub.css, fonts.css and the fonts, subset to the text (epub-fonts.ts)
 *
 * Same input, same bytes: a fixed entry order, one timestamp (pipeline/release/zip.ts), no random ids.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
import type { BookIndex } from '../html/book-index.ts';
import { chapterArticle, matterSection, toc, type MatterPage } from '../html/render-edition.ts';
import { codePointsOf, fontSetFor } from '../fonts/fonts.ts';
import { metadataDate } from '../release/source-date-epoch.ts';
import { createZip, type ZipEntry } from '../release/zip.ts';
import { coverImage } from './cover-image.ts';
import { epubContent, type ContentFeatures } from './epub-content.ts';
import { epubFonts, type EpubFonts } from './epub-fonts.ts';
import { ncxDocument, packageDocument, type ManifestItem, type NcxPoint, type PackageMetadata } from './package-document.ts';
import { xhtmlDocument } from './xhtml-document.ts';
import { IMAGE_TYPES } from '../html/media-types.ts';

export interface EpubEditionOptions {
  context: EditionContext;
  index: BookIndex;
  chapters: readonly VFile[];
  frontMatter: readonly MatterPage[];
  backMatter: readonly MatterPage[];
  /** The EPUB stylesheet (templates/base/epub.css). */
  stylesheet: string;
  /** The bytes of a chapter asset (`images/x.svg`, relative to the book folder): SVGs sanitised, and converted for a derived edition, as in the site. */
  readAsset: (path: string) => Promise<Uint8Array>;
  /** Seconds since 1970 for dcterms:modified and the ZIP entries. Default: the build's (`context.sourceDateEpoch`), else 1 January of the book's year. */
  epochSeconds?: number;
}

/** The file name of an edition's EPUB in out/<book>/<edition>/. */
export function epubName(bookId: string, editionId: string): string {
  return `${bookId}-${editionId}.epub`;
}


interface ContentDoc {
  id: string;
  href: string;
  title: string;
  tree: Element;
  features: ContentFeatures;
  bodyType?: string;
}

export async function epubEdition(options: EpubEditionOptions): Promise<Buffer> {
  const { context } = options;
  const { edition, config, locale } = context;
  const lang = edition.lang;
  const date = options.epochSeconds !== undefined ? new Date(options.epochSeconds * 1000) : metadataDate(config.year, context.sourceDateEpoch);
  const styles = ['styles/fonts.css', 'styles/epub.css'];
  const pages = contentDocuments(options).map((d) => ({ doc: d, xhtml: xhtmlDocument({ lang, title: d.title, stylesheets: styles, bodyType: d.bodyType, body: [d.tree as ElementContent] }) }));
  const navXhtml = xhtmlDocument({ lang, title: locale.t('contents'), stylesheets: styles, body: navigation(options) });
  const cover = coverImage({ title: edition.title, subtitle: edition.subtitle, year: String(config.year), byline: edition.byline, publisher: edition.publisher, lang });
  const coverXhtml = xhtmlDocument({ lang, title: edition.title, stylesheets: styles, bodyClass: 'cover', bodyType: 'cover', body: [h('div.cover', [h('img', { src: 'images/cover.svg', alt: edition.title })])] });
  // Fonts for every text the reader sees (the cover image names its own generic family).
  const fonts = await epubFonts({ set: fontSetFor(locale.script), used: codePointsOf([navXhtml, coverXhtml, ...pages.map((p) => textOf(p.doc.tree))]) });
  // Figures and other assets the chapters use, as in the site.
  const assets = [...new Set(options.chapters.flatMap((f) => f.data.assets ?? []))].sort();
  const assetEntries = await Promise.all(assets.map(async (path) => ({ path, data: await options.readAsset(path) })));
  const items = manifestItems(pages.map((p) => p.doc), fonts.files, assetEntries.map((a) => a.path));
  const meta = packageMetadata(context, date);
  const text = (s: string) => new TextEncoder().encode(s);
  const entries: ZipEntry[] = [
    { path: 'mimetype', data: text('application/epub+zip'), store: true },
    { path: 'META-INF/container.xml', data: text(containerXml()) },
    { path: 'EPUB/package.opf', data: text(packageDocument(meta, items)) },
    { path: 'EPUB/toc.ncx', data: text(ncxDocument(meta, ncxPoints(options))) },
    { path: 'EPUB/nav.xhtml', data: text(navXhtml) },
    { path: 'EPUB/cover.xhtml', data: text(coverXhtml) },
    ...pages.map((p) => ({ path: `EPUB/${p.doc.href}`, data: text(p.xhtml) })),
    { path: 'EPUB/styles/fonts.css', data: text(fonts.css) },
    { path: 'EPUB/styles/epub.css', data: text(options.stylesheet) },
    ...fonts.files.map((f) => ({ path: `EPUB/styles/fonts/${f.name}`, data: f.data })),
    { path: 'EPUB/images/cover.svg', data: text(cover) },
    ...assetEntries.map((a) => ({ path: `EPUB/${a.path}`, data: a.data })),
  ];
  return createZip(entries, Math.floor(date.getTime() / 1000));
}

/** Content documents in reading order: front matter, chapters, back matter — the site's trees, made EPUB. */
function contentDocuments(options: EpubEditionOptions): ContentDoc[] {
  const { context, index } = options;
  const doc = (slug: string, title: string, tree: Element, bodyType?: string): ContentDoc => ({ id: `doc-${slug}`, href: `${slug}.xhtml`, title, tree, features: epubContent(tree), bodyType });
  return [
    ...options.frontMatter.map((m) => doc(m.slug ?? m.id, m.title, matterSection(m, 'site', context), 'frontmatter')),
    ...options.chapters.map((f) => {
      const c = f.data.chapter!;
      return doc(c.slug, c.label ? `${c.label} ${c.title}` : c.title, chapterArticle(f, 'site', { index, context }), 'bodymatter');
    }),
    ...options.backMatter.map((m) => doc(m.slug ?? m.id, m.title, matterSection(m, 'site', context), 'backmatter')),
  ];
}

/** Navigation: the site's contents (chapters and their headings), and landmarks for reading systems. */
function navigation(options: EpubEditionOptions): Element[] {
  const { context } = options;
  const { locale } = context;
  const infos = options.chapters.map((f) => f.data.chapter!);
  const contents = toc(infos, 'site', context, { front: options.frontMatter, back: options.backMatter });
  epubContent(contents);
  contents.properties['epub:type'] = 'toc';
  const firstChapter = infos[0] ? `${infos[0].slug}.xhtml` : undefined;
  const indexPage = options.backMatter.find((m) => m.id === 'book-index');
  const landmarks = h('nav', { 'epub:type': 'landmarks', hidden: true }, [
    h('ol', [
      h('li', [h('a', { href: 'cover.xhtml', 'epub:type': 'cover' }, locale.t('cover'))]),
      h('li', [h('a', { href: 'nav.xhtml', 'epub:type': 'toc' }, locale.t('contents'))]),
      firstChapter ? h('li', [h('a', { href: firstChapter, 'epub:type': 'bodymatter' }, infos[0]!.title)]) : null,
      indexPage ? h('li', [h('a', { href: `${indexPage.slug ?? indexPage.id}.xhtml`, 'epub:type': 'index' }, indexPage.title)]) : null,
    ]),
  ]);
  return [contents, landmarks];
}

/** The manifest, in a fixed order; the spine follows the reading order. */
function manifestItems(docs: readonly ContentDoc[], fonts: EpubFonts['files'], assets: readonly string[]): ManifestItem[] {
  return [
    { id: 'cover', href: 'cover.xhtml', mediaType: 'application/xhtml+xml', spine: 'linear' },
    { id: 'nav', href: 'nav.xhtml', mediaType: 'application/xhtml+xml', properties: ['nav'], spine: 'linear' },
    ...docs.map((d) => ({
      id: d.id,
      href: d.href,
      mediaType: 'application/xhtml+xml',
      properties: [d.features.mathml ? 'mathml' : '', d.features.svg ? 'svg' : ''].filter(Boolean),
      spine: 'linear' as const,
    })),
    { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
    { id: 'css-fonts', href: 'styles/fonts.css', mediaType: 'text/css' },
    { id: 'css-epub', href: 'styles/epub.css', mediaType: 'text/css' },
    ...fonts.map((f, i) => ({ id: `font-${i + 1}`, href: `styles/fonts/${f.name}`, mediaType: f.mediaType })),
    { id: 'cover-image', href: 'images/cover.svg', mediaType: 'image/svg+xml', properties: ['cover-image'] },
    ...assets.map((path, i) => ({ id: `asset-${i + 1}`, href: path, mediaType: IMAGE_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' })),
  ];
}

/** The package's metadata: title, creators, language, identifier, dcterms:modified. */
function packageMetadata(context: EditionContext, date: Date): PackageMetadata {
  const { edition, config } = context;
  return {
    identifier: identifierOf(context),
    title: edition.title,
    subtitle: edition.subtitle,
    lang: edition.lang,
    creators: edition.byline ? [edition.byline] : [],
    publisher: edition.publisher,
    description: edition.description,
    subjects: edition.keywords,
    date: String(config.year),
    modified: date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The NCX's points (EPUB 2 readers): matter parts, chapters and their ## headings. */
function ncxPoints(options: EpubEditionOptions): NcxPoint[] {
  const infos = options.chapters.map((f) => f.data.chapter!);
  return [
    ...options.frontMatter.map((m) => ({ title: m.title, href: `${m.slug ?? m.id}.xhtml`, children: [] })),
    ...infos.map((c) => ({
      title: c.label ? `${c.label} ${c.title}` : c.title,
      href: `${c.slug}.xhtml`,
      children: c.headings.filter((x) => x.depth === 2).map((x) => ({ title: x.label ? `${x.label}${/[、．）)]$/.test(x.label) ? '' : ' '}${x.text}` : x.text, href: `${c.slug}.xhtml#${x.id}`, children: [] })),
    })),
    ...options.backMatter.map((m) => ({ title: m.title, href: `${m.slug ?? m.id}.xhtml`, children: [] })),
  ];
}

/** `urn:isbn:…` when the edition's imprint data state an ISBN (`imprint: {isbn: …}` in book.yaml), else a UUID derived from the book and edition ids. */
export function identifierOf(context: Pick<EditionContext, 'edition' | 'book' | 'editionId'>): string {
  const isbn = context.edition.imprint?.isbn;
  if (isbn?.trim()) return `urn:isbn:${isbn.replace(/[^0-9Xx]/g, '')}`;
  const hex = createHash('sha256').update(`annals-epub\u0000${context.book.id}\u0000${context.editionId}`).digest('hex');
  // An RFC 4122 name-based layout (version 5 bits, variant 10), stable for the same book and edition.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function containerXml(): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">',
    '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>',
    '</container>',
    '',
  ].join('\n');
}

/** The text a content tree shows (titles and alt texts included), for the font subset. */
function textOf(tree: Element): string {
  const alts: string[] = [];
  const walk = (n: ElementContent | Element) => {
    if (n.type !== 'element') return;
    for (const key of ['alt', 'title', 'ariaLabel']) if (typeof n.properties[key] === 'string') alts.push(n.properties[key] as string);
    n.children.forEach(walk);
  };
  walk(tree);
  return toString(tree) + alts.join('');
}
