/**
 * Renders an edition whose chapters went through every stage: the multi-page site (index.html with cover
 * and table of contents, one page per chapter with previous/next links) and print.html (the whole book in
 * one document, which the PDF stage prints). Returns file contents keyed by path relative to the edition's
 * output folder (writing them is the site writer's job) and what the PDF stage's copy of print.html is
 * rendered from (print-copy.ts). Each article is one hast tree until it is compiled: its SVG images are
 * inlined and, for the copy, its page-number slots filled on that tree, never on its HTML text.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { stringifyHtml } from './stringify.ts';
import type { VFile } from 'vfile';
import v8 from 'node:v8';
import type { EditionContext, ChapterInfo } from '../context/types.ts';
import { digest } from '../base/hash.ts';
import type { ArticleMemo, RenderedArticle } from '../base/memo.ts';
import type { BookIndex } from './book-index.ts';
import { svgInliner, type SvgInliner } from './inline-svg-images.ts';
import { printContentSecurityPolicy } from './print-csp.ts';
import type { PrintCopy } from './print-copy.ts';
import { PRINT_FONTS_CSS, type Templates } from './templates.ts';
import { boardHtml, imprintSection } from '../imprint/imprint-page.ts';
import { prepareSiteArticle } from '../site/site-article.ts';
import { dataFilesOf } from '../site/data-files.ts';
import { sidebar, type SidebarPage } from '../site/sidebar.ts';
import { klona } from 'klona/json';

export type Mode = 'site' | 'print';

/**
 * A page before or after the chapters: lists of figures and tables (front), bibliography and index (back).
 * In the site it is its own page `<slug>.html` in the TOC and the previous/next chain; in print a section
 * after the contents (front) or after the last chapter (back).
 */
export interface MatterPage {
  /** Anchor id of the section in print.html, e.g. `book-index`. */
  id: string;
  /** Name of the site page without `.html`. Default: the id. */
  slug?: string;
  title: string;
  /** The content below the title. Links use the neutral `data-target` form (see finalizeLinks). */
  html: Root;
}

export interface RenderOptions {
  context: EditionContext;
  index: BookIndex;
  templates: Templates;
  chapters: readonly VFile[];
  /** Pages after the contents and before the first chapter (lists of figures and tables). */
  frontMatter?: readonly MatterPage[];
  /** Pages after the last chapter (bibliography, index). */
  backMatter?: readonly MatterPage[];
  /** `@page` rules for print.html (pipeline/pdf/page-css.ts). Default: none. */
  pageCss?: string;
  /**
   * Rendered chapters and matter parts kept between builds (a preview's BuildMemo), by hash of their
   * finished tree and header: an unchanged chapter is not turned into HTML again. Default: none.
   */
  articles?: ArticleMemo;
  /**
   * The edition's SVG images (sanitised text) by asset path, written into the pages in place of their
   * `<img>` (inline-svg-images.ts); print.html names them under `site/`. Default: none.
   */
  svgImages?: ReadonlyMap<string, string>;
  /**
   * The text of every `[data-page-of]` element whose content is plain text, in the PDF stage's copy of
   * print.html (`printCopy`), until the page pass sets its number. Default: none, and no copy rendered.
   */
  pagePlaceholder?: string;
}

export interface RenderedEdition {
  /** File contents keyed by path relative to the edition's output folder. */
  pages: Map<string, string>;
  /** What the PDF stage's copy of print.html is rendered from (print-copy.ts); only with `pagePlaceholder`. */
  printCopy?: PrintCopy;
}

