/**
 * Yearbook entries (条目): `:::entry[Title]{#id}` … `:::` → `<section class="entry">` whose title is set in
 * the locale's entry brackets (【Title】). An entry with an id is a label for cross-references; its title
 * is wrapped in `<span id="<id>-title">`, the place the index's page-and-column locators point at.
 * `author="…"` (撰稿) and `supplier="…"` (供稿) credit the entry's contributors on a line at its end:
 * （撰稿：张明） / （供稿：国家互联网应急中心）.
 */
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import type { EditionContext } from '../../context/types.ts';
import { report } from '../../report/diagnostics.ts';
import { element, takeLabel, text, visitDirective } from '../../markdown/directive-utils.ts';

export interface EntriesOptions {
  context: EditionContext;
}

export function remarkEntries(options: EntriesOptions) {
  const { locale } = options.context;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    visitDirective(tree, 'entry', 'containerDirective', (node) => {
      const label = takeLabel(node);
      const title = toString({ type: 'paragraph', children: label });
      if (!title) report(file, 'directive-attribute', 'an entry needs a title: :::entry[Title]', node);
      const id = node.attributes?.id ?? undefined;
      const place = id ? `${id}-title` : undefined;
      if (id) chapter.labels.push({ id, kind: 'entry', number: '', text: locale.t('entryOpen') + title + locale.t('entryClose'), title, chapter: chapter.slug, place });
      node.data = { hName: 'section', hProperties: { className: ['entry'], ...(id ? { id } : {}) } };
      const credits = [
        node.attributes?.author ? locale.t('entryAuthor', { name: node.attributes.author }) : '',
        node.attributes?.supplier ? locale.t('entrySupplier', { name: node.attributes.supplier }) : '',
      ].filter(Boolean);
      const heading = [text(locale.t('entryOpen')), ...label, text(locale.t('entryClose'))];
      node.children = [
        element('h4', { className: ['entry-title'] }, place ? [element('span', { id: place }, heading)] : heading),
        ...node.children,
        ...(credits.length ? [element('p', { className: ['entry-credit'] }, [text(credits.join(' '))])] : []),
      ];
    });
  };
}
