/**
 * Images: every `<img src>` that is not a URL must be a file in the book folder; missing ones are reported
 * at the Markdown position, under the name the author wrote, and so are images without alt text (a
 * warning, docs/site.md). Local images are recorded on
 * `file.data.assets` (relative to the book folder) so the site writer copies them.
 *
 * - `src` is percent-decoded first (remark-rehype encodes `images/图1.png` and `<images/my pic.png>`).
 * - `/images/x.png` means the book folder's images/, like `images/x.png` (a site is not served from `/`).
 * - A path that leaves the book folder — through `..` or a symbolic link — is refused (`image-outside`).
 * - A remote image (`http://…`, `https://…`, `//…`) is reported (`remote-image`) and removed, unless the
 *   book opts in with `remoteImages: true` (docs/book-yaml.md); the PDF stage never loads one either way.
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { insideFolder } from '../config/inside-folder.ts';
import type { Element, Root } from 'hast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
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
  const { book, config } = options.context;
  return (tree: Root, file: VFile) => {
    const assets = (file.data.assets ??= []);
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img') return;
      const written = decode(String(node.properties.src ?? ''));
      // WCAG 2.1 1.1.1: a reader who cannot see the image hears its alt text (docs/site.md).
      const alt = node.properties.alt;
      if (typeof alt !== 'string' || alt.trim() === '') report(file, 'image-alt-missing', `image "${written}" has no alt text`, node);
      if (written === '') return;
      if (/^(https?:)?\/\//i.test(written)) {
        if (config.remoteImages) return;
        report(file, 'remote-image', `remote image "${written}" removed: reviewers' browsers would load it from that server`, node);
        if (parent && index != null) parent.children[index] = { type: 'text', value: String(node.properties.alt ?? '') };
        return;
      }
      if (/^[a-z][a-z\d+.-]*:/i.test(written)) return; // data: images (unsafe ones are gone already)
      const relative = normalize(written.replace(/^\/+/, '')).replace(/^(\.\/)+/, '');
      if (relative.startsWith('..') || relative === '.') {
        report(file, 'image-outside', `image "${written}" is outside the book folder`, node, { hint: 'Keep images in the book\'s images/ folder.' });
        return;
      }
      const path = join(book.dir, relative);
      if (!existsSync(path) || !statSync(path).isFile()) {
        report(file, 'missing-image', `image "${written}" does not exist`, node, { hint: `Put the file at manuscripts/${book.id}/${relative}, or correct the path.` });
        return;
      }
      if (!insideFolder(path, book.dir)) {
        report(file, 'image-outside', `image "${written}" is a link to a file outside the book folder`, node, { hint: 'Copy the image into the book\'s images/ folder instead of linking to it.' });
        return;
      }
      node.properties.src = relative;
      node.properties.loading = 'lazy';
      if (!assets.includes(relative)) assets.push(relative);
    });
  };
}

/** `src` as the author wrote it: remark-rehype percent-encodes non-ASCII characters and spaces. */
function decode(src: string): string {
  try {
    return decodeURIComponent(src);
  } catch {
    return src;
  }
}
