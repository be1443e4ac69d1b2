/**
 * One indicator series from an Excel workbook (exceljs), in either layout statistics offices use:
 *
 *   wide   地区 | 2022 | 2023 | 2024        one row per entity, one column per year (2023 or 2023年)
 *   long   地区 | 年份 | 数值                one row per entity and year
 *
 * Cells above the header name the series (a title line) and lines such as 单位：% / Unit: % and
 * 数据来源：… / Source: … give the unit and source. Every cell that is not a plain number is reported at
 * its address (Sheet1!C14): an unknown or ambiguous entity, text, a number with a footnote marker (12.3*),
 * a placeholder for a missing value (… - —), a duplicate entity or year. Nothing is guessed silently:
 * a placeholder is left out with a warning, everything else is an error and is not written.
 */
import ExcelJS from 'exceljs';
import type { EntityMatcher } from './entity-matcher.ts';
import type { RuleId } from '../report/rules.ts';

export interface CellProblem {
  ruleId: RuleId;
  /** `Sheet1!C14`, or the sheet name alone for a problem of the whole sheet. */
  cell: string;
  message: string;
  hint?: string;
}

export interface WorkbookSeries {
  /** The worksheet read. */
  sheet: string;
  layout: 'wide' | 'long';
  /** entity id → year → value. */
  values: Map<string, Map<number, number>>;
  /** From the lines above or below the table, when present. */
  title?: string;
  unit?: string;
  source?: string;
  problems: CellProblem[];
}

export interface ReadSeriesOptions {
  /** The workbook file (.xlsx). */
  file: string;
  matcher: EntityMatcher;
  /** Worksheet name. Default: the first worksheet. */
  sheet?: string;
}

const YEAR = /^(1[89]\d\d|20\d\d|2100)\s*年?$/;
const PLACEHOLDER = /^(?:[-‐‑–—－―]+|…+|\.{2,}|n\/?a|n\.a\.|x|无|空)$/i;
const MARKED = /^([-+]?\d+(?:\.\d+)?)\s*([*＊†‡#▲△]+|\(\w\)|（\w）|[a-z])$/i;
const UNIT = /^(?:单位|計量單位|计量单位|unit)\s*[:：]\s*(.+)$/i;
const SOURCE = /^(?:数据来源|資料來源|资料来源|来源|source)\s*[:：]\s*(.+)$/i;
const NOTE = /^(?:注|註|note)s?\s*[:：]/i;
const ENTITY_HEADER = /^(?:地区|地區|省份|省市|国家|國家|国家或地区|经济体|經濟體|地区名称|代码|代碼|country|economy|region|province|entity|code|iso3?)$/i;
const YEAR_HEADER = /^(?:年份|年度|年|year)$/i;
const VALUE_HEADER = /^(?:数值|數值|值|指标值|value)$/i;

export async function readSeriesWorkbook(options: ReadSeriesOptions): Promise<WorkbookSeries> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(options.file);
  const sheet = options.sheet ? workbook.getWorksheet(options.sheet) : workbook.worksheets[0];
  const problems: CellProblem[] = [];
  const values = new Map<string, Map<number, number>>();
  if (!sheet) {
    const names = workbook.worksheets.map((w) => w.name).join(', ');
    problems.push({ ruleId: 'import-layout', cell: options.sheet ?? '', message: `the workbook has no worksheet "${options.sheet ?? ''}" (worksheets: ${names || 'none'})` });
    return { sheet: options.sheet ?? '', layout: 'wide', values, problems };
  }
  const at = (row: number, col: number) => `${sheet.name}!${columnName(col)}${row}`;
  const rows = sheetRows(sheet);
  const meta: SheetNotes = {};
  const { headerAt, layout } = findHeader(rows, meta);
  if (headerAt < 0) {
    problems.push({ ruleId: 'import-layout', cell: sheet.name, message: `no header row in sheet "${sheet.name}": expected years across (2022, 2023 …) or columns named 地区/年份/数值 (entity, year, value)` });
    return { sheet: sheet.name, layout, values, problems };
  }
  const columns = columnsOf(rows[headerAt]!, layout, at, problems);
  readDataRows(rows.slice(headerAt + 1), { options, layout, columns, meta, at, values, problems });
  return { sheet: sheet.name, layout, values, title: meta.title, unit: meta.unit, source: meta.source, problems };
}

type SheetRow = { n: number; cells: Array<{ col: number; value: ExcelJS.CellValue }> };

/** The sheet's non-empty rows with their non-empty cells. */
function sheetRows(sheet: ExcelJS.Worksheet): SheetRow[] {
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: SheetRow['cells'] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => cells.push({ col, value: cell.value }));
    rows.push({ n, cells });
  });
  return rows;
}

