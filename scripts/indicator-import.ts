/**
 * Helpers shared by the data import scripts (import-world-data.ts, import-china-data.ts): a small CSV
 * reader and a writer for the project's data YAML (docs/indicators.md), one series per file, one line per
 * entity, so a reviewer can read a data file and diff a regeneration.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Parse CSV text (RFC 4180: quoted fields, doubled quotes) into objects keyed by the header. */
export function readCsv(path: string): Array<Record<string, string>> {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export interface SeriesOut {
  id: string;
  name: Record<string, string>;
  unit: Record<string, string>;
  source: Record<string, string>;
  licence: string;
  code?: string;
  url?: string;
  illustrative?: boolean;
  note?: Record<string, string>;
  range?: [number, number];
  /** entity → year → value as text (kept as in the source, so no float noise is introduced). */
  values: Map<string, Map<number, string>>;
}

const q = (s: string) => JSON.stringify(s);
const text = (t: Record<string, string>) => `{${Object.entries(t).map(([k, v]) => `${k}: ${q(v)}`).join(', ')}}`;

/** The YAML of one data file holding `series`, with a header saying how it was made. */
export function seriesYaml(header: string[], series: SeriesOut[]): string {
  const lines = header.map((h) => `# ${h}`.trimEnd());
  lines.push('series:');
  for (const s of series) {
    lines.push(`  - id: ${s.id}`);
    lines.push(`    name: ${text(s.name)}`);
    lines.push(`    unit: ${text(s.unit)}`);
    lines.push(`    source: ${text(s.source)}`);
    lines.push(`    licence: ${q(s.licence)}`);
    if (s.code) lines.push(`    code: ${q(s.code)}`);
    if (s.url) lines.push(`    url: ${q(s.url)}`);
    if (s.illustrative) lines.push('    illustrative: true');
    if (s.note) lines.push(`    note: ${text(s.note)}`);
    if (s.range) lines.push(`    range: [${s.range[0]}, ${s.range[1]}]`);
    lines.push('    values:');
    for (const [entity, byYear] of s.values) {
      const years = [...byYear].sort(([a], [b]) => a - b);
      lines.push(`      ${yamlKey(entity)}: {${years.map(([y, v]) => `${y}: ${v}`).join(', ')}}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Numeric keys such as administrative codes are quoted, so they stay ids and not numbers. */
function yamlKey(key: string): string {
  return /^\d+$/.test(key) ? `'${key}'` : key;
}

export function writeText(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Numbers as plain decimal text with at most `decimals` places, no trailing zeros, no exponent. */
export function num(x: number, decimals: number): string {
  const fixed = x.toFixed(decimals);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
