/**
 * The `annals indicators import` subcommand's options, turned into the options of `runIndicatorsImport`
 * (pipeline/commands/indicators-import.ts, with exceljs, loaded only when it runs). Registered under the
 * `indicators` command; cli.ts runs it and prints what it returns, or the usage error.
 */
import { Option, type Command } from 'commander';
import type { IndicatorsImportOptions } from './indicators-import.ts';

/** The command line's request: options to run with, or what is wrong with them. */
export type IndicatorsImportRequest = { ok: true; options: IndicatorsImportOptions; json: boolean } | { ok: false; error: string };

export function registerIndicatorsImportCommand(program: Command, run: (request: IndicatorsImportRequest) => Promise<void>): void {
  const indicators = program.commands.find((c) => c.name() === 'indicators');
  if (!indicators) return;
  indicators
    .command('import')
    .description('import one data series from an Excel workbook into indicators/<framework>/<year>/data/<series>.yaml')
    .argument('<file>', 'the workbook (.xlsx): entities down and years across, or long format (地区, 年份, 数值)')
    .requiredOption('--framework <id>', 'framework id (e.g. widi, cidi)')
    .requiredOption('--series <id>', 'series id; the data file is named after it')
    .option('-y, --year <year>', 'edition year of the framework (default: the latest)')
    .option('--sheet <name>', 'worksheet (default: the first)')
    .option('--name <text>', 'name of the series (default: the existing series\' name, else the title line above the table)')
    .option('--unit <text>', 'unit (default: the existing series\' unit, else a 单位：… / Unit: … line)')
    .option('--source <text>', 'source (default: the existing series\' source, else a 数据来源：… / Source: … line)')
    .option('--licence <text>', 'licence of the data (default: the existing series\' licence)')
    .option('--dry-run', 'check the workbook and report; write nothing')
    .option('--json', 'print diagnostics as JSON (for CI)')
    .addOption(new Option('--root <dir>', 'project folder holding indicators/').default(process.cwd(), 'current folder'))
    .action(async (file: string, opts: { framework: string; series: string; year?: string; sheet?: string; name?: string; unit?: string; source?: string; licence?: string; dryRun?: boolean; json?: boolean; root: string }) => {
      const year = opts.year != null ? Number(opts.year) : undefined;
      if (year != null && !Number.isInteger(year)) return run({ ok: false, error: `--year must be a year such as 2026 (got "${opts.year}")` });
      const { json, ...rest } = opts;
      return run({ ok: true, json: json === true, options: { ...rest, file, year } });
    });
}
