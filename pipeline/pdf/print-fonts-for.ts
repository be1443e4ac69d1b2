/**
 * Before Chromium loads anything: print.html read, its body parts guessed from the HTML, the page CSS
 * for them, and the print fonts cut and written beside it (the prepare pass, pass-prepare.ts, starts this
 * while Chromium launches).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { codePointsOf } from '../fonts/fonts.ts';
import type { StylesheetText } from './font-loading.ts';
import { COUNTER_GLYPHS } from './page-css.ts';
import type { PartInfo } from './page-scripts.ts';
import { GENERATED_TEXT, printFonts, printFontsCss, type PrintFonts } from './print-fonts.ts';
import { FURNITURE_CSS, PRINT_FONTS, type PrintEditionOptions } from './print-options.ts';

export interface PrintFontsFor {
  /** print.html as the build wrote it. */
  html: string;
  /** Its body parts as written (the page confirms them). */
  guessed: PartInfo[];
  /** The PDF page CSS for `guessed`, with FURNITURE_CSS. */
  guessedCss: string;
  /** The print fonts written to PRINT_FONTS (print-fonts.ts). */
  faces: PrintFonts;
}

/**
 * print.html, its body parts as written (`partsOfHtml`), the page CSS for them, and the print fonts
 * written beside it with their stylesheet (PRINT_FONTS): one font file per face, cut from a full static
 * font (print-fonts.ts), instead of the site's unicode-range slices, so that the PDF embeds each face
 * once, under its real name. The characters come from print.html, its stylesheets and the page CSS
 * (running heads and the yearbook 分目's `<head> · <title>` are drawn from it alone).
 */
export async function printFontsFor(options: PrintEditionOptions): Promise<PrintFontsFor> {
  const { dir } = options;
  const html = await readFile(join(dir, 'print.html'), 'utf8');
  const guessed = partsOfHtml(html);
  const guessedCss = options.pageCss(guessed) + FURNITURE_CSS;
  const used = codePointsOf([html, COUNTER_GLYPHS, GENERATED_TEXT, guessedCss, ' · ', ...(await stylesheetsOf(html, dir)).map((s) => s.css)]);
  const faces = await printFonts({ set: options.fonts, used, cache: options.fontCache });
  await mkdir(join(dir, PRINT_FONTS), { recursive: true });
  for (const f of faces.files) await writeFile(join(dir, PRINT_FONTS, f.name), f.data);
  const siteFonts = await readFile(join(dir, 'site/assets/fonts.css'), 'utf8').catch(() => '');
  await writeFile(join(dir, PRINT_FONTS, 'fonts.css'), printFontsCss(options.fonts, faces, used, { fileUrl: '', sliceUrl: '../site/assets/fonts/', site: { css: siteFonts, base: '../site/assets/' } }));
  return { html, guessed, guessedCss, faces };
}

/**
 * The body parts of print.html as render-edition writes them (`<section class="chapter …" id=…
 * data-running-head=… data-label=…>`), read before loading it; the page confirms them (PREPARE).
 */
export function partsOfHtml(html: string): PartInfo[] {
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
  const tags = [...html.matchAll(/<section class="(chapter|matter)[ "][^>]*>/g)];
  const first = tags.findIndex((m) => m[1] === 'chapter');
  if (first < 0) return [];
  return tags.slice(first).map((m) => {
    const label = unescape(attr(m[0], 'data-label') ?? '');
    const head = unescape(attr(m[0], 'data-running-head') ?? '');
    return { id: unescape(attr(m[0], 'id') ?? ''), kind: m[1] as 'chapter' | 'matter', runningHead: label ? `${label} ${head}` : head, hasPageOf: false };
  });
}

/** The stylesheets print.html links, with the folder each one's URLs start from (for messages). */
export async function stylesheetsOf(html: string, dir: string): Promise<StylesheetText[]> {
  const hrefs = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => decodeURI(m[1]!));
  return Promise.all(hrefs.map(async (href) => ({ css: await readFile(join(dir, href), 'utf8').catch(() => ''), base: posix.dirname(href) })));
}
