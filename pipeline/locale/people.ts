/**
 * The people of a book (`manuscripts/<book>/people.yaml`): one entry per author, with the name in each
 * language and an affiliation. Chapters name authors by id in their front matter (`authors:
 * [zhang-jianguo]`), so every edition prints the same people, each in its own script; a derived edition
 * converts the Chinese name unless the entry gives its `zh-Hant` form. The edition consistency check
 * compares the ids (pipeline/check/edition-consistency.ts).
 *
 *   zhang-jianguo:
 *     name: {zh: 张建国, en: Zhang Jianguo}
 *     affiliation: {zh: 网络空间发展研究院, en: Institute of Cyberspace Development}
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Yaml } from 'mdast';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import { z } from 'zod';
import { Text } from '../indicators/schema.ts';
import type { Locale } from './locale.ts';
import { closest } from '../report/closest.ts';
import { report } from '../report/diagnostics.ts';
import { loadYaml, validate } from '../config/yaml.ts';

export const PEOPLE_FILE = 'people.yaml';

export const peopleSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'a person id is lower-case letters, digits and hyphens, e.g. zhang-jianguo'),
  z.strictObject({
    /** The name per language: {zh: 张建国, en: Zhang Jianguo, zh-Hant: 張建國}. */
    name: Text,
    /** Affiliation per language. Default: none. */
    affiliation: Text.optional(),
  }),
);
export type People = z.output<typeof peopleSchema>;

/** The book's registry, or undefined when the book has no people.yaml (bylines are then free text). */
export function loadPeople(bookDir: string, session: BuildSession): People | undefined {
  const path = join(bookDir, PEOPLE_FILE);
  if (!existsSync(path)) return undefined;
  // Every edition of the book reads the file; its problems are reported once, by the first.
  const known = session.find(path) !== undefined;
  const file = new VFile({ path, value: readFileSync(path, 'utf8') });
  if (!known) session.add(file);
  return validate(loadYaml(file), peopleSchema, 'people-schema') ?? {};
}

export interface ResolvedAuthors {
  /** The names to print, in the edition's language and script. */
  names: string[];
  /** The registry ids, in order (what editions must agree on); undefined without a registry. */
  ids?: string[];
}

/**
 * A chapter's `authors:` through the registry: every entry must be an id of people.yaml (reported at the
 * `authors:` line with a "did you mean" otherwise, and printed as written).
 */
export function resolveAuthors(authors: readonly string[], people: People | undefined, locale: Locale, file: VFile, yaml: Yaml | undefined): ResolvedAuthors {
  if (!people) return { names: [...authors] };
  const ids: string[] = [];
  const names = authors.map((entry) => {
    const person = people[entry];
    if (person) {
      ids.push(entry);
      return locale.text(person.name);
    }
    const near = closest(entry, Object.keys(people));
    report(file, 'person-unknown', `author "${entry}" is not an id of ${PEOPLE_FILE}`, authorsPlace(yaml), {
      hint: near ? `Did you mean "${near}"? Authors are named by their id in ${PEOPLE_FILE}.` : `Add the person to ${PEOPLE_FILE} and name them by id.`,
    });
    ids.push(`?${entry}`);
    return entry;
  });
  return { names, ids };
}

/** The position of `authors:` in the front matter (the YAML text starts on the line after `---`). */
export function authorsPlace(yaml: Yaml | undefined): { line: number; column: number } | undefined {
  if (!yaml?.position) return undefined;
  const index = yaml.value.split('\n').findIndex((l) => /^authors\s*:/.test(l));
  return index < 0 ? undefined : { line: yaml.position.start.line + 1 + index, column: 1 };
}
