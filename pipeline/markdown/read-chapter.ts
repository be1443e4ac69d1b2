/**
 * A chapter's text, read as UTF-8. Bytes that are not UTF-8 (a file saved as GBK) and NUL bytes would
 * otherwise turn silently into U+FFFD or invisible characters in the book: the first such byte is an error
 * (`invalid-text`) at its line and column, naming the byte. The text is still returned (decoded with
 * replacement characters) so the rest of the chapter is checked.
 */
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

export function readChapter(path: string): VFile {
  const bytes = readFileSync(path);
  const file = new VFile({ path, value: bytes.toString('utf8') });
  if (isUtf8(bytes) && !bytes.includes(0)) return file;
  let lineStart = 0;
  let line = 1;
  while (lineStart <= bytes.length) {
    const end = bytes.indexOf(0x0a, lineStart);
    const stop = end === -1 ? bytes.length : end;
    const lineBytes = bytes.subarray(lineStart, stop);
    const bad = firstBadByte(lineBytes);
    if (bad !== undefined) {
      // Columns count characters of the valid text before the byte.
      const column = lineBytes.subarray(0, bad).toString('utf8').length + 1;
      const byte = lineBytes[bad]!;
      const what = byte === 0 ? 'a NUL byte (0x00)' : `the byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()}, which is not UTF-8`;
      report(file, 'invalid-text', `the chapter contains ${what}`, { line, column });
      return file;
    }
    if (end === -1) break;
    lineStart = end + 1;
    line += 1;
  }
  return file;
}

/** Index of the first NUL byte or byte that does not start or continue a valid UTF-8 sequence. */
function firstBadByte(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0) return i;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (length > 1) {
      const sequence = bytes.subarray(i, i + length);
      if (sequence.length < length || !isUtf8(sequence)) return i;
    }
    i += length;
  }
  return undefined;
}
