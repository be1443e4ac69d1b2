/**
 * The `annals indicators` command's options, turned into the options of `runIndicators`
 * (pipeline/commands/indicators.ts, loaded only when the command runs). cli.ts runs it and prints what
 * it returns; a bad option is a usage error for cli.ts to print.
 */
import { Option, type Command } from 'commander';
import type { IndicatorsOptions } from './indicators.ts';

/** The command line's request: options to run with, or what is wrong with them. */
export type IndicatorsRequest = { ok: true; options: IndicatorsOptions; json: boolean } | { ok: false; error: string };

export function registerIndicatorsCommand(program: Command, run: (request: IndicatorsRequest) => Promise<void>): void {
  program
    .command('indicators')
    .description('compute an index: print its ranking and write out/indicators/<framework>-<year>.{csv,xlsx}')
    .argument('<framework>', 'framework id, a folder under indicators/ (e.g. widi, cidi)')
    .option('-y, --year <year>', 'edition year of the framework (default: the latest)')
    .addOption(new Option('--lang <lang>', 'language of names and headers').choices(['zh', 'en']).default('zh'))
    .option('--json', 'print diagnostics as JSON (for CI)')
    .option('--audit', 'also print the coverage, coherence and uncertainty report and write <framework>-<year>-audit.{json,xlsx}')
    .addOption(new Option('--root <dir>', 'project folder holding indicators/').default(process.cwd(), 'current folder'))
    .option('--out <dir>', 'output folder (default: <root>/out)')
    .action(async (framework: string, opts: { year?: string; lang: string; json?: boolean; audit?: boolean; root: string; out?: string }) => {
      const year = opts.year != null ? Number(opts.year) : undefined;
      if (year != null && !Number.isInteger(year)) return run({ ok: false, error: `--year must be a year such as 2026 (got "${opts.year}")` });
      return run({ ok: true, json: opts.json === true, options: { framework, year, lang: opts.lang, audit: opts.audit, root: opts.root, out: opts.out } });
    });
}
