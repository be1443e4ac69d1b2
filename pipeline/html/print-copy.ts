/**
 * The PDF stage's copy of print.html (`.print-pdf.html`, pdf/print-html.ts), rendered from the same
 * template and parts as print.html rather than edited from its text: render-edition.ts compiles each
 * part's tree a second time with the page-number placeholder in its `[data-page-of]` elements (only the
 * parts that have any), and the PDF stage fills in what it alone knows — the PDF page CSS, the print
 * fonts' stylesheet and what its head adds — through the template's `{{{pageCss}}}`, `{{fontsCss}}` and
 * `{{{headExtra}}}`.
 */
import type { Templates } from './templates.ts';

export interface PrintCopy {
  /** The edition's templates (print.html is rendered from them). */
  templates: Templates;
  /** The view print.html was rendered with, its parts as the copy has them; `pageCss` is set by `renderPrintCopy`. */
  view: Readonly<Record<string, unknown>>;
}

export interface PrintCopyOptions {
  /** The page CSS, in `<style id="annals-page-css">`. */
  css: string;
  /** The fonts stylesheet linked in place of the site's `site/assets/fonts.css`. */
  fontsHref: string;
  /** HTML added at the end of the head. */
  headExtra: string;
}

export function renderPrintCopy(copy: PrintCopy, options: PrintCopyOptions): string {
  return copy.templates.render('print.html', { ...copy.view, pageCss: options.css, fontsCss: options.fontsHref, headExtra: options.headExtra });
}
