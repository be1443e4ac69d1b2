/**
 * `--compare` (docs/site.md): the edition's site pages marked with what changed since the earlier version
 * built into `compared.out`, and the summary page added (pipeline/site/compare-pages.ts).
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
import { standalonePage } from '../html/render-edition.ts';
import type { Templates } from '../html/templates.ts';
import { comparePages } from '../site/compare-pages.ts';

export interface MarkChangesInput {
  context: EditionContext;
  templates: Templates;
  /** The rendered pages, changed in place. */
  pages: Map<string, string>;
  chapters: readonly VFile[];
  /** The earlier version's output folder and its name. */
  compared: { out: string; label: string };
}

export async function markChanges(input: MarkChangesInput): Promise<void> {
  const { context, templates } = input;
  const oldSite = join(input.compared.out, context.book.id, context.editionId, 'site');
  const old = new Map<string, string>();
  for (const name of await readdir(oldSite).catch(() => [] as string[])) {
    if (name.endsWith('.html')) old.set(`site/${name}`, readFileSync(join(oldSite, name), 'utf8'));
  }
  comparePages({
    pages: input.pages,
    old,
    chapters: input.chapters.map((f) => f.data.chapter!).map((c) => ({ path: `site/${c.slug}.html`, title: c.label ? `${c.label} ${c.title}` : c.title })),
    locale: context.locale,
    against: input.compared.label,
    renderPage: (title, content) => standalonePage(context, templates, { title, content }),
  });
}
