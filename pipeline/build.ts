/**
 * The whole pipeline, in order. One call builds one edition of one book; `buildAll` runs it for every
 * selected book and edition. Each step is a small module; this file only says what runs when, and why
 * the order matters where it does.
 *
 *   book.yaml ─ load & validate ─┐
 *   NN-slug.md ─ front matter ───┼─ number chapters ─ per chapter: remark → rehype (processor.ts)
 *                                │    ─ book index (all ids and labels) ─ book-wide: links, refs …
 *                                └─ render site + print.html ─ fonts & assets ─ [PDF] ─ rename into out/
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { Root as HastRoot } from 'hast';
import { editionChapters, listBooks, loadBook, selectBooks, type LoadedBook, type Project } from './config/load-book.ts';
import { readFrontMatter } from './markdown/front-matter.ts';
import { createChapterProcessor, type DirectivePlugin } from './markdown/processor.ts';
import { buildBookIndex } from './html/book-index.ts';
import { rehypeInternalLinks } from './html/rehype-internal-links.ts';
import { renderEdition } from './html/render-edition.ts';
import { loadTemplates } from './html/templates.ts';
import { codePointsOf, fontSetFor, selectFonts } from './html/fonts.ts';
import { createStaging } from './html/write-output.ts';
import { createLocale } from './locale/locale.ts';
import { collect, hasErrors, report, type Diagnostic } from './report/diagnostics.ts';
import type { ChapterInfo, EditionContext } from './types.ts';

export type Format = 'html' | 'pdf' | 'all';

export interface BuildOptions {
  project: Project;
  /** Book selectors (folder names, or names without the year). Default: every book. */
  books?: readonly string[];
  /** Only this edition id (zh, en …). Default: every edition. */
  edition?: string;
  /** What to write. Default: all (HTML and PDF). */
  format?: Format;
  /** Validate only; write nothing. */
  checkOnly?: boolean;
  /** Called with a line of progress text. Default: nothing. */
  onProgress?: (message: string) => void;
}

export interface EditionResult {
  book: string;
  edition: string;
  /** Output folder (absent for checks and failed builds). */
  outDir?: string;
  chapters: number;
  ok: boolean;
}