export function renderEdition(options: RenderOptions): RenderedEdition {
  const { context, chapters, templates } = options;
  const out = new Map<string, string>();
  const front = options.frontMatter ?? [];
  const back = options.backMatter ?? [];
  const infos = chapters.map((f) => f.data.chapter!);
  const html = articleRenderer(options);
  const nav = siteNavigation(context, infos, front, back);
  // Pages link the KaTeX stylesheet only when some chapter contains math (pipeline/html/katex-assets.ts).
  const shared = common(context, chapters.some((f) => f.data.math === true));
  // A CSV beside the site for every data table (pipeline/site/data-files.ts); the pages link to them.
  for (const f of chapters) for (const d of dataFilesOf(f.data.hast!, f.data.chapter!.slug, context.locale)) out.set(`site/data/${d.name}`, d.csv);
  for (const m of [...front, ...back]) for (const d of dataFilesOf(m.html, m.slug ?? m.id, context.locale)) out.set(`site/data/${d.name}`, d.csv);
  // Site: one page per front- and back-matter part, one per chapter, then the cover and contents.
  const parts: PageParts = { context, templates, shared, nav, html };
  for (const m of [...front, ...back]) out.set(`site/${pageOf(m.slug ?? m.id)}`, matterPage(m, parts));
  for (const file of chapters) out.set(`site/${pageOf(file.data.chapter!.slug)}`, chapterPage(file, parts));
  const cover = templates.render('cover.html', coverView(context));
  out.set('site/index.html', homePage(cover, parts, { infos, front, back }));
  const print = printDocument(options, { shared, html, cover, infos, front, back });
  out.set('print.html', print.html);
  return { pages: out, ...(options.pagePlaceholder !== undefined ? { printCopy: { templates, view: print.copy } } : {}) };
}

const pageOf = (slug: string) => `${slug}.html`;

/**
 * The HTML of the edition's chapters and matter parts, in one mode each. `start`: how many SVG images
 * the page inlined before this article (they are numbered through the page; default 0).
 */
interface ArticleRenderer {
  chapter(file: VFile, mode: Mode, start?: number): RenderedArticle;
  /** A chapter that prints before the contents (前言), as a front-matter part. */
  frontChapter(file: VFile, start: number): RenderedArticle;
  matter(m: MatterPage, mode: Mode, start?: number): RenderedArticle;
}

/** An article's tree for one mode, with its `[data-page-of]` elements (print only). */
type ArticleTree = { element: Element; slots: Element[] };

/**
 * Renders articles, from the memo (`options.articles`) when their tree, header, SVG images and place in
 * the page's numbering of them hash the same. A chapter's tree is named by `renderKey` when the build
 * knows what it depends on (build/finished-keys.ts). Each article's SVG images are inlined in its tree
 * before it is compiled; in print, the PDF copy's text is the same tree compiled again with the
 * placeholder in its `[data-page-of]` elements, only when it has any.
 */
function articleRenderer(options: RenderOptions): ArticleRenderer {
  const { context } = options;
  const memo = options.articles;
  const inliners = editionInliners(options.svgImages);
  const treeKeys = new Map<unknown, string>();
  const svgKey = memo && options.svgImages?.size ? digest(JSON.stringify([...options.svgImages].sort(([a], [b]) => (a < b ? -1 : 1)))) : '';
  const compile = (mode: Mode, start: number, render: () => ArticleTree): RenderedArticle => {
    const { element, slots } = render();
    const svgs = inliners[mode].inline(element, start);
    const html = stringifyHtml(element);
    const pdf = options.pagePlaceholder !== undefined && fillPageSlots(slots, options.pagePlaceholder) ? stringifyHtml(element) : html;
    return { html, pdf, svgs };
  };
  const rendered = (tree: Root, header: unknown, mode: Mode, start: number, render: () => ArticleTree, known?: string): RenderedArticle => {
    if (!memo) return compile(mode, start, render);
    let treeKey = known ?? treeKeys.get(tree);
    if (!treeKey) treeKeys.set(tree, (treeKey = digest(v8.serialize(tree))));
    const key = digest('article', mode, treeKey, JSON.stringify(header), context.locale.t('listSeparator'), svgKey, String(start), mode === 'print' ? (options.pagePlaceholder ?? '') : '');
    let article = memo.get(key);
    if (article === undefined) memo.set(key, (article = compile(mode, start, render)));
    return article;
  };
  const tree = (mode: Mode, make: (slots: Element[] | undefined) => Element): (() => ArticleTree) => () => {
    const slots: Element[] = [];
    return { element: make(mode === 'print' ? slots : undefined), slots };
  };
  return {
    chapter: (f, mode, start = 0) => rendered(f.data.hast!, f.data.chapter!, mode, start, tree(mode, (slots) => chapterArticle(f, mode, options, slots)), f.data.renderKey),
    frontChapter: (f, start) =>
      rendered(f.data.hast!, ['front-chapter', f.data.chapter!], 'print', start, tree('print', (slots) => asFrontMatter(chapterArticle(f, 'print', options, slots), f.data.chapter!.slug)), f.data.renderKey),
    matter: (m, mode, start = 0) => rendered(m.html, [m.id, m.slug, m.title], mode, start, tree(mode, (slots) => matterSection(m, mode, context, slots))),
  };
}

