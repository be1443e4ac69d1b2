/**
 * What a chapter or matter page needs in the site and not in print (docs/site.md), done on its hast tree
 * just before it becomes HTML:
 *
 * - yearbook entries get breadcrumbs 类目 › 分目 above their title, and the title an id (`<entry>-title`) so
 *   search results can land on it;
 * - search weights: entry titles weigh most (10), index marks next (8), so a search for an entry title or an
 *   index term finds that place first; charts' drawn labels are left out of the search index;
 * - every table sits in its own scrolling box with a hint (shown on narrow screens only), and every chart in
 *   one with a minimum width that keeps its smallest label at `minLabelPx` or more;
 * - every data table (indicator rankings, statistics) links to its CSV (see data-files.ts).
 *
 * A pure function of the tree, the chapter and the locale: the render memo may keep its result.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';
import { SKIP, visit } from '../base/visit.ts';
import type { Locale } from '../locale/locale.ts';
import { dataFileKey, dataFileName, figureTable, isDataTable } from './data-files.ts';

export interface SiteArticleOptions {
  locale: Locale;
  /** The page's slug (chapter or matter page): names its data files. */
  slug: string;
  /** 类目: the chapter's title and its page, for yearbook breadcrumbs. Default: no breadcrumbs. */
  category?: { title: string; href: string };
  /** Smallest size, in CSS pixels, a chart label may be drawn at on a narrow screen. Default: 9. */
  minLabelPx?: number;
}

export const ENTRY_TITLE_WEIGHT = '10';
export const INDEX_MARK_WEIGHT = '8';

export function prepareSiteArticle(tree: Root, options: SiteArticleOptions): void {
  const { locale } = options;
  const minLabel = options.minLabelPx ?? 9;
  let section: Element | undefined; // the 分目 (##) last seen, in document order
  let level = 1; // the level of the heading last seen (h1 is the chapter title)
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'svg') {
      if (hasClass(node, 'chart') && parent && index != null) {
        parent.children[index] = chartBox(node, locale, minLabel);
      }
      return SKIP;
    }
    if (node.tagName === 'h2') section = node;
    const heading = /^h([2-6])$/.exec(node.tagName);
    if (heading && !hasClass(node, 'entry-title')) level = Number(heading[1]);
    if (hasClass(node, 'idx-mark')) node.properties.dataPagefindWeight = INDEX_MARK_WEIGHT;
    if (node.tagName === 'section' && hasClass(node, 'entry') && typeof node.properties.id === 'string') {
      const title = node.children.find((c): c is Element => c.type === 'element' && hasClass(c, 'entry-title'));
      if (title) {
        // The title's id (print marks it on a span inside, for page-and-column locators) goes on the heading
        // itself, where search results land (Pagefind takes sub-results from headings with an id).
        const titleId = `${node.properties.id}-title`;
        visit(title, 'element', (inner: Element) => {
          if (inner !== title && inner.properties.id === titleId) delete inner.properties.id;
        });
        title.properties.id = titleId;
        title.properties.dataPagefindWeight = ENTRY_TITLE_WEIGHT;
        // An entry's title is one level below its 分目 for assistive technology (h4 in the markup, for
        // the stylesheets): headings then go down one level at a time (WCAG 1.3.1).
        const own = Number(/^h([2-6])$/.exec(title.tagName)?.[1] ?? 0);
        if (own && own !== level + 1) title.properties.ariaLevel = String(Math.min(level + 1, 6));
        if (options.category) node.children.splice(node.children.indexOf(title), 0, breadcrumbs(options.category, section, locale));
      }
      return;
    }
    if (node.tagName === 'figure') {
      const table = figureTable(node);
      const key = table && isDataTable(table) ? dataFileKey(node, table) : undefined;
      if (key) {
        const link = h('p.data-link', [h('a', { href: `data/${dataFileName(options.slug, key)}`, download: '', type: 'text/csv' }, locale.t('dataFile'))]);
        const source = node.children.findIndex((c) => c.type === 'element' && hasClass(c, 'source'));
        node.children.splice(source >= 0 ? source + 1 : node.children.length, 0, link);
      }
    }
    if (node.tagName === 'table' && parent && index != null) {
      const caption = parent.type === 'element' ? parent.children.find((c): c is Element => c.type === 'element' && c.tagName === 'figcaption') : undefined;
      parent.children[index] = scrollBox('table-scroll', node, locale.t('tableScrollHint'), caption ? captionText(caption) : undefined);
      return SKIP;
    }
  });
}

/** 类目 › 分目 above an entry's title. */
function breadcrumbs(category: { title: string; href: string }, section: Element | undefined, locale: Locale): Element {
  const separator = h('span.breadcrumb-separator', { ariaHidden: 'true' }, locale.t('breadcrumbSeparator'));
  // Not a navigation landmark: a page has one per entry, and landmarks must be few and distinct.
  const items: ElementContent[] = [h('span.visually-hidden', locale.t('breadcrumbs') + locale.t('colon')), h('a', { href: category.href }, category.title)];
  if (section && typeof section.properties.id === 'string') items.push(separator, h('a', { href: `#${section.properties.id}` }, toString(section)));
  return h('div.breadcrumbs', { dataPagefindIgnore: 'all' }, items);
}

/**
 * A box that scrolls sideways by itself (the page never does), focusable so it scrolls from the keyboard,
 * with a hint that the stylesheet shows only when the content is wider than a phone.
 */
function scrollBox(className: string, child: Element, hint: string, label?: string): Element {
  return h(`div.${className}`, { role: 'region', tabIndex: 0, ariaLabel: label ?? hint }, [h('p.scroll-hint', { ariaHidden: 'true', dataPagefindIgnore: 'all' }, hint), child]);
}

/** A chart in a scrolling box, at least as wide as keeps its smallest label at `minLabel` CSS pixels. */
function chartBox(svg: Element, locale: Locale, minLabel: number): Element {
  const width = Number(svg.properties.width);
  const smallest = smallestFontSize(svg);
  svg.properties.dataPagefindIgnore = 'all';
  if (Number.isFinite(width) && width > 0 && smallest !== undefined && smallest > 0) {
    const minWidth = Math.ceil((width * minLabel) / smallest);
    const style = typeof svg.properties.style === 'string' ? svg.properties.style.replace(/;?\s*$/, ';') : '';
    svg.properties.style = `${style}min-width:${Math.min(minWidth, width)}px`;
  }
  return scrollBox('chart-scroll', svg, locale.t('chartScrollHint'), typeof svg.properties.ariaLabel === 'string' ? svg.properties.ariaLabel : undefined);
}

/** The smallest `font-size` on any text of an SVG (style or attribute), in its own units. */
export function smallestFontSize(svg: Element): number | undefined {
  let smallest: number | undefined;
  visit(svg, 'element', (node: Element) => {
    const style = typeof node.properties.style === 'string' ? /font-size:\s*([\d.]+)/.exec(node.properties.style)?.[1] : undefined;
    const size = Number(style ?? node.properties.fontSize);
    if (Number.isFinite(size) && size > 0 && (smallest === undefined || size < smallest)) smallest = size;
  });
  return smallest;
}

/** A caption's text with a space between its label and its title (表1-2 各地区生产总值). */
function captionText(caption: Element): string {
  return caption.children.map((c) => toString(c).trim()).filter(Boolean).join(' ');
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}
