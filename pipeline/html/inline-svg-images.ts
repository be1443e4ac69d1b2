/**
 * SVG images written into the page itself. An SVG loaded by `<img>` is a separate document that cannot
 * use the page's web fonts, so its Chinese text falls back to whatever fonts the machine has (empty
 * boxes where it has none); inline, it is set in the book's fonts like the text around it. The site's
 * pages and print.html inline every SVG image of the book (build/render-site.ts); the PDF stage runs
 * the same inliner over its copy of print.html for any other SVG file of the build folder
 * (pdf/pass-prepare.ts), with ids of its own (`idPrefix`). The one SVG inliner: there is no other.
 *
 * Each `<img src="….svg">` that `read` answers becomes the SVG itself: ids prefixed (svg1-, svg2- … in
 * document order) with `url(#…)` and `href="#…"` references following them, `role="img"`, the alt text
 * as `aria-label`, the image's classes plus `inline-svg`. SVGs with a DOCTYPE internal subset or without
 * a single `<svg>` root are left as images. Deterministic: the same page and SVG texts, the same string.
 */

/** The text of the SVG file a `src` (decoded, relative to the page) names, or undefined to keep the image. */
export type SvgReader = (src: string) => string | undefined | Promise<string | undefined>;

export interface InlineSvgOptions {
  /** The start of the prefixes given to each inlined SVG's ids (`<idPrefix><n>-`). Default: `svg`. */
  idPrefix?: string;
}

export async function inlineSvgImages(html: string, read: SvgReader, options: InlineSvgOptions = {}): Promise<string> {
  const idPrefix = options.idPrefix ?? 'svg';
  const images = [...html.matchAll(/<img\b[^>]*>/g)];
  if (!images.length) return html;
  let n = 0;
  let out = '';
  let at = 0;
  for (const m of images) {
    const tag = m[0];
    const src = attribute(tag, 'src');
    if (!src || !/\.svg$/i.test(src) || /^[a-z][a-z0-9+.-]*:/i.test(src)) continue;
    const text = await read(decodeURIComponent(unescapeAttribute(src)));
    if (text === undefined) continue;
    const svg = svgElement(text, `${idPrefix}${n + 1}-`, tag);
    if (!svg) continue;
    n++;
    out += html.slice(at, m.index) + svg;
    at = m.index! + tag.length;
  }
  return out + html.slice(at);
}

function svgElement(text: string, prefix: string, img: string): string | undefined {
  let svg = text.replace(/^\uFEFF/, '').replace(/<\?xml[\s\S]*?\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/<!DOCTYPE[^>]*\[/i.test(svg)) return undefined;
  svg = svg.replace(/<!DOCTYPE[^>]*>/i, '').trim();
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open || !svg.endsWith('</svg>')) return undefined;
  const ids = new Set([...svg.matchAll(/\sid=(["'])([^"']*)\1/g)].map((m) => m[2]!));
  if (ids.size) {
    svg = svg
      .replace(/(\sid=)(["'])([^"']*)\2/g, (_, a: string, q: string, id: string) => `${a}${q}${prefix}${id}${q}`)
      .replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : m))
      .replace(/(\s(?:xlink:)?href=)(["'])#([^"']*)\2/g, (m, a: string, q: string, id: string) => (ids.has(id) ? `${a}${q}#${prefix}${id}${q}` : m));
  }
  // The root's attributes: role, label and classes as the in-page inliner sets them.
  let root = /^<svg\b[^>]*>/.exec(svg)![0];
  const alt = attribute(img, 'alt');
  const classes = [...(attribute(root, 'class')?.split(/\s+/) ?? []), 'inline-svg', ...(attribute(img, 'class')?.split(/\s+/) ?? [])].filter(Boolean);
  root = setAttribute(root, 'role', 'img');
  if (alt) root = setAttribute(root, 'aria-label', alt);
  root = setAttribute(root, 'class', [...new Set(classes)].join(' '));
  return root + svg.slice(/^<svg\b[^>]*>/.exec(svg)![0].length);
}

/** A raw (still escaped) attribute value of a start tag. */
function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Set an attribute of a start tag to a raw (already escaped) value. */
function setAttribute(tag: string, name: string, value: string): string {
  const re = new RegExp(`\\s${name}=(?:"[^"]*"|'[^']*')`);
  const text = ` ${name}="${value.replace(/"/g, '&quot;')}"`;
  if (re.test(tag)) return tag.replace(re, () => text);
  return tag.replace(/\s*(\/?)>$/, (_, slash: string) => `${text}${slash}>`);
}

const unescapeAttribute = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