/** The edition's SVG inliners: the site's pages name an image by its asset path, print.html under `site/`. */
function editionInliners(svgImages: ReadonlyMap<string, string> | undefined): Record<Mode, SvgInliner> {
  const images = svgImages ?? new Map<string, string>();
  return {
    site: svgInliner((src) => images.get(src)),
    print: svgInliner((src) => images.get(src.startsWith('site/') ? src.slice('site/'.length) : src)),
  };
}

/**
 * Puts `placeholder` in each `[data-page-of]` element whose content is plain text (or nothing); an
 * element with anything else inside is left to the page script, which checks. True if any was filled.
 */
export function fillPageSlots(slots: readonly Element[], placeholder: string): boolean {
  let filled = false;
  for (const slot of slots) {
    if (!slot.children.every((c) => c.type === 'text')) continue;
    slot.children = [{ type: 'text', value: placeholder }];
    filled = true;
  }
  return filled;
}

/** The `[data-page-of]` elements of a tree made outside the articles (the contents, the imprint). */
function pageSlotsOf(node: Element, out: Element[] = []): Element[] {
  if (node.properties.dataPageOf !== undefined) out.push(node);
  for (const child of node.children) if (child.type === 'element') pageSlotsOf(child, out);
  return out;
}

type PagerLink = { href: string; title: string; word: string } | null;

/** The site's reading order and contents sidebar, for every page. */
interface SiteNavigation {
  neighbours(href: string): { prev: PagerLink; next: PagerLink };
  sidebar(href: string): string;
}

/**
 * The reading order of the site: cover and contents, front matter, chapters, back matter. The pager says
 * 上一章/下一章 only towards a chapter, 上一页/下一页 towards the cover and generated pages. The contents
 * sidebar of every page (pipeline/site/sidebar.ts): chapters show their sections.
 */
function siteNavigation(context: EditionContext, infos: readonly ChapterInfo[], front: readonly MatterPage[], back: readonly MatterPage[]): SiteNavigation {
  const { locale } = context;
  const sequence: Array<{ href: string; title: string; kind: 'home' | 'matter' | 'chapter' }> = [
    { href: 'index.html', title: locale.t('home'), kind: 'home' },
    ...front.map((m) => ({ href: pageOf(m.slug ?? m.id), title: m.title, kind: 'matter' as const })),
    ...infos.map((c) => ({ href: pageOf(c.slug), title: headingText(c), kind: 'chapter' as const })),
    ...back.map((m) => ({ href: pageOf(m.slug ?? m.id), title: m.title, kind: 'matter' as const })),
  ];
  const pagerLink = (s: (typeof sequence)[number] | undefined, dir: 'previous' | 'next'): PagerLink =>
    s ? { href: s.href, title: s.title, word: locale.t(s.kind === 'chapter' ? dir : `${dir}Page`) } : null;
  const sidebarPages: SidebarPage[] = [
    { href: 'index.html', title: locale.t('home') },
    ...front.map((m) => ({ href: pageOf(m.slug ?? m.id), title: m.title })),
    ...infos.map((c) => ({ href: pageOf(c.slug), title: c.title, label: c.label, headings: c.headings })),
    ...back.map((m) => ({ href: pageOf(m.slug ?? m.id), title: m.title })),
  ];
  return {
    neighbours(href) {
      const i = sequence.findIndex((s) => s.href === href);
      return { prev: pagerLink(sequence[i - 1], 'previous'), next: pagerLink(sequence[i + 1], 'next') };
    },
    sidebar: (href) => stringifyHtml(sidebar({ pages: sidebarPages, current: href, label: locale.t('siteNavigation'), maxDepth: context.config.kind === 'yearbook' ? 4 : 3 })),
  };
}

