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