/** The title above the header, and the unit and source lines found anywhere in the sheet. */
interface SheetNotes {
  title?: string;
  unit?: string;
  source?: string;
}

/** Whether a cell's text is a unit, source or note line (the unit and source are kept in `meta`). */
function isNoteLine(meta: SheetNotes, text: string): boolean {
  const u = UNIT.exec(text);
  if (u) meta.unit = u[1]!.trim();
  const s = SOURCE.exec(text);
  if (s) meta.source = s[1]!.trim();
  return Boolean(u || s || NOTE.test(text));
}

/** The header: the first row with two or more year cells (wide), or with year and value columns (long); -1 when none. */
function findHeader(rows: SheetRow[], meta: SheetNotes): { headerAt: number; layout: 'wide' | 'long' } {
  for (const [i, row] of rows.entries()) {
    const texts = row.cells.map((c) => ({ col: c.col, text: cellText(c.value) }));
    const years = texts.filter((t) => YEAR.test(t.text));
    const long = texts.some((t) => YEAR_HEADER.test(t.text)) && texts.some((t) => VALUE_HEADER.test(t.text));
    if (years.length >= 2 || long) return { headerAt: i, layout: long ? 'long' : 'wide' };
    for (const t of texts) if (!isNoteLine(meta, t.text) && meta.title === undefined && t.text) meta.title = t.text;
  }
  return { headerAt: -1, layout: 'wide' };
}

/** The entity column, and either the year columns (wide: column → year) or the year and value columns (long). */
interface SheetColumns {
  entityCol: number;
  yearCols: Map<number, number>;
  yearCol: number;
  valueCol: number;
}

function columnsOf(header: SheetRow, layout: 'wide' | 'long', at: (row: number, col: number) => string, problems: CellProblem[]): SheetColumns {
  const headerTexts = header.cells.map((c) => ({ col: c.col, text: cellText(c.value) }));
  const firstYearCol = Math.min(...headerTexts.filter((t) => YEAR.test(t.text)).map((t) => t.col));
  const entityCol =
    headerTexts.find((t) => ENTITY_HEADER.test(t.text))?.col ??
    headerTexts.find((t) => t.text && !YEAR.test(t.text) && (layout === 'long' || t.col < firstYearCol))?.col ??
    1;
  const yearCols = new Map<number, number>();
  if (layout === 'long') {
    return { entityCol, yearCols, yearCol: headerTexts.find((t) => YEAR_HEADER.test(t.text))!.col, valueCol: headerTexts.find((t) => VALUE_HEADER.test(t.text))!.col };
  }
  const seenYears = new Map<number, number>();
  for (const t of headerTexts) {
    const m = YEAR.exec(t.text);
    if (!m) continue;
    const year = Number(m[1]);
    if (seenYears.has(year)) {
      problems.push({ ruleId: 'import-duplicate', cell: at(header.n, t.col), message: `year ${year} is a column twice (also ${at(header.n, seenYears.get(year)!)})` });
      continue;
    }
    seenYears.set(year, t.col);
    yearCols.set(t.col, year);
  }
  return { entityCol, yearCols, yearCol: 0, valueCol: 0 };
}

interface DataRowsContext {
  options: ReadSeriesOptions;
  layout: 'wide' | 'long';
  columns: SheetColumns;
  meta: SheetNotes;
  at: (row: number, col: number) => string;
  values: Map<string, Map<number, number>>;
  problems: CellProblem[];
}