/** What every site page of the edition is rendered with. */
interface PageParts {
  context: EditionContext;
  templates: Templates;
  /** The words and flags every page shares (`common`). */
  shared: ReturnType<typeof common>;
  nav: SiteNavigation;
  html: ArticleRenderer;
}

/** A front- or back-matter part's site page. */
function matterPage(m: MatterPage, parts: PageParts): string {
  const page = pageOf(m.slug ?? m.id);
  return parts.templates.render('page.html', {
    ...parts.shared,
    pageTitle: `${m.title} — ${parts.context.edition.title}`,
    pageKind: 'matter',
    chapterLabel: null,
    chapterTitle: m.title,
    content: parts.html.matter(m, 'site').html,
    sidebar: parts.nav.sidebar(page),
    // Generated pages (lists, index) repeat what the chapters say: search finds the chapters instead.
    searchable: m.id === 'references',
    ...parts.nav.neighbours(page),
  });
}

/** A chapter's site page. */
function chapterPage(file: VFile, parts: PageParts): string {
  const chapter = file.data.chapter!;
  const page = pageOf(chapter.slug);
  const { prev, next } = parts.nav.neighbours(page);
  return parts.templates.render('page.html', {
    ...parts.shared,
    pageTitle: `${chapter.label ? chapter.label + ' ' : ''}${chapter.title} — ${parts.context.edition.title}`,
    pageKind: 'chapter',
    chapterLabel: chapter.label || null,
    chapterTitle: chapter.title,
    content: parts.html.chapter(file, 'site').html,
    sidebar: parts.nav.sidebar(page),
    searchable: true,
    prev,
    next,
  });
}

/** The site's home page: the cover and the contents. */
function homePage(cover: string, parts: PageParts, contents: { infos: readonly ChapterInfo[]; front: readonly MatterPage[]; back: readonly MatterPage[] }): string {
  const { context } = parts;
  return parts.templates.render('page.html', {
    ...parts.shared,
    pageTitle: context.edition.title,
    pageKind: 'home',
    content: cover + stringifyHtml(toc(contents.infos, 'site', context, { front: contents.front, back: contents.back })),
    sidebar: parts.nav.sidebar('index.html'),
    searchable: false,
    prev: null,
    next: parts.nav.neighbours('index.html').next,
  });
}
/** What print.html is made of besides the render options. */
interface PrintParts {
  shared: ReturnType<typeof common>;
  html: ArticleRenderer;
  /** The cover, as on the site's home page. */
  cover: string;
  infos: readonly ChapterInfo[];
  front: readonly MatterPage[];
  back: readonly MatterPage[];
}

/**
 * print.html: the whole book in one document. Front matter in the order of GB practice: 扉页, 版权页, 编委会
 * (a yearbook's board), then the unnumbered chapters before the first numbered one (a report's 前言, a
 * yearbook's 编辑说明), then 目录 and the lists of figures and tables. Those chapters print as
 * front-matter parts (`section.matter.front-chapter`: roman folios, no running head); the site and the
 * EPUB keep them as chapters.
 */
