/**
 * "What changed since the draft I read?" (docs/site.md): the site of this build, marked against the site
 * of an earlier version built the same way (`annals build --compare <git-ref>` or `--compare-dir`).
 *
 * - Each chapter page is cut into blocks (paragraphs, headings, list items, figures and tables, entries'
 *   paragraphs); the old and new blocks are aligned by their text (an LCS diff of the block sequence).
 * - A block that was rewritten gets `class="diff-changed"` and its text is shown with insertions and
 *   deletions word by word (`<ins>`/`<del>`; words are cut by Intl.Segmenter, so Chinese is diffed by
 *   words, not by whole sentences); a figure or table that changed is marked as a whole; a new block gets
 *   `diff-inserted`; a removed block is shown where it was, struck through (`diff-deleted`).
 * - The contents (home page and sidebar) mark every changed chapter, and a summary page `changes.html`
 *   lists every change with a link to it.
 *
 * Works on the rendered pages (hast parsed from the page HTML), after the site is complete: the normal
 * build never runs it.
 */
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { diffArrays } from 'diff';
import type { Locale } from '../locale/locale.ts';

export interface ComparePagesOptions {
  /** The new site's pages by path (`site/<slug>.html`), as rendered. */
  pages: Map<string, string>;
  /** The old site's pages by the same paths (missing pages: new chapters). */
  old: ReadonlyMap<string, string>;
  /** Site paths of the chapter pages, in book order, with their titles. */
  chapters: ReadonlyArray<{ path: string; title: string }>;
  locale: Locale;
  /** The text of the old version's name (a git ref or a folder), shown on the summary page. */
  against: string;
  /** Renders the summary page's content into a whole page (the edition's page template). */
  renderPage(title: string, content: string): string;
}

export interface ChapterChange {
  path: string;
  title: string;
  /** Ids of the changed blocks, in page order, with a short text of each. */
  changes: Array<{ id: string; kind: 'changed' | 'inserted' | 'deleted'; text: string }>;
  /** The chapter did not exist in the old version. */
  added?: boolean;
}

export const CHANGES_PAGE = 'changes.html';

/** Marks the changes in `pages` (in place) and adds `site/changes.html`; returns what changed. */
export function comparePages(options: ComparePagesOptions): ChapterChange[] {
  const { pages, locale } = options;
  const segmenter = new Intl.Segmenter(locale.lang, { granularity: 'word' });
  const words: Words = (text) => Array.from(segmenter.segment(text), (s) => s.segment);
  const result: ChapterChange[] = [];
  for (const chapter of options.chapters) {
    const change = markChapter(chapter, options, words);
    if (change) result.push(change);
  }
  markContents(result, options);
  pages.set(`site/${CHANGES_PAGE}`, options.renderPage(locale.t('compareTitle'), toHtml(summary(result, options))));
  return result;
}

type Words = (text: string) => string[];
type Mark = (node: Element, kind: 'changed' | 'inserted' | 'deleted', text: string) => void;

/** One chapter page marked against its old version (rewritten in `pages`); undefined when nothing changed. */
function markChapter(chapter: { path: string; title: string }, options: ComparePagesOptions, words: Words): ChapterChange | undefined {
  const html = options.pages.get(chapter.path);
  if (html === undefined) return undefined;
  const tree = fromHtml(html);
  const main = findMain(tree);
  if (!main) return undefined;
  const before = options.old.get(chapter.path);
  const change: ChapterChange = { path: chapter.path, title: chapter.title, changes: [] };
  const mark: Mark = (node, kind, text) => {
    const id = `change-${change.changes.length + 1}`;
    node.properties.id ??= id;
    addClass(node, `diff-${kind}`);
    if (node.properties.id !== id) node.children.unshift(h('span.diff-anchor', { id }));
    change.changes.push({ id, kind, text: text.length > 60 ? `${text.slice(0, 60)}…` : text });
  };
  const newBlocks = blocksOf(main);
  if (before === undefined) {
    change.added = true;
    for (const b of newBlocks) mark(b.node, 'inserted', b.text);
  } else {
    const oldMain = findMain(fromHtml(before));
    markBlockDiff(main, oldMain ? blocksOf(oldMain) : [], newBlocks, mark, words);
  }
  if (!change.changes.length) return undefined;
  options.pages.set(chapter.path, toHtml(tree));
  return change;
}

/**
 * Aligns the old and new blocks by their text and marks the new page: a rewritten block changed (its
 * words diffed unless it is a figure or code), a new block inserted, a removed one shown struck through
 * where it was.
 */
function markBlockDiff(main: Element, oldBlocks: readonly Block[], newBlocks: readonly Block[], mark: Mark, words: Words): void {
  const parts = diffArrays(oldBlocks.map((b) => b.text), newBlocks.map((b) => b.text));
  let o = 0;
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part.added && !part.removed) {
      o += part.count ?? part.value.length;
      n += part.count ?? part.value.length;
      continue;
    }
    // A removal followed by an addition is a rewrite: pair them up block by block.
    const removed = part.removed ? part.value.length : 0;
    const nextPart = parts[i + 1];
    const added = part.added ? part.value.length : nextPart?.added && part.removed ? nextPart.value.length : 0;
    if (part.removed && nextPart?.added) i += 1;
    const paired = Math.min(removed, added);
    for (let k = 0; k < paired; k++) {
      const was = oldBlocks[o + k]!;
      const now = newBlocks[n + k]!;
      if (was.node.tagName === now.node.tagName && !isWhole(now.node)) showWordDiff(now.node, words(was.text), words(now.text));
      mark(now.node, 'changed', now.text);
    }
    for (let k = paired; k < added; k++) mark(newBlocks[n + k]!.node, 'inserted', newBlocks[n + k]!.text);
    for (let k = paired; k < removed; k++) {
      const was = oldBlocks[o + k]!;
      const anchor = newBlocks[n + added] ?? undefined;
      const ghost = h('div', [h('del', was.text)]);
      insertBefore(main, anchor?.node, ghost);
      mark(ghost, 'deleted', was.text);
    }
    o += removed;
    n += added;
  }
}

