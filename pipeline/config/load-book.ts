/**
 * Finding and loading books: book.yaml → validated, defaulted config plus absolute paths. Problems are
 * reported on the book.yaml VFile at their YAML position; the caller decides whether to go on.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type MustacheModule from 'mustache';
import { VFile } from 'vfile';
import { keyPlaceOf, loadYaml, placeOf, validate, type LoadedYaml } from './yaml.ts';
import { BOOK_KEYS, bookSchema, EDITION_KEYS, type BookConfig, type EditionConfig } from './book-schema.ts';
import { report } from '../report/diagnostics.ts';
import { closest } from '../report/closest.ts';
import { insideFolder } from './inside-folder.ts';

export interface Project {
  /** Repository root: the folder holding manuscripts/, templates/ and indicators/. */
  root: string;
  manuscripts: string;
  templates: string;
  indicators: string;
  out: string;
}

export function projectAt(root: string, out = join(root, 'out')): Project {
  return { root, manuscripts: join(root, 'manuscripts'), templates: join(root, 'templates'), indicators: join(root, 'indicators'), out };
}

export interface LoadedBook {
  id: string;
  dir: string;
  file: VFile;
  yaml: LoadedYaml;
  /** Undefined when book.yaml is invalid (problems are on `file`). */
  config: BookConfig | undefined;
}

/** Book folder names under manuscripts/ that hold a book.yaml, sorted. */
export function listBooks(project: Project): string[] {
  if (!existsSync(project.manuscripts)) return [];
  return readdirSync(project.manuscripts, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(project.manuscripts, d.name, 'book.yaml')))
    .map((d) => d.name)
    .sort();
}

/**
 * Which books a command-line selector means: an exact folder name (`world-report-2026`) or the name
 * without its year (`world-report`). No selector means every book.
 */
export function selectBooks(all: readonly string[], selectors: readonly string[]): { selected: string[]; unknown: string[] } {
  if (selectors.length === 0) return { selected: [...all], unknown: [] };
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const s of selectors) {
    const hits = all.filter((id) => id === s || id.replace(/-\d{4}$/, '') === s);
    if (hits.length === 0) unknown.push(s);
    hits.forEach((h) => selected.add(h));
  }
  return { selected: all.filter((id) => selected.has(id)), unknown };
}

export function loadBook(project: Project, id: string): LoadedBook {
  const dir = join(project.manuscripts, id);
  const path = join(dir, 'book.yaml');
  const file = new VFile({ path, value: readFileSync(path, 'utf8') });
  const yaml = loadYaml(file);
  const config = validate(yaml, bookSchema, 'config-schema');
  reportUnknownKeys(yaml);
  if (config && config.id !== id) {
    report(file, 'config-schema', `\`id\` is "${config.id}" but the folder is "${id}"`, placeOf(yaml, ['id']), {
      hint: `Rename the folder or set \`id: ${id}\`.`,
    });
    return { id, dir, file, yaml, config: undefined };
  }
  if (config) {
    const template = config.template ?? config.kind;
    const problem = templateProblem(project, template);
    if (problem) {
      report(file, problem.rule, problem.message, placeOf(yaml, ['template']));
      return { id, dir, file, yaml, config: undefined };
    }
    const missing = missingPrintSlots(project, template);
    if (missing.length) {
      report(file, 'template-slot-missing', `templates/${template}/print.html has no ${missing.map((name) => `{{${name}}}`).join(', ')}: the PDF copy of print.html is rendered through them`, placeOf(yaml, ['template']));
      return { id, dir, file, yaml, config: undefined };
    }
  }
  return { id, dir, file, yaml, config };
}

/**
 * A key book.yaml does not define (`tilte`, `figureNumbring`) would be ignored without a word: warn at
 * the key, with the nearest known key. Checked at the top level and in each edition.
 */
function reportUnknownKeys(yaml: LoadedYaml): void {
  const value = yaml.value as { editions?: unknown } | undefined;
  const check = (object: unknown, known: readonly string[], path: Array<string | number>) => {
    if (!object || typeof object !== 'object' || Array.isArray(object)) return;
    for (const key of Object.keys(object)) {
      if (known.includes(key)) continue;
      const near = closest(key, known, { ignoreCase: true });
      const where = path.length ? ` in \`${path.join('.')}\`` : '';
      report(yaml.file, 'config-unknown-key', `unknown key \`${key}\`${where}`, keyPlaceOf(yaml, [...path, key]), {
        hint: near ? `Did you mean \`${near}\`? The keys of book.yaml are listed in docs/book-yaml.md.` : undefined,
      });
    }
  };
  check(value, BOOK_KEYS, []);
  const editions = value?.editions;
  if (editions && typeof editions === 'object') {
    for (const [id, edition] of Object.entries(editions)) check(edition, EDITION_KEYS, ['editions', id]);
  }
}

/** Folders under templates/ that are not layouts a book can name. */
const NOT_LAYOUTS = ['base', 'locales', 'csl'];

/**
 * Why `template:` cannot be used, if it cannot: it must name a layout folder directly under templates/
 * (`report`, `yearbook`, or one of the project's own) — not a path, not base/locales/csl, and not a
 * symbolic link that leads out of templates/.
 */