function printDocument(options: RenderOptions, parts: PrintParts): { html: string; copy: Record<string, unknown> } {
  const { context, chapters } = options;
  const { edition } = context;
  const { html, front, back } = parts;
  const leading = frontChapterCount(parts.infos);
  // In document order: the SVG images are numbered through the whole of print.html.
  let svgs = 0;
  const counted = (article: RenderedArticle) => ((svgs += article.svgs), article);
  const printLeading = chapters.slice(0, leading).map((f) => counted(html.frontChapter(f, svgs)));
  const printFront = front.map((m) => counted(html.matter(m, 'print', svgs)));
  const printChapters = chapters.slice(leading).map((f) => counted(html.chapter(f, 'print', svgs)));
  const printBack = back.map((m) => counted(html.matter(m, 'print', svgs)));
  const imprint = compiledTwice(imprintSection(context), options.pagePlaceholder);
  const contents = compiledTwice(toc(parts.infos, 'print', context, { front, back }), options.pagePlaceholder);
  const board = boardHtml(context);
  const joined = (articles: readonly RenderedArticle[], variant: 'html' | 'pdf') => articles.map((a) => a[variant]).join('\n');
  const body = (variant: 'html' | 'pdf') => ({
    imprint: imprint[variant] + board + joined(printLeading, variant),
    toc: contents[variant] + joined(printFront, variant),
    chapters: joined(printChapters, variant) + joined(printBack, variant),
  });
  const view = {
    ...parts.shared,
    ...coverView(context),
    byline: edition.byline ?? '',
    description: edition.description ?? '',
    keywords: edition.keywords.join(', '),
    cover: parts.cover,
    // The PDF copy links the print fonts and adds to the head (pdf/print-html.ts); print.html does not.
    fontsCss: PRINT_FONTS_CSS,
    headExtra: '',
    // Nothing in print.html may fetch or run anything but its own scripts (html/print-csp.ts).
    csp: printContentSecurityPolicy(),
  };
  return { html: options.templates.render('print.html', { ...view, ...body('html'), pageCss: options.pageCss ?? '' }), copy: { ...view, ...body('pdf') } };
}

/** A tree made outside the articles, as print.html's text and as the PDF copy's (placeholders filled, when it has any). */
function compiledTwice(tree: Element, placeholder: string | undefined): { html: string; pdf: string } {
  const html = stringifyHtml(tree);
  return { html, pdf: placeholder !== undefined && fillPageSlots(pageSlotsOf(tree), placeholder) ? stringifyHtml(tree) : html };
}

/** A site page outside the reading order (the compare summary, pipeline/site/compare-pages.ts): no pager. */
export function standalonePage(context: EditionContext, templates: Templates, page: { title: string; content: string; math?: boolean }): string {
  return templates.render('page.html', {
    ...common(context, page.math ?? false),
    pageTitle: `${page.title} — ${context.edition.title}`,
    pageKind: 'matter',
    chapterLabel: null,
    content: page.content,
    sidebar: '',
    searchable: false,
    prev: null,
    next: null,
  });
}

function common(context: EditionContext, math: boolean) {
  return {
    math,
    lang: context.edition.lang,
    kind: context.config.kind,
    bookTitle: context.edition.title,
    pagerLabel: context.locale.t('pagerNavigation'),
    // The site's own words (docs/site.md): sidebar button, skip link, search box and its messages.
    ...Object.fromEntries(
      ['siteNavigation', 'openContents', 'closeContents', 'skipToContent', 'search', 'searchPlaceholder', 'searchNoResults', 'searchResultCount', 'searchResultCountOne', 'searchLoading', 'searchFileUnavailable'].map((k) => [k, context.locale.t(k)]),
    ),
  };
}

function coverView(context: EditionContext) {
  const { edition, config } = context;
  return {
    title: edition.title,
    subtitle: edition.subtitle ?? null,
    year: String(config.year),
    byline: edition.byline ?? null,
    publisher: edition.publisher ?? null,
  };
}

function headingText(c: ChapterInfo): string {
  return c.label ? `${c.label} ${c.title}` : c.title;
}

