/**
 * Which characters an edition's fonts can draw. Fonts come from npm, so a character of a script none of
 * them covers (Malayalam, Kannada, Ethiopic … in a quotation or a CommonMark entity) would otherwise be
 * drawn by whatever font the machine has: a PDF that differs from machine to machine, and a font audit
 * that fails at the end of the print without naming the character. This module answers "is this code
 * point drawn by one of the edition's faces?" from the ranges the @fontsource packages declare, so the
 * HTML stage can report each such character at its line (`rehype-glyph-coverage.ts`) and the build can
 * give it a declared stand-in (`missing-glyph-font.ts`).
 */
import type { Script } from '../locale/locale.ts';
import { readFileSync } from 'node:fs';
import { type AbsentGlyphs, absentGlyphs, subtractRanges } from './absent-glyphs.ts';
import { type FontSet, fontSetFor, isPackagedFace, parseUnicodeRange, slicesOf } from './fonts.ts';
import { mappedRanges } from './woff2-cmap.ts';

/** Characters that draw nothing and need no glyph: controls, format characters, default-ignorables, line and paragraph separators, lone surrogates. */
const NEEDS_NO_GLYPH = /^[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]$/u;

export function needsGlyph(codePoint: number): boolean {
  return !NEEDS_NO_GLYPH.test(String.fromCodePoint(codePoint));
}

/** Which code points an edition's faces draw. */
export interface Coverage {
  covers(codePoint: number): boolean;
}

/**
 * The code points the text faces of a set cover: what each slice's CSS declares, less what its file has
 * no glyph for (`absent-glyphs.ts`: the CJK slices declare emoji, Arabic, Hebrew and rare hanzi they lack).
 * A face that replaces its package's ranges (`FontFaceSpec.unicodeRange`: Noto Sans Math, one file that
 * declares only Latin) covers what its file maps within its own range, since Chromium goes on to a system
 * font for a character the file lacks whatever the CSS range says. KaTeX's
 * faces draw only KaTeX's own markup and do not count.
 *
 * One byte per code point (1.1 MB): marking the faces' ranges needs no sorting or merging of them (the
 * CJK packages declare about 95,000 between them, sorted and merged they took 0.1–0.25 s), and an answer
 * is one read.
 */
export function coverageOf(set: FontSet, absent: AbsentGlyphs = absentGlyphs()): Coverage {
  const covered = new Uint8Array(CODE_POINTS);
  // Declared ranges → the absent lists already marked with them. Marking is a union, so a slice that
  // repeats another's (the same family in another weight: both lists shared by fonts.ts and
  // absent-glyphs.ts) adds nothing; two thirds of a CJK set's slices are such repeats.
  const marked = new Map<unknown, Set<unknown>>();
  for (const spec of set.faces) {
    if (!isPackagedFace(spec)) continue;
    const slices = slicesOf({ ...spec, unicodeRange: undefined });
    if (!spec.unicodeRange) {
      for (const slice of slices) {
        const minus = absent.of(spec, slice);
        const done = marked.get(slice.ranges) ?? new Set();
        marked.set(slice.ranges, done);
        if (done.has(minus)) continue;
        done.add(minus);
        for (const [a, b] of subtractRanges(slice.ranges, minus)) covered.fill(1, a, b + 1);
      }
      continue;
    }
    // The face's own range replaces the package's in the CSS, so what counts is what its file maps there.
    const own = slices.flatMap((s) => mappedRanges(readFileSync(s.file)));
    const allowed = new Uint8Array(CODE_POINTS);
    for (const [a, b] of parseUnicodeRange(spec.unicodeRange)) allowed.fill(1, a, b + 1);
    for (const [a, b] of own) for (let c = Math.max(0, a); c <= Math.min(b, CODE_POINTS - 1); c++) if (allowed[c] === 1) covered[c] = 1;
  }
  return { covers: (c) => covered[c] === 1 };
}

const CODE_POINTS = 0x110000;

/** The code points of `used` that need a glyph and that no face covers, ascending. */
export function uncovered(coverage: Coverage, used: Iterable<number>): number[] {
  return [...used].filter((c) => needsGlyph(c) && !coverage.covers(c)).sort((a, b) => a - b);
}

/** The coverage of a script's font set, worked out once per process (read-only data of installed packages, like slicesOf's). */
const coverageMemo = new Map<Script, Coverage>();

export function coverageFor(script: Script): Coverage {
  let coverage = coverageMemo.get(script);
  if (!coverage) coverageMemo.set(script, (coverage = coverageOf(fontSetFor(script))));
  return coverage;
}


/** `U+0D06` */
export function codePointName(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
