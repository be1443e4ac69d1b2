/**
 * YAML with positions. `loadYaml` parses a VFile's text into a value and keeps the document, so that any
 * later check (a schema, a weight sum, an unknown id) can point at the YAML line and column of the value
 * it is about via `placeOf(loaded, path)`. A text in the plain subset of `plain-yaml.ts` (the generated
 * data files) is read by that faster reader, and its document parsed the first time it is asked for.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import type { z } from 'zod';
import { report } from '../report/diagnostics.ts';
import { NOT_PLAIN, placedLines, plainRange, readPlainYaml, type PlacedLine, type PlainRange } from './plain-yaml.ts';
import type { RuleId } from '../report/rules.ts';

export type YamlPath = ReadonlyArray<string | number>;

export interface LoadedYaml {
  file: VFile;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The parsed value; `undefined` when the text had syntax errors or too many aliases. */
  value: unknown;
  /** The text could not be read into a value (reported): schema checks are skipped. */
  failed: boolean;
  /** Offset added to every position (for front matter that starts below line 1). */
  lineOffset: number;
  /**
   * For a text plain-yaml.ts read: the offsets of the node at `path` (keys compared as text; `key`: the
   * last key) when the text's lines give them, so that a problem is placed without parsing the document
   * (`indicators/positions.ts`). Undefined: ask `doc`.
   */
  rangeOf?(path: YamlPath, key: boolean): PlainRange | undefined;
}

/**
 * Aliases (`*name`) one document may expand into: enough for any hand-written file, far too few for a
 * "billion laughs" document whose nested aliases would expand to gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parse YAML text. Syntax errors are reported on `file` under `yaml-syntax`; a document whose aliases
 * expand past MAX_ALIAS_COUNT is reported under `yaml-aliases` at its first alias, and gives no value.
 */
export function loadYaml(file: VFile, text = String(file.value), lineOffset = 0): LoadedYaml {
  const plain = readPlainYaml(text);
  if (plain !== NOT_PLAIN) return plainLoaded(file, text, plain, lineOffset);
  const { doc, lines } = parsed(text);
  const loaded: LoadedYaml = { file, doc, lines, value: undefined, lineOffset, failed: doc.errors.length > 0 };
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    report(file, 'yaml-syntax', firstLine(error.message), rangeToPosition(loaded, start, end));
  }
  if (doc.errors.length > 0) return loaded;
  try {
    loaded.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError when the alias count is exceeded ("resource exhaustion").
    if (!(error instanceof ReferenceError)) throw error;
    loaded.failed = true;
    let first: YamlNode | undefined;
    visit(doc, { Alias: (_, node) => { if (isAlias(node) && !first) { first = node; return visit.BREAK; } return undefined; } });
    const range = first?.range;
    report(file, 'yaml-aliases', `the YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (a "billion laughs" document); nothing in this file was read`, range ? rangeToPosition(loaded, range[0], range[1]) : { line: 1 + lineOffset, column: 1 });
  }
  return loaded;
}

function parsed(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
}

/**
 * A text the fast reader took (plain-yaml.ts: the same value, and no syntax error is possible): its
 * document with positions is parsed only when something asks where a value is (a problem to report).
 */
function plainLoaded(file: VFile, text: string, value: unknown, lineOffset: number): LoadedYaml {
  let document: Document.Parsed | undefined;
  let lines: LineCounter | undefined;
  let placed: PlacedLine[] | undefined;
  return {
    file,
    value,
    lineOffset,
    failed: false,
    get doc() {
      return (document ??= parsed(text).doc);
    },
    // The line starts the parser would record: one per line, the first at 0.
    get lines() {
      if (!lines) {
        lines = new LineCounter();
        lines.addNewLine(0);
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
      }
      return lines;
    },
    rangeOf: (path, key) => plainRange((placed ??= placedLines(text)), path, key),
  };
}

/** The position of the node at `path`, or of its nearest existing ancestor. */
export function placeOf(loaded: LoadedYaml, path: YamlPath): Position | undefined {
  let node: unknown = loaded.doc.contents;
  let best: YamlNode | undefined = node as YamlNode | undefined;
  let keyNode: YamlNode | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      keyNode = undefined;
    } else break;
    if (node && typeof node === 'object' && 'range' in node) best = node as YamlNode;
    else if (keyNode) best = keyNode; // e.g. `key:` with an empty value
  }
  if (!best?.range) return undefined;
  return rangeToPosition(loaded, best.range[0], best.range[1]);
}

/** The position of the key of the map entry at `path` (`tilte` in `tilte: …`), else that of `placeOf`. */
export function keyPlaceOf(loaded: LoadedYaml, path: YamlPath): Position | undefined {
  const parent = path.length > 1 ? loaded.doc.getIn(path.slice(0, -1), true) : loaded.doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === path.at(-1));
    const range = (pair?.key as YamlNode | undefined)?.range;
    if (range) return rangeToPosition(loaded, range[0], range[1]);
  }
  return placeOf(loaded, path);
}

function rangeToPosition(loaded: LoadedYaml, start: number, end: number): Position {
  const s = loaded.lines.linePos(start);
  const e = loaded.lines.linePos(Math.max(start, end));
  return {
    start: { line: s.line + loaded.lineOffset, column: s.col, offset: start },
    end: { line: e.line + loaded.lineOffset, column: e.col, offset: end },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Validate a loaded value against a zod schema; each issue is reported at the YAML node it concerns.
 * Returns the parsed (defaulted) value, or `undefined` when the value does not match.
 */
export function validate<S extends z.ZodType>(
  loaded: LoadedYaml,
  schema: S,
  ruleId: RuleId = 'config-schema',
  basePath: YamlPath = [],
): z.output<S> | undefined {
  if (loaded.failed) return undefined;
  const value = basePath.length ? getIn(loaded.value, basePath) : loaded.value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [...basePath, ...(issue.path as Array<string | number>)];
    const where = path.length ? `\`${path.join('.')}\`: ` : '';
    report(loaded.file, ruleId, where + issue.message, placeOf(loaded, path));
  }
  return undefined;
}

function getIn(value: unknown, path: YamlPath): unknown {
  let v: any = value;
  for (const k of path) v = v?.[k as any];
  return v;
}
