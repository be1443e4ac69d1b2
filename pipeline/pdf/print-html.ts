/**
 * The copy of print.html that the PDF stage loads (`.print-pdf.html`), prepared in Node so that the page
 * needs no changes before its first print:
 *
 * - the PDF variant of the page CSS in `<style id="annals-page-css">`;
 * - the placeholder in every `[data-page-of]` element (plain-text content only; anything else is left to
 *   the page script, which checks);
 * - no lazy images;
 * - the print fonts (one file per face, print-fonts.ts) in place of the site's unicode-range slices;
 * - (SVG images are inline in print.html already, pipeline/html/inline-svg-images.ts; pass-prepare.ts
 *   runs the same inliner over the copy for any other SVG file of the build folder);
 * - an empty `<style id="annals-visibility">` (page-scripts.ts `SHOW` fills it);
 * - the body hidden on screen: Chromium lays the book out for print anyway, and a screen layout of the
 *   whole book would cost about a third of the print for nothing. Without it the page loads no fonts by
 *   itself; font-loading.ts loads the slices the text needs.
 *
 * Deterministic: the same print.html gives the same string.
 */

export interface PrintHtmlOptions {
  /** The `pdf` page CSS. */
  css: string;
  /** Text of `[data-page-of]` elements before their numbers are known. */
  placeholder: string;
  /** The print fonts' stylesheet, in place of the site's (`…/assets/fonts.css`): print-fonts.ts. */
  fontsHref?: string;
}

/** Hides the body on screen only (see above). */
export const SCREEN_HIDDEN_CSS = '<style id="annals-screen">@media screen { body { display: none !important; } }</style>\n';

export function preparePrintHtml(html: string, options: PrintHtmlOptions): string {
  let out = html.replace(/(<style id="annals-page-css">)[\s\S]*?(<\/style>)/, (_, open: string, close: string) => open + options.css + close);
  out = out.replace(/(<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-page-of="[^"]*"[^>]*>)[^<]*(<\/\2>)/g, (_, open: string, _tag: string, close: string) => open + options.placeholder + close);
  out = out.replace(/(<img\b[^>]*?)\sloading="lazy"/g, '$1');
  if (options.fontsHref) out = out.replace(/(<link\b[^>]*\brel="stylesheet"[^>]*\bhref=")[^"]*assets\/fonts\.css(")/, (_, open: string, close: string) => open + options.fontsHref + close);
  const visibility = '<style id="annals-visibility"></style>\n';
  return insertBefore(out, '</head>', SCREEN_HIDDEN_CSS + visibility);
}

function insertBefore(html: string, tag: string, text: string): string {
  const at = html.lastIndexOf(tag);
  return at < 0 ? html + text : html.slice(0, at) + text + html.slice(at);
}
