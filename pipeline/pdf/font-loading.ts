/**
 * Web fonts for a page that is never laid out on screen.
 *
 * The PDF stage loads print.html with the body hidden on screen (`@media screen`, print-html.ts): a
 * screen layout of the whole book costs about as much as a third of the print and nothing of it is
 * used, since Chromium lays the book out again for print. But the screen layout is what makes Chromium
 * load the unicode-range slices of the web fonts that the text needs; the print layout asks for them
 * too, yet prints before they arrive (fallback glyphs). So the fonts are loaded here, before printing:
 *
 * - `LOAD_FONTS` reads the text of the page with the font (family stack, weight, style) each text node
 *   is set in — computed styles only, no layout — adds the strings of `::before`/`::after` (computed
 *   too: a page cannot read the rules of its file:// stylesheets) and the text drawn only in margin boxes, resolves every character as CSS font matching does (in each family
 *   of the stack, the faces at the nearest weight and style whose unicode-range covers it) and loads
 *   those faces (`FontFace.load`, in parallel);
 * - `printWithFonts` checks after each print that the print layout asked for no face that was not
 *   loaded (a glyph in a face that does not have it, a `::marker`, a style the scan could not read): if
 *   it did, it waits for those faces and prints again, so a missing slice costs time, never a glyph.
 */
import { posix } from 'node:path';
import { parseUnicodeRange } from '../fonts/fonts.ts';
import type { Page, PDFOptions } from 'puppeteer';
import { runInPage } from './page-scripts.ts';

export interface MarginText {
  /** CSS font-family stack of the margin boxes. */
  stack: string;
  /** Characters drawn there (running heads, folio digits). */
  text: string;
  weight?: number;
  style?: 'normal' | 'italic';
}

export interface FontLoadResult {
  /** Faces loaded by this call. */
  loaded: number;
  /** Faces of the document (all of them, loaded or not). */
  faces: number;
  /** Characters read from the page, counted once per font they are set in. */
  characters: number;
  /** Faces the text needs that could not be loaded (a missing or damaged file): its glyphs fall back. */
  failed: FailedFace[];
}

export interface FailedFace {
  family: string;
  weight: string;
  style: string;
  unicodeRange: string;
}

/**
 * Load the faces the page's text needs (see above). `margin` lists text drawn only in margin boxes.
 * Resolves once every face is loaded or has failed; the failed ones are listed (their glyphs would come
 * from the next family of the stack, silently: pass-prepare.ts reports them).
 */
