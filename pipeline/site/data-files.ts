/**
 * A CSV beside the site for every table made from data (indicator rankings, statistics tables): exactly
 * the cells the reader sees, header rows first, then an empty line, the table's source line and its
 * licence. Written as `site/data/<page>-<table id>.csv`; site-article.ts links each table to its file.
 *
 * The cells are read from the finished table, so the CSV cannot drift from the table: the same rounding,
 * the same names, the same marks (`*` for imputed values, ↑/↓ for rank changes).
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP, visit } from '../base/visit.ts';
import type { Locale } from '../locale/locale.ts';

export interface DataFile {
  /** File name under `site/data/`. */
  name: string;
  /** The figure's id in its page, or the statistics table's id (see dataFileKey). */
  figureId: string;
  csv: string;
}

export function dataFileName(slug: string, figureId: string): string {
  return `${slug}-${figureId}.csv`;
}

/** What names a table's CSV: the figure's id, else the statistics table's id in its data file. */
export function dataFileKey(figure: Element, table: Element): string | undefined {
  if (typeof figure.properties.id === 'string') return figure.properties.id;
  return typeof table.properties.dataTable === 'string' ? table.properties.dataTable : undefined;
}

/** The data table of a figure: a table figure's own table, or a chart's table in its `<details>`. */
export function figureTable(figure: Element): Element | undefined {
  for (const child of figure.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'table') return child;
    if (child.tagName === 'details' || (child.tagName === 'div' && Array.isArray(child.properties.className) && child.properties.className.includes('table-scroll'))) {
      const inner = figureTable(child);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** A table whose cells come from data files (rankings, statistics), as opposed to a table typed in prose. */
export function isDataTable(table: Element): boolean {
  const c = table.properties.className;
  return Array.isArray(c) && c.includes('data-table');
}

/** The CSV files of one page's tree, in document order. */
export function dataFilesOf(tree: Root, slug: string, locale: Locale): DataFile[] {
  const files: DataFile[] = [];
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'svg') return SKIP;
    if (node.tagName !== 'figure') return;
    const table = figureTable(node);
    const key = table && isDataTable(table) ? dataFileKey(node, table) : undefined;
    if (!table || !key) return;
    const rows: string[][] = [];
    visit(table, 'element', (row: Element) => {
      if (row.tagName !== 'tr') return;
      rows.push(row.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'th' || c.tagName === 'td')).map((c) => toString(c).trim()));
      return SKIP;
    });
    const sourceNode = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'p' && (c.properties.className as string[] | undefined)?.includes('source') === true);
    const prefix = locale.t('source');
    const sourceText = sourceNode ? toString(sourceNode).trim() : '';
    const source = sourceText.startsWith(prefix) ? sourceText.slice(prefix.length).trim() : sourceText;
    const licence = typeof table.properties.dataLicence === 'string' ? table.properties.dataLicence : locale.t('dataFileNoLicence');
    const lines = [...rows, [], [locale.t('dataFileSource'), source], [locale.t('dataFileLicence'), licence]];
    // A byte-order mark: spreadsheet programs then read the file as UTF-8 (Chinese names stay readable).
    files.push({ name: dataFileName(slug, key), figureId: key, csv: '\uFEFF' + lines.map(csvLine).join('\r\n') + '\r\n' });
    return SKIP;
  });
  return files;
}

/** One CSV record (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}
