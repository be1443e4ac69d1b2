/**
 * The copy of print.html that the PDF stage loads (`.print-pdf.html`), prepared in Node so that the page
 * lays out once, in its final form: every DOM change after loading makes Chromium lay the whole book out
 * again, which costs about as much as a tenth of the print.
 *
 * - the PDF variant of the page CSS in `<style id="annals-page-css">`;
 * - the placeholder in every `[data-page-of]` element (plain-text content only; anything else is left to
 *   the page script, which checks);
 * - no lazy images;
 * - SVG images of this build inlined (inline-svg.ts explains why); the in-page inliner remains for any
 *   that this string pass leaves alone;
 * - an empty `<style id="annals-visibility">` (page-scripts.ts `SHOW` fills it);
 * - a hidden, screen-only element with the text that appears only in margin boxes (running heads,
 *   folios) in the font of the margin boxes, so its font slices load with the page instead of afterwards.
 *
 * Deterministic: the same print.html and SVG files give the same string.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';

export interface PrintHtmlOptions {
  /** The edition's staging folder (print.html's folder); only SVG files inside it are inlined. */
  dir: string;
  /** The `pdf` page CSS. */
  css: string;
  /** Text of `[data-page-of]` elements before their numbers are known. */
  placeholder: string;
  /** Text drawn only in margin boxes, and their font stack. */
  marginText: string;
  marginFont: string;
}

export const MARGIN_TEXT_ID = 'annals-margin-text';

export async function preparePrintHtml(html: string, options: PrintHtmlOptions): Promise<string> {
  let out = html.replace(/(<style id="annals-page-css">)[\s\S]*?(<\/style>)/, (_, open: string, close: string) => open + options.css + close);
  out = out.replace(/(<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-page-of="[^"]*"[^>]*>)[^<]*(<\/\2>)/g, (_, open: string, _tag: string, close: string) => open + options.placeholder + close);
  out = out.replace(/(<img\b[^>]*?)\sloading="lazy"/g, '$1');
  out = await inlineSvgSources(out, options.dir);
  const hidden =
    `<style>#${MARGIN_TEXT_ID} { position: absolute; top: 0; left: 0; visibility: hidden; white-space: nowrap; font-weight: 400; font-style: normal; }\n` +
    `@media print { #${MARGIN_TEXT_ID} { display: none; } }</style>\n` +
    `<div id="${MARGIN_TEXT_ID}" aria-hidden="true" style="font-family: ${escapeAttribute(options.marginFont)}">${escapeText(options.marginText)}</div>\n`;
  const visibility = '<style id="annals-visibility"></style>\n';
  out = insertBefore(out, '</head>', visibility);
  out = insertBefore(out, '</body>', hidden);
  return out;
}

/** Characters of every running head, label and 分目 title in print.html (for the margin-text element). */
export function runningHeadText(html: string): string {
  const values = [...html.matchAll(/\sdata-(?:running-head|label)="([^"]*)"/g)].map((m) => unescapeAttribute(m[1]!));
  return [...new Set([...values.join('')])].join('');
}

function insertBefore(html: string, tag: string, text: string): string {
  const at = html.lastIndexOf(tag);
  return at < 0 ? html + text : html.slice(0, at) + text + html.slice(at);
}

/**
 * Every `<img src="….svg">` whose file is in `dir` becomes the SVG itself: ids prefixed (svg1-, svg2- …
 * in document order) with `url(#…)` and `href="#…"` references following them, `role="img"`, the alt
 * text as `aria-label`, the image's classes plus `inline-svg`. SVGs with a DOCTYPE internal subset or
 * without a single `<svg>` root are left as images.
 */
async function inlineSvgSources(html: string, dir: string): Promise<string> {
  const images = [...html.matchAll(/<img\b[^>]*>/g)];
  if (!images.length) return html;
  let n = 0;
  let out = '';
  let at = 0;
  for (const m of images) {
    const tag = m[0];
    const src = attribute(tag, 'src');
    if (!src || !/\.svg$/i.test(src) || /^[a-z][a-z0-9+.-]*:/i.test(src)) continue;
    const path = resolve(dir, decodeURIComponent(unescapeAttribute(src)));
    const rel = relative(resolve(dir), path);
    if (rel.startsWith('..') || rel.startsWith(sep)) continue;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue; // reported by the request guard when the page asks for it
    }
    const svg = svgElement(text, `svg${n + 1}-`, tag);
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
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');
