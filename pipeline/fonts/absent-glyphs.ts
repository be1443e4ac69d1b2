/**
 * The characters each font slice declares in its CSS `unicode-range` but has no glyph for
 * (`woff2-cmap.ts` says why that matters). Working them out reads every slice file: about 1 ms each, 0.6–1 s
 * for a CJK font set, too slow for every `annals check`. So the answer for the installed font packages is
 * recorded in `absent-glyphs.json` beside this module, keyed by package and version (the lockfile pins
 * them), and regenerated with `npm run font-absent-glyphs` when a font package changes;
 * `tests/glyph-coverage.test.ts` fails while the record and the installed files disagree. A package whose
 * version the record lacks (an upgrade not yet recorded) is read from its files, once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toolRoot } from '../base/tool-root.ts';
import type { Script } from '../locale/locale.ts';
import { type FontFaceSpec, type FontSlice, fontPackage, fontSetFor, isPackagedFace, mergeRanges, slicesOf } from './fonts.ts';
import { mappedRanges } from './woff2-cmap.ts';

type Ranges = Array<[number, number]>;

/** `package@version` → slice file name → its absent code points as `a-b,c` (hexadecimal). */
export type AbsentRecord = Record<string, Record<string, string>>;

export const ABSENT_GLYPHS_FILE = join(toolRoot, 'pipeline', 'fonts', 'absent-glyphs.json');

const require = createRequire(import.meta.url);

/** The `package@version` a face's files come from. */
export function packageKey(spec: FontFaceSpec): string {
  const name = fontPackage(spec);
  const { version } = JSON.parse(readFileSync(join(dirname(require.resolve(`${name}/package.json`)), 'package.json'), 'utf8')) as { version: string };
  return `${name}@${version}`;
}

/** The declared code points of `slice` that its file maps to no glyph. */
export function absentFromFile(slice: FontSlice): Ranges {
  return subtractRanges(slice.ranges, mappedRanges(readFileSync(slice.file)));
}

/** `ranges` without the code points of `minus` (both sorted and joined, as `mergeRanges` gives them). */
export function subtractRanges(ranges: Ranges, minus: Ranges): Ranges {
  const out: Ranges = [];
  let j = 0;
  for (const [a, b] of mergeRanges(ranges)) {
    let from = a;
    while (j < minus.length && minus[j]![1] < from) j++;
    for (let k = j; k < minus.length && minus[k]![0] <= b; k++) {
      const [ma, mb] = minus[k]!;
      if (ma > from) out.push([from, ma - 1]);
      from = Math.max(from, mb + 1);
    }
    if (from <= b) out.push([from, b]);
  }
  return out;
}

export function formatRanges(ranges: Ranges): string {
  return ranges.map(([a, b]) => (a === b ? a.toString(16) : `${a.toString(16)}-${b.toString(16)}`)).join(',');
}

export function parseRanges(text: string): Ranges {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const [a, b] = part.split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
  });
}

/**
 * Answers "which declared code points of this slice have no glyph?" from the record, or from the file
 * for a package the record lacks. One per process (the record and the packages do not change while it runs).
 */
export interface AbsentGlyphs {
  of(spec: FontFaceSpec, slice: FontSlice): Ranges;
}

/**
 * Recorded answers are parsed once per text and shared, read-only: the weights of a family mostly record
 * the same absent characters per slice, and glyph-coverage.ts skips a slice whose ranges and absent
 * characters it has already marked, by their identity.
 */
export function absentGlyphs(record: AbsentRecord = readRecord()): AbsentGlyphs {
  const keys = new Map<string, string>();
  const parsed = new Map<string, Ranges>();
  return {
    of(spec, slice) {
      const name = fontPackage(spec);
      let key = keys.get(name);
      if (key === undefined) keys.set(name, (key = packageKey(spec)));
      const recorded = record[key]?.[slice.name];
      if (recorded === undefined) return absentFromFile(slice);
      let ranges = parsed.get(recorded);
      if (!ranges) parsed.set(recorded, (ranges = parseRanges(recorded)));
      return ranges;
    },
  };
}

function readRecord(): AbsentRecord {
  try {
    return JSON.parse(readFileSync(ABSENT_GLYPHS_FILE, 'utf8')) as AbsentRecord;
  } catch {
    return {};
  }
}

/** The record for the packages the font sets of every script use now (what `absent-glyphs.json` should hold). */
export function recordOfInstalledFonts(): AbsentRecord {
  const record: AbsentRecord = {};
  const scripts: Script[] = ['zh-Hans', 'zh-Hant', 'en'];
  for (const spec of scripts.flatMap((s) => fontSetFor(s).faces)) {
    if (!isPackagedFace(spec)) continue;
    const slices = (record[packageKey(spec)] ??= {});
    for (const slice of slicesOf({ ...spec, unicodeRange: undefined })) slices[slice.name] ??= formatRanges(absentFromFile(slice));
  }
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))]));
}
