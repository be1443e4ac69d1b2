/**
 * `annals indicators import <file.xlsx> --framework widi --series <id>`: one series from an Excel workbook
 * (pipeline/import/read-series-workbook.ts) into the framework's data folder as
 * `indicators/<framework>/<year>/data/<series>.yaml` (docs/indicators.md, docs/import.md). Entities are
 * matched against framework.yaml; every cell that is not a clean number is reported at its address.
 * An existing series keeps its metadata and the values the workbook does not give.
 * Errors: nothing is written (exit 1). Warnings (placeholders left out, numbers stored as text): written.
 */
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { VFile } from 'vfile';
import { findFramework, loadFramework } from '../indicators/load.ts';
import type { Text } from '../indicators/schema.ts';
import { createEntityMatcher } from '../import/entity-matcher.ts';
import { readSeriesWorkbook } from '../import/read-series-workbook.ts';
import { collect, hasErrors, report } from '../report/diagnostics.ts';
import { formatJson, formatSummary, formatText } from '../report/format.ts';
import { writeFileAtomic } from '../base/write-atomic.ts';

export interface IndicatorsImportOptions {
  /** The workbook (.xlsx). */
  file: string;
  framework: string;
  /** Series id (the data file is named after it). */
  series: string;
  /** Edition year of the framework. Default: the latest. */
  year?: number;
  /** Worksheet name. Default: the first. */
  sheet?: string;
  /** Name, unit, source and licence of the series. Default: the existing series', else the workbook's lines (title, 单位：, 数据来源：). */
  name?: string;
  unit?: string;
  source?: string;
  licence?: string;
  /** Project folder holding indicators/. Default: the current folder. */
  root?: string;
  /** Check only; write nothing. Default: false. */
  dryRun?: boolean;
  json?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Exit code: 0 written (or checked with --dry-run), 1 problems in the workbook (nothing written), 2 no such framework. */
export async function runIndicatorsImport(options: IndicatorsImportOptions): Promise<number> {
  const root = resolve(options.root ?? process.cwd());
  const print = options.stdout ?? ((t: string) => process.stdout.write(t));
  const printErr = options.stderr ?? ((t: string) => process.stderr.write(t));
  const ref = findFramework(join(root, 'indicators'), options.framework, options.year);
  if (!ref) {
    printErr(`error: no framework indicators/${options.framework}${options.year ? '/' + options.year : ''}/framework.yaml [indicator-unknown-framework]\n`);
    return 2;
  }
  const path = resolve(options.file);
  const file = new VFile({ path });
  const files = [file];
  const finish = (code: number) => {
    const diagnostics = collect(files, root);
    if (options.json) print(formatJson(diagnostics) + '\n');
    else if (diagnostics.length) printErr(formatText(diagnostics, { cwd: root, codeFrame: false }) + '\n' + formatSummary(diagnostics) + '\n');
    return code;
  };

  const loaded = loadFramework(ref.dir);
  if (!loaded.framework) {
    files.push(...loaded.files);
    return finish(1);
  }
  if (!existsSync(path) || !/\.xlsx$/i.test(path)) {
    report(file, 'import-file', `${existsSync(path) ? 'not an .xlsx workbook' : 'no such file'}: ${options.file}`);
    return finish(1);
  }
  const read = await readSeriesWorkbook({ file: path, matcher: createEntityMatcher(loaded.framework.entities), sheet: options.sheet }).catch((error: Error) => {
    report(file, 'import-file', `cannot read the workbook: ${error.message}`);
    return undefined;
  });
  if (!read) return finish(1);
  for (const p of read.problems) report(file, p.ruleId, p.cell ? `${p.cell}: ${p.message}` : p.message, undefined, p.hint ? { hint: p.hint } : {});

  // Name, unit, source and licence: the options, else the series as it is, else the workbook's own lines.
  const existing = loaded.dataset.get(options.series);
  const meta = { name: options.name ?? existing?.name ?? read.title, unit: options.unit ?? existing?.unit ?? read.unit, source: options.source ?? existing?.source ?? read.source, licence: options.licence ?? existing?.licence };
  const lacking = Object.entries(meta).filter(([, v]) => v === undefined || v === '').map(([k]) => k);
  if (lacking.length) report(file, 'import-metadata', `the series "${options.series}" has no ${lacking.join(', ')}: give ${lacking.map((k) => '--' + k).join(', ')}`);

  // The series lives in data/<series>.yaml; one defined in another data file is not written twice.
  const dataDir = join(ref.dir, loaded.framework.data ?? 'data');
  const target = join(dataDir, `${options.series}.yaml`);
  const definedIn = loaded.places.get(options.series)?.yaml.file.path;
  if (definedIn && resolve(definedIn) !== target) {
    report(file, 'import-series-elsewhere', `the series "${options.series}" is defined in ${relative(root, definedIn)}, not in ${relative(root, target)}`);
  }
  if (read.values.size === 0 && !hasErrors(collect(files, root))) report(file, 'import-layout', `no values found in sheet "${read.sheet}"`);
  if (hasErrors(collect(files, root))) return finish(1);

  const { merged, replaced } = mergeValues(existing?.values, read.values);
  const order = loaded.framework.entities.map((e) => e.id);
  const yaml = seriesFileYaml({
    header: [`Imported by \`annals indicators import\` from ${basename(path)}, sheet "${read.sheet}" (${read.layout} layout).`],
    id: options.series,
    name: meta.name!,
    unit: meta.unit!,
    source: meta.source!,
    licence: meta.licence!,
    existing,
    values: [...merged].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)),
  });
  const years = [...read.values.values()].flatMap((m) => [...m.keys()]);
  if (!options.dryRun) await writeFileAtomic(target, yaml);
  finish(0);
  print(`${options.dryRun ? 'checked' : 'wrote'} ${relative(root, target)}: ${read.values.size} entities, ${Math.min(...years)}–${Math.max(...years)}, ${years.length} values${existing ? ` (${replaced} changed, the series' other values kept)` : ''}\n`);
  return 0;
}

/**
 * An existing series keeps the values the workbook does not give; the workbook's replace the others.
 * `replaced` counts the values that changed.
 */
function mergeValues(existing: ReadonlyMap<string, ReadonlyMap<number, number>> | undefined, read: ReadonlyMap<string, ReadonlyMap<number, number>>): { merged: Map<string, Map<number, number>>; replaced: number } {
  const merged = new Map<string, Map<number, number>>();
  for (const [entity, byYear] of existing ?? []) merged.set(entity, new Map(byYear));
  let replaced = 0;
  for (const [entity, byYear] of read) {
    const into = merged.get(entity) ?? new Map<number, number>();
    for (const [year, value] of byYear) {
      if (into.has(year) && into.get(year) !== value) replaced += 1;
      into.set(year, value);
    }
    merged.set(entity, into);
  }
  return { merged, replaced };
}

interface SeriesFile {
  header: string[];
  id: string;
  name: Text;
  unit: Text;
  source: Text;
  licence: string;
  /** The series as it was: its code, url, note, range and illustrative flag are kept. */
  existing?: { code?: string; url?: string; note?: Text; range?: [number, number]; illustrative?: boolean };
  values: Array<[string, Map<number, number>]>;
}

/** The data YAML of one series (docs/indicators.md), one line per entity. */
export function seriesFileYaml(s: SeriesFile): string {
  const q = (v: string) => JSON.stringify(v);
  const text = (t: Text) => (typeof t === 'string' ? q(t) : `{${Object.entries(t).map(([k, v]) => `${k}: ${q(v)}`).join(', ')}}`);
  const key = (id: string) => (/^[A-Za-z_][\w-]*$/.test(id) ? id : `'${id}'`);
  const lines = [...s.header.map((h) => `# ${h}`), 'series:', `  - id: ${s.id}`, `    name: ${text(s.name)}`, `    unit: ${text(s.unit)}`, `    source: ${text(s.source)}`, `    licence: ${q(s.licence)}`];
  const e = s.existing;
  if (e?.code) lines.push(`    code: ${q(e.code)}`);
  if (e?.url) lines.push(`    url: ${q(e.url)}`);
  if (e?.illustrative) lines.push('    illustrative: true');
  if (e?.note) lines.push(`    note: ${text(e.note)}`);
  if (e?.range) lines.push(`    range: [${e.range[0]}, ${e.range[1]}]`);
  lines.push('    values:');
  for (const [entity, byYear] of s.values) {
    const years = [...byYear].sort(([a], [b]) => a - b);
    lines.push(`      ${key(entity)}: {${years.map(([y, v]) => `${y}: ${v}`).join(', ')}}`);
  }
  return lines.join('\n') + '\n';
}
