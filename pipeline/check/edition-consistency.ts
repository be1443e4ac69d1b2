/**
 * Edition consistency: the editions of one book (zh and en of the world report) are translations of each
 * other, so they carry the same chapter files, the same labelled figures, tables, boxes and entries in the
 * same chapters, as many of each kind, the same authors (ids of people.yaml), and the same indicator references (`framework`/`entity` of
 * `:value`, `::ranking-table`, `::chart`). Runs after every selected edition of a book went through its
 * per-chapter stages (in `check` and in `build`), on the facts remarkEditionFacts recorded.
 *
 * Derived editions are conversions of their source and are not compared. Each difference is reported
 * once per edition that lacks something, at the position of the thing in the first edition that has it,
 * naming both files: `figure "fig-x" is in zh/02-infrastructure.md but missing from en/02-infrastructure.md`.
 */
import { relative } from 'node:path';
import type { VFile } from 'vfile';
import type { EditionConfig } from '../config/book-schema.ts';
import type { LoadedBook } from '../config/load-book.ts';
import { placeOf } from '../config/yaml.ts';
import type { EditionFacts, FactIndicatorRef, FactLabel } from '../markdown/remark-edition-facts.ts';
import { report } from '../report/diagnostics.ts';

export interface ProcessedEdition {
  id: string;
  edition: EditionConfig;
  /** Chapter files after the per-chapter stages, with `file.data.chapter` and `file.data.editionFacts`. */
  chapters: readonly VFile[];
}

export interface EditionConsistencyOptions {
  /** Folder that file names in messages are relative to. Default: process.cwd(). */
  root?: string;
}

interface Side {
  id: string;
  /** Chapter file name → its VFile and facts. */
  chapters: Map<string, { file: VFile; facts: EditionFacts }>;
}

export function checkEditionConsistency(book: LoadedBook, editions: readonly ProcessedEdition[], options: EditionConsistencyOptions = {}): void {
  const root = options.root ?? process.cwd();
  const sides: Side[] = editions
    .filter((e) => !e.edition.derive)
    .map((e) => ({
      id: e.id,
      chapters: new Map(e.chapters.flatMap((file) => (file.data.chapter && file.data.editionFacts ? [[file.data.chapter.name, { file, facts: file.data.editionFacts }] as const] : []))),
    }));
  if (sides.length < 2) return;
  const name = (file: VFile) => relative(root, file.path);
  const folderOf = (side: Side, chapter: string) => relative(root, `${book.dir}/${side.id}/${chapter}`);

  compareChapterLists(book, editions.filter((e) => !e.edition.derive));

  const chapterNames = [...new Set(sides.flatMap((s) => [...s.chapters.keys()]))].sort();
  for (const chapter of chapterNames) {
    const present = sides.filter((s) => s.chapters.has(chapter));
    if (present.length < 2) continue; // a missing chapter is reported on book.yaml

    // Bylines: the same people (ids of people.yaml), in the same order.
    const bylines = present.map((s) => s.chapters.get(chapter)!.file);
    const first = bylines[0]!.data.chapter!;
    for (const file of bylines.slice(1)) {
      const own = file.data.chapter!;
      if (!first.authorIds || !own.authorIds) continue;
      if (first.authorIds.join('\u0000') === own.authorIds.join('\u0000')) continue;
      report(file, 'byline-mismatch', `the authors are ${own.authorIds.join(', ') || 'none'} here but ${first.authorIds.join(', ') || 'none'} in ${name(bylines[0]!)}`, own.authorsAt);
    }

    // Labelled blocks: the same ids, of the same kind, in the same chapter.
    const labelKeys = unionOf(present, (s) => s.chapters.get(chapter)!.facts.labels.map((l) => l.id));
    for (const id of labelKeys) {
      const holders = present.filter((s) => findLabel(s, chapter, id));
      const first = holders[0]!;
      const label = findLabel(first, chapter, id)!;
      const firstFile = first.chapters.get(chapter)!.file;
      for (const side of present) {
        const own = findLabel(side, chapter, id);
        const otherFile = side.chapters.get(chapter)!.file;
        if (own) {
          if (own.kind !== label.kind) {
            report(otherFile, 'edition-mismatch', `"${id}" is a ${own.kind} here but a ${label.kind} in ${name(firstFile)}`, own.position);
          }
          continue;
        }
        const elsewhere = [...side.chapters.entries()].find(([, c]) => c.facts.labels.some((l) => l.id === id));
        const reason = elsewhere
          ? `${label.kind} "${id}" is in ${name(firstFile)} but in another chapter of the ${side.id} edition: ${name(elsewhere[1].file)}`
          : `${label.kind} "${id}" is in ${name(firstFile)} but missing from the ${side.id} edition: ${name(otherFile)}`;
        report(firstFile, 'edition-mismatch', reason, label.position);
      }
    }

    // Blocks without an id cannot be matched one by one: as many of each kind in every edition.
    const kinds = unionOf(present, (s) => Object.keys(s.chapters.get(chapter)!.facts.counts)).sort();
    for (const kind of kinds) {
      const unlabelled = present.map((s) => {
        const facts = s.chapters.get(chapter)!.facts;
        return (facts.counts[kind] ?? 0) - facts.labels.filter((l) => l.kind === kind).length;
      });
      if (unlabelled.every((n) => n === unlabelled[0])) continue;
      const most = present[unlabelled.indexOf(Math.max(...unlabelled))]!;
      const list = present.map((s, i) => `${unlabelled[i]} in ${name(s.chapters.get(chapter)!.file)}`).join(', ');
      report(most.chapters.get(chapter)!.file, 'edition-mismatch', `the editions have different numbers of ${kind} blocks without an id: ${list}`);
    }

    // Indicator references: the same framework/entity pairs per directive.
    const refKeys = unionOf(present, (s) => s.chapters.get(chapter)!.facts.indicators.map(refKey));
    for (const key of refKeys) {
      const holders = present.filter((s) => findRef(s, chapter, key));
      const first = holders[0]!;
      const ref = findRef(first, chapter, key)!;
      const firstFile = first.chapters.get(chapter)!.file;
      for (const side of present) {
        if (findRef(side, chapter, key)) continue;
        report(firstFile, 'edition-mismatch', `indicator reference ${describe(ref)} is in ${name(firstFile)} but missing from the ${side.id} edition: ${folderOf(side, chapter)}`, ref.position);
      }
    }
  }
}

