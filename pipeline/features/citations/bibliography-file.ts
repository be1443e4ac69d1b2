/**
 * The book's bibliography: `manuscripts/<book>/references.yaml` (CSL-YAML), `.json` (CSL-JSON) or `.bib`
 * (BibTeX, converted to CSL-JSON by @citation-js/plugin-bibtex). Every entry is checked (an `id`, a known
 * CSL `type`, a `title`, well-formed names and dates); problems are reported on the bibliography file at
 * the line of the bad entry, and the entry is left out. The result maps each key to a CSL-JSON item.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digest } from '../../base/hash.ts';
import type { HashMemo } from '../../base/memo.ts';
import { markMessages, messagesSince, replayMessages, type LoggedFile } from '../../base/message-log.ts';
import { VFile } from 'vfile';
import type { BuildSession } from '../../base/build-session.ts';
import type { Position } from 'unist';
import { z } from 'zod';
import { createRequire } from 'node:module';
import type { plugins as CitationJsPlugins } from '@citation-js/core';
import { loadYaml, placeOf } from '../../config/yaml.ts';
import { insideFolder } from '../../config/inside-folder.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext } from '../../context/types.ts';

/** A CSL-JSON item as citeproc takes it. */
export type CslItem = Record<string, unknown> & { id: string; type: string; title: string; language?: string };

export interface Bibliography {
  file: VFile;
  items: Map<string, CslItem>;
}

export const CSL_TYPES = [
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast', 'chapter', 'classic', 'collection',
  'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'event', 'figure', 'graphic', 'hearing', 'interview',
  'legal_case', 'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet', 'paper-conference', 'patent',
  'performance', 'periodical', 'personal_communication', 'post', 'post-weblog', 'regulation', 'report', 'review', 'review-book',
  'software', 'song', 'speech', 'standard', 'thesis', 'treaty', 'webpage',
] as const;

const NAME_FIELDS = ['author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'illustrator', 'interviewer', 'recipient', 'reviewed-author'];
const DATE_FIELDS = ['issued', 'accessed', 'event-date', 'original-date', 'submitted'];

const name = z.union([z.object({ literal: z.string().min(1) }).passthrough(), z.object({ family: z.string().min(1), given: z.string().optional() }).passthrough()], {
  error: 'a name is `{ family: 张, given: 明 }` or `{ literal: 国家互联网信息办公室 }`',
});
const datePart = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);
/** A calendar check of one `[year, month?, day?]`: month 1–12 (21–24: CSL's seasons), a day its month has. */
function checkDateParts(parts: Array<number | string>, ctx: z.RefinementCtx): void {
  const [year, month, day] = parts.map(Number) as [number, number?, number?];
  if (month === undefined) return;
  const season = month >= 21 && month <= 24;
  if (!(month >= 1 && month <= 12) && !season) {
    ctx.addIssue({ code: 'custom', path: [1], message: `impossible date [${parts.join(', ')}]: there is no month ${month} (months are 1–12)` });
    return;
  }
  if (day === undefined) return;
  const days = season ? 31 : new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!(day >= 1 && day <= days)) ctx.addIssue({ code: 'custom', path: [2], message: `impossible date [${parts.join(', ')}]: month ${month} of ${year} has no day ${day}` });
}

const date = z.union([
  z.object({ 'date-parts': z.array(z.array(datePart).min(1).max(3).superRefine(checkDateParts)).min(1).max(2) }).passthrough(),
  z.object({ literal: z.string() }).passthrough(),
  z.object({ raw: z.string() }).passthrough(),
  z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected a date such as 2024-11-27, or date-parts: [[2024, 11, 27]]'),
  z.number().int(),
]);

export const cslItemSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    type: z.enum(CSL_TYPES, { message: `expected a CSL type (${['book', 'article-journal', 'report', 'webpage', 'standard', 'legislation', 'chapter', 'thesis'].join(', ')} …)` }),
    title: z.string().min(1, 'an entry needs a title'),
    language: z.string().optional(),
    ...Object.fromEntries(NAME_FIELDS.map((f) => [f, z.array(name).optional()])),
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, date.optional()])),
  })
  .passthrough();

