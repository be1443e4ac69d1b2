/**
 * The copy of print.html that the PDF stage loads (`.print-pdf.html`), prepared in Node so that the page
 * lays out once, in its final form: every DOM change after loading makes Chromium lay the whole book out
 * again, which costs about as much as a tenth of the print.
 *
 * - the PDF variant of the page CSS in `<style id="annals-page-css">`;
 * - the placeholder in every `[data-page-of]` element (plain-text content only; anything else is left to
 *   the page script, which checks);
 * - no lazy images;
 * - (SVG images are inline in print.html already, pipeline/html/inline-svg-images.ts; the in-page
 *   inliner, inline-svg.ts, takes any the string pass left as images);
 * - an empty `<style id="annals-visibility">` (page-scripts.ts `SHOW` fills it);
 * - a hidden, screen-only element with the text that appears only in margin boxes (running heads,
 *   folios) in the font of the margin boxes, so its font slices load with the page instead of afterwards.
 *
 * Deterministic: the same print.html and SVG files give the same string.
 */

export interface PrintHtmlOptions {
  /** The `pdf` page CSS. */
  css: string;
  /** Text of `[data-page-of]` elements before their numbers are known. */
  placeholder: string;
  /** Text drawn only in margin boxes, and their font stack. */
  marginText: string;
  marginFont: string;
}

export const MARGIN_TEXT_ID = 'annals-margin-text';

export function preparePrintHtml(html: string, options: PrintHtmlOptions): string {
  let out = html.replace(/(<style id="annals-page-css">)[\s\S]*?(<\/style>)/, (_, open: string, close: string) => open + options.css + close);
  out = out.replace(/(<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-page-of="[^"]*"[^>]*>)[^<]*(<\/\2>)/g, (_, open: string, _tag: string, close: string) => open + options.placeholder + close);
  out = out.replace(/(<img\b[^>]*?)\sloading="lazy"/g, '$1');
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

const unescapeAttribute = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');