/**
 * The chapter as an `<article>` (site) or `<section>` (print) with its header, links resolved for `mode`.
 * `slots`, when given, collects its `[data-page-of]` elements (the PDF copy fills them).
 */
export function chapterArticle(file: VFile, mode: Mode, options: Pick<RenderOptions, 'index' | 'context'>, slots?: Element[]): Element {
  const chapter = file.data.chapter!;
  const body = klona(file.data.hast!);
  finishTree(body, mode, chapter.slug, slots);
  if (mode === 'site') {
    const yearbook = options.context.config.kind === 'yearbook';
    prepareSiteArticle(body, { locale: options.context.locale, slug: chapter.slug, ...(yearbook ? { category: { title: chapter.title, href: `${chapter.slug}.html` } } : {}) });
  }
  const header = h('header.chapter-header', [
    chapter.label ? h('p.chapter-label', chapter.label) : null,
    h('h1.chapter-title', chapter.title),
    chapter.authors.length ? h('p.chapter-authors', chapter.authors.join(options.context.locale.t('listSeparator'))) : null,
  ]);
  return h(
    mode === 'site' ? 'article' : 'section',
    {
      className: ['chapter', chapter.number == null ? 'unnumbered' : 'numbered'],
      id: chapter.id,
      dataChapter: chapter.slug,
      dataRunningHead: chapter.short,
      dataLabel: chapter.label || undefined,
    },
    [header, ...(body.children as ElementContent[])],
  );
}

/**
 * How many chapters print before the contents: the unnumbered ones before the first numbered chapter
 * (前言, 编辑说明, a preface). None when no chapter is numbered (the book would have no body).
 */
export function frontChapterCount(chapters: readonly ChapterInfo[]): number {
  const first = chapters.findIndex((c) => c.number != null);
  return first < 0 ? 0 : first;
}

/** A chapter's print section made a front-matter part (print.css treats it like the other parts). */
function asFrontMatter(section: Element, slug: string): Element {
  section.properties = { ...section.properties, className: ['matter', 'front-chapter', `matter-${slug}`] };
  return section;
}

/**
 * A front- or back-matter part as a section (print) or article (site) with its title. `slots`, when
 * given, collects its `[data-page-of]` elements (as `chapterArticle`'s).
 */
export function matterSection(m: MatterPage, mode: Mode, context: EditionContext, slots?: Element[]): Element {
  const body = klona(m.html);
  finishTree(body, mode, m.slug ?? m.id, slots);
  if (mode === 'site') prepareSiteArticle(body, { locale: context.locale, slug: m.slug ?? m.id });
  return h(
    mode === 'site' ? 'article' : 'section',
    { className: ['matter', `matter-${m.id}`], id: m.id, dataRunningHead: m.title },
    [h('header.chapter-header', [h('h1.chapter-title', m.title)]), ...(body.children as ElementContent[])],
  );
}

/**
 * The last changes to a chapter's (or matter part's) tree for one mode, in one walk over its elements
 * (it runs over every chapter for the site and again for print.html; three `visit` passes took about
 * 0.25 s on a 300-page book). Charts (`svg`) are the same in both modes and left alone.
 *
 * - Some content differs between the editions: an element marked `data-only="site"` or `"print"` is kept
 *   only in that one (e.g. a `:pageref` shows the label text in the site and a page number in print).
 * - Internal links carry `data-target`; their href is made right for the page they end up on.
 * - print.html sits next to site/, where the images are copied: relative image paths point into site/,
 *   and images load eagerly (a lazy image may not be loaded when Chromium prints).
 *
 * `slots`, when given, collects the `[data-page-of]` elements kept (the PDF copy fills them).
 */