/** Every non-derived edition lists the same chapter files in the same order. */
function compareChapterLists(book: LoadedBook, editions: readonly ProcessedEdition[]): void {
  const all = [...new Set(editions.flatMap((e) => e.edition.chapters))];
  for (const chapter of all) {
    const holders = editions.filter((e) => e.edition.chapters.includes(chapter));
    const first = holders[0]!;
    const index = first.edition.chapters.indexOf(chapter);
    for (const e of editions) {
      if (e.edition.chapters.includes(chapter)) continue;
      report(book.file, 'edition-mismatch', `chapter "${first.id}/${chapter}" has no counterpart in the ${e.id} edition (${e.id}/${chapter})`, placeOf(book.yaml, ['editions', first.id, 'chapters', index]));
    }
  }
  const [reference, ...others] = editions;
  for (const e of others) {
    const shared = (x: EditionConfig) => x.chapters.filter((c) => reference!.edition.chapters.includes(c) && e.edition.chapters.includes(c));
    const a = shared(reference!.edition);
    const b = shared(e.edition);
    const at = a.findIndex((c, i) => b[i] !== c);
    if (at !== -1) {
      report(book.file, 'edition-mismatch', `the ${e.id} edition lists "${b[at]}" where the ${reference!.id} edition has "${a[at]}": chapters are in a different order`, placeOf(book.yaml, ['editions', e.id, 'chapters', e.edition.chapters.indexOf(b[at]!)]));
    }
  }
}

function unionOf(sides: readonly Side[], keys: (s: Side) => string[]): string[] {
  const seen = new Set<string>();
  for (const s of sides) for (const k of keys(s)) seen.add(k);
  return [...seen];
}

function findLabel(side: Side, chapter: string, id: string): FactLabel | undefined {
  return side.chapters.get(chapter)?.facts.labels.find((l) => l.id === id);
}

function findRef(side: Side, chapter: string, key: string): FactIndicatorRef | undefined {
  return side.chapters.get(chapter)?.facts.indicators.find((r) => refKey(r) === key);
}

function refKey(ref: FactIndicatorRef): string {
  return `${ref.directive}\u0000${ref.framework}\u0000${ref.entity}\u0000${ref.node}`;
}

function describe(ref: FactIndicatorRef): string {
  const prefix = ref.directive === 'value' ? ':' : '::';
  const attrs = [ref.framework && `framework="${ref.framework}"`, ref.node && `indicator="${ref.node}"`, ref.entity && `entity="${ref.entity}"`].filter(Boolean).join(' ');
  return `${prefix}${ref.directive}{${attrs}}`;
}
