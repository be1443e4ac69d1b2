/**
 * A fast reader for the plainest YAML: the shape of the generated indicator data files (block maps and
 * sequences, one-line flow maps and sequences, identifiers, decimal numbers, double-quoted strings without
 * escapes, comment lines). It gives exactly the value the yaml package gives for such a text, or
 * `NOT_PLAIN` as soon as the text holds anything else (then the caller parses it with the yaml package,
 * which also reports its errors). The yaml package took 0.15–0.5 s of a cold check to read the sample
 * frameworks' 140 KB of data files, most of it while its large code was still being compiled; a file
 * read here is parsed with positions only if a problem has to point into it (config/yaml.ts).
 *
 * What is read (anything else is NOT_PLAIN): spaces for indentation (no tabs, no CR); `key: value` and
 * `key:` followed by a deeper block; `- item` and `- key: value` (one space after the dash) opening a
 * map; keys that are identifiers (`[A-Za-z_][A-Za-z0-9_-]*`), canonical integers or `'text'`; values that
 * are `"text"` (no `\` or `"` inside) or `'text'` (no `'` inside), integers and decimals without exponent
 * (at most 15 digits), `true` and `false` (also `True`, `TRUE` …), identifiers other than YAML's null and
 * boolean words, and `{k: v, …}` / `[v, …]` of those on one line. A `#` anywhere but at the start of a
 * comment line, a duplicate key, an empty value or document: NOT_PLAIN.
 */

export const NOT_PLAIN: unique symbol = Symbol('not plain YAML');

interface Line {
  indent: number;
  text: string;
}

/** The value of `text`, or NOT_PLAIN when it is not in the subset above. */
export function readPlainYaml(text: string): unknown {
  if (UNREAD_CHARACTERS.test(text)) return NOT_PLAIN;
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const content = raw.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    if (content.includes('#') || content.startsWith('---') || content.startsWith('...') || content.startsWith('%')) return NOT_PLAIN;
    lines.push({ indent: raw.length - content.length, text: content.trimEnd() });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return NOT_PLAIN;
  try {
    const reader = new BlockReader(lines);
    const value = reader.block(0);
    return reader.done() ? value : NOT_PLAIN;
  } catch (error) {
    if (error === NOT_PLAIN) return NOT_PLAIN;
    throw error;
  }
}

/** Tabs, CR, other control characters, a byte-order mark, non-characters: left to the yaml package. */
const UNREAD_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\uFEFF\uFFFE\uFFFF]/;
const KEY = /^([A-Za-z_][A-Za-z0-9_-]*|0|[1-9][0-9]*|'[^']*'):(?: (.*))?$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;
const QUOTED = /^"([^"\\]*)"$|^'([^']*)'$/;
const BOOLEANS = new Map([['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false]]);
/** Plain words YAML 1.2's core schema reads as null or a boolean, and a key JavaScript objects treat apart. */
const SPECIAL_WORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

function fail(): never {
  throw NOT_PLAIN;
}

class BlockReader {
  #at = 0;
  readonly #lines: Line[];

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  done(): boolean {
    return this.#at === this.#lines.length;
  }

  /** The block (map or sequence) whose lines start at `indent`. */
  block(indent: number): unknown {
    const first = this.#lines[this.#at];
    if (!first || first.indent !== indent) fail();
    return first.text === '-' || first.text.startsWith('- ') ? this.#sequence(indent) : this.#map(indent);
  }

  #map(indent: number, into: Record<string, unknown> = {}): Record<string, unknown> {
    for (let line = this.#lines[this.#at]; line && line.indent >= indent; line = this.#lines[this.#at]) {
      if (line.indent > indent) fail();
      const match = KEY.exec(line.text) ?? fail();
      const key = keyOf(match[1]!);
      if (Object.hasOwn(into, key)) fail();
      this.#at++;
      into[key] = match[2] === undefined ? this.#nested(indent) : inline(match[2].trim());
    }
    return into;
  }

  /** The deeper block under `key:`. */
  #nested(indent: number): unknown {
    const next = this.#lines[this.#at];
    if (!next || next.indent <= indent) fail();
    return this.block(next.indent);
  }

  #sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.#lines[this.#at]; line && line.indent >= indent; line = this.#lines[this.#at]) {
      if (line.indent > indent || !line.text.startsWith('- ') || line.text[2] === ' ') fail();
      const rest = line.text.slice(2);
      if (KEY.test(rest)) {
        // `- key: value`: a map whose keys stand two columns in, this line's and the deeper ones'.
        this.#lines[this.#at] = { indent: indent + 2, text: rest };
        items.push(this.#map(indent + 2));
      } else {
        this.#at++;
        items.push(inline(rest));
      }
    }
    return items;
  }
}

