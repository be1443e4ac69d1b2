/**
 * The yearbook's three levels — 类目 (the chapter), 分目 (`##`, and `###` below it) and 条目 (`:::entry`)
 * — made visible to the TOC, the PDF outline and the running heads:
 *
 * - every entry is added to `chapter.headings` (in document order, one level below the 分目 that holds
 *   it), so the TOC lists 类目 › 分目 › 条目; an entry without an id gets one (`entry-<chapter>-<n>`);
 * - every 分目 heading carries `data-running-head` (its title) and every entry `data-entry-title`, so the
 *   print stage can set the 类目 on verso pages and the current 分目 on recto pages.
 *
 * Does nothing in reports.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from '../../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext, HeadingInfo } from '../../context/types.ts';

export interface YearbookStructureOptions {
  context: EditionContext;
}

export function rehypeYearbookStructure(options: YearbookStructureOptions) {
  const { context } = options;
  return (tree: Root, file: VFile) => {
    if (context.config.kind !== 'yearbook') return;
    const chapter = file.data.chapter!;
    const byId = new Map(chapter.headings.map((h) => [h.id, h]));
    const ordered: HeadingInfo[] = [];
    let depth = 1;
    let n = 0;
    visit(tree, 'element', (node: Element) => {
      const level = /^h([2-6])$/.exec(node.tagName)?.[1];
      if (level && !hasClass(node, 'entry-title')) {
        const heading = typeof node.properties.id === 'string' ? byId.get(node.properties.id) : undefined;
        if (heading) {
          ordered.push(heading);
          depth = heading.depth;
          if (heading.depth === 2) node.properties.dataRunningHead = heading.text;
        }
        return;
      }
      if (node.tagName === 'section' && hasClass(node, 'entry')) {
        n += 1;
        if (typeof node.properties.id !== 'string') node.properties.id = `entry-${chapter.slug}-${n}`;
        const titleNode = node.children.find((c): c is Element => c.type === 'element' && hasClass(c, 'entry-title'));
        const open = context.locale.t('entryOpen');
        const close = context.locale.t('entryClose');
        let title = titleNode ? toString(titleNode) : '';
        if (title.startsWith(open) && title.endsWith(close)) title = title.slice(open.length, title.length - close.length);
        node.properties.dataEntryTitle = title;
        ordered.push({ id: node.properties.id as string, depth: depth + 1, label: '', text: title });
      }
    });
    // Keep headings the walk did not meet (none expected) at the end rather than lose them.
    for (const h of chapter.headings) if (!ordered.includes(h)) ordered.push(h);
    chapter.headings = ordered;
  };
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}
