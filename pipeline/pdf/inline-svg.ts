/**
 * SVG figures are printed inline. An SVG drawn through `<img>` is sandboxed: it cannot use the page's
 * fonts, so its text would fall back to whatever the machine has (and fail the font audit). Before the
 * first print, every `<img>` whose source is an .svg file of this build is replaced by the SVG itself,
 * with its ids prefixed so two figures never share one; the `alt` text becomes the SVG's label.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer';
import { runInPage } from './page-scripts.ts';

const SVG_SOURCES = String.raw`(() => [...new Set([...document.images].map((img) => img.src).filter((src) => /^file:.*\.svg$/i.test(src)))])`;

const INLINE = String.raw`(({ svgs }) => {
  let n = 0;
  for (const img of [...document.images]) {
    const text = svgs[img.src];
    if (!text) continue;
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = parsed.documentElement;
    if (svg.nodeName !== 'svg' || parsed.querySelector('parsererror')) continue;
    const prefix = 'svg' + (++n) + '-';
    const ids = new Map();
    for (const el of svg.querySelectorAll('[id]')) { ids.set(el.id, prefix + el.id); el.id = prefix + el.id; }
    if (ids.size) {
      for (const el of svg.querySelectorAll('*')) {
        for (const attr of [...el.attributes]) {
          let v = attr.value;
          if (v.includes('url(#')) v = v.replace(/url\(#([^)]+)\)/g, (m, id) => (ids.has(id) ? 'url(#' + ids.get(id) + ')' : m));
          if ((attr.localName === 'href') && v.startsWith('#') && ids.has(v.slice(1))) v = '#' + ids.get(v.slice(1));
          if (v !== attr.value) el.setAttributeNS(attr.namespaceURI, attr.name, v);
        }
      }
    }
    svg.setAttribute('role', 'img');
    if (img.alt) svg.setAttribute('aria-label', img.alt);
    svg.classList.add('inline-svg');
    for (const c of img.classList) svg.classList.add(c);
    img.replaceWith(document.importNode(svg, true));
  }
  return n;
})`;

/** Inline the build's SVG images into the loaded print page. Returns how many were inlined. */
export async function inlineSvgImages(page: Page, root: string): Promise<number> {
  const sources = await runInPage<string[]>(page, SVG_SOURCES, null);
  const svgs: Record<string, string> = {};
  for (const src of sources) {
    let path: string;
    try {
      path = fileURLToPath(src);
    } catch {
      continue;
    }
    const rel = relative(resolve(root), resolve(path));
    if (rel.startsWith('..') || rel.startsWith(sep)) continue; // not a file of this build: left to the request guard
    try {
      svgs[src] = await readFile(path, 'utf8');
    } catch {
      /* a missing file is reported by the request guard as a failed request */
    }
  }
  if (!Object.keys(svgs).length) return 0;
  return runInPage<number>(page, INLINE, { svgs });
}