/** A value written on the line: a flow map or sequence, or a scalar. */
function inline(text: string): unknown {
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) fail();
    const map: Record<string, unknown> = {};
    for (const entry of flowEntries(text.slice(1, -1))) {
      const match = KEY.exec(entry) ?? fail();
      const key = keyOf(match[1]!);
      if (match[2] === undefined || Object.hasOwn(map, key)) fail();
      map[key] = scalar(match[2].trim());
    }
    return map;
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail();
    return flowEntries(text.slice(1, -1)).map(scalar);
  }
  return scalar(text);
}

/** A key as written (an identifier, an integer, `'text'`) → the property name it gives. */
function keyOf(written: string): string {
  const key = written.startsWith("'") ? written.slice(1, -1) : written;
  return SPECIAL_WORDS.has(key) ? fail() : key;
}

/** The comma-separated entries of a flow collection (none nested, a comma inside quotes is text). */
function flowEntries(inner: string): string[] {
  if (/[[\]{}]/.test(inner)) fail();
  if (inner.trim() === '') return [];
  const entries: string[] = [];
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',' || c === undefined) {
      const entry = inner.slice(start, i).trim();
      if (entry === '') fail();
      entries.push(entry);
      start = i + 1;
    }
  }
  if (quote !== undefined) fail();
  return entries;
}

function scalar(text: string): string | number | boolean {
  const quoted = QUOTED.exec(text);
  if (quoted) return quoted[1] ?? quoted[2]!;
  if (BOOLEANS.has(text)) return BOOLEANS.get(text)!;
  if (NUMBER.test(text) && text.replace(/[-.]/g, '').length <= 15) return Number(text);
  if (IDENTIFIER.test(text) && !SPECIAL_WORDS.has(text)) return text;
  return fail();
}

/** Offsets `[start, end]` of a node, as the yaml package's `range` gives its first two. */
export type PlainRange = [number, number];

export interface PlacedLine extends Line {
  /** Offset of the line's first character after the indentation. */
  start: number;
}

/**
 * Where the node at `path` is in a text `readPlainYaml` reads — as `indicators/positions.ts` `locate`
 * finds it in the yaml package's document (keys compared as text; `key`: the last key rather than its
 * value; a segment not found: the nearest node found) — when that node is a scalar or a one-line flow
 * collection. Undefined when it is a block map or sequence: their ranges are the document's to give.
 */
export function plainRange(lines: readonly PlacedLine[], path: ReadonlyArray<string | number>, key = false): PlainRange | undefined {
  let from = 0;
  let first: PlacedLine | undefined;
  for (let i = 0; i < path.length; i++) {
    const line = first ?? lines[from];
    if (!line) return undefined;
    const segment = path[i]!;
    const last = i === path.length - 1;
    const found = line.text === '-' || line.text.startsWith('- ') ? seqItem(lines, from, segment) : mapEntry(lines, from, String(segment), line);
    if (found === undefined) return undefined; // not found: the nearest node is this block
    if (last && key && found.key) return found.key;
    if ('flow' in found) return flowRange(found.flow, path.slice(i + 1), key);
    if (last) return undefined;
    ({ from, first } = found);
  }
  return undefined;
}

