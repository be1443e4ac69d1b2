/**
 * SVG images written into the page itself. An SVG loaded by `<img>` is a separate document that cannot
 * use the page's web fonts, so its Chinese text falls back to whatever fonts the machine has (empty
 * boxes where it has none); inline, it is set in the book's fonts like the text around it. The site's
 * pages and print.html inline every SVG image of the book (html/render-edition.ts, on each article's
 * tree before it is compiled); the PDF stage, given only the build folder, runs the same inliner over its
 * tree of print.html for any other SVG file of that folder (pdf/pass-prepare.ts), with ids of its own
 * (`idPrefix`). The one SVG inliner: there is no other, and it works on hast, not on HTML text.
 *
 * Each `<img src="….svg">` that `read` answers becomes the SVG itself: ids prefixed (svg1-, svg2- … in
 * document order, from `start`) with `url(#…)` and `href="#…"` references following them, `role="img"`,
 * the alt text as `aria-label`, the image's classes plus `inline-svg`. The SVG text is parsed once per
 * inliner (hast-util-from-html, as the browser parses inline SVG) and each copy is written as the SVG
 * sanitiser writes it (empty elements closed with `/>`): a `raw` node in the page's tree, which
 * `html/stringify.ts` writes as it is. A text that is not one `<svg>` element (other elements or text
 * beside it, a DOCTYPE with an internal subset) leaves the image alone. Deterministic: the same tree and
 * SVG texts, the same output.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { Raw } from 'mdast-util-to-hast';
import { klona } from 'klona/json';

/** The text of the SVG file a `src` (URL-decoded, relative to the page) names, or undefined to keep the image. */
export type SvgReader = (src: string) => string | undefined;

export interface InlineSvgOptions {
  /** The start of the prefixes given to each inlined SVG's ids (`<idPrefix><n>-`). Default: `svg`. */
  idPrefix?: string;
}

export interface SvgInliner {
  /**
   * Replaces the SVG images under `tree` that the reader answers, in document order, numbering them
   * from `start + 1` (default 0: a page of its own); returns how many it inlined.
   */
  inline(tree: Root | Element, start?: number): number;
}

/** An inliner for one reader: each SVG text is parsed once, however many pages show it. */
export function svgInliner(read: SvgReader, options: InlineSvgOptions = {}): SvgInliner {
  const idPrefix = options.idPrefix ?? 'svg';
  const parsed = new Map<string, Element | undefined>();
  const svgOf = (text: string) => {
    if (!parsed.has(text)) parsed.set(text, svgRoot(text));
    return parsed.get(text);
  };
  return {
    inline(tree, start = 0) {
      let n = start;
      forEachImage(tree, (img, replace) => {
        const src = svgSource(img);
        const text = src === undefined ? undefined : read(src);
        const svg = text === undefined ? undefined : svgOf(text);
        if (svg) replace(inlined(svg, `${idPrefix}${++n}-`, img));
      });
      return n - start;
    },
  };
}

/** The URL-decoded `src` of every SVG image under `tree`, in document order (for a reader that must load them first). */
export function svgImageSources(tree: Root | Element): string[] {
  const out: string[] = [];
  forEachImage(tree, (img) => {
    const src = svgSource(img);
    if (src !== undefined) out.push(src);
  });
  return out;
}

/** The decoded `src` of an image that names a relative `.svg` file, else undefined. */
function svgSource(img: Element): string | undefined {
  const src = img.properties.src;
  if (typeof src !== 'string' || !/\.svg$/i.test(src) || /^[a-z][a-z0-9+.-]*:/i.test(src)) return undefined;
  return decodeURIComponent(src);
}

/** Calls `visit` for each `img` element, in document order, not looking inside SVGs. */
function forEachImage(tree: Root | Element, visit: (img: Element, replace: (node: Raw) => void) => void): void {
  const children: Array<RootContent | ElementContent> = tree.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type !== 'element' || node.tagName === 'svg') continue;
    if (node.tagName === 'img') visit(node, (raw) => void (children[i] = raw as ElementContent));
    else forEachImage(node, visit);
  }
}

/**
 * The one `<svg>` element of an SVG text, or undefined when there is none or anything else beside it
 * (comments, an XML declaration and a plain DOCTYPE are allowed; the parser keeps no DOCTYPE in a
 * fragment, and an internal subset's `]>` is left as text, so such a file is refused).
 */
function svgRoot(text: string): Element | undefined {
  const tree = fromHtml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { fragment: true });
  let root: Element | undefined;
  for (const node of tree.children) {
    if (node.type === 'comment' || node.type === 'doctype') continue;
    if (node.type === 'text' && node.value.trim() === '') continue;
    if (node.type !== 'element' || node.tagName !== 'svg' || root) return undefined;
    root = node;
  }
  return root;
}

/** A copy of the SVG for one image: ids prefixed, the image's label and classes on its root, as text. */
function inlined(svg: Element, prefix: string, img: Element): Raw {
  const copy = klona(svg);
  prefixIds(copy, prefix);
  const alt = img.properties.alt;
  const classes = [...classList(copy), 'inline-svg', ...classList(img)].filter(Boolean);
  copy.properties.role = 'img';
  if (typeof alt === 'string' && alt) copy.properties.ariaLabel = alt;
  copy.properties.className = [...new Set(classes)];
  return { type: 'raw', value: toHtml(copy, { space: 'svg', closeEmptyElements: true, tightSelfClosing: true }) };
}

const classList = (element: Element): string[] => {
  const value = element.properties.className;
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : String(value).split(/\s+/);
};

/** Every id of the SVG prefixed, and the `url(#id)` and `#id` references to them. */
function prefixIds(svg: Element, prefix: string): void {
  const ids = new Set<string>();
  const elements: Element[] = [];
  const collect = (node: Element) => {
    elements.push(node);
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
    for (const child of node.children) if (child.type === 'element') collect(child);
  };
  collect(svg);
  if (!ids.size) return;
  const urls = (value: string) => value.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : m));
  for (const element of elements) {
    const props = element.properties;
    for (const [key, value] of Object.entries(props)) {
      if (key === 'id' && typeof value === 'string') props[key] = prefix + value;
      else if ((key === 'href' || key === 'xLinkHref') && typeof value === 'string' && value.startsWith('#') && ids.has(value.slice(1))) props[key] = `#${prefix}${value.slice(1)}`;
      else if (typeof value === 'string') props[key] = urls(value);
      else if (Array.isArray(value)) props[key] = value.map((v) => (typeof v === 'string' ? urls(v) : v));
    }
    // A <style> inside the SVG names the same ids in its rules.
    if (element.tagName === 'style') for (const child of element.children) if (child.type === 'text') child.value = urls(child.value);
  }
}
