/**
 * A derived edition (`derive: {from: zh, opencc: twp}` in book.yaml) is made from its source edition's
 * chapters by conversion. This module prepares what the build needs before any chapter is read: the
 * converter (OpenCC plus the book's term overrides) and the edition's book-level strings (subtitle, byline,
 * publisher, description, keywords), converted from the source where the derived edition does not give
 * its own. The title is always given in book.yaml: editors review it.
 *
 * For an edition that is not derived this returns the edition unchanged and no converter.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import { z } from 'zod';
import { OPENCC_TARGETS } from '../config/book-schema.ts';
import type { EditionConfig } from '../config/book-schema.ts';
import type { LoadedBook } from '../config/load-book.ts';
import { loadYaml, placeOf, validate, type LoadedYaml } from '../config/yaml.ts';
import { report } from '../report/diagnostics.ts';
import { createScriptConverter, type OpenccTarget, type ScriptConverter } from './convert-script.ts';

/** The default overrides file, relative to the book folder. */
export const OVERRIDES_FILE = 'opencc-overrides.yaml';

/**
 * `opencc-overrides.yaml`, the book's glossary: Simplified term → Traditional term, or → one term per
 * OpenCC target (`软件: {twp: 軟體, hk: 軟件}`; a target left out gets plain OpenCC), or a protected name
 * written the same in every target (`世界互联网大会: {name: 世界互聯網大會}`; names are exempt from the
 * check for words written two ways, pipeline/check/hant-terms.ts).
 */
export const overridesSchema = z
  .record(
    z.string().min(1),
    z.union([z.string().min(1), z.strictObject({ name: z.string().min(1) }), z.partialRecord(z.enum(OPENCC_TARGETS), z.string().min(1))], {
      error: 'expected the Traditional term, a name such as {name: 世界互聯網大會}, or one term per target such as {twp: 軟體, hk: 軟件}',
    }),
  )
  .nullable()
  .transform((v) => v ?? {});

export interface DerivedEdition {
  /** The edition, with inherited book-level strings filled in for a derived edition. */
  edition: EditionConfig;
  /** Source text → this edition's script. Undefined when the edition is not derived. */
  convert?: ScriptConverter;
  /** Language of the source edition (zh-CN), for text given per language. */
  sourceLang?: string;
  /** The book's glossary for this edition (derived editions). */
  glossary?: Glossary;
}

/** Prepare an edition for the build. Problems with the overrides file are reported on it (added to the session). */
export function deriveEdition(book: LoadedBook, editionId: string, session: BuildSession, openccMemo?: Map<string, (text: string) => string>): DerivedEdition {
  const config = book.config!;
  const edition = config.editions[editionId]!;
  if (!edition.derive) return { edition };
  const source = config.editions[edition.derive.from]!;
  const glossary = loadOverrides(book, editionId, edition.derive.overrides, edition.derive.opencc, session);
  // Taiwan and Hong Kong set corner quotes 「」『』; an edition tagged plain zh-Hant keeps “”.
  const quotes = /^zh-(?:hant-)?(tw|hk|mo)\b/i.test(edition.lang) ? 'corner' : 'keep';
  const convert = createScriptConverter({ target: edition.derive.opencc, overrides: glossary.pairs, names: glossary.names, quotes, ...(openccMemo ? { openccMemo } : {}) });
  const inherit = (own: string | undefined, theirs: string | undefined) => own ?? (theirs === undefined ? undefined : convert(theirs));
  return {
    convert,
    glossary,
    sourceLang: source.lang,
    edition: {
      ...edition,
      subtitle: inherit(edition.subtitle, source.subtitle),
      byline: inherit(edition.byline, source.byline),
      publisher: inherit(edition.publisher, source.publisher),
      description: inherit(edition.description, source.description),
      keywords: edition.keywords.length ? edition.keywords : source.keywords.map(convert),
      // The editorial board is the source's, converted (the imprint is the edition's own: its ISBN differs).
      board: edition.board ?? source.board?.map((g) => ({ role: convert(g.role), members: g.members.map(convert) })),
    },
  };
}

export interface Glossary {
  /** Simplified → Traditional, in file order. */
  pairs: Array<[string, string]>;
  /** The Simplified keys that are names. */
  names: Set<string>;
  /** The glossary file and its YAML (for positions), when there is one. */
  file?: VFile;
  yaml?: LoadedYaml;
}

/** The glossary (term overrides and names) for one target. A missing default file means none. */
export function loadOverrides(book: LoadedBook, editionId: string, name: string | undefined, target: OpenccTarget, session: BuildSession): Glossary {
  const path = join(book.dir, name ?? OVERRIDES_FILE);
  if (!existsSync(path)) {
    if (name !== undefined) {
      report(book.file, 'opencc-overrides', `the overrides file "${name}" does not exist`, placeOf(book.yaml, ['editions', editionId, 'derive', 'overrides']), {
        hint: `Create manuscripts/${book.id}/${name}, or remove \`overrides:\` to use ${OVERRIDES_FILE} when it exists.`,
      });
    }
    return { pairs: [], names: new Set() };
  }
  const file = new VFile({ path, value: readFileSync(path, 'utf8') });
  if (!session.find(path)) session.add(file);
  const yaml = loadYaml(file);
  const map = validate(yaml, overridesSchema, 'opencc-overrides');
  if (!map) return { pairs: [], names: new Set(), file, yaml };
  const pairs: Array<[string, string]> = [];
  const names = new Set<string>();
  for (const [from, to] of Object.entries(map)) {
    if (typeof to !== 'string' && 'name' in to && typeof to.name === 'string') names.add(from);
    const value = typeof to === 'string' ? to : 'name' in to && typeof to.name === 'string' ? to.name : (to as Partial<Record<OpenccTarget, string>>)[target];
    if (value !== undefined) pairs.push([from, value]);
  }
  return { pairs, names, file, yaml };
}

/**
 * A derived edition reads its source's chapter files, so a problem in them is found twice — once per
 * edition, the second time in converted words (图1-1 / 圖1-1). When both editions were built in this run,
 * the derived edition's messages that repeat one of the source's (same file, place and rule) are dropped.
 */
export function dropRepeatedMessages(editions: ReadonlyArray<{ id: string; edition: EditionConfig; chapters: readonly VFile[] }>): void {
  const key = (file: VFile, m: VFile['messages'][number]) => `${file.path}\u0000${m.line}:${m.column}\u0000${m.ruleId}`;
  for (const derived of editions) {
    const source = derived.edition.derive && editions.find((e) => e.id === derived.edition.derive!.from);
    if (!source) continue;
    const reported = new Set(source.chapters.flatMap((f) => f.messages.map((m) => key(f, m))));
    for (const file of derived.chapters) file.messages = file.messages.filter((m) => !reported.has(key(file, m)));
  }
}