/** Data rows into `values`. An entity seen before (by its id) is a duplicate, reported at the second place. */
function readDataRows(rows: SheetRow[], ctx: DataRowsContext): void {
  const { columns, at, problems, values } = ctx;
  const seen = new Map<string, string>();
  for (const row of rows) {
    const byCol = new Map(row.cells.map((c) => [c.col, c.value]));
    const label = cellText(byCol.get(columns.entityCol) ?? null);
    if (isNoteLine(ctx.meta, label) || row.cells.every((c) => isNoteLine(ctx.meta, cellText(c.value)) || cellText(c.value) === '')) continue;
    const entity = matchEntity(ctx.options.matcher, label, at(row.n, columns.entityCol), problems);
    const put = (year: number, col: number) => {
      const cell = at(row.n, col);
      const value = numberOf(byCol.get(col) ?? null, cell, problems);
      if (value === undefined || entity === undefined) return;
      const key = `${entity}\u0000${year}`;
      const first = seen.get(key);
      if (first) {
        problems.push({ ruleId: 'import-duplicate', cell, message: `${label} ${year} is given twice: ${first} and ${cell}` });
        return;
      }
      seen.set(key, cell);
      if (!values.has(entity)) values.set(entity, new Map());
      values.get(entity)!.set(year, value);
    };
    if (ctx.layout === 'wide') {
      for (const [col, year] of columns.yearCols) put(year, col);
      continue;
    }
    const yearText = cellText(byCol.get(columns.yearCol) ?? null);
    const m = YEAR.exec(yearText);
    if (!m) {
      problems.push({ ruleId: 'import-not-a-number', cell: at(row.n, columns.yearCol), message: `"${yearText}" is not a year` });
      continue;
    }
    put(Number(m[1]), columns.valueCol);
  }
}

function matchEntity(matcher: EntityMatcher, label: string, cell: string, problems: CellProblem[]): string | undefined {
  if (!label) {
    problems.push({ ruleId: 'import-unknown-entity', cell, message: 'a row with values has no entity name or code' });
    return undefined;
  }
  const m = matcher.match(label);
  if (m.kind === 'matched') return m.id;
  if (m.kind === 'ambiguous') {
    problems.push({ ruleId: 'import-ambiguous-entity', cell, message: `"${label}" fits several entities: ${m.ids.join(', ')}` });
    return undefined;
  }
  problems.push({
    ruleId: 'import-unknown-entity',
    cell,
    message: `"${label}" is not an entity of the framework`,
    ...(m.suggestion ? { hint: `Did you mean ${m.suggestion}? Use the entity's name or code as in framework.yaml.` } : {}),
  });
  return undefined;
}

/** The number in a value cell; undefined (with a problem unless the cell is empty) otherwise. */
function numberOf(value: ExcelJS.CellValue, cell: string, problems: CellProblem[]): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'object' && value !== null && 'formula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (typeof result === 'number') return result;
    problems.push({ ruleId: 'import-not-a-number', cell, message: `the formula =${(value as ExcelJS.CellFormulaValue).formula} has no number as its result` });
    return undefined;
  }
  const text = cellText(value);
  if (text === '') return undefined;
  if (PLACEHOLDER.test(text)) {
    problems.push({ ruleId: 'import-missing-marker', cell, message: `"${text}" marks a missing value: left out` });
    return undefined;
  }
  const marked = MARKED.exec(text);
  if (marked) {
    problems.push({ ruleId: 'import-footnote-marker', cell, message: `"${text}" is a number with the footnote marker "${marked[2]}"` });
    return undefined;
  }
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) {
    problems.push({ ruleId: 'import-number-as-text', cell, message: `"${text}" is a number stored as text: read as ${Number(text)}` });
    return Number(text);
  }
  problems.push({ ruleId: 'import-not-a-number', cell, message: `"${text}" is not a number` });
  return undefined;
}

/** The text a cell shows (rich text joined, hyperlinks by their text, dates as ISO dates). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

/** 1 → A, 27 → AA. */
export function columnName(col: number): string {
  let name = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
