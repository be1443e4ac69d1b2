/**
 * Links and image sources written in Markdown are not sanitised by remark-rehype: `[x](javascript:…)`
 * would reach the site and run when clicked. Every `href`, `src`, `cite` and `action` whose URL runs code
 * (`unsafeScheme`) is removed and reported at its line under `unsafe-url`. (Raw HTML is cleaned earlier by
 * rehypeRawHtml, which reports its own.)
 */
import type { Root } from 'hast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { unsafeScheme } from './unsafe-url.ts';

const URL_PROPERTIES = ['href', 'src', 'cite', 'action', 'formAction', 'poster', 'xLinkHref'];

export function rehypeUnsafeUrls() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node) => {
      for (const key of URL_PROPERTIES) {
        const value = node.properties[key];
        if (typeof value !== 'string') continue;
        const scheme = unsafeScheme(value);
        if (!scheme) continue;
        delete node.properties[key];
        const what = key === 'href' ? 'link target' : key;
        report(file, 'unsafe-url', `removed the ${what} "${value.length > 60 ? value.slice(0, 57) + '…' : value}": a ${scheme} URL runs code when followed`, node);
      }
    });
  };
}
