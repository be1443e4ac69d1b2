/**
 * The copy of print.html that the PDF stage loads (`.print-pdf.html`), prepared in Node so that the page
 * needs no changes before its first print:
 *
 * - the PDF variant of the page CSS in `<style id="annals-page-css">`;
 * - the placeholder in every `[data-page-of]` element (plain-text content only; anything else is left to
 *   the page script, which checks);
 * - no lazy images;
 * - the print fonts (one file per face, print-fonts.ts) in place of the site's unicode-range slices;
 * - (SVG images are inline in print.html already, pipeline/html/inline-svg-images.ts; given only the
 *   folder, pass-prepare.ts runs the same inliner over the copy's tree for any other SVG file of it);
 * - an empty `<style id="annals-visibility">` (page-scripts.ts `SHOW` fills it);
 * - the body hidden on screen: Chromium lays the book out for print anyway, and a screen layout of the
 *   whole book would cost about a third of the print for nothing. Without it the page loads no fonts by
 *   itself; font-loading.ts loads the slices the text needs.
 *
 * Two ways to the same copy, neither editing HTML text: a build renders it from the template and the
 * parts' trees (html/print-copy.ts: render-edition.ts compiled the parts with their placeholders, no
 * image of theirs is lazy); a PDF stage given only the folder makes these changes on print.html parsed
 * as hast (`preparePrintTree`) and compiles the tree. Deterministic: the same input, the same string.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { renderPrintCopy, type PrintCopy } from '../html/print-copy.ts';
import { fillPageSlots } from '../html/render-edition.ts';
import { stringifyHtml } from '../html/stringify.ts';

export interface PrintHtmlOptions {
  /** The `pdf` page CSS. */
  css: string;
  /** Text of `[data-page-of]` elements before their numbers are known (a build's copy has it already). */
  placeholder: string;
  /** The print fonts' stylesheet, in place of the site's (`…/assets/fonts.css`): print-fonts.ts. */
  fontsHref: string;
}

/** The rule that hides the body on screen only (see above). */
const SCREEN_HIDDEN_RULE = '@media screen { body { display: none !important; } }';

/** Hides the body on screen only (see above), as the copy's head has it. */
export const SCREEN_HIDDEN_CSS = `<style id="annals-screen">${SCREEN_HIDDEN_RULE}</style>\n`;

/** What the copy adds at the end of its head: the screen rule and the empty visibility style. */
const HEAD_EXTRA = `${SCREEN_HIDDEN_CSS}<style id="annals-visibility"></style>\n`;

/** The copy a build rendered the parts of (html/print-copy.ts). */
export function printCopyHtml(copy: PrintCopy, options: Omit<PrintHtmlOptions, 'placeholder'>): string {
  return renderPrintCopy(copy, { css: options.css, fontsHref: options.fontsHref, headExtra: HEAD_EXTRA });
}

/** The copy made from print.html's tree, which it changes in place and compiles. */
export function preparedPrintHtml(tree: Root, options: PrintHtmlOptions): string {
  preparePrintTree(tree, options);
  return stringifyHtml(tree);
}

/** The changes listed above, on print.html parsed as hast. */
export function preparePrintTree(tree: Root, options: PrintHtmlOptions): void {
  let head: Element | undefined;
  let pageCss = false;
  let fonts = false;
  const slots: Element[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const props = child.properties;
      if (child.tagName === 'head') head ??= child;
      if (child.tagName === 'style' && props.id === 'annals-page-css' && !pageCss) {
        child.children = [{ type: 'text', value: options.css }];
        pageCss = true;
      }
      if (!fonts && isSiteFontsLink(child)) {
        props.href = options.fontsHref;
        fonts = true;
      }
      if (child.tagName === 'img' && props.loading === 'lazy') delete props.loading;
      if (props.dataPageOf !== undefined) slots.push(child);
      if (child.tagName !== 'svg') walk(child);
    }
  };
  walk(tree);
  fillPageSlots(slots, options.placeholder);
  const extra: ElementContent[] = [h('style', { id: 'annals-screen' }, SCREEN_HIDDEN_RULE), { type: 'text', value: '\n' }, h('style', { id: 'annals-visibility' }), { type: 'text', value: '\n' }];
  if (head) head.children.push(...extra);
  else tree.children.push(...extra);
}

/** The stylesheet link to the site's fonts (`…assets/fonts.css`). */
function isSiteFontsLink(element: Element): boolean {
  const { rel, href } = element.properties;
  return element.tagName === 'link' && Array.isArray(rel) && rel.includes('stylesheet') && typeof href === 'string' && href.endsWith('assets/fonts.css');
}
