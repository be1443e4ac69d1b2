/**
 * The site's contents sidebar (docs/site.md): every page of the edition in reading order, the current one
 * marked `aria-current="page"` and opened to its sections (`##`, `###`; in a yearbook 分目 and 条目), so the
 * page script can mark the section being read as the reader scrolls. On a phone the sidebar is closed
 * behind a button in the header (templates/base/page.html, site.js).
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { ChapterInfo } from '../context/types.ts';

export interface SidebarPage {
  href: string;
  title: string;
  /** Label before the title (第一章). Default: none. */
  label?: string;
  /** Sections shown when this is the current page. Default: none. */
  headings?: ChapterInfo['headings'];
}

export interface SidebarOptions {
  pages: readonly SidebarPage[];
  /** href of the page the sidebar is on. */
  current: string;
  /** Accessible name of the navigation (locale `siteNavigation`). */
  label: string;
  /** Deepest heading level listed for the current page. Default: 3. */
  maxDepth?: number;
}

export function sidebar(options: SidebarOptions): Element {
  const maxDepth = options.maxDepth ?? 3;
  const items = options.pages.map((page) => {
    const current = page.href === options.current;
    const link = h('a.sidebar-page', { href: page.href, ...(current ? { ariaCurrent: 'page' } : {}) }, [page.label ? h('span.sidebar-label', spaced(page.label)) : null, page.title]);
    const sections = current ? (page.headings ?? []).filter((x) => x.depth <= maxDepth) : [];
    const children: ElementContent[] = [link];
    if (sections.length) {
      children.push(
        h(
          'ol.sidebar-sections',
          sections.map((s) => h('li', { className: [`sidebar-depth-${s.depth}`] }, [h('a.sidebar-section', { href: `#${s.id}`, dataSection: s.id }, [s.label ? spaced(s.label) : '', s.text])])),
        ),
      );
    }
    return h('li', { className: current ? ['sidebar-current'] : [] }, children);
  });
  return h('nav.sidebar', { id: 'sidebar', ariaLabel: options.label, dataPagefindIgnore: 'all' }, [h('ol.sidebar-pages', items)]);
}

/** A label and the space before its title; none after Chinese enumeration marks (一、 （一）). */
function spaced(label: string): string {
  return /[、）]$/.test(label) ? label : `${label} `;
}
