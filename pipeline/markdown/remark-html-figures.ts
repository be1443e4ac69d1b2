/**
 * The most common figure in Chinese Markdown is HTML: an `<img>` alone, often centred, with its caption
 * below —
 *
 *   <div align="center"><img src="images/图1.png" width="60%"></div>
 *   <p align="center">图1-1 全球海底光缆</p>      (or <center>…</center>, <figcaption>…</figcaption>,
 *                                                   or a plain paragraph starting 图1-1 / Figure 1)
 *
 * Such a block becomes the Markdown image a chapter would have written, `![alt](src "caption")`, alone in
 * a paragraph — so remarkCaptionedBlocks numbers it as a figure like any other (图2-1), and the editions
 * check counts it. A typed label (图1-1, 图 3：, Figure 2.) is dropped from the caption: numbers are
 * generated. An HTML block with more than an image and its caption is left to rehypeRawHtml.
 */
import type { Html, Image, Paragraph, Root, RootContent } from 'mdast';
import type { Element, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';
import { toString as mdToString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { find, html as htmlSchema } from 'property-information';
import { report } from '../report/diagnostics.ts';

/** Image attributes the figure uses (src, alt) or keeps (width, height). */
const USED = new Set(['src', 'alt', 'title', 'width', 'height']);
const SIZE = /^\d+(\.\d+)?(px|%)?$/;

/** Elements that may wrap the image or its caption without being content of their own. */
const WRAPPERS = new Set(['div', 'p', 'center', 'figure', 'figcaption', 'span', 'a', 'br', 'b', 'strong', 'em', 'i']);
/** A caption's typed label: 图1-1, 图 3：, 表2, Figure 2., Fig. 3-1 … */
const TYPED_LABEL = /^\s*(?:图|Figure|Fig\.)\s*[\d０-９]+(?:[.\-–—－][\d０-９]+)*\s*[:：.、]?\s*/i;

export function remarkHtmlFigures() {
  return (tree: Root, file: VFile) => {
    rewrite(tree.children, file);
  };
}

function rewrite(children: RootContent[], file: VFile): void {
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const html = htmlOf(node);
    if (!html) {
      if ('children' in node && node.type !== 'paragraph') rewrite(node.children as RootContent[], file);
      continue;
    }
    const parsed = figureOf(html.value);
    if (!parsed) continue;
    let caption = parsed.caption;
    // The caption may be the next block: a centred HTML line, or a paragraph that starts with a typed label.
    const next = children[i + 1];
    if (!caption && next) {
      const nextHtml = htmlOf(next);
      const fromNext = nextHtml ? captionOf(nextHtml.value) : next.type === 'paragraph' && TYPED_LABEL.test(mdToString(next)) ? mdToString(next) : undefined;
      if (fromNext) {
        caption = fromNext;
        children.splice(i + 1, 1);
      }
    }
    const title = caption?.replace(TYPED_LABEL, '').trim() || null;
    const image: Image = { type: 'image', url: parsed.src, alt: parsed.alt || title || '', title, position: node.position };
    const size: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed.properties)) {
      if (value == null || value === false) continue;
      const attribute = find(htmlSchema, key).attribute;
      if ((attribute === 'width' || attribute === 'height') && SIZE.test(String(value))) size[attribute] = String(value);
      else if (!USED.has(attribute)) report(file, 'raw-html-removed', `removed the attribute ${attribute} of the HTML image (a figure keeps its width and height only)`, node);
    }
    if (Object.keys(size).length) image.data = { hProperties: size };
    const paragraph: Paragraph = { type: 'paragraph', children: [image], position: node.position };
    children[i] = paragraph;
  }
}

/** The HTML of a block that is HTML only: an html node, or a paragraph holding one inline html node. */
function htmlOf(node: RootContent): Html | undefined {
  if (node.type === 'html') return node;
  if (node.type === 'paragraph') {
    const meaningful = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    if (meaningful.length === 1 && meaningful[0]!.type === 'html') return meaningful[0];
  }
  return undefined;
}

/** One `<img>` with a `src`, and nothing else but wrappers and caption text. */
function figureOf(html: string): { src: string; alt: string; caption: string | undefined; properties: Element['properties'] } | undefined {
  if (!/<img\b/i.test(html)) return undefined;
  const tree = fromHtml(html, { fragment: true });
  const images: Element[] = [];
  let foreign = false;
  walk(tree, (el) => {
    if (el.tagName === 'img') images.push(el);
    else if (!WRAPPERS.has(el.tagName)) foreign = true;
  });
  if (foreign || images.length !== 1) return undefined;
  const src = images[0]!.properties.src;
  if (typeof src !== 'string' || src === '') return undefined;
  const caption = toString(tree).replace(/\s+/g, ' ').trim();
  return { src, alt: String(images[0]!.properties.alt ?? ''), caption: caption || undefined, properties: images[0]!.properties };
}

/** Text alone in wrappers (`<p align="center">图1 …</p>`, `<center>…</center>`, `<figcaption>`). */
function captionOf(html: string): string | undefined {
  if (/<img\b/i.test(html)) return undefined;
  const tree = fromHtml(html, { fragment: true });
  let foreign = false;
  walk(tree, (el) => {
    if (!WRAPPERS.has(el.tagName)) foreign = true;
  });
  const text = toString(tree).replace(/\s+/g, ' ').trim();
  return foreign || !text ? undefined : text;
}

function walk(node: HastRoot | Element, visit: (el: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    visit(child);
    walk(child, visit);
  }
}