type Found = { key?: PlainRange; flow: PlainRange & { text: string } } | { key?: PlainRange; from: number; first?: PlacedLine };

/** The entry with key `segment` of the block map whose first line is `first` (`lines[from]`, or its rest after `- `). */
function mapEntry(lines: readonly PlacedLine[], from: number, segment: string, first: PlacedLine): Found | undefined {
  const indent = first.indent;
  for (let j = from; j < lines.length && (j === from || lines[j]!.indent >= indent); j++) {
    const line = j === from ? first : lines[j]!;
    if (line.indent !== indent) continue;
    const match = KEY.exec(line.text)!;
    if (keyOf(match[1]!) !== segment) continue;
    const keyRange: PlainRange = [line.start, line.start + match[1]!.length];
    if (match[2] === undefined) return { key: keyRange, from: j + 1 };
    return { key: keyRange, flow: valueAt(match[2], keyRange[1] + 2) };
  }
  return undefined;
}

/** Item `segment` of the block sequence whose first line is `lines[from]`. */
function seqItem(lines: readonly PlacedLine[], from: number, segment: string | number): Found | undefined {
  if (typeof segment !== 'number') return undefined;
  const indent = lines[from]!.indent;
  let n = -1;
  for (let j = from; j < lines.length && lines[j]!.indent >= indent; j++) {
    const line = lines[j]!;
    if (line.indent !== indent || ++n < segment) continue;
    const rest = line.text.slice(2);
    if (!KEY.test(rest)) return { flow: valueAt(rest, line.start + 2) };
    // A map whose first key is on the item's line: the same line, two columns in.
    return { from: j, first: { indent: indent + 2, text: rest, start: line.start + 2 } };
  }
  return undefined;
}

/** The value written from `offset` on (spaces before it skipped), with its text. */
function valueAt(written: string, offset: number): PlainRange & { text: string } {
  const text = written.trim();
  const start = offset + written.length - written.trimStart().length;
  return Object.assign([start, start + text.length] as PlainRange, { text });
}

/** The node at `path` inside a one-line value (a scalar or a flow collection of scalars). */
function flowRange(value: PlainRange & { text: string }, path: ReadonlyArray<string | number>, key: boolean): PlainRange {
  const whole: PlainRange = [value[0], value[1]];
  const open = value.text[0];
  if (path.length === 0 || (open !== '{' && open !== '[')) return whole;
  const entries = placedEntries(value.text.slice(1, -1), value[0] + 1);
  const segment = path[0]!;
  if (open === '[') {
    const entry = typeof segment === 'number' ? entries[segment] : undefined;
    return entry ? [entry.start, entry.start + entry.text.length] : whole;
  }
  for (const entry of entries) {
    const match = KEY.exec(entry.text)!;
    if (keyOf(match[1]!) !== String(segment)) continue;
    const keyRange: PlainRange = [entry.start, entry.start + match[1]!.length];
    if (path.length === 1 && key) return keyRange;
    const at = valueAt(match[2]!, keyRange[1] + 2);
    return [at[0], at[1]];
  }
  return whole;
}

/** The content lines of a plain text with their offsets (as readPlainYaml reads them), for `plainRange`. */
export function placedLines(text: string): PlacedLine[] {
  const lines: PlacedLine[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const content = raw.trimStart();
    if (content !== '' && !content.startsWith('#')) lines.push({ indent: raw.length - content.length, text: content.trimEnd(), start: offset + raw.length - content.length });
    offset += raw.length + 1;
  }
  return lines;
}

/** The entries of a flow collection's inside starting at `offset`, each trimmed, with its offset. */
function placedEntries(inner: string, offset: number): Array<{ text: string; start: number }> {
  const entries: Array<{ text: string; start: number }> = [];
  let at = 0;
  for (const entry of flowEntries(inner)) {
    const start = inner.indexOf(entry, at);
    entries.push({ text: entry, start: offset + start });
    at = start + entry.length;
  }
  return entries;
}
