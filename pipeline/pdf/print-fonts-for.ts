/**
 * Before Chromium loads anything: print.html read, its body parts known, the page CSS for them, and the
 * print fonts cut and written beside it (the prepare pass, pass-prepare.ts, starts this while Chromium
 * launches).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { codePointsOf } from '../fonts/fonts.ts';
import { printPartsOfTree, type PrintPart } from '../html/print-parts.ts';
import { PRINT_STYLESHEETS } from '../html/templates.ts';
import type { StylesheetText } from './font-loading.ts';
import { COUNTER_GLYPHS } from './page-css.ts';
import type { PartInfo } from './page-scripts.ts';
import { GENERATED_TEXT, printFonts, printFontsCss, type PrintFonts } from './print-fonts.ts';
import { FURNITURE_CSS, PRINT_FONTS, type PrintEditionOptions } from './print-options.ts';

export interface PrintFontsFor {
  /** print.html as the build wrote it. */
  html: string;
  /** print.html parsed (hast), when its parts had to be read from it (no `parts` given): the PDF copy reuses it. */
  tree?: Root;
  /** Its body parts (the page confirms them). */
  guessed: PartInfo[];
  /** The PDF page CSS for `guessed`, with FURNITURE_CSS. */
  guessedCss: string;
  /** The print fonts written to PRINT_FONTS (print-fonts.ts). */
  faces: PrintFonts;
}

/**
 * print.html, its body parts (as the build passed them, else from print.html parsed: html/print-parts.ts),
 * the page CSS for them, and the print fonts written beside it with their stylesheet (PRINT_FONTS): one font file per face, cut from a full static
 * font (print-fonts.ts), instead of the site's unicode-range slices, so that the PDF embeds each face
 * once, under its real name. The characters come from print.html, its stylesheets and the page CSS
 * (running heads and the yearbook 分目's `<head> · <title>` are drawn from it alone).
 */
export async function printFontsFor(options: PrintEditionOptions): Promise<PrintFontsFor> {
  const { dir } = options;
  const html = await readFile(join(dir, 'print.html'), 'utf8');
  const tree = options.parts ? undefined : fromHtml(html);
  const guessed = partInfos(options.parts ?? printPartsOfTree(tree!));
  const guessedCss = options.pageCss(guessed) + FURNITURE_CSS;
  const used = codePointsOf([html, COUNTER_GLYPHS, GENERATED_TEXT, guessedCss, ' · ', ...(await printStylesheets(dir)).map((s) => s.css)]);
  const faces = await printFonts({ set: options.fonts, used, cache: options.fontCache });
  await mkdir(join(dir, PRINT_FONTS), { recursive: true });
  for (const f of faces.files) await writeFile(join(dir, PRINT_FONTS, f.name), f.data);
  const siteFonts = await readFile(join(dir, 'site/assets/fonts.css'), 'utf8').catch(() => '');
  await writeFile(join(dir, PRINT_FONTS, 'fonts.css'), printFontsCss(options.fonts, faces, used, { fileUrl: '', sliceUrl: '../site/assets/fonts/', site: { css: siteFonts, base: '../site/assets/' } }));
  return { html, ...(tree ? { tree } : {}), guessed, guessedCss, faces };
}

/** The parts as the page scripts take them (PREPARE finds whether each holds `[data-page-of]` elements). */
export const partInfos = (parts: readonly PrintPart[]): PartInfo[] => parts.map(({ id, kind, runningHead }) => ({ id, kind, runningHead, hasPageOf: false }));

/**
 * The stylesheets print.html links (templates.ts PRINT_STYLESHEETS), with the folder each one's URLs
 * start from (for messages); `fontsHref` in place of the site's fonts.css (the PDF copy links the print
 * fonts). One that is not there (katex.css without math) is left out.
 */
export async function printStylesheets(dir: string, fontsHref?: string): Promise<StylesheetText[]> {
  const hrefs = PRINT_STYLESHEETS.map((href) => (fontsHref && href.endsWith('/fonts.css') ? fontsHref : href));
  const sheets = await Promise.all(hrefs.map(async (href) => ({ css: await readFile(join(dir, href), 'utf8').catch(() => undefined), base: posix.dirname(href) })));
  return sheets.filter((s): s is StylesheetText => s.css !== undefined);
}
