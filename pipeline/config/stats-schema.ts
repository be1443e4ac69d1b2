/**
 * Statistics tables (统计资料) data, e.g. manuscripts/yearbook-2026/data/statistics.yaml:
 *
 *   tables:
 *     - id: provincial-gdp
 *       title: 2020—2024年各省（区、市）地区生产总值
 *       unit: 亿元                       # optional: printed above the table (单位：亿元)
 *       source: 国家统计局，分省年度数据   # required: printed below (数据来源：…)
 *       licence: 官方统计数据             # optional, not printed
 *       note: 按当年价格计算。             # optional: printed below the table (注：…)
 *       columns:
 *         - { key: region, label: 地区 }
 *         - { key: y2024, label: "2024年", align: right, decimals: 1 }
 *       rows:
 *         - { region: 北京市, y2024: 49670.2 }
 *
 * A value is a number, a text or null (printed as “…”: the data are not available; never a blank cell).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { placeOf, type LoadedYaml } from './yaml.ts';
import { report } from '../report/diagnostics.ts';

export const statsColumnSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z_][\w-]*$/, 'a column key is a name such as y2024 or region'),
    label: z.string().min(1),
    align: z.enum(['left', 'right', 'center']).optional(),
    /** Decimal places shown for numbers. Default: as written in the data. */
    decimals: z.number().int().min(0).max(6).optional(),
  })
  .strict();

export const statsTableSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a table id is lower-case letters, digits and hyphens'),
    title: z.string().min(1),
    unit: z.string().min(1).optional(),
    source: z.string().min(1, 'every statistics table needs its source'),
    licence: z.string().optional(),
    note: z.string().min(1).optional(),
    columns: z.array(statsColumnSchema).min(1),
    rows: z.array(z.record(z.string(), z.union([z.number(), z.string(), z.null()]))).min(1),
  })
  .strict();

export const statsFileSchema = z.object({ tables: z.array(statsTableSchema).min(1) }).strict();

export type StatsTable = z.output<typeof statsTableSchema>;

/**
 * Checks the schema cannot express: unique table ids and column keys, row keys that name a column, and
 * numbers in columns that give `decimals`. Each problem is reported at its YAML position. Returns the
 * tables without the bad ones.
 */
export function checkStatsTables(loaded: LoadedYaml, tables: readonly StatsTable[]): StatsTable[] {
  const good: StatsTable[] = [];
  const ids = new Set<string>();
  tables.forEach((table, t) => {
    let ok = true;
    const at = (...path: Array<string | number>) => placeOf(loaded, ['tables', t, ...path]);
    if (ids.has(table.id)) {
      report(loaded.file, 'stats-data', `table id "${table.id}" is used by an earlier table`, at('id'));
      ok = false;
    }
    ids.add(table.id);
    const keys = new Set<string>();
    table.columns.forEach((c, i) => {
      if (keys.has(c.key)) {
        report(loaded.file, 'stats-data', `column key "${c.key}" appears twice in table "${table.id}"`, at('columns', i, 'key'));
        ok = false;
      }
      keys.add(c.key);
    });
    const byKey = new Map(table.columns.map((c) => [c.key, c]));
    table.rows.forEach((row, r) => {
      for (const [key, value] of Object.entries(row)) {
        const column = byKey.get(key);
        if (!column) {
          report(loaded.file, 'stats-data', `row ${r + 1} of table "${table.id}" has a value for "${key}", which is not a column (columns: ${[...keys].join(', ')})`, keyPlace(loaded, ['tables', t, 'rows', r], key));
          ok = false;
        } else if (column.decimals !== undefined && value !== null && typeof value !== 'number') {
          report(loaded.file, 'stats-data', `"${key}" in row ${r + 1} of table "${table.id}" should be a number (or null when not available), not "${value}"`, at('rows', r, key));
          ok = false;
        }
      }
    });
    if (ok) good.push(table);
  });
  return good;
}

/** The position of a key (not its value) in a mapping. */
function keyPlace(loaded: LoadedYaml, path: Array<string | number>, key: string) {
  let node: unknown = loaded.doc.contents;
  for (const segment of path) {
    if (isMap(node)) node = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment)?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
  }
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) {
      const s = loaded.lines.linePos(pair.key.range[0]);
      const e = loaded.lines.linePos(pair.key.range[1]);
      return { start: { line: s.line + loaded.lineOffset, column: s.col }, end: { line: e.line + loaded.lineOffset, column: e.col } };
    }
  }
  return placeOf(loaded, path);
}
