/**
 * A font's ToUnicode CMap (PDF 32000-1 §9.10.3), read token by token: which character codes map to which
 * UTF-16BE text. Chromium (Skia) writes `beginbfchar` pairs and `beginbfrange` triples whose destination
 * is a hex string (incremented through the range in its last 16 bits) or an array of hex strings, one
 * per code. The font audit (font-audit.ts) reads the characters from it, the font unification
 * (unify-fonts.ts) the whole map.
 */
import { DELIMITER, SPACE, literalEnd } from './content-operands.ts';

/** Code → UTF-16BE text as upper-case hex, in the order the CMap gives them (a later entry for a code wins). */
export function readToUnicode(cmap: string): Map<number, string> {
  const out = new Map<number, string>();
  const tokens = tokensOf(cmap);
  let mode: 'bfchar' | 'bfrange' | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'word') {
      mode = token.text === 'beginbfchar' ? 'bfchar' : token.text === 'beginbfrange' ? 'bfrange' : token.text.startsWith('end') ? undefined : mode;
      continue;
    }
    if (token.kind !== 'hex' || !mode) continue;
    if (mode === 'bfchar') {
      const to = tokens[i + 1];
      if (to?.kind === 'hex') out.set(parseInt(token.text, 16), to.text.toUpperCase());
      i += 1;
      continue;
    }
    const [high, to] = [tokens[i + 1], tokens[i + 2]];
    if (high?.kind !== 'hex' || !to) continue;
    const [lo, hi] = [parseInt(token.text, 16), parseInt(high.text, 16)];
    if (to.kind === 'hex') for (let code = lo; code <= hi; code++) out.set(code, plus(to.text, code - lo));
    else if (to.kind === 'array') to.items.forEach((hex, k) => out.set(lo + k, hex.toUpperCase()));
    i += 2;
  }
  return out;
}

/** The text a UTF-16BE hex string holds. */
export function textOfHex(hex: string): string {
  const bytes = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes.readUInt16BE(i));
  return text;
}

/** `hex` with `n` added to its last 16 bits (wrapping), upper case. */
function plus(hex: string, n: number): string {
  const bytes = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  if (bytes.length >= 2) bytes.writeUInt16BE((bytes.readUInt16BE(bytes.length - 2) + n) & 0xffff, bytes.length - 2);
  return bytes.toString('hex').toUpperCase();
}

type Token = { kind: 'hex'; text: string } | { kind: 'word'; text: string } | { kind: 'array'; items: string[] };

/** The CMap's hex strings, words (operators, numbers, names without their slash) and arrays of hex strings. */
function tokensOf(cmap: string): Token[] {
  const tokens: Token[] = [];
  let array: string[] | undefined;
  for (let i = 0; i < cmap.length; ) {
    const c = cmap[i]!;
    if (SPACE.has(c)) i++;
    else if (c === '%') while (i < cmap.length && cmap[i] !== '\n' && cmap[i] !== '\r') i++;
    else if (c === '<' && cmap[i + 1] === '<') i += 2; // a dictionary opens: its keys and values are words
    else if (c === '>' && cmap[i + 1] === '>') i += 2;
    else if (c === '<') {
      const end = cmap.indexOf('>', i);
      const hex = [...cmap.slice(i + 1, end < 0 ? cmap.length : end)].filter((h) => !SPACE.has(h)).join('');
      if (array) array.push(hex);
      else tokens.push({ kind: 'hex', text: hex });
      i = end < 0 ? cmap.length : end + 1;
    } else if (c === '[') {
      array = [];
      i++;
    } else if (c === ']') {
      if (array) tokens.push({ kind: 'array', items: array });
      array = undefined;
      i++;
    } else if (c === '(') i = literalEnd(cmap, i);
    else {
      let end = i + 1;
      while (end < cmap.length && !SPACE.has(cmap[end]!) && !DELIMITER.has(cmap[end]!)) end++;
      if (!array) tokens.push({ kind: 'word', text: cmap.slice(c === '/' ? i + 1 : i, end) });
      i = end;
    }
  }
  return tokens;
}
