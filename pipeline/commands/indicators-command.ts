/**
 * The `annals indicators` command's options; the work (pipeline/commands/indicators.ts, with the
 * indicator store and the spreadsheet writer) is loaded only when the command runs.
 */
import { Option, type Command } from 'commander';

export function registerIndicatorsCommand(program: Command, setExitCode: (code: number) => void = (code) => (process.exitCode = code)): void {
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
      if (year != null && !Number.isInteger(year)) {
        process.stderr.write(`error: --year must be a year such as 2026 (got "${opts.year}")\n`);
        setExitCode(2);
        return;
      }
      const { runIndicators } = await import('./indicators.ts');
      setExitCode(await runIndicators({ framework, year, lang: opts.lang, json: opts.json, audit: opts.audit, root: opts.root, out: opts.out }));
    });
}
