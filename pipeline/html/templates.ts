/**
 * Templates are plain HTML files with Mustache placeholders (`{{escaped}}`, `{{{raw html}}}`), looked up
 * first in the book's template folder (templates/report, templates/yearbook), then in templates/base.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';

export interface Templates {
  render(name: string, view: Record<string, unknown>): string;
  /** The text of a template file (e.g. a stylesheet). */
  read(name: string): string;
}

/**
 * The site's font stylesheet as print.html links it: the template's `{{fontsCss}}`, which the PDF copy
 * sets to the print fonts' stylesheet instead (html/print-copy.ts).
 */
export const PRINT_FONTS_CSS = 'site/assets/fonts.css';

/**
 * The stylesheets templates/base/print.html links, in its order, relative to print.html (katex.css only
 * when some chapter contains math, which is when the build writes it). The PDF stage reads them from this
 * list, not from the HTML (pdf/print-fonts-for.ts `printStylesheets`); tests/print-parts.test.ts checks it
 * against the template.
 */
export const PRINT_STYLESHEETS: readonly string[] = [PRINT_FONTS_CSS, 'site/assets/base.css', 'site/assets/layout.css', 'site/assets/print.css', 'site/assets/katex.css'];

export function loadTemplates(templatesDir: string, template: string): Templates {
  const cache = new Map<string, string>();
  const read = (name: string) => {
    let text = cache.get(name);
    if (text === undefined) {
      const own = join(templatesDir, template, name);
      text = readFileSync(existsSync(own) ? own : join(templatesDir, 'base', name), 'utf8');
      cache.set(name, text);
    }
    return text;
  };
  return {
    read,
    render: (name, view) => Mustache.render(read(name), view, {}, { escape: escapeHtml }),
  };
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
