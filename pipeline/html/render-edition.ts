/**
 * Renders an edition whose chapters went through every stage: the multi-page site (index.html with cover
 * and table of contents, one page per chapter with previous/next links) and print.html (the whole book in
 * one document, which the PDF stage prints). Returns file contents keyed by path relative to the edition's
 * output folder; writing them is the site writer's job.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { EditionContext, ChapterInfo } from '../types.ts';
import type { BookIndex } from './book-index.ts';
import type { Templates } from './templates.ts';

export type Mode = 'site' | 'print';

export interface RenderOptions {
  context: EditionContext;
  index: BookIndex;
  templates: Templates;
  chapters: readonly VFile[];
  /** Extra HTML placed after the chapters in print (index, bibliography …), one entry per part. */
  backMatter?: ReadonlyArray<{ id: string; title: string; html: Root }>;
}

export function renderEdition(options: RenderOptions): Map<string, string> {
  const { context, chapters, templates } = options;
  const { edition, locale, config } = context;
  const out = new Map<string, string>();
  const infos = chapters.map((f) => f.data.chapter!);
  const pageOf = (slug: string) => `${slug}.html`;

  // Site: one page per chapter.
  chapters.forEach((file, i) => {
    const chapter = file.data.chapter!;
    const article = chapterArticle(file, 'site', options);
    const prev = i > 0 ? infos[i - 1]! : undefined;
    const next = i < infos.length - 1 ? infos[i + 1]! : undefined;
    out.set(
      `site/${pageOf(chapter.slug)}`,
      templates.render('page.html', {
        ...common(context),
        pageTitle: `${chapter.label ? chapter.label + ' ' : ''}${chapter.title} — ${edition.title}`,
        pageKind: 'chapter',
        chapterLabel: chapter.label || null,
        chapterTitle: chapter.title,
        content: toHtml(article),
        prev: { href: prev ? pageOf(prev.slug) : 'index.html', title: prev ? headingText(prev) : locale.t('home') },
        next: next ? { href: pageOf(next.slug), title: headingText(next) } : null,
      }),
    );
  });

  // Site: cover and contents.
  const cover = templates.render('cover.html', coverView(context));
  const siteToc = toHtml(toc(infos, 'site', context));
  out.set(
    'site/index.html',
    templates.render('page.html', {
      ...common(context),
      pageTitle: edition.title,
      pageKind: 'home',
      content: cover + siteToc,
      prev: null,
      next: infos[0] ? { href: pageOf(infos[0].slug), title: headingText(infos[0]) } : null,
    }),
  );

  // Print: the whole book in one document.
  const printChapters = chapters.map((f) => toHtml(chapterArticle(f, 'print', options))).join('\n');
  const back = (options.backMatter ?? []).map((b) => toHtml(b.html)).join('\n');
  out.set(
    'print.html',
    templates.render('print.html', {
      ...common(context),
      byline: edition.byline ?? '',
      description: edition.description ?? '',
      keywords: edition.keywords.join(', '),
      cover,
      toc: toHtml(toc(infos, 'print', context)),
      chapters: printChapters + back,
      pageCss: '',
    }),
  );
  void config;
  return out;
}

function common(context: EditionContext) {
  return {
    lang: context.edition.lang,
    kind: context.config.kind,
    bookTitle: context.edition.title,
    previousWord: context.locale.t('previous'),
    nextWord: context.locale.t('next'),
    pagerLabel: context.locale.t('contents'),
  };
}

function coverView(context: EditionContext) {
  const { edition, config } = context;
  return {
    series: '',
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

/** The chapter as an `<article>` (site) or `<section>` (print) with its header, links resolved for `mode`. */
export function chapterArticle(file: VFile, mode: Mode, options: Pick<RenderOptions, 'index' | 'context'>): Element {
  const chapter = file.data.chapter!;
  const body = structuredClone(file.data.hast!);
  finalizeLinks(body, mode, chapter.slug);
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

/** Internal links carry `data-target`; make their href right for the page they end up on. */
function finalizeLinks(tree: Root, mode: Mode, currentSlug: string): void {
  visit(tree, 'element', (node: Element) => {
    const target = node.properties.dataTarget;
    if (typeof target !== 'string') return;
    const chapter = node.properties.dataChapter;
    node.properties.href = mode === 'site' && typeof chapter === 'string' && chapter !== currentSlug ? ('dataWholeChapter' in node.properties ? `${chapter}.html` : `${chapter}.html#${target}`) : `#${target}`;
    delete node.properties.dataTarget;
    delete node.properties.dataChapter;
    delete node.properties.dataWholeChapter;
  });
}

/** The table of contents: chapters, and their ## and ### headings. */
export function toc(chapters: readonly ChapterInfo[], mode: Mode, context: EditionContext): Element {
  const maxDepth = context.config.kind === 'yearbook' ? 2 : 3;
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
  return h('nav.toc', { id: 'toc', ariaLabel: context.locale.t('contents') }, [h('h2.toc-heading', context.locale.t('contents')), h('ol', items)]);
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