function templateProblem(project: Project, template: string): { rule: 'template-not-found' | 'file-outside-project'; message: string } | undefined {
  const layouts = existsSync(project.templates) ? readdirSync(project.templates, { withFileTypes: true }).filter((d) => !NOT_LAYOUTS.includes(d.name) && (d.isDirectory() || d.isSymbolicLink())).map((d) => d.name).sort() : [];
  const known = `layouts: ${layouts.join(', ') || 'none'}`;
  if (!/^[A-Za-z0-9][\w-]*$/.test(template)) {
    return { rule: template.includes('..') || template.startsWith('/') ? 'file-outside-project' : 'template-not-found', message: `template "${template}" is not a folder name under templates/ (${known})` };
  }
  if (NOT_LAYOUTS.includes(template)) return { rule: 'template-not-found', message: `templates/${template} is not a layout (${known})` };
  const path = join(project.templates, template);
  if (fileKind(path) !== 'folder') return { rule: 'template-not-found', message: `template "${template}" does not exist under templates/ (${known})` };
  if (!insideFolder(path, project.templates)) return { rule: 'file-outside-project', message: `template "${template}" is a link to a folder outside templates/` };
  return undefined;
}

/**
 * The slots a layout's own print.html must keep (templates/base/print.html has them): the PDF copy is the
 * same template rendered with the print fonts' stylesheet, the page CSS and what its head adds
 * (html/print-copy.ts), and the body parts are put in through the rest. Without one the PDF would keep
 * the site fonts or lose a part without a word.
 */
export const PRINT_SLOTS: readonly string[] = ['fontsCss', 'pageCss', 'headExtra', 'toc', 'chapters'];

/** The PRINT_SLOTS a layout's own print.html lacks (none when it has no print.html of its own). */
function missingPrintSlots(project: Project, template: string): string[] {
  const own = join(project.templates, template, 'print.html');
  if (fileKind(own) !== 'file') return [];
  const names = new Set<string>();
  const collect = (tokens: unknown[][]) => {
    for (const token of tokens) {
      if (['name', '&', '{', '#', '^'].includes(token[0] as string)) names.add(token[1] as string);
      if (Array.isArray(token[4])) collect(token[4] as unknown[][]);
    }
  };
  // Mustache is loaded only for a layout with a print.html of its own (a replayed build loads no template code).
  const mustache = createRequire(import.meta.url)('mustache') as typeof MustacheModule;
  collect(mustache.parse(readFileSync(own, 'utf8')) as unknown[][]);
  return PRINT_SLOTS.filter((slot) => !names.has(slot));
}

/** What is at `path`, following symbolic links: a dangling link is `missing`. */
function fileKind(path: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

export interface ChapterSource {
  /** File name, e.g. 02-infrastructure.md. */
  name: string;
  /** The part after NN-: infrastructure. */
  slug: string;
  path: string;
  /** Position of the name in book.yaml's chapter list (for diagnostics). */
  index: number;
}

/**
 * The chapters of an edition in book order. A listed file that is missing and a Markdown file that is not
 * listed are both reported on book.yaml. A derived edition reads its source edition's folder.
 */
/** Page names the site uses for generated pages: a chapter may not take them. */
export const RESERVED_SLUGS = ['index', 'book-index', 'references', 'list-of-figures', 'list-of-tables'];

export function editionChapters(book: LoadedBook, editionId: string, edition: EditionConfig): ChapterSource[] {
  const folderId = edition.derive?.from ?? editionId;
  // A derived edition without its own `chapters:` uses (and is reported at) its source's list.
  const ownList = (book.yaml.value as { editions?: Record<string, { chapters?: unknown }> } | undefined)?.editions?.[editionId]?.chapters !== undefined;
  const listId = ownList ? editionId : folderId;
  const folder = join(book.dir, folderId);
  const onDisk = existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.md')).sort() : [];
  const chapters: ChapterSource[] = [];
  edition.chapters.forEach((name, index) => {
    const place = placeOf(book.yaml, ['editions', listId, 'chapters', index]);
    if (!onDisk.includes(name)) {
      report(book.file, 'chapter-missing', `chapter "${folderId}/${name}" is listed but does not exist`, place, {
        hint: `Create manuscripts/${book.id}/${folderId}/${name}, or remove it from \`chapters:\`.`,
      });
      return;
    }
    const kind = fileKind(join(folder, name));
    if (kind !== 'file') {
      report(book.file, 'chapter-missing', `chapter "${folderId}/${name}" is ${kind === 'folder' ? 'a folder, not a file' : 'a symbolic link to a file that does not exist'}`, place, {
        hint: `Make manuscripts/${book.id}/${folderId}/${name} a Markdown file, or remove it from \`chapters:\`.`,
      });
      return;
    }
    const slug = name.replace(/^\d{2}-/, '').replace(/\.md$/, '');
    if (RESERVED_SLUGS.includes(slug)) {
      report(book.file, 'chapter-name', `the chapter slug "${slug}" is reserved: its page would replace the edition's ${slug}.html`, place, {
        hint: `Rename the file, e.g. ${name.replace(slug, `${slug}-chapter`)}.`,
      });
      return;
    }
    chapters.push({ name, slug, path: join(folder, name), index });
  });
  for (const name of edition.derive ? [] : onDisk) {
    if (!edition.chapters.includes(name)) {
      report(book.file, 'chapter-unlisted', `"${editionId}/${name}" is not listed in \`editions.${editionId}.chapters\``, placeOf(book.yaml, ['editions', editionId, 'chapters']));
    }
  }
  return chapters;
}
