/**
 * Lists of figures and tables (图目录 / 表目录) for the front matter, as book.yaml asks:
 * `lists: [figures, tables]`. Every numbered figure and table of the edition is listed with its number,
 * caption and (in print) page; one without an id gets one here (`<chapter>-figure-3`), so the list can
 * link to it. Entries use the TOC's classes, so they share its leaders and page-number column.
 */
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';
import { SKIP_CHILDREN, walkElements } from '../../html/walk-elements.ts';
import type { VFile } from 'vfile';
import type { EditionContext } from '../../context/types.ts';
import type { MatterPage } from '../../html/render-edition.ts';

type ListKind = 'figures' | 'tables';

interface Listed {
  id: string;
  chapter: string;
  label: string;
  title: string;
}

const CLASS_OF: Record<ListKind, string> = { figures: 'figure', tables: 'table-figure' };

/** The captioned figures or tables of the edition in book order (ids assigned where missing). */
export function collectCaptioned(files: readonly VFile[], kind: ListKind): Listed[] {
  const out: Listed[] = [];
  for (const file of files) {
    const chapter = file.data.chapter!;
    let n = 0;
    walkElements(file.data.hast!, (node: Element) => {
      // No figure sits inside a chart, a table or a paragraph (a box may hold one: boxes are walked).
      if (node.tagName === 'svg' || node.tagName === 'table' || node.tagName === 'p') return SKIP_CHILDREN;
      if (node.tagName !== 'figure' || !hasClass(node, CLASS_OF[kind])) return;
      n += 1;
      const caption = findClass(node, 'caption');
      if (!caption) return;
      if (typeof node.properties.id !== 'string') node.properties.id = `${chapter.slug}-${kind === 'figures' ? 'figure' : 'table'}-${n}`;
      const label = findClass(caption, 'caption-label');
      const text = findClass(caption, 'caption-text');
      out.push({ id: node.properties.id as string, chapter: chapter.slug, label: label ? toString(label) : '', title: text ? toString(text) : toString(caption) });
    });
  }
  return out;
}

export function buildLists(context: EditionContext, files: readonly VFile[]): MatterPage[] {
  const pages: MatterPage[] = [];
  for (const kind of context.config.lists) {
    const listed = collectCaptioned(files, kind);
    if (listed.length === 0) continue;
    const id = kind === 'figures' ? 'list-of-figures' : 'list-of-tables';
    const html: Root = {
      type: 'root',
      children: [
        h(
          'ol.list-of-items',
          listed.map((item) =>
            h('li', [
              h('a.toc-entry', { href: '#' + item.id, dataTarget: item.id, dataChapter: item.chapter }, [
                item.label ? h('span.toc-label', item.label) : null,
                h('span.toc-title', item.title),
                h('span.toc-page', { dataOnly: 'print', dataPageOf: item.id }),
              ]),
            ]),
          ),
        ),
      ],
    };
    pages.push({ id, slug: id, title: context.locale.t(kind === 'figures' ? 'listOfFigures' : 'listOfTables'), html });
  }
  return pages;
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}

function findClass(node: Element, name: string): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (hasClass(child, name)) return child;
    const deeper = findClass(child, name);
    if (deeper) return deeper;
  }
  return undefined;
}
