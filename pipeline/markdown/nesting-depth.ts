/**
 * A chapter nested thousands of levels deep (`> ` × 2000, `- ` × 2000, or a list indented level by level)
 * overflows the stack of every recursive step after the parser (structuredClone, v8.serialize, tree
 * walks) or makes the parser itself take minutes. The depth is measured on the raw text, before anything
 * parses it, and a chapter deeper than `MAX_NESTING` is cut before its first too-deep line and reported
 * there (`nesting-too-deep`): the build fails with a position, at once.
 *
 * The measure is a cheap upper bound, per line outside fenced code: every block-quote marker (`>`) and
 * list marker (`-`, `*`, `+`, `1.`, `1)`, with one space after it) that opens the line counts one level,
 * and every two other columns of indentation count one more (a nested list indents its items by at least two columns per level).
 */
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

/** Levels of block quotes and lists a chapter may nest. No real manuscript comes near it. */
export const MAX_NESTING = 32;

/**
 * Check `file`; when it nests too deep, report it and cut `file.value` before the first too-deep line
 * (so what is parsed is the chapter up to there). Returns the place reported, if any.
 */
export function limitNesting(file: VFile, max = MAX_NESTING): Point | undefined {
  const text = String(file.value ?? '');
  let fence: string | undefined;
  let offset = 0;
  let line = 1;
  while (offset <= text.length) {
    const end = text.indexOf('\n', offset);
    const stop = end === -1 ? text.length : end;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(text.slice(offset, Math.min(stop, offset + 64)));
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (!fence) fence = marker[0]!.repeat(marker.length);
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (!fence) {
      const deep = depthOf(text, offset, stop, max);
      if (deep !== undefined) {
        const place = { line, column: deep - offset + 1, offset: deep };
        report(file, 'nesting-too-deep', `block quotes and lists nest more than ${max} levels deep here; the rest of the chapter is not read`, place);
        file.value = text.slice(0, offset);
        return place;
      }
    }
    if (end === -1) break;
    offset = end + 1;
    line += 1;
  }
  return undefined;
}

/** The offset where the line's nesting passes `max`, or undefined. */
function depthOf(text: string, start: number, stop: number, max: number): number | undefined {
  let depth = 0;
  let columns = 0;
  let i = start;
  while (i < stop) {
    const c = text[i]!;
    if (c === ' ') {
      columns += 1;
      i += 1;
      continue;
    }
    if (c === '\t') {
      columns += 4 - (columns % 4);
      i += 1;
      continue;
    }
    let marker = 0;
    if (c === '>') marker = 1;
    else if ((c === '-' || c === '*' || c === '+') && /[ \t]|$/.test(text[i + 1] ?? '')) marker = 1;
    else {
      const m = /^\d{1,9}[.)](?=[ \t]|$)/.exec(text.slice(i, Math.min(stop, i + 11)));
      if (m) marker = m[0].length;
    }
    if (marker === 0) break;
    const at = i;
    depth += 1;
    i += marker;
    if (text[i] === ' ') i += 1; // the space after a marker belongs to it
    if (depth + Math.floor(columns / 2) > max) return at;
  }
  return depth + Math.floor(columns / 2) > max ? i : undefined;
}
