/**
 * `annals indicators import <file.xlsx> --framework widi --series <id>`: one series from an Excel workbook
 * (pipeline/import/read-series-workbook.ts) into the framework's data folder as
 * `indicators/<framework>/<year>/data/<series>.yaml` (docs/indicators.md, docs/import.md). Entities are
 * matched against framework.yaml; every cell that is not a clean number is reported at its address.
 * An existing series keeps its metadata and the values the workbook does not give.
 * Errors: nothing is written (exit 1). Warnings (placeholders left out, numbers stored as text): written.
 * This module prints nothing: `runIndicatorsImport` returns what it did, `indicatorsImportOutput` the
 * text for cli.ts to print.
 */
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { VFile } from 'vfile';
import { loadFramework } from '../indicators/load.ts';
import { findFramework } from '../indicators/framework-files.ts';
import type { Text } from '../indicators/schema.ts';
import { createEntityMatcher } from '../import/entity-matcher.ts';
import { readSeriesWorkbook } from '../import/read-series-workbook.ts';
import { collect, hasErrors, report, type Diagnostic } from '../report/diagnostics.ts';
import { formatJson, formatSummary, formatText } from '../report/format.ts';
import { usageError, type Printed } from '../report/printed.ts';
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
}

/** What `runIndicatorsImport` did; `indicatorsImportOutput` turns it into what cli.ts prints. */
export type IndicatorsImportOutcome =
  /** No framework.yaml for the framework (and year) asked for: nothing done. */
  | { status: 'unknown-framework'; which: string }
  /** Errors in the framework or the workbook: nothing written. */
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | {
      /** `checked` with `dryRun`. */
      status: 'written' | 'checked';
      /** Warnings (placeholders left out, numbers stored as text). */
      diagnostics: Diagnostic[];
      /** The series file, relative to the root. */
      target: string;
      entities: number;
      years: [number, number];
      values: number;
      /** The series existed: how many of its values the workbook changed (its other values are kept). */
      replaced?: number;
    };

/** Reads the workbook, checks it and (unless `dryRun`) writes the series; prints nothing. */
export async function runIndicatorsImport(options: IndicatorsImportOptions): Promise<IndicatorsImportOutcome> {
  const root = resolve(options.root ?? process.cwd());
  const ref = findFramework(join(root, 'indicators'), options.framework, options.year);
  if (!ref) return { status: 'unknown-framework', which: `${options.framework}${options.year ? '/' + options.year : ''}` };
  const path = resolve(options.file);
  const file = new VFile({ path });
  const invalid = (files: VFile[]): IndicatorsImportOutcome => ({ status: 'invalid', diagnostics: collect(files, root) });
  const loaded = loadFramework(ref.dir);
  if (!loaded.framework) return invalid([file, ...loaded.files]);
  if (!existsSync(path) || !/\.xlsx$/i.test(path)) {
    report(file, 'import-file', `${existsSync(path) ? 'not an .xlsx workbook' : 'no such file'}: ${options.file}`);
    return invalid([file]);
  }
  const read = await readSeriesWorkbook({ file: path, matcher: createEntityMatcher(loaded.framework.entities), sheet: options.sheet }).catch((error: Error) => {
    report(file, 'import-file', `cannot read the workbook: ${error.message}`);
    return undefined;
  });
  if (!read) return invalid([file]);
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
  if (read.values.size === 0 && !hasErrors(collect([file], root))) report(file, 'import-layout', `no values found in sheet "${read.sheet}"`);
  if (hasErrors(collect([file], root))) return invalid([file]);

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
  return {
    status: options.dryRun ? 'checked' : 'written',
    diagnostics: collect([file], root),
    target: relative(root, target),
    entities: read.values.size,
    years: [Math.min(...years), Math.max(...years)],
    values: years.length,
    ...(existing ? { replaced } : {}),
  };
}

/**
 * What `annals indicators import` prints: the diagnostics (text and a summary on stderr, or JSON on stdout
 * with `json`), then the series written; exit code 0 written or checked, 1 errors, 2 no such framework.
 */
export function indicatorsImportOutput(outcome: IndicatorsImportOutcome, how: { json: boolean; root: string }): Printed {
  if (outcome.status === 'unknown-framework') return usageError(`no framework indicators/${outcome.which}/framework.yaml [indicator-unknown-framework]`);
  const { diagnostics } = outcome;
  const printed: Printed = { code: outcome.status === 'invalid' ? 1 : 0, stdout: '', stderr: '' };
  if (how.json) printed.stdout = formatJson(diagnostics) + '\n';
  else if (diagnostics.length) printed.stderr = formatText(diagnostics, { cwd: how.root, codeFrame: false }) + '\n' + formatSummary(diagnostics) + '\n';
  if (outcome.status === 'invalid') return printed;
  const kept = outcome.replaced !== undefined ? ` (${outcome.replaced} changed, the series' other values kept)` : '';
  printed.stdout += `${outcome.status === 'checked' ? 'checked' : 'wrote'} ${outcome.target}: ${outcome.entities} entities, ${outcome.years[0]}–${outcome.years[1]}, ${outcome.values} values${kept}\n`;
  return printed;
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
