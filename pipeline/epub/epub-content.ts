/**
 * Turns a rendered chapter or matter part (the site's `<article>`, links already resolved for one page per
 * part) into what an EPUB reading system expects, on the tree:
 *   - links to `<slug>.html` point at `<slug>.xhtml`;
 *   - note references are `epub:type="noteref"` and each note an `<aside epub:type="footnote">`, so reading
 *     systems show notes as pop-ups;
 *   - a KaTeX formula keeps only its MathML (EPUB 3 renders MathML; no KaTeX fonts or CSS are shipped);
 *   - attributes newer than the EPUB 3 HTML grammar (`loading`, `decoding`) are dropped, and the obsolete
 *     `align` of table cells becomes a class (`align-right`);
 *   - a figure's caption ends it: what follows the caption (the source line) moves into `<figcaption>`,
 *     which the EPUB 3 grammar wants first or last.
 *   - the site's data download links (`p.data-link`, `a[download]`) are left out.
 * Reports what the manifest must declare for the document (inline SVG, MathML).
 */
import type { Element, ElementContent, Root } from 'hast';
import { SKIP, visit } from '../base/visit.ts';

export interface ContentFeatures {
  /** The document contains inline `<svg>` (manifest property `svg`). */
  svg: boolean;
  /** The document contains MathML (manifest property `mathml`). */
  mathml: boolean;
}

const DROPPED = ['loading', 'decoding', 'fetchPriority'];

export function epubContent(tree: Element | Root): ContentFeatures {
  const features: ContentFeatures = { svg: false, mathml: false };
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'svg') {
      features.svg = true;
      return SKIP;
    }
    const className = node.properties.className;
    const classes = Array.isArray(className) ? className.map(String) : [];
    if (classes.includes('katex') && parent && index != null) {
      const math = findMath(node);
      if (math) {
        features.mathml = true;
        parent.children.splice(index, 1, math);
      } else {
        parent.children.splice(index, 1);
      }
      return [SKIP, index];
    }
    // A phrasing wrapper where the table grammar allows none (a <span> around rows) is unwrapped: XHTML
    // is parsed strictly, where an HTML parser would have moved it.
    if (node.tagName === 'span' && parent && index != null && parent.type === 'element' && ['table', 'thead', 'tbody', 'tfoot', 'tr'].includes(parent.tagName)) {
      parent.children.splice(index, 1, ...node.children);
      return [SKIP, index];
    }
    // The site's download links for a table's or chart's data (data/*.csv) point outside the EPUB.
    if ((classes.includes('data-link') || (node.tagName === 'a' && 'download' in node.properties)) && parent && index != null) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.tagName === 'math') {
      features.mathml = true;
      return SKIP;
    }
    for (const name of DROPPED) delete node.properties[name];
    if ((node.tagName === 'td' || node.tagName === 'th') && typeof node.properties.align === 'string') {
      node.properties.className = [...classes, `align-${node.properties.align}`];
      delete node.properties.align;
    }
    if (node.tagName === 'figure') captionLast(node);
    if (node.tagName === 'a') {
      const href = node.properties.href;
      if (typeof href === 'string' && /^[^:/#?]+\.html(#|$)/.test(href)) node.properties.href = href.replace(/\.html(?=#|$)/, '.xhtml');
      if ('dataFootnoteRef' in node.properties) node.properties['epub:type'] = 'noteref';
    }
    if (node.tagName === 'section' && classes.includes('footnotes')) {
      node.children = node.children.flatMap((child) => (child.type === 'element' && child.tagName === 'ol' ? notesAsAsides(child) : [child]));
    }
    return undefined;
  });
  return features;
}

/** Move the children after a figure's `<figcaption>` (source lines, notes) into it. */
function captionLast(figure: Element): void {
  const at = figure.children.findIndex((c) => c.type === 'element' && c.tagName === 'figcaption');
  if (at <= 0 || at === figure.children.length - 1) return;
  const caption = figure.children[at] as Element;
  caption.children.push(...figure.children.splice(at + 1));
}

/** `<ol><li id=…>…</li></ol>` → one `<aside epub:type="footnote" id=…>` per note (the number is in its back-link). */
function notesAsAsides(ol: Element): ElementContent[] {
  return ol.children.flatMap((li): ElementContent[] => {
    if (li.type !== 'element' || li.tagName !== 'li') return [];
    return [{ type: 'element', tagName: 'aside', properties: { id: li.properties.id, className: ['note'], 'epub:type': 'footnote' }, children: li.children }];
  });
}

/** The `<math>` element inside KaTeX's output, marked as display maths when KaTeX set it so. */
function findMath(node: Element): Element | undefined {
  let found: Element | undefined;
  visit(node, 'element', (child: Element) => {
    if (found) return SKIP;
    if (child.tagName === 'math') {
      found = child;
      return SKIP;
    }
    return undefined;
  });
  return found;
}
