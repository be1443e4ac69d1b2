/**
 * Numbers aligned on the decimal point in numeric table columns (data tables from indicators and
 * statistics, and the authors' Markdown tables). Right alignment with tabular figures (base.css) lines up
 * a column only when every value has the same decimals and the same suffix: 60% above 12.5%, or 1079 above
 * 78.6, do not. This stage cuts each number of such a column into its integer part and its tail (decimal
 * separator, fraction, suffix such as % or ‡) and sets the tail in a small inline grid that also holds,
 * invisibly, the other tail shapes of the column (digits written as 0: with tabular figures every digit
 * has one width). Every tail then takes the width of the widest, so with the cell right-aligned the
 * decimal points (and the ends of the integers) stand on one vertical line, in the site, the PDF and any
 * font, without measuring text. The invisible shapes are `aria-hidden`, left out of search, and not
 * printed (`visibility: hidden`).
 *
 * A column qualifies when its body cells (`td`, text only) hold at least two numbers, every other
 * non-empty cell is a placeholder (—, …), the tails differ in shape, and its cells are right-aligned or
 * not aligned at all (a column the author centred or set left stays as written). Tables with row spans
 * are left alone; a cell spanning columns is not aligned.
 */
import type { Element, ElementContent, Root } from 'hast';
import { walkElements, SKIP_CHILDREN } from './walk-elements.ts';

export interface DecimalAlignOptions {
  /** Longest suffix after the digits (%, ‡, †, *), in characters. Default: 2. */
  maxSuffix?: number;
}

/** Sign, integer digits (with grouping), optional fraction, short suffix. */
const NUMBER = /^([+\-−±]?\d[\d,\u00A0\u202F]*)((?:[.．]\d+)?[%‰‡†*＊]*)$/;
const PLACEHOLDER = /^(?:[—–\-…]|\.\.\.|n\/a|N\/A)$/;

interface Parsed {
  cell: Element;
  integer: string;
  tail: string;
}

export function rehypeDecimalAlign(options: DecimalAlignOptions = {}) {
  const maxSuffix = options.maxSuffix ?? 2;
  return (tree: Root) => {
    walkElements(tree, (node) => {
      if (node.tagName !== 'table') return;
      alignTable(node, maxSuffix);
      return SKIP_CHILDREN;
    });
  };
}

function alignTable(table: Element, maxSuffix: number): void {
  const rows = bodyRows(table);
  if (rows.some((row) => cellsOf(row).some((c) => Number(c.properties?.rowSpan ?? 1) > 1))) return;
  const columns = new Map<number, Array<Parsed | 'other' | 'blank'>>();
  for (const row of rows) {
    let index = 0;
    for (const cell of cellsOf(row)) {
      const span = Number(cell.properties?.colSpan ?? 1) || 1;
      const list = columns.get(index) ?? [];
      columns.set(index, list);
      list.push(span > 1 || cell.tagName !== 'td' ? 'other' : classify(cell, maxSuffix));
      index += span;
    }
  }
  for (const entries of columns.values()) {
    if (entries.includes('other')) continue;
    const numbers = entries.filter((e): e is Parsed => typeof e === 'object');
    if (numbers.length < 2) continue;
    if (numbers.some((n) => !alignable(n.cell))) continue;
    const shapes = [...new Set(numbers.map((n) => shapeOf(n.tail)))];
    if (shapes.length < 2) continue;
    for (const n of numbers) setTail(n, shapes);
  }
}

/** The rows outside `thead`: in `tbody` or the table itself, also inside a wrapper (the site's no-break rows). */
function bodyRows(parent: Element): Element[] {
  const rows: Element[] = [];
  for (const child of parent.children) {
    if (child.type !== 'element' || child.tagName === 'thead' || child.tagName === 'caption' || child.tagName === 'colgroup') continue;
    if (child.tagName === 'tr') rows.push(child);
    else rows.push(...bodyRows(child));
  }
  return rows;
}

const cellsOf = (row: Element) => row.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th'));

/** A number cell, a blank or placeholder cell, or anything else (text, markup). */
function classify(cell: Element, maxSuffix: number): Parsed | 'other' | 'blank' {
  if (!cell.children.every((c) => c.type === 'text')) return 'other';
  const text = cell.children.map((c) => (c.type === 'text' ? c.value : '')).join('').trim();
  if (text === '' || PLACEHOLDER.test(text)) return 'blank';
  const m = NUMBER.exec(text);
  if (!m) return 'other';
  const suffix = m[2]!.replace(/^[.．]\d+/, '');
  if (suffix.length > maxSuffix) return 'other';
  return { cell, integer: m[1]!, tail: m[2]! };
}

/** Right-aligned, or not aligned at all (then it is set right like every numeric column). */
function alignable(cell: Element): boolean {
  const align = cell.properties?.align;
  return align === undefined || align === 'right';
}

/** The width class of a tail: with tabular figures every digit is as wide as 0. */
const shapeOf = (tail: string) => tail.replace(/\d/g, '0');

function setTail(n: Parsed, shapes: readonly string[]): void {
  const own = shapeOf(n.tail);
  const ghosts: ElementContent[] = shapes
    .filter((s) => s !== own && s !== '')
    .map((s) => ({
      type: 'element',
      tagName: 'span',
      properties: { className: ['decimal-ghost'], ariaHidden: 'true', dataPagefindIgnore: 'all' },
      children: [{ type: 'text', value: s }],
    }));
  const className = Array.isArray(n.cell.properties?.className) ? n.cell.properties.className : [];
  n.cell.properties = { ...n.cell.properties, className: [...new Set([...className.map(String), 'num', 'decimal'])] };
  n.cell.children = [
    { type: 'text', value: n.integer },
    // An integer's tail is the ghosts alone: an empty item would give the grid no text baseline.
    { type: 'element', tagName: 'span', properties: { className: ['decimal-tail'] }, children: [...(n.tail ? [{ type: 'element', tagName: 'span', properties: {}, children: [{ type: 'text', value: n.tail }] } as ElementContent] : []), ...ghosts] },
  ];
}