/** The file the book's `bibliography.file` names, or the first references.{yaml,yml,json,bib} found. */
export function bibliographyPath(context: EditionContext): string | undefined {
  const configured = context.config.bibliography?.file;
  if (configured) return join(context.book.dir, configured);
  for (const name of ['references.yaml', 'references.yml', 'references.json', 'references.bib']) {
    const path = join(context.book.dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Load and check the bibliography. Returns undefined when the book has none; a configured file that does
 * not exist is reported on book.yaml. The bibliography's VFile joins the build's session, so its messages are printed.
 * With `memo` (a preview's), a file whose text was read before is not parsed and checked again: its
 * entries and its messages come from the memo.
 */
export function loadBibliography(context: EditionContext, session: BuildSession, memo?: HashMemo<unknown>): Bibliography | undefined {
  const path = bibliographyPath(context);
  if (!path) return undefined;
  if (!existsSync(path)) {
    report(context.book.file, 'bibliography-file', `bibliography file "${context.config.bibliography?.file}" does not exist`, placeOf(context.book.yaml, ['bibliography', 'file']));
    return undefined;
  }
  if (!insideFolder(path, context.project.root)) {
    report(context.book.file, 'file-outside-project', `bibliography file "${context.config.bibliography?.file}" is outside the project folder`, placeOf(context.book.yaml, ['bibliography', 'file']), {
      hint: 'Keep the bibliography in the book folder (references.yaml); a build never reads files outside the project, also not through a symbolic link.',
    });
    return undefined;
  }
  const existing = session.find(path);
  const file = existing ?? new VFile({ path, value: readFileSync(path, 'utf8') });
  if (!existing) session.add(file);
  // Both editions of a book share the file: check it (and report on it) once.
  const cached = (file.data as { bibliography?: Map<string, CslItem> }).bibliography;
  if (cached) return { file, items: cached };
  const key = memo ? digest('bibliography', path, String(file.value)) : '';
  const kept = memo?.get(key) as { items: Map<string, CslItem>; messages: LoggedFile[] } | undefined;
  let items: Map<string, CslItem>;
  if (kept) {
    replayMessages([file], kept.messages);
    items = kept.items;
  } else {
    const mark = markMessages([file]);
    items = path.endsWith('.bib') ? readBibtex(file) : path.endsWith('.json') ? readCslJson(file) : readCslYaml(file);
    memo?.set(key, { items, messages: messagesSince([file], mark) });
  }
  (file.data as { bibliography?: Map<string, CslItem> }).bibliography = items;
  return { file, items };
}

function readCslYaml(file: VFile): Map<string, CslItem> {
  const loaded = loadYaml(file);
  if (loaded.value === undefined) return new Map();
  const value = loaded.value as unknown;
  // Pandoc's form (`references: [...]`) is accepted as well as a bare list.
  const path: Array<string | number> = Array.isArray(value) ? [] : ['references'];
  const list = Array.isArray(value) ? value : (value as { references?: unknown } | null)?.references;
  if (!Array.isArray(list)) {
    report(file, 'bibliography-file', 'a CSL-YAML bibliography is a list of entries (`- id: …`)', placeOf(loaded, []));
    return new Map();
  }
  return checkEntries(file, list, (i, at) => placeOf(loaded, [...path, i, ...at]));
}

function readCslJson(file: VFile): Map<string, CslItem> {
  const text = String(file.value);
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    const offset = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    report(file, 'bibliography-file', `invalid JSON: ${String((error as Error).message).split('\n')[0]}`, pointAt(text, offset));
    return new Map();
  }
  if (!Array.isArray(list)) {
    report(file, 'bibliography-file', 'a CSL-JSON bibliography is an array of entries', pointAt(text, 0));
    return new Map();
  }
  const starts = entryOffsets(text, list, (id) => new RegExp(`"id"\\s*:\\s*"?${escape(id)}"?`, 'g'));
  return checkEntries(file, list, (i) => pointAt(text, starts[i] ?? 0));
}

/** citation-js with its BibTeX plugin, loaded by the first .bib file read. */
let citationJsPlugins: typeof CitationJsPlugins | undefined;
function citationJs(): typeof CitationJsPlugins {
  if (!citationJsPlugins) {
    const require = createRequire(import.meta.url);
    citationJsPlugins = (require('@citation-js/core') as { plugins: typeof CitationJsPlugins }).plugins;
    require('@citation-js/plugin-bibtex');
  }
  return citationJsPlugins;
}

function readBibtex(file: VFile): Map<string, CslItem> {
  const text = String(file.value);
  let list: unknown[];
  try {
    list = citationJs().input.chain(text, { target: '@csl/list+object', generateGraph: false }) as unknown[];
  } catch (error) {
    const message = String((error as Error).message);
    const at = /line (\d+) col (\d+)/.exec(message);
    report(file, 'bibliography-file', `invalid BibTeX: ${message.split('\n')[0]}`, at ? { line: Number(at[1]), column: Number(at[2]) } : undefined);
    return new Map();
  }
  for (const item of list as Array<Record<string, unknown>>) {
    delete item['citation-key'];
    if (typeof item.language === 'string' && /^(chinese|zh)/i.test(item.language)) item.language = 'zh-CN';
  }
  const starts = entryOffsets(text, list, (id) => new RegExp(`@\\w+\\s*[{(]\\s*${escape(id)}\\s*,`, 'g'));
  return checkEntries(file, list, (i) => pointAt(text, starts[i] ?? 0));
}

/** Validate each entry; keep the good ones. `place(i, field)` gives the position of entry i (or its field). */
function checkEntries(file: VFile, list: unknown[], place: (i: number, path: Array<string | number>) => Position | { line: number; column: number } | undefined): Map<string, CslItem> {
  const items = new Map<string, CslItem>();
  list.forEach((raw, i) => {
    const result = cslItemSchema.safeParse(raw);
    const rawId = (raw as { id?: unknown } | null)?.id;
    const who = typeof rawId === 'string' || typeof rawId === 'number' ? `entry "${rawId}"` : `entry ${i + 1}`;
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.length ? `\`${issue.path.join('.')}\`: ` : '';
        report(file, 'bibliography-entry', `${who}: ${path}${issue.message}`, place(i, issue.path as Array<string | number>));
      }
      return;
    }
    const item = normalise(result.data as CslItem);
    if (items.has(item.id)) {
      report(file, 'bibliography-entry', `${who}: the key "${item.id}" is already used by an earlier entry`, place(i, ['id']));
      return;
    }
    items.set(item.id, item);
  });
  return items;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Dates as citeproc wants them, and a language on every entry (等 or et al. depend on it). */
function normalise(item: CslItem): CslItem {
  const out: CslItem = { ...item };
  for (const field of DATE_FIELDS) {
    const value = out[field];
    if (typeof value === 'number') out[field] = { 'date-parts': [[value]] };
    else if (typeof value === 'string') out[field] = { 'date-parts': [value.split('-').map(Number)] };
  }
  if (!out.language) {
    const names = NAME_FIELDS.flatMap((f) => (Array.isArray(out[f]) ? (out[f] as Array<Record<string, string>>) : [])).map((n) => n.literal ?? n.family ?? '');
    out.language = CJK.test(out.title) || names.some((n) => CJK.test(n)) ? 'zh-CN' : 'en-US';
  }
  return out;
}

function entryOffsets(text: string, list: unknown[], pattern: (id: string) => RegExp): number[] {
  let from = 0;
  return list.map((raw) => {
    const id = String((raw as { id?: unknown } | null)?.id ?? '');
    if (!id) return from;
    const re = pattern(id);
    re.lastIndex = from;
    const match = re.exec(text);
    if (!match) return from;
    from = match.index + 1;
    return match.index;
  });
}

function pointAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