export const LOAD_FONTS = String.raw`(async ({ margin }) => {
  const unquote = (s) => s.trim().replace(/^['"]|['"]$/g, '');
  const weightOf = (w) => (w === 'normal' ? 400 : w === 'bold' ? 700 : Number(w) || 400);

  // The document's faces by family, each with its unicode ranges.
  const faces = [...document.fonts];
  const byFamily = new Map();
  for (const face of faces) {
    const family = unquote(face.family);
    if (!byFamily.has(family)) byFamily.set(family, []);
    const [lo, hi = lo] = String(face.weight).split(/\s+/).map(weightOf);
    const ranges = face.unicodeRange.split(',').map((part) => {
      const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
      const from = parseInt(a.replace(/\?/g, '0'), 16);
      const to = b ? parseInt(b, 16) : parseInt(a.replace(/\?/g, 'f'), 16);
      return [from, to];
    });
    byFamily.get(family).push({ face, lo, hi, style: face.style === 'normal' ? 'normal' : 'italic', ranges });
  }
  // CSS Fonts 4 §5.2: the faces of a family that a weight and style select, as sorted ranges
  // [from, to, face] for a binary search by code point.
  const selections = new Map();
  const select = (family, weight, style) => {
    const key = family + '|' + weight + '|' + style;
    if (selections.has(key)) return selections.get(key);
    const all = byFamily.get(family) || [];
    let chosen = [];
    for (const s of style === 'italic' ? ['italic', 'normal'] : ['normal', 'italic']) {
      const same = all.filter((f) => f.style === s);
      if (!same.length) continue;
      const distance = (f) => {
        if (weight >= f.lo && weight <= f.hi) return 0;
        const w = weight < f.lo ? f.lo : f.hi;
        if (weight >= 400 && weight <= 500) {
          if (w > weight && w <= 500) return w - weight;
          if (w < weight) return 1000 + (weight - w);
          return 2000 + (w - weight);
        }
        if (weight < 400) return w < weight ? weight - w : 1000 + (w - weight);
        return w > weight ? w - weight : 1000 + (weight - w);
      };
      const best = Math.min(...same.map(distance));
      chosen = same.filter((f) => distance(f) === best);
      break;
    }
    const ranges = chosen.flatMap((f) => f.ranges.map(([a, b]) => [a, b, f.face])).sort((x, y) => x[0] - y[0]);
    selections.set(key, ranges);
    return ranges;
  };
  // Every face of the selection whose range holds cp (ranges of different faces may overlap).
  const covering = (ranges, cp, out) => {
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][0] <= cp) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) if (ranges[i][1] >= cp) out.add(ranges[i][2]);
  };

  // Characters by font, resolved as they are met; a face starts loading as soon as one needs it.
  const loads = [];
  const seen = new Map();
  const chosenFaces = new Set();
  let characters = 0;
  const want = (fontFamily, weight, style, text) => {
    const key = fontFamily + '|' + weight + '|' + style;
    let known = seen.get(key);
    if (!known) {
      const families = fontFamily.split(',').map(unquote).filter(Boolean);
      known = { set: new Set(), selections: families.map((f) => select(f, weight, style)) };
      seen.set(key, known);
    }
    for (const raw of text) {
      // White space is drawn too (as a space, once collapsed): its face must be there like any other.
      const c = raw === '\n' || raw === '\t' || raw === '\r' ? ' ' : raw;
      if (known.set.has(c)) continue;
      known.set.add(c);
      characters++;
      const cp = c.codePointAt(0);
      // Every family of the stack, not only the first that covers it: a slice's unicode-range may claim
      // a character its font has no glyph for (Noto Serif SC's latin-ext slice and ᵢ), and then Chromium
      // takes the next family. The CJK ranges are covered by one family only, so this adds a few Latin
      // slices at most.
      const found = new Set();
      for (const ranges of known.selections) covering(ranges, cp, found);
      for (const face of found) {
        if (chosenFaces.has(face)) continue;
        chosenFaces.add(face);
        if (face.status === 'unloaded') loads.push(face.load().then(() => null, () => face));
      }
    }
  };

  // The text, in the font each text node is set in. Computed styles (no layout), asked once per kind of
  // element: elements with the same tag, classes, lang and style attribute (and an SVG element's font
  // attributes) as their ancestors have the same font in a book's CSS (a rule that tells them apart by
  // something else is caught after the print, by printWithFonts).
  const svgNs = 'http://www.w3.org/2000/svg';
  const svgFontAttributes = ['font-family', 'font-weight', 'font-style', 'font'];
  const fontOf = new Map();
  const fontOfKind = new Map();
  const kindOf = (el) => {
    let kind = fontOf.get(el);
    if (kind !== undefined) return kind;
    const parent = el.parentElement;
    const attrs = ['class', 'lang', 'style'].concat(el.namespaceURI === svgNs ? svgFontAttributes : []).map((a) => el.getAttribute(a) || '').join('|');
    kind = (parent && parent !== document.documentElement ? kindOf(parent) : '') + '>' + el.localName + '[' + attrs + ']';
    fontOf.set(el, kind);
    return kind;
  };
  const fontIn = (cs) => [cs.fontFamily, weightOf(cs.fontWeight), cs.fontStyle === 'normal' ? 'normal' : 'italic'];
  // Generated content: the strings of ::before / ::after, read from computed styles once per kind of
  // element (a page cannot read the rules of its file:// stylesheets; computed styles it can).
  const pseudoSeen = new Set();
  const generated = (el, kind) => {
    if (pseudoSeen.has(kind)) return;
    pseudoSeen.add(kind);
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (!cs.content || cs.content === 'none' || cs.content === 'normal') continue;
      const strings = [...cs.content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1')).join('');
      if (strings) want(...fontIn(cs), strings);
    }
  };
  const skipped = 'script, style, template';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (!node.closest(skipped)) generated(node, kindOf(node));
      continue;
    }
    const el = node.parentElement;
    if (!el || !node.data.trim()) continue;
    const kind = kindOf(el);
    let font = fontOfKind.get(kind);
    if (font === undefined) {
      font = el.closest(skipped) ? null : fontIn(getComputedStyle(el));
      fontOfKind.set(kind, font);
    }
    if (font) want(font[0], font[1], font[2], node.data);
  }
  for (const m of margin) want(m.stack, m.weight || 400, m.style || 'normal', m.text);
  const failed = (await Promise.all(loads)).filter(Boolean).map((face) => ({ family: unquote(face.family), weight: String(face.weight), style: face.style, unicodeRange: face.unicodeRange }));
  return { loaded: loads.length - failed.length, faces: faces.length, characters, failed };
})`;

