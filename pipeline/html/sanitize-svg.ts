/**
 * SVG images are inlined into the site and print.html and copied beside them, so an SVG is sanitised
 * before any of that: parsed as HTML parses it (hast-util-from-html, the same algorithm as the browser
 * that reads the inlined text), walked with an allow-list, and written again. What goes:
 *
 * - elements that run code or pull in other documents: `script`, `foreignObject`, `iframe`, `embed`,
 *   `object`, the animation elements (`set`, `animate` … can rewrite an `href` into `javascript:`),
 *   `handler`, `listener`, and every element not in the allow-list below — with their content;
 * - attributes `on…` (event handlers), and every attribute that is not plain presentation data;
 * - references out of the file: an `href`/`xlink:href` that is not `#id` (an `<image>` may also name a
 *   relative file of the book or a `data:image/…` URL), `url(…)` other than `url(#id)` in attributes
 *   and styles, `@import` in `<style>`.
 *
 * Every removal is reported by the caller (rule `svg-sanitized`, a warning at the SVG file).
 */
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent, Root } from 'hast';
import { find, svg as svgSchema } from 'property-information';

/** SVG elements that draw, group, define or describe: nothing that runs or loads a document. */
const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'title', 'desc', 'metadata', 'symbol', 'use', 'switch',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'image', 'style', 'a',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting',
  'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
  'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting',
  'feSpotLight', 'feTile', 'feTurbulence',
]);

/** Attributes kept besides those of the SVG presentation vocabulary (property-information's svg schema). */
const EXTRA_ATTRIBUTES = new Set(['id', 'class', 'style', 'lang', 'xml:lang', 'xml:space', 'xmlns', 'xmlns:xlink', 'role', 'tabindex', 'focusable']);
/** Attributes of the schema that are dropped anyway. */
const DROPPED_ATTRIBUTES = new Set(['externalresourcesrequired', 'requiredextensions', 'attributename', 'begin', 'end', 'values', 'to', 'from', 'by']);

export interface SanitizedSvg {
  /** The SVG as text, or undefined when the file holds no `<svg>` root to keep. */
  svg: string | undefined;
  /** What was removed, in words (`<script>`, `onload attribute on <svg>`, `external href "http://…" on <image>` …). */
  removed: string[];
}

export function sanitizeSvg(text: string): SanitizedSvg {
  const removed: string[] = [];
  const tree = fromHtml(text.replace(/^\uFEFF/, ''), { fragment: true });
  const root = tree.children.find((c): c is Element => c.type === 'element');
  if (!root || root.tagName !== 'svg') return { svg: undefined, removed: ['everything: the file has no <svg> root element'] };
  const others = tree.children.filter((c) => c !== root && c.type === 'element');
  for (const o of others) removed.push(`<${(o as Element).tagName}> after the <svg> element`);
  cleanElement(root, removed);
  const out: Root = { type: 'root', children: [root] };
  return { svg: toHtml(out, { space: 'svg', closeEmptyElements: true, tightSelfClosing: true }), removed };
}

function cleanElement(element: Element, removed: string[]): void {
  const tag = element.tagName;
  for (const [key, value] of Object.entries(element.properties)) {
    const info = find(svgSchema, key);
    const name = info.attribute.toLowerCase();
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    let reason: string | undefined;
    if (name.startsWith('on')) reason = `${info.attribute} attribute on <${tag}>`;
    else if (name.startsWith('data-')) continue;
    else if (name.startsWith('aria-')) continue; // accessible names and descriptions: text and #id references
    else if (name === 'href' || name === 'xlink:href') {
      if (!allowedHref(tag, text)) reason = `external ${info.attribute} "${text.slice(0, 80)}" on <${tag}>`;
    } else if (!(info.space === 'svg' || info.space === 'xlink' || info.space === 'xml' || info.space === 'xmlns' || EXTRA_ATTRIBUTES.has(name)) || DROPPED_ATTRIBUTES.has(name)) {
      reason = `${info.attribute} attribute on <${tag}>`;
    } else if (/url\s*\(/i.test(text) && !onlyLocalUrls(text)) reason = `external url() in ${info.attribute} on <${tag}>`;
    else if (/javascript:|vbscript:|expression\s*\(/i.test(text)) reason = `script in ${info.attribute} on <${tag}>`;
    if (reason) {
      removed.push(reason);
      delete element.properties[key];
    }
  }
  element.children = element.children.flatMap((child): ElementContent[] => {
    if (child.type === 'comment') return [];
    if (child.type !== 'element') return [child];
    if (!ELEMENTS.has(child.tagName)) {
      removed.push(`<${child.tagName}>`);
      return [];
    }
    if (child.tagName === 'style') {
      const css = child.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
      const clean = cleanCss(css, removed);
      return [{ ...child, properties: {}, children: clean ? [{ type: 'text', value: clean }] : [] }];
    }
    cleanElement(child, removed);
    return [child];
  });
}

/** `#id` anywhere; on `<image>` also a relative file path or a data: image. */
function allowedHref(tag: string, href: string): boolean {
  const value = href.trim();
  if (value.startsWith('#')) return true;
  if (tag !== 'image') return false;
  if (/^data:image\/(png|jpe?g|gif|webp|avif);/i.test(value)) return true;
  // A relative path: no scheme, not from the root, not protocol-relative, not climbing out.
  return !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('/') && !value.startsWith('\\') && !value.split(/[\\/]/).includes('..');
}

const onlyLocalUrls = (text: string) => [...text.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].every((m) => m[2]!.trim().startsWith('#')) && !/url\s*\(\s*[^'"#\s]/i.test(text.replace(/url\s*\(\s*(['"]?)#[^)]*\)/gi, ''));

/** A `<style>` element's CSS without `@import` rules, external `url()`s and script. */
function cleanCss(css: string, removed: string[]): string {
  let out = css.replace(/@import[^;]*;?/gi, (rule) => {
    removed.push(`@import in <style>: ${rule.trim().slice(0, 80)}`);
    return '';
  });
  out = out.replace(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi, (whole, _q: string, target: string) => {
    if (target.trim().startsWith('#')) return whole;
    removed.push(`external url(${target.trim().slice(0, 80)}) in <style>`);
    return 'none';
  });
  out = out.replace(/javascript:|vbscript:|expression\s*\(|behavior\s*:|-moz-binding/gi, (m) => {
    removed.push(`script (${m}) in <style>`);
    return '';
  });
  // The style element's text must not close it: a stray `</` would end it in HTML.
  return out.replace(/<\//g, '<\\/');
}