function finishTree(tree: Root, mode: Mode, currentSlug: string, slots?: Element[]): void {
  const walk = (parent: Root | Element) => {
    const children = parent.children;
    let kept = 0;
    for (let i = 0; i < children.length; i++) {
      const node = children[i]!;
      if (node.type === 'element' && node.tagName !== 'svg') {
        const only = node.properties.dataOnly;
        if (typeof only === 'string') {
          if (only !== mode) continue; // dropped with its children
          delete node.properties.dataOnly;
        }
        finalizeLink(node, mode, currentSlug);
        if (mode === 'print' && node.tagName === 'img') printImage(node);
        if (slots && node.properties.dataPageOf !== undefined) slots.push(node);
        walk(node);
      }
      children[kept++] = node;
    }
    children.length = kept;
  };
  walk(tree);
}

function finalizeLink(node: Element, mode: Mode, currentSlug: string): void {
  const target = node.properties.dataTarget;
  if (typeof target !== 'string') return;
  const chapter = node.properties.dataChapter;
  node.properties.href = mode === 'site' && typeof chapter === 'string' && chapter !== currentSlug ? ('dataWholeChapter' in node.properties ? `${chapter}.html` : `${chapter}.html#${target}`) : `#${target}`;
  delete node.properties.dataTarget;
  delete node.properties.dataChapter;
  delete node.properties.dataWholeChapter;
}

function printImage(node: Element): void {
  const src = node.properties.src;
  if (typeof src === 'string' && src !== '' && !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(src)) node.properties.src = `site/${src}`;
  delete node.properties.loading;
}

/** The table of contents: chapters, and their ## and ### headings. */
export function toc(chapters: readonly ChapterInfo[], mode: Mode, context: EditionContext, matter: { front?: readonly MatterPage[]; back?: readonly MatterPage[] } = {}): Element {
  const maxDepth = context.config.kind === 'yearbook' ? 4 : 3; // yearbook: 类目 › 分目 › 条目
  const href = (c: ChapterInfo, id?: string) => (mode === 'site' ? `${c.slug}.html${id ? '#' + id : ''}` : `#${id ?? c.id}`);
  const entry = (link: string, label: string, title: string, id: string) =>
    h('a.toc-entry', { href: link }, [label ? h('span.toc-label', label) : null, h('span.toc-title', title), mode === 'print' ? h('span.toc-page', { dataPageOf: id }) : null]);
  const items = chapters.map((c) => {
    const sections = nest(c.headings.filter((x) => x.depth <= maxDepth));
    const renderLevel = (nodes: Nested[]): Element | null =>
      nodes.length
        ? h(
            'ol',
            nodes.map((n) => h('li', { className: [`toc-depth-${n.heading.depth}`] }, [entry(href(c, n.heading.id), n.heading.label, n.heading.text, n.heading.id), renderLevel(n.children)])),
          )
        : null;
    return h('li', { className: ['toc-chapter'] }, [entry(href(c), c.label, c.title, c.id), renderLevel(sections)]);
  });
  const lead = mode === 'print' ? frontChapterCount(chapters) : 0;
  const matterItem = (m: MatterPage) => h('li', { className: ['toc-chapter', 'toc-matter'] }, [entry(mode === 'site' ? `${m.slug ?? m.id}.html` : `#${m.id}`, '', m.title, m.id)]);
  return h('nav.toc', { id: 'toc', ariaLabel: context.locale.t('contents') }, [
    h('h2.toc-heading', context.locale.t('contents')),
    // In print, the chapters that print before the contents (前言) are listed first, in page order.
    h('ol', [...items.slice(0, lead), ...(matter.front ?? []).map(matterItem), ...items.slice(lead), ...(matter.back ?? []).map(matterItem)]),
  ]);
}

interface Nested {
  heading: ChapterInfo['headings'][number];
  children: Nested[];
}

function nest(headings: ChapterInfo['headings']): Nested[] {
  const root: Nested[] = [];
  const stack: Nested[] = [];
  for (const heading of headings) {
    const node: Nested = { heading, children: [] };
    while (stack.length && stack[stack.length - 1]!.heading.depth >= heading.depth) stack.pop();
    (stack.length ? stack[stack.length - 1]!.children : root).push(node);
    stack.push(node);
  }
  return root;
}
