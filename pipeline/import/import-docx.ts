/**
 * A Word chapter into a book (docs/import.md): read the .docx with mammoth (its document model, not its
 * HTML), scan the XML for what Markdown cannot hold (scan-docx.ts), convert (docx-to-mdast.ts), write
 * `manuscripts/<book>/<edition>/NN-slug.md` and its images under `manuscripts/<book>/images/`, and — when
 * asked — add the chapter to book.yaml through the yaml Document API, so the file's comments and layout
 * stay as they were. Problems are diagnostics on the .docx (with the paragraph number in the message);
 * the chapter is only written when the input could be read and no file would be overwritten by surprise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import mammoth from 'mammoth';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { directiveToMarkdown } from 'mdast-util-directive';
import { isMap, isSeq, parseDocument, stringify, type Document, type Node } from 'yaml';
import type { VFile } from 'vfile';
import { listBooks, selectBooks, type Project } from '../config/load-book.ts';
import { report } from '../report/diagnostics.ts';
import { createLocale } from '../locale/locale.ts';
import { docxToMdast, type DocxDocument, type ReviewComment } from './docx-to-mdast.ts';
import { scanDocx, type DocxScan, type UnmappableKind } from './scan-docx.ts';
import { writeFileAtomic } from '../base/write-atomic.ts';

export interface ImportDocxOptions {
  project: Project;
  /** The Word file. */
  file: string;
  /** Book folder name, or the name without the year. */
  book: string;
  /** Edition id (zh, en …); must have its own chapter folder (not a derived edition). */
  edition: string;
  /** Chapter file name NN-slug.md. Default: the next number after the edition's chapters, slug from the file name. */
  as?: string;
  /** Add the chapter to the edition's `chapters:` in book.yaml. Default: false. */
  add?: boolean;
  /** Keep Word comments as HTML comments in the chapter. Default: false (they are only listed). */
  keepComments?: boolean;
  /** Replace an existing chapter file of that name. Default: false. */
  force?: boolean;
  /** Diagnostics go here (a VFile for the .docx). */
  diagnostics: VFile;
}

export interface ImportDocxResult {
  ok: boolean;
  bookId?: string;
  /** The chapter written (absolute path). */
  chapter?: string;
  images: string[];
  comments: Array<ReviewComment & { paragraph?: number }>;
  addedToBook: boolean;
}

const KIND_WORDS: Record<UnmappableKind, string> = {
  'text-box': 'a text box (its text was put into the flow of the chapter)',
  equation: 'an equation (Word OMML), which was left out: write it as $…$ TeX',
  smartart: 'a SmartArt graphic, which was left out: redraw it as a figure',
  chart: 'a Word chart, which was left out: make it a figure or an indicator chart',
  object: 'an embedded object, which was left out',
  'tracked-insertion': 'a tracked insertion not yet accepted (it was imported as if accepted)',
  'tracked-deletion': 'a tracked deletion not yet accepted (the deleted text was left out)',
};

export async function importDocx(options: ImportDocxOptions): Promise<ImportDocxResult> {
  const { project, diagnostics: file } = options;
  const result: ImportDocxResult = { ok: false, images: [], comments: [], addedToBook: false };
  const target = importTarget(options, result);
  if (!target) return result;
  const read = await readDocx(options.file, file);
  if (!read) return result;
  const { document, scan } = read;
  for (const u of scan.unmappable) {
    report(file, 'import-unmappable', `paragraph ${u.paragraph}${u.excerpt ? ` ("${u.excerpt}")` : ''}: ${KIND_WORDS[u.kind]}`);
  }
  const commentWord = createLocale(target.lang || 'zh-CN', project.templates).t('reviewComment');
  const converted = docxToMdast(document, { imagePrefix: target.slug, keepComments: options.keepComments, commentWord });
  for (const p of converted.problems) report(file, 'import-unmappable', p.message);
  result.comments = converted.comments.map((c) => ({ ...c, paragraph: scan.commentParagraphs.get(c.id) }));
  for (const c of result.comments) {
    report(file, 'import-comment', `comment ${Number(c.id) + 1}${c.author ? ` by ${c.author}` : ''}${c.paragraph ? ` on paragraph ${c.paragraph}` : ''}${c.anchor ? ` ("${short(c.anchor)}")` : ''}: ${c.text}`);
  }
  await writeImport(converted, target, options, result);
  return result;
}

