/**
 * The cover for the printer: back, spine and front on one sheet, `bleed` mm beyond the trim on every
 * side, the spine as wide as the page count and the paper make it (print-figures.ts `spineWidth`). The
 * spine title runs vertically: upright characters for Chinese, rotated top-to-bottom for other languages; a spine narrower than MIN_SPINE_TEXT mm carries no text. The back holds
 * the ISBN as an EAN-13 barcode (bwip-js, drawn as vector paths) with the price.
 *
 * The page is an HTML file laid out in millimetres and printed by the edition's browser tab; the
 * background colours run to the sheet's edge, i.e. into the bleed.
 */
import bwipjs from 'bwip-js/node';
import type { EditionContext } from '../context/types.ts';
import { isbnDigits } from '../config/isbn.ts';

/** Below this spine width (mm) the spine carries no text: a printer could not keep it on the spine. */
export const MIN_SPINE_TEXT = 5;

export interface CoverGeometry {
  /** Trimmed page width and height, mm. */
  width: number;
  height: number;
  spine: number;
  bleed: number;
}

/** Sheet size in mm: back + spine + front, plus the bleed all round. */
export function coverSheetSize(g: CoverGeometry): { width: number; height: number } {
  return { width: round(2 * g.width + g.spine + 2 * g.bleed), height: round(g.height + 2 * g.bleed) };
}

/** The EAN-13 barcode of an ISBN as an SVG element (undefined for a missing or malformed ISBN). */
export function isbnBarcodeSvg(isbn: string | undefined): string | undefined {
  const digits = isbn ? isbnDigits(isbn) : undefined;
  if (!digits) return undefined;
  return bwipjs.toSVG({ bcid: 'ean13', text: digits, includetext: true, guardwhitespace: true, height: 20, scale: 2 });
}

/** The cover sheet as a self-contained HTML page; fonts come from `fontsCss` (site/assets/fonts.css). */
export function coverSheetHtml(context: EditionContext, g: CoverGeometry, fontsCss: string): string {
  const { edition, config, locale } = context;
  const sheet = coverSheetSize(g);
  const b = g.bleed;
  const price = edition.imprint?.price;
  const barcode = isbnBarcodeSvg(edition.imprint?.isbn);
  const vertical = locale.cjk;
  const spineSize = Math.min(4.2, g.spine * 0.55); // mm: the spine title's type size
  const esc = (s: string | undefined) => (s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const spineText = g.spine >= MIN_SPINE_TEXT
    ? `<div class="spine-title">${esc(edition.title)}</div><div class="spine-publisher">${esc(edition.publisher)}</div>`
    : '';
  return `<!doctype html>
<html lang="${esc(edition.lang)}">
<head>
<meta charset="utf-8">
<title>${esc(edition.title)}</title>
<link rel="stylesheet" href="${esc(fontsCss)}">
<style>
@page { size: ${sheet.width}mm ${sheet.height}mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body { position: relative; width: ${sheet.width}mm; height: ${sheet.height}mm; overflow: hidden; font-family: var(--font-heading); color: #1b1b1b; background: #f4efe6; }
.panel { position: absolute; top: 0; height: ${sheet.height}mm; box-sizing: border-box; }
.back { left: 0; width: ${round(b + g.width)}mm; padding: ${b + 24}mm 20mm ${b + 20}mm ${b + 20}mm; }
.spine { left: ${round(b + g.width)}mm; width: ${g.spine}mm; background: #8a1c1c; color: #fff; display: flex; flex-direction: column; align-items: center; justify-content: space-between; padding: ${b + 18}mm 0 ${b + 14}mm; }
.front { left: ${round(b + g.width + g.spine)}mm; width: ${round(g.width + b)}mm; padding: ${b + 42}mm ${b + 18}mm ${b + 20}mm 20mm; }
.band { position: absolute; left: 0; right: 0; top: 0; height: ${b + 28}mm; background: #8a1c1c; }
.front h1 { font-size: 26pt; line-height: 1.3; margin: 0 0 6mm; letter-spacing: 0.04em; }
.front .subtitle { font-size: 13pt; color: #5d5d5d; margin: 0; }
.front .year { font-size: 18pt; color: #8a1c1c; margin: 16mm 0 0; }
.front .byline { position: absolute; bottom: ${b + 34}mm; font-size: 12pt; margin: 0; }
.front .publisher { position: absolute; bottom: ${b + 22}mm; font-size: 11pt; color: #5d5d5d; margin: 0; }
.spine-title, .spine-publisher { font-size: ${round(spineSize)}mm; line-height: 1; white-space: nowrap; ${vertical ? 'writing-mode: vertical-rl; text-orientation: upright; letter-spacing: 0.15em;' : 'writing-mode: vertical-rl;'} }
.spine-publisher { font-size: ${round(spineSize * 0.8)}mm; }
.back .description { font-size: 10.5pt; line-height: 1.8; margin: 0; }
.barcode { position: absolute; right: 20mm; bottom: ${b + 18}mm; background: #fff; padding: 3mm; text-align: center; }
.barcode svg { display: block; width: 40mm; height: auto; }
.barcode p { margin: 2mm 0 0; font-size: 9pt; }
</style>
</head>
<body class="cover-sheet">
<section class="panel back">
  ${edition.description ? `<p class="description">${esc(edition.description)}</p>` : ''}
  <div class="barcode">${barcode ?? ''}${price === undefined ? '' : `<p class="price">${esc(locale.t('coverPrice', { price: priceText(price) }))}</p>`}</div>
</section>
<section class="panel spine">${spineText}</section>
<section class="panel front">
  <div class="band"></div>
  <h1>${esc(edition.title)}</h1>
  ${edition.subtitle ? `<p class="subtitle">${esc(edition.subtitle)}</p>` : ''}
  <p class="year">${config.year}</p>
  ${edition.byline ? `<p class="byline">${esc(edition.byline)}</p>` : ''}
  ${edition.publisher ? `<p class="publisher">${esc(edition.publisher)}</p>` : ''}
</section>
</body>
</html>
`;
}

function priceText(price: number | string): string {
  return typeof price === 'number' ? price.toFixed(2) : price;
}

function round(mm: number): number {
  return Math.round(mm * 100) / 100;
}
