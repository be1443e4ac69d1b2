/**
 * A PDF content stream (PDF 32000-1 §7.8.2) read as operands and operators, each with where it lies in
 * the text, so that a pass can rewrite one operation by its place and leave every other byte as it was.
 * Strings (literal, with nested brackets and escapes, and hex), names, arrays and dictionaries are single
 * operands, so a `0 0 0 rg` inside shown text is never taken for an operator; an inline image's data
 * (`BI … ID <bytes> EI`) is stepped over whole.
 */

export interface ContentToken {
  /** `number`, `operator` (a bare word), or `other` (a name, string, array, dictionary or inline image). */
  kind: 'number' | 'operator' | 'other';
  text: string;
  start: number;
  end: number;
}

/** PDF's white-space characters (§7.2.3). */
export const SPACE: ReadonlySet<string> = new Set([' ', '\n', '\r', '\t', '\f', '\0']);
/** PDF's delimiter characters: they end a word. */
export const DELIMITER: ReadonlySet<string> = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)$/;

/** The operands and operators of `content` (latin1 text), in order. */
export function contentTokens(content: string): ContentToken[] {
  const tokens: ContentToken[] = [];
  let i = 0;
  const push = (kind: ContentToken['kind'], start: number, end: number) => tokens.push({ kind, text: content.slice(start, end), start, end });
  while (i < content.length) {
    const c = content[i]!;
    if (SPACE.has(c)) i++;
    else if (c === '%') i = lineEnd(content, i);
    else if (c === '(' || c === '<' || c === '[' || c === '/') {
      const end = operandEnd(content, i);
      push('other', i, end);
      i = end;
    } else {
      let end = i + 1;
      while (end < content.length && !SPACE.has(content[end]!) && !DELIMITER.has(content[end]!)) end++;
      const word = content.slice(i, end);
      push(NUMBER.test(word) ? 'number' : 'operator', i, end);
      i = word === 'ID' ? inlineImageEnd(content, end) : end;
    }
  }
  return tokens;
}

/** Where the operand that opens at `start` with `(`, `<`, `<<`, `[` or `/` ends. */
function operandEnd(text: string, start: number): number {
  const c = text[start]!;
  if (c === '(') return literalEnd(text, start);
  if (c === '/') {
    let end = start + 1;
    while (end < text.length && !SPACE.has(text[end]!) && !DELIMITER.has(text[end]!)) end++;
    return end;
  }
  if (c === '<' && text[start + 1] !== '<') {
    const end = text.indexOf('>', start);
    return end < 0 ? text.length : end + 1;
  }
  // An array or a dictionary: up to its matching close, with the strings inside it read as strings.
  const [open, close] = c === '[' ? ['[', ']'] : ['<<', '>>'];
  let depth = 0;
  for (let i = start; i < text.length; ) {
    if (text.startsWith(open, i)) {
      depth++;
      i += open.length;
    } else if (text.startsWith(close, i)) {
      i += close.length;
      if (--depth === 0) return i;
    } else if (text[i] === '(' || (text[i] === '<' && text[i + 1] !== '<') || (c === '<' && text[i] === '[') || (c === '[' && text.startsWith('<<', i))) i = operandEnd(text, i);
    else i++;
  }
  return text.length;
}

/** Where a literal string `( … )` that opens at `start` ends (nested brackets and backslash escapes kept together). */
export function literalEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

function lineEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** After `ID`: the image data runs to an `EI` that stands alone between white space. */
function inlineImageEnd(text: string, afterId: number): number {
  for (let i = afterId + 1; i + 1 < text.length; i++) {
    if (text[i] === 'E' && text[i + 1] === 'I' && SPACE.has(text[i - 1]!) && (i + 2 >= text.length || SPACE.has(text[i + 2]!))) return i;
  }
  return text.length;
}