/** Where the chapter goes: the book, its book.yaml, the edition's chapters and the chapter's file. */
interface ImportTarget {
  bookId: string;
  bookDir: string;
  bookYamlPath: string;
  bookYamlText: string;
  bookYaml: Document;
  lang: string;
  /** The edition's `chapters:`. */
  listed: string[];
  /** The chapter's file name, NN-slug.md, and its slug. */
  name: string;
  slug: string;
  chapterPath: string;
}

/** The book, edition and chapter name checked (each failure reported); undefined when the import cannot go on. */
function importTarget(options: ImportDocxOptions, result: ImportDocxResult): ImportTarget | undefined {
  const { project, diagnostics: file } = options;
  const { selected, unknown } = selectBooks(listBooks(project), [options.book]);
  if (unknown.length || selected.length !== 1) {
    report(file, 'book-not-found', `no book "${options.book}" under manuscripts/ (books: ${listBooks(project).join(', ') || 'none'})`);
    return undefined;
  }
  const bookId = selected[0]!;
  result.bookId = bookId;
  const bookDir = join(project.manuscripts, bookId);
  const bookYamlPath = join(bookDir, 'book.yaml');
  const bookYamlText = readFileSync(bookYamlPath, 'utf8');
  const bookYaml = parseDocument(bookYamlText);
  const edition = bookYaml.getIn(['editions', options.edition], true);
  if (!isMap(edition)) {
    report(file, 'edition-not-found', `book "${bookId}" has no edition "${options.edition}"`);
    return undefined;
  }
  if (edition.has('derive')) {
    report(file, 'edition-not-found', `edition "${options.edition}" of "${bookId}" is derived from another edition and has no chapters of its own; import into the edition it is made from`);
    return undefined;
  }
  const chapters = edition.get('chapters', true);
  const listed = isSeq(chapters) ? chapters.items.map((i) => String((i as { value?: unknown }).value ?? i)) : [];
  if (!existsSync(options.file) || !/\.docx$/i.test(options.file)) {
    report(file, 'import-file', `${existsSync(options.file) ? 'not a .docx file' : 'no such file'}: ${options.file}`);
    return undefined;
  }
  const name = options.as ?? nextChapterName(listed, options.file);
  if (!/^\d{2}-[a-z0-9-]+\.md$/.test(name)) {
    report(file, 'chapter-name', `"${name}" is not a chapter file name`);
    return undefined;
  }
  const chapterPath = join(bookDir, options.edition, name);
  if (existsSync(chapterPath) && !options.force) {
    report(file, 'import-file', `${join(bookId, options.edition, name)} exists already; choose another name with --as, or replace it with --force`);
    return undefined;
  }
  const slug = name.replace(/^\d{2}-/, '').replace(/\.md$/, '');
  return { bookId, bookDir, bookYamlPath, bookYamlText, bookYaml, lang: String(edition.get('lang') ?? ''), listed, name, slug, chapterPath };
}

/** Mammoth's model of the document, and the XML scan for what the model drops or flattens; undefined when unreadable (reported). */
async function readDocx(path: string, file: VFile): Promise<{ document: DocxDocument; scan: DocxScan } | undefined> {
  const data = await readFile(path);
  let document: DocxDocument | undefined;
  let scan: DocxScan;
  try {
    scan = await scanDocx(data);
    await mammoth.convertToHtml(
      { buffer: data },
      {
        transformDocument: (doc: DocxDocument) => {
          document = doc;
          return doc;
        },
      },
    );
  } catch (error) {
    report(file, 'import-file', `cannot read the Word file: ${(error as Error).message}`);
    return undefined;
  }
  if (!document) {
    report(file, 'import-file', 'the Word file has no document body');
    return undefined;
  }
  return { document, scan };
}

