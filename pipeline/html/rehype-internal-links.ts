/**
 * Book-wide stage. Links between chapters are written against the Markdown files
 * (`03-innovation.md#sec-ai`, `#sec-ai` within a chapter); here each is checked against the ids of the whole
 * edition and rewritten to a neutral form — `data-target="<id>"` — that the site and print writers turn
 * into `innovation.html#sec-ai` or `#sec-ai`. Broken links are reported at their Markdown position.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP_CHILDREN, walkElements } from './walk-elements.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import type { BookIndex } from './book-index.ts';

export interface InternalLinksOptions {
  index: BookIndex;
}

export function rehypeInternalLinks(options: InternalLinksOptions) {
  const { index } = options;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'svg') return SKIP_CHILDREN; // charts link nowhere
      if (node.tagName !== 'a') return;
      if (node.properties.href === '') {
        // `[a]()`: a link without a target. Keep its text, drop the empty link.
        report(file, 'empty-link', `the link "${toString(node)}" has no target`, node);
        delete node.properties.href;
        return;
      }
      const written = node.properties.href;
      if (typeof written !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(written) || written.startsWith('//')) return;
      // As the author wrote it: remark-rehype percent-encodes CJK characters and spaces.
      const href = decode(written);
      const [pathPart, fragment = ''] = splitHref(href);
      let target: string | undefined;
      if (pathPart === '') {
        target = fragment;
        if (!index.ids.has(fragment)) target = undefined;
      } else {
        const name = pathPart.replace(/^\.\//, '');
        const other = index.byFile.get(name);
        if (other) target = fragment ? (index.ids.get(fragment)?.chapter === other.slug ? fragment : undefined) : other.id;
      }
      if (!target) {
        const suggestion = fragment ? index.suggest(fragment) : undefined;
        report(file, 'broken-link', `link target "${href}" does not exist in this edition`, node, {
          hint: suggestion ? `Did you mean "${suggestion}"?` : undefined,
        });
        return;
      }
      node.properties.href = '#' + target;
      node.properties.dataTarget = target;
      if (index.ids.get(target)?.chapter !== chapter.slug) node.properties.dataChapter = index.ids.get(target)!.chapter;
      if (index.labels.get(target)?.kind === 'chapter') node.properties.dataWholeChapter = '';
    });
  };
}

function splitHref(href: string): [string, string] {
  const i = href.indexOf('#');
  return i === -1 ? [href, ''] : [href.slice(0, i), href.slice(i + 1)];
}

function decode(href: string): string {
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}
