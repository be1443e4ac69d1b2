/**
 * One table renderer for every table made from data (the yearbook's statistics tables; the indicator
 * tables can use it too): columns with labels, alignment and decimals, values formatted with the
 * edition's locale, missing values as empty cells (or a given mark), a row header in the first column.
 * Returns a hast `<table class="data-table">`; the caption, unit and source lines are the caller's
 * (statistics tables get them from `:::table`, so they are numbered with the chapter's other tables).
 */
import type { Element, ElementContent } from 'hast';
import type { Locale } from '../locale/locale.ts';

export type CellValue = string | number | null | undefined;

export interface DataColumn {
  key: string;
  label: string;
  /** Default: right for columns whose values are numbers, left otherwise. */
  align?: 'left' | 'right' | 'center';
  /** Decimal places of numbers. Default: as in the data. */
  decimals?: number;
}

export interface DataTableOptions {
  columns: readonly DataColumn[];
  rows: ReadonlyArray<Record<string, CellValue>>;
  locale: Locale;
  /** Text of a missing value. Default: empty (the note under the table explains it). */
  missing?: string;
  /** Thousands separators. Default: false in Chinese editions (统计表 convention), true in English. */
  grouping?: boolean;
  /** The first column labels the row (`<th scope="row">`). Default: true. */
  rowHeaders?: boolean;
  /** Extra classes on the table. */
  className?: string[];
}

export function formatCell(value: CellValue, column: DataColumn, options: Pick<DataTableOptions, 'locale' | 'missing' | 'grouping'>): string {
  if (value === null || value === undefined || value === '') return options.missing ?? '';
  if (typeof value === 'string') return value;
  const grouping = options.grouping ?? !options.locale.cjk;
  const digits = column.decimals;
  return options.locale.number(value, {
    useGrouping: grouping,
    ...(digits !== undefined ? { minimumFractionDigits: digits, maximumFractionDigits: digits } : { maximumFractionDigits: 20 }),
  });
}

export function dataTable(options: DataTableOptions): Element {
  const { columns, rows } = options;
  const rowHeaders = options.rowHeaders ?? true;
  const numeric = new Map(columns.map((c) => [c.key, rows.some((r) => typeof r[c.key] === 'number')]));
  const alignOf = (c: DataColumn) => c.align ?? (numeric.get(c.key) ? 'right' : 'left');
  const cell = (tag: 'th' | 'td', c: DataColumn, text: string, extra: Record<string, unknown> = {}): Element => ({
    type: 'element',
    tagName: tag,
    properties: { ...(alignOf(c) !== 'left' ? { align: alignOf(c) } : {}), ...(numeric.get(c.key) && tag === 'td' ? { className: ['num'] } : {}), ...extra },
    children: text ? [{ type: 'text', value: text }] : [],
  });
  const head: Element = {
    type: 'element',
    tagName: 'thead',
    properties: {},
    children: [{ type: 'element', tagName: 'tr', properties: {}, children: columns.map((c) => cell('th', c, c.label, { scope: 'col' })) }],
  };
  const body: Element = {
    type: 'element',
    tagName: 'tbody',
    properties: {},
    children: rows.map(
      (row): ElementContent => ({
        type: 'element',
        tagName: 'tr',
        properties: {},
        children: columns.map((c, i) => (i === 0 && rowHeaders ? cell('th', c, formatCell(row[c.key], c, options), { scope: 'row' }) : cell('td', c, formatCell(row[c.key], c, options)))),
      }),
    ),
  };
  return { type: 'element', tagName: 'table', properties: { className: ['data-table', ...(options.className ?? [])] }, children: [head, body] };
}
