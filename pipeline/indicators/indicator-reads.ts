/**
 * The reads of indicators/ that define what a directive gets from the store (store.ts), as questions that
 * can be asked again (base/read-log.ts), so a chapter run, and a book, depend on the frameworks they used
 * and not on the whole folder (build/run-cache.ts, build/build-cache.ts):
 *
 * - `lookup`: which folder a framework id (and edition, or the latest) resolves to, or none. A framework
 *   folder added or removed changes only the lookups of its id: a new edition of `widi` reruns the chapters
 *   that ask for the latest `widi`, not those that name `year=2026` or use `cidi`.
 * - `listing`: every framework edition's folder (a directive that lists the frameworks).
 * - `framework`: what a framework folder's files hold — framework.yaml, every YAML file of its data folder
 *   (one added or removed counts) and whether its map geometry exists.
 * - `file`: the bytes of a file a framework names (its map geometry), or that it cannot be read.
 *
 * Questions are JSON arrays whose first item is the kind, with paths relative to the indicators folder (a
 * moved project asks the same questions); `answer` answers one from the disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import type { Read } from '../base/read-log.ts';
import { dataPathsOf, findFramework, listFrameworks, stampedFiles, type FrameworkRef } from './framework-files.ts';
import type { LoadedFramework } from './load.ts';

type Question = ['lookup', string, number | null] | ['listing'] | ['framework', string, string, string | null] | ['file', string];

/** The reads of one indicators folder, and their answers now. */
export interface IndicatorReads {
  /** `findFramework(root, id, edition)` gave `ref`. */
  lookup(id: string, edition: number | undefined, ref: FrameworkRef | undefined): Read;
  /** `listFrameworks(root)` gave `refs`. */
  listing(refs: readonly FrameworkRef[]): Read;
  /** The framework was loaded from its files (which carry the messages of its load: `Read.files`). */
  framework(loaded: LoadedFramework): Read;
  /** A file read whole, or not readable (`text` undefined). */
  file(path: string, text: string | undefined): Read;
  /** The answer `question` gets now; a question not asked here (a damaged record) gets one no read has. */
  answer(question: string): string;
}

export function indicatorReads(indicatorsRoot: string): IndicatorReads {
  const rel = (path: string) => relative(indicatorsRoot, path).split(sep).join('/');
  const abs = (path: string) => resolve(indicatorsRoot, path);
  const ask = (question: Question, answer: string): Read => ({ question: JSON.stringify(question), answer });
  const dirs = (refs: readonly FrameworkRef[]) => JSON.stringify(refs.map((r) => rel(r.dir)));
  return {
    lookup: (id, edition, ref) => ask(['lookup', id, edition ?? null], ref ? rel(ref.dir) : ''),
    listing: (refs) => ask(['listing'], dirs(refs)),
    framework(loaded) {
      const { dir, dataDir, geometry } = stampedFiles(loaded);
      const texts = [loaded.frameworkYaml, ...loaded.dataYaml].map((y) => [rel(y.file.path), String(y.file.value)] as const);
      return { ...ask(['framework', rel(dir), rel(dataDir), geometry && rel(geometry)], filesStamp(texts, geometry !== null && existsSync(geometry))), files: loaded.files };
    },
    file: (path, text) => ask(['file', rel(path)], text === undefined ? '' : textHash(text)),
    answer(question) {
      const asked = parseQuestion(question);
      switch (asked?.[0]) {
        case 'lookup': {
          const ref = findFramework(indicatorsRoot, asked[1], asked[2] ?? undefined);
          return ref ? rel(ref.dir) : '';
        }
        case 'listing':
          return dirs(listFrameworks(indicatorsRoot));
        case 'framework': {
          const texts: Array<readonly [string, string]> = [];
          for (const path of [join(abs(asked[1]), 'framework.yaml'), ...dataPathsOf(abs(asked[2]))]) {
            const text = readText(path);
            if (text === undefined) return '\u0000missing';
            texts.push([rel(path), text]);
          }
          return filesStamp(texts, asked[3] !== null && existsSync(abs(asked[3])));
        }
        case 'file': {
          const text = readText(abs(asked[1]));
          return text === undefined ? '' : textHash(text);
        }
        default:
          return '\u0000unknown';
      }
    },
  };
}

function parseQuestion(question: string): Question | undefined {
  try {
    const asked = JSON.parse(question) as unknown;
    return Array.isArray(asked) ? (asked as Question) : undefined;
  } catch {
    return undefined;
  }
}

/** The hash of files (relative path and text, in order) and of whether the map geometry exists. */
function filesStamp(texts: ReadonlyArray<readonly [string, string]>, geometry: boolean): string {
  const hash = createHash('sha256');
  for (const [path, text] of texts) hash.update(`${path}\u0000${text}\u0000`);
  return `${hash.digest('hex')}:${geometry}`;
}

/** SHA-256 of a file's text. */
function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
