/**
 * The reads of indicators/ that define what a directive gets from the store (store.ts), as questions that
 * can be asked again (base/read-log.ts), so a chapter run depends on the frameworks it used and not on the
 * whole folder (build/run-cache.ts):
 *
 * - `lookup`: which folder a framework id (and edition, or the latest) resolves to, or none. A framework
 *   folder added or removed changes only the lookups of its id: a new edition of `widi` reruns the chapters
 *   that ask for the latest `widi`, not those that name `year=2026` or use `cidi`.
 * - `listing`: every framework edition's folder (a directive that lists the frameworks).
 * - `framework`: what a framework folder's files hold — framework.yaml, every YAML file of its data folder
 *   (one added or removed counts) and whether its map geometry exists (load.ts `folderStamp`).
 * - `file`: the bytes of a file a framework names (its map geometry), or that it cannot be read.
 *
 * Questions are JSON arrays whose first item is the kind; `answerRead` answers one from the disk.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Read } from '../base/read-log.ts';
import { findFramework, folderStamp, listFrameworks, loadedStamp, stampedFiles, type FrameworkRef, type StampedFiles } from './framework-files.ts';
import type { LoadedFramework } from './load.ts';

type Question =
  | ['lookup', string, number | null]
  | ['listing']
  | ['framework', StampedFiles]
  | ['file', string];

const ask = (question: Question, answer: string): Read => ({ question: JSON.stringify(question), answer });

/** `findFramework(root, id, edition)` gave `ref`. */
export function lookupRead(id: string, edition: number | undefined, ref: FrameworkRef | undefined): Read {
  return ask(['lookup', id, edition ?? null], ref?.dir ?? '');
}

/** `listFrameworks(root)` gave `refs`. */
export function listingRead(refs: readonly FrameworkRef[]): Read {
  return ask(['listing'], JSON.stringify(refs.map((r) => r.dir)));
}

/** The framework was loaded from these files (which carry the messages of its load). */
export function frameworkRead(loaded: LoadedFramework): Read {
  return { ...ask(['framework', stampedFiles(loaded)], loadedStamp(loaded)), files: loaded.files };
}

/** A file read whole, or not readable (`text` undefined). */
export function fileRead(path: string, text: string | undefined): Read {
  return ask(['file', path], text === undefined ? '' : textHash(text));
}

/** SHA-256 of a file's text (the answer of a `file` read). */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The answer `question` gets now, from the indicators folder `indicatorsRoot`; a question this module did
 * not ask (a damaged cache entry) gets an answer no read has, so whatever depends on it is made again.
 */
export function answerRead(indicatorsRoot: string, question: string): string {
  let asked: Question;
  try {
    asked = JSON.parse(question) as Question;
  } catch {
    return '\u0000unknown';
  }
  switch (asked[0]) {
    case 'lookup':
      return findFramework(indicatorsRoot, asked[1], asked[2] ?? undefined)?.dir ?? '';
    case 'listing':
      return JSON.stringify(listFrameworks(indicatorsRoot).map((r) => r.dir));
    case 'framework':
      return folderStamp(asked[1]);
    case 'file':
      return fileRead(asked[1], readText(asked[1])).answer;
    default:
      return '\u0000unknown';
  }
}

/** A file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