export interface BuildResult {
  editions: EditionResult[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Features that add directives. Order matters: a later feature may rely on an earlier one's output. */
function features(_context: EditionContext): DirectivePlugin[] {
  return [];
}

export async function buildAll(options: BuildOptions): Promise<BuildResult> {
  const { project } = options;
  const files: VFile[] = [];
  const results: EditionResult[] = [];
  const all = listBooks(project);
  const { selected, unknown } = selectBooks(all, options.books ?? []);
  const cli = new VFile({ path: '<command line>' });
  files.push(cli);
  for (const name of unknown) {
    report(cli, 'book-not-found', `no book "${name}" under manuscripts/ (books: ${all.join(', ') || 'none'})`);
  }
  for (const id of selected) {
    const book = loadBook(project, id);
    files.push(book.file);
    if (!book.config) continue;
    const editionIds = Object.keys(book.config.editions).filter((e) => !options.edition || e === options.edition);
    if (options.edition && editionIds.length === 0) {
      report(book.file, 'edition-not-found', `book "${id}" has no edition "${options.edition}" (editions: ${Object.keys(book.config.editions).join(', ')})`);
    }
    for (const editionId of editionIds) {
      options.onProgress?.(`${id}/${editionId}`);
      results.push(await buildEdition(book, editionId, options, files));
    }
  }
  const diagnostics = collect(files, project.root);
  return { editions: results, diagnostics, ok: !hasErrors(diagnostics) && results.every((r) => r.ok) };
}

async function buildEdition(book: LoadedBook, editionId: string, options: BuildOptions, files: VFile[]): Promise<EditionResult> {
  const { project } = options;
  const config = book.config!;
  const edition = config.editions[editionId]!;
  const errorsBefore = countErrors(files);

  // 1. The edition's context: locale, chapter list (missing and unlisted files are reported on book.yaml).
  const locale = createLocale(edition.lang, project.templates);
  const sources = editionChapters(book, editionId, edition);
  const context: EditionContext = { project, book, config, editionId, edition, locale, chapters: sources, slugger: new GithubSlugger() };

  // 2. Parse every chapter and read its front matter first: chapter numbers depend on which chapters are
  //    numbered, and every later stage needs its chapter's number.
  const processor = createChapterProcessor(context, features(context));
  const chapterFiles: VFile[] = [];
  let number = 0;
  const parsed = sources.map((source) => {
    const file = new VFile({ path: source.path, value: readFileSync(source.path, 'utf8') });
    files.push(file);
    chapterFiles.push(file);
    const tree = processor.parse(file);
    const matter = readFrontMatter(tree, file);
    const numbered = matter?.numbered ?? true;
    if (numbered) number += 1;
    const chapter: ChapterInfo = {
      slug: source.slug,
      name: source.name,
      id: matter?.id ?? `ch-${source.slug}`,
      title: matter?.title ?? source.slug,
      short: matter?.short ?? matter?.title ?? source.slug,
      authors: matter?.authors ?? [],
      number: numbered ? number : undefined,
      label: numbered && config.kind === 'report' ? locale.chapterLabel(number) : '',
      headings: [],
      labels: [],
    };
    file.data.chapter = chapter;
    return { file, tree };
  });

  // 3. Per-chapter stages (remark → rehype), in chapter order so book-wide counters stay in order.
  for (const { file, tree } of parsed) file.data.hast = await processor.run(tree, file);

  // 4. Book-wide stages need every chapter's ids and labels: build the index, then resolve links.
  const index = buildBookIndex(chapterFiles);
  const bookWide = unified().use(rehypeInternalLinks, { index }).freeze();
  for (const file of chapterFiles) file.data.hast = (await bookWide.run(file.data.hast!, file)) as HastRoot;

  const failed = countErrors(files) > errorsBefore;
  if (failed || options.checkOnly) {
    return { book: book.id, edition: editionId, chapters: chapterFiles.length, ok: !failed };
  }

  // 5. Render the site and print.html, then the fonts the rendered text needs, then write everything
  //    into a staging folder that replaces out/<book>/<edition>/ only when all of it succeeded.
  const templates = loadTemplates(project.templates, config.template ?? config.kind);
  const pages = renderEdition({ context, index, templates, chapters: chapterFiles });
  const styles = ['base.css', 'layout.css', 'site.css', 'print.css'].map((name) => [name, templates.read(name)] as const);
  const fonts = selectFonts(fontSetFor(locale.script), codePointsOf([...pages.values(), ...styles.map(([, css]) => css)]));
  const staging = await createStaging(project.out, `${book.id}-${editionId}`);
  try {
    for (const [path, html] of pages) await staging.write(path, html);
    for (const [name, css] of styles) await staging.write(`site/assets/${name}`, css);
    await staging.write('site/assets/fonts.css', fonts.css);
    for (const slice of fonts.slices) await staging.copy(slice.file, `site/assets/fonts/${slice.name}`);
    const assets = new Set(chapterFiles.flatMap((f) => f.data.assets ?? []));
    for (const asset of [...assets].sort()) await staging.copy(join(book.dir, asset), `site/${asset}`);
    // 6. PDF (issue: PDF editions) plugs in here, printing staging/print.html before the rename.
    const outDir = join(project.out, book.id, editionId);
    await staging.commit(outDir);
    return { book: book.id, edition: editionId, outDir, chapters: chapterFiles.length, ok: true };
  } catch (error) {
    await staging.discard();
    throw error;
  }
}

function countErrors(files: readonly VFile[]): number {
  return files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === true).length, 0);
}