/** Writes the images first, then the chapter (renamed into place), then book.yaml; sets `result` as it goes. */
async function writeImport(converted: ReturnType<typeof docxToMdast>, target: ImportTarget, options: ImportDocxOptions, result: ImportDocxResult): Promise<void> {
  const { diagnostics: file } = options;
  const { bookId, bookDir, chapterPath } = target;
  const title = converted.title ?? basename(options.file).replace(/\.docx$/i, '');
  const body = toMarkdown(converted.tree, { extensions: [gfmToMarkdown({ tablePipeAlign: false }), directiveToMarkdown()], bullet: '-', emphasis: '*', strong: '*', rule: '-' });
  const markdown = `---\n${stringify({ title }).trimEnd()}\n---\n\n${body}`;
  // An image of the same name with other bytes (another edition's import of a chapter with this slug)
  // is not replaced without --force; then nothing is written.
  const images = await Promise.all(converted.images.map(async (image) => ({ path: join(bookDir, 'images', image.name), data: await image.read() })));
  const clashes = images.filter((i) => existsSync(i.path) && !Buffer.from(i.data).equals(readFileSync(i.path)));
  if (clashes.length && !options.force) {
    for (const c of clashes) report(file, 'import-file', `${join(bookId, 'images', basename(c.path))} exists already with other content; choose another chapter name with --as, or replace it with --force`);
    return;
  }
  for (const image of images) {
    await mkdir(dirname(image.path), { recursive: true });
    await writeFile(image.path, image.data);
    result.images.push(image.path);
  }
  await writeFileAtomic(chapterPath, markdown);
  result.chapter = chapterPath;
  if (options.add && !target.listed.includes(target.name)) {
    await writeFile(target.bookYamlPath, withChapter(target.bookYamlText, target.bookYaml, options.edition, target.name));
    result.addedToBook = true;
  }
  result.ok = true;
}

/**
 * book.yaml with `name` appended to the edition's `chapters:`. The yaml Document finds where the list
 * ends; the new item is inserted into the text there, in the list's own style (a `- item` line with the
 * same indentation, or `, item` in a flow list), so every other byte — comments, spacing, quoting —
 * stays as the editor wrote it. Without a list, the Document API adds one (and reformats the file).
 */
export function withChapter(text: string, doc: Document, edition: string, name: string): string {
  const chapters = doc.getIn(['editions', edition, 'chapters'], true);
  const last = isSeq(chapters) ? (chapters.items[chapters.items.length - 1] as Node | undefined) : undefined;
  if (!isSeq(chapters) || !last?.range) {
    const copy = doc.clone();
    copy.setIn(['editions', edition, 'chapters'], [...(isSeq(chapters) ? chapters.toJSON() : []), name]);
    return copy.toString();
  }
  const end = last.range[1];
  if (chapters.flow) return `${text.slice(0, end)}, ${name}${text.slice(end)}`;
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, last.range[0]); // e.g. "      - "
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd === -1 ? text.length : lineEnd;
  return `${text.slice(0, at)}\n${prefix}${name}${text.slice(at)}`;
}

/** NN-slug.md after the last listed chapter; the slug from the file name's Latin letters and digits. */
export function nextChapterName(listed: readonly string[], file: string): string {
  const last = Math.max(0, ...listed.map((n) => Number(/^(\d{2})-/.exec(n)?.[1] ?? 0)));
  const slug =
    basename(file)
      .replace(/\.docx$/i, '')
      .toLowerCase()
      .replace(/^\d+[-_ ]*/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chapter';
  return `${String(last + 1).padStart(2, '0')}-${slug}.md`;
}

function short(text: string): string {
  const chars = [...text];
  return chars.length > 24 ? chars.slice(0, 24).join('') + '…' : text;
}