/** The contents of every page: changed chapters are marked in the sidebar (and on the home page's TOC). */
function markContents(result: readonly ChapterChange[], options: ComparePagesOptions): void {
  const { pages, locale } = options;
  const changed = new Set(result.map((c) => c.path.replace(/^site\//, '')));
  const word = locale.t('compareChanged');
  for (const [path, html] of pages) {
    if (!path.startsWith('site/') || !path.endsWith('.html')) continue;
    const tree = fromHtml(html);
    let touched = false;
    walk(tree, (node) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
      const target = node.properties.href.split('#')[0]!;
      const isChapterLink = hasClass(node, 'sidebar-page') || (hasClass(node, 'toc-entry') && !node.properties.href.includes('#'));
      if (isChapterLink && changed.has(target)) {
        addClass(node, 'diff-chapter');
        node.children.push(h('span.diff-badge', word));
        touched = true;
      }
    });
    // The home page says what this build is compared with and links the summary.
    if (path === 'site/index.html') {
      const main = findMain(tree);
      main?.children.unshift(h('p.compare-banner', [h('a', { href: CHANGES_PAGE }, locale.t('compareBanner', { ref: options.against, n: result.length }))]));
      touched = true;
    }
    if (touched) pages.set(path, toHtml(tree));
  }
}

/** The summary page: every changed chapter with a link to each change. */
function summary(result: readonly ChapterChange[], options: ComparePagesOptions): Root {
  const { locale } = options;
  const kindWord = { changed: locale.t('compareKindChanged'), inserted: locale.t('compareKindInserted'), deleted: locale.t('compareKindDeleted') };
  const children: ElementContent[] = [
    h('header.chapter-header', [h('h1.chapter-title', locale.t('compareTitle'))]),
    h('p.compare-against', locale.t('compareAgainst', { ref: options.against })),
  ];
  if (result.length === 0) children.push(h('p', locale.t('compareNone')));
  for (const c of result) {
    const page = c.path.replace(/^site\//, '');
    children.push(
      h('section.compare-chapter', [
        h('h2', [h('a', { href: page }, c.title), c.added ? ` ${locale.t('compareNewChapter')}` : '']),
        h(
          'ol.compare-list',
          c.changes.map((x) => h('li', [h('a', { href: `${page}#${x.id}` }, [h('span.compare-kind', kindWord[x.kind]), ' ', x.text])])),
        ),
      ]),
    );
  }
  return { type: 'root', children: [h('article.matter.compare', children)] };
}

interface Block {
  node: Element;
  text: string;
}

const BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'figure', 'blockquote', 'pre']);

/** The blocks of a page's text, in order: not the generated bits (breadcrumbs, hints, data links). */
function blocksOf(main: Element): Block[] {
  const out: Block[] = [];
  const visit = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'nav' || child.tagName === 'svg' || hasClass(child, 'scroll-hint') || hasClass(child, 'data-link')) continue;
      if (BLOCKS.has(child.tagName) && !(child.tagName === 'li' && child.children.some((c) => c.type === 'element' && (c.tagName === 'p' || c.tagName === 'ul' || c.tagName === 'ol')))) {
        out.push({ node: child, text: toString(child).replace(/\s+/g, ' ').trim() });
        continue;
      }
      visit(child);
    }
  };
  visit(main);
  return out.filter((b) => b.text !== '');
}

/** Figures and tables are marked as a whole; their words are not diffed inside the drawing or cells. */
function isWhole(node: Element): boolean {
  return node.tagName === 'figure' || node.tagName === 'pre';
}

/**
 * Replaces a block's content by its new text with the words inserted and deleted since the old text. The
 * block's inline markup goes; its anchors (index marks, note references) stay, as empty spans at its start,
 * so links into the block still land on it.
 */
function showWordDiff(node: Element, before: string[], after: string[]): void {
  const parts = diffArrays(before, after);
  const children: ElementContent[] = [];
  walk(node, (inner) => {
    if (typeof inner.properties.id === 'string') children.push(h('span', { id: inner.properties.id }));
  });
  for (const part of parts) {
    const text = part.value.join('');
    if (part.added) children.push(h('ins', text));
    else if (part.removed) children.push(h('del', text));
    else children.push({ type: 'text', value: text });
  }
  node.children = children;
}

function findMain(tree: Root): Element | undefined {
  let found: Element | undefined;
  walk(tree, (node) => {
    if (!found && node.tagName === 'main') found = node;
  });
  return found;
}

function walk(node: Root | Element, fn: (node: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    fn(child);
    walk(child, fn);
  }
}

/** Inserts `node` before `anchor` (in the anchor's parent), or at the end of `main`. */
function insertBefore(main: Element, anchor: Element | undefined, node: Element): void {
  if (anchor) {
    let done = false;
    const find = (parent: Element) => {
      for (const [i, child] of parent.children.entries()) {
        if (done || child.type !== 'element') continue;
        if (child === anchor) {
          parent.children.splice(i, 0, node);
          done = true;
          return;
        }
        find(child);
      }
    };
    find(main);
    if (done) return;
  }
  const article = main.children.find((c): c is Element => c.type === 'element' && c.tagName === 'article');
  (article ?? main).children.push(node);
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}

function addClass(node: Element, name: string): void {
  const c = node.properties.className;
  node.properties.className = Array.isArray(c) ? [...c, name] : [name];
}