/** Remember which faces are not loaded yet (before a print). */
const WATCH = String.raw`(() => {
  window.__annalsUnloaded = [...document.fonts].filter((f) => f.status === 'unloaded');
  return window.__annalsUnloaded.length;
})`;

/** How many of the faces remembered by WATCH the print asked for; waits for them to load. */
const REQUESTED = String.raw`(async () => {
  const asked = (window.__annalsUnloaded || []).filter((f) => f.status !== 'unloaded');
  await Promise.all(asked.map((f) => f.loaded.catch(() => undefined)));
  return asked.length;
})`;

/** Load the faces the page needs before its first print (see the module comment). */
export function loadPrintFonts(page: Page, margin: MarginText[]): Promise<FontLoadResult> {
  return runInPage<FontLoadResult>(page, LOAD_FONTS, { margin });
}

export interface PrintCheck {
  /** Told how many faces the print asked for, before it is printed again. */
  onReprint?: (faces: number) => void;
  /** At most this many prints. Default 3. */
  attempts?: number;
  /** Told how many faces the last print still asked for, when there are no attempts left. */
  onGiveUp?: (faces: number) => void;
}

/**
 * `page.pdf(options)`, printed again when the print asked for a face that was not loaded, once it has
 * loaded. (Images need no such check: a print waits for those it asks for, CSS backgrounds included.)
 */
export async function printWithFonts(page: Page, options: PDFOptions, check: PrintCheck = {}): Promise<Uint8Array> {
  const attempts = check.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    await runInPage<number>(page, WATCH, null);
    const bytes = await page.pdf(options);
    const faces = await runInPage<number>(page, REQUESTED, null);
    if (faces === 0) return bytes;
    if (attempt >= attempts) {
      check.onGiveUp?.(faces);
      return bytes;
    }
    check.onReprint?.(faces);
  }
}

/** A stylesheet's text and the folder its relative URLs start from (relative to print.html). */
export interface StylesheetText {
  css: string;
  base: string;
}

/**
 * The file of a face that failed (relative to print.html), from the stylesheets it may be declared in:
 * the `url(…)` of the @font-face rule with the same family, weight, style and code points.
 */
export function fontFileOf(face: FailedFace, sheets: readonly StylesheetText[]): string | undefined {
  const points = (range: string) => parseUnicodeRange(range).map(([a, b]) => `${a}-${b}`).join(',');
  const want = points(face.unicodeRange || 'U+0-10FFFF');
  const norm = (value: string | undefined, fallback: string) => (value ?? fallback).trim().replace(/^['"]|['"]$/g, '').toLowerCase();
  for (const { css, base } of sheets) {
    for (const block of css.matchAll(/@font-face\s*\{([^}]*)\}/g)) {
      const prop = (name: string) => new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*([^;]+)`).exec(block[1]!)?.[1];
      if (norm(prop('font-family'), '') !== face.family.toLowerCase()) continue;
      if (norm(prop('font-weight'), '400').replace('normal', '400') !== face.weight.toLowerCase().replace('normal', '400')) continue;
      if (norm(prop('font-style'), 'normal') !== face.style.toLowerCase()) continue;
      if (points(prop('unicode-range') ?? 'U+0-10FFFF') !== want) continue;
      const url = /url\(\s*['"]?([^'")]+)['"]?\s*\)/.exec(prop('src') ?? '')?.[1];
      return url === undefined ? undefined : posix.join(base, url);
    }
  }
  return undefined;
}
