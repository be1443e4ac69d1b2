/**
 * Images: every `<img src>` that is not a URL must exist under the book folder; missing ones are reported at
 * the Markdown position, and so are images without alt text (a warning). Local images are recorded on
 * `file.data.assets` so the site writer copies them.
 */
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { EditionContext } from '../types.ts';
import { report } from '../report/diagnostics.ts';

declare module 'vfile' {
  interface DataMap {
    /** Files (relative to the book folder) that pages of this chapter load: images. */
    assets: string[];
  }
}

export interface ImagesOptions {
  context: EditionContext;
}

export function rehypeImages(options: ImagesOptions) {
  const { book } = options.context;
  return (tree: Root, file: VFile) => {
    const assets = (file.data.assets ??= []);
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img') return;
      const src = String(node.properties.src ?? '');
      // WCAG 2.1 1.1.1: a reader who cannot see the image hears its alt text (docs/site.md).
      const alt = node.properties.alt;
      if (typeof alt !== 'string' || alt.trim() === '') {
        report(file, 'image-alt-missing', `image "${src}" has no alt text`, node);
      }
      if (/^[a-z]+:/i.test(src) || src === '') {
        if (src === '') return;
        return; // remote images are left alone here; the PDF stage blocks the network
      }
      const relative = normalize(src).replace(/^(\.\/)+/, '');
      if (relative.startsWith('..')) {
        report(file, 'missing-image', `image "${src}" is outside the book folder`, node, { hint: 'Keep images in the book\'s images/ folder.' });
        return;
      }
      if (!existsSync(join(book.dir, relative))) {
        report(file, 'missing-image', `image "${src}" does not exist`, node, { hint: `Put the file at manuscripts/${book.id}/${relative}, or correct the path.` });
        return;
      }
      node.properties.src = relative;
      node.properties.loading = 'lazy';
      if (!assets.includes(relative)) assets.push(relative);
    });
  };
}
