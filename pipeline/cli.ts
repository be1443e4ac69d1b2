/**
 * The command line: arguments → calls. The only place that prints a summary or sets the exit code:
 * 0 success, 1 errors in the input, 2 bad usage.
 */
import { ANNALS_VERSION } from './base/version.ts';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Format } from './build/build.ts';
import { registerPreviewCommand, type PreviewCliOptions } from './preview/command.ts';
import { registerIndicatorsCommand, type IndicatorsRequest } from './commands/indicators-command.ts';
import type { IndicatorsOutcome } from './commands/indicators.ts';
import { registerIndicatorsImportCommand, type IndicatorsImportRequest } from './commands/indicators-import-command.ts';
import { registerImportCommand } from './commands/import-command.ts';
import type { ImportCommandOptions } from './commands/import.ts';
import { usageError, type Printed } from './report/printed.ts';
import { printSwitchesFrom } from './pdf/print-switches.ts';

interface CommonOptions {
  edition?: string;
  json?: boolean;
  root?: string;
  out?: string;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = new Command()
    .name('annals')
    .description('Build the think tank\'s books from Markdown and YAML into HTML and PDF editions.')
    .version(ANNALS_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError();
  registerBuildCommand(program, setExitCode);
  registerCheckCommand(program, setExitCode);
  registerPreviewCommand(program, async (book, opts) => setExitCode(await runPreviewCommand(book, opts)));
  registerIndicatorsCommand(program, async (request) => setExitCode(print(await runIndicatorsCommand(request))));
  registerIndicatorsImportCommand(program, async (request) => setExitCode(print(await runIndicatorsImportCommand(request))));
  registerImportCommand(program, async (file, opts) => setExitCode(print(await runImportCommand(file, opts))));
  registerCleanCommand(program);
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}

/** The options `build` and `check` share. */
function withCommon(cmd: Command): Command {
  return cmd
    .option('-e, --edition <id>', 'only this edition (e.g. zh, en)')
    .option('--json', 'print diagnostics as JSON (for CI)')
    .addOption(new Option('--root <dir>', 'project folder holding manuscripts/ and templates/').default(process.cwd(), 'current folder'))
    .option('--out <dir>', 'output folder (default: <root>/out)');
}

function registerBuildCommand(program: Command, setExitCode: (code: number) => void): void {
  withCommon(
    program
      .command('build')
      .description('build books into out/<book>/<edition>/ (HTML site, print.html, PDF and EPUB)')
      .argument('[books...]', 'book folder names, or names without the year (default: all books)')
      .addOption(new Option('-f, --format <format>', 'what to write').choices(['html', 'pdf', 'epub', 'all']).default('all'))
      .option('--release', 'release build: warnings are errors, needs SOURCE_DATE_EPOCH (or the last commit), writes out/manifest.json')
      .option('--no-cache', 'rebuild everything: ignore out/.cache/ (a release never uses it)')
      .option('--press', 'also write the printer\'s files (CMYK PDF/X interior and cover; needs Ghostscript); a release always does')
      .option('--marks', 'crop marks on the press interior\'s pages')
      .option('--allow-sample', 'release a sample book: placeholder imprint data and sample text are noted, not refused')
      .option('--compare <git-ref>', 'mark in the site what changed since that version (docs/site.md)')
      .option('--compare-dir <dir>', 'mark in the site what changed since the project (or manuscripts/) in <dir>'),
  ).action(async (books: string[], opts: BuildCliOptions) => {
    if (opts.compare && opts.compareDir) {
      process.stderr.write('error: give --compare or --compare-dir, not both\n');
      setExitCode(2);
      return;
    }
    setExitCode(await runBuild(books, opts, false));
  });
}

function registerCheckCommand(program: Command, setExitCode: (code: number) => void): void {
  withCommon(
    program
      .command('check')
      .description('validate every book, chapter, template and data file; write no output (unchanged books are replayed from out/.cache/)')
      .argument('[books...]', 'book folder names (default: all books)')
      .option('--no-cache', 'check everything again: ignore out/.cache/ and write nothing at all'),
  ).action(async (books: string[], opts: CommonOptions & { cache?: boolean }) => {
    setExitCode(await runBuild(books, { ...opts, format: 'html' }, true));
  });
}

function registerCleanCommand(program: Command): void {
  program
    .command('clean')
    .description('remove the output folder (out/)')
    .addOption(new Option('--root <dir>', 'project folder').default(process.cwd(), 'current folder'))
    .option('--out <dir>', 'output folder (default: <root>/out)')
    .action(async (opts: CommonOptions) => {
      const { projectAt } = await import('./config/load-book.ts');
      const project = projectAt(resolve(opts.root!), opts.out ? resolve(opts.out) : undefined);
      await rm(project.out, { recursive: true, force: true });
      process.stdout.write(`removed ${project.out}\n`);
    });
}

type BuildCliOptions = CommonOptions & { format: Format; release?: boolean; cache?: boolean; press?: boolean; marks?: boolean; allowSample?: boolean; compare?: string; compareDir?: string };

async function runBuild(books: string[], opts: BuildCliOptions, checkOnly: boolean): Promise<number> {
  const compare = opts.compare ? { ref: opts.compare } : opts.compareDir ? { dir: opts.compareDir } : undefined;
  // The pipeline is loaded here, not at the top: `--version`, `--help` and other commands need none of it.
  const [{ buildAll }, { projectAt }, { formatJson, formatSummary, formatText }, { createTerminalProgress }, { createBuildCache }, { createBuildMemo }] = await Promise.all([
    import('./build/build.ts'),
    import('./config/load-book.ts'),
    import('./report/format.ts'),
    import('./report/progress.ts'),
    import('./build/build-cache.ts'),
    import('./base/memo.ts'),
  ]);
  const project = projectAt(resolve(opts.root!), opts.out ? resolve(opts.out) : undefined);
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  // Progress on stderr: a spinner line on a terminal, plain lines otherwise; none with --json.
  const progress = opts.json ? undefined : await createTerminalProgress({ verb: checkOnly ? 'checking' : 'building' });
  const result = await buildAll({
    project,
    books,
    edition: opts.edition,
    format: opts.format,
    release: opts.release === true,
    press: opts.press === true || opts.release === true,
    marks: opts.marks === true,
    allowSample: opts.allowSample === true,
    checkOnly,
    checkIndicators: checkOnly && books.length === 0,
    progress: progress?.sink,
    // Work shared by the editions of this run (OpenCC converters, CSL engines …; same output).
    memo: createBuildMemo({ acrossBuilds: false }),
    // Books side by side (pipeline/build/book-threads.ts) only when ANNALS_THREADS asks for it.
    threads: threadCount(),
    // The PDF stage's switches for comparisons (ANNALS_PRINT_TABS, ANNALS_MAKE_UP …), read here, once.
    print: printSwitchesFrom(process.env),
    // Unchanged work is skipped (out/.cache/); a release, a press build and a comparison are always built from scratch.
    // A check keeps its own records there, and a cache it cannot write does not fail it.
    cache: opts.cache === false || opts.release || opts.press || compare ? undefined : createBuildCache(project, checkOnly ? { writeFailures: 'ignore' } : {}),
    ...(compare ? { compare } : {}),
  }).finally(() => progress?.stop());
  if (opts.json) {
    process.stdout.write(formatJson(result.diagnostics) + '\n');
  } else {
    if (result.diagnostics.length) process.stderr.write(formatText(result.diagnostics, { color: tty, cwd: project.root }) + '\n\n');
    for (const e of result.editions) {
      if (e.outDir && !checkOnly) process.stderr.write(`${e.skipped ? 'unchanged' : 'wrote'} ${e.outDir.replace(project.root + '/', '')} (${e.chapters} chapters${e.pdf ? `, PDF ${e.pdf.pages} pages` : ''})\n`);
    }
    if (result.manifest) process.stderr.write(`wrote ${result.manifest.replace(project.root + '/', '')}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`${checkOnly ? 'check' : 'build'} ${result.ok ? 'succeeded' : 'failed'}: ${result.editions.length} edition(s), ${formatSummary(result.diagnostics)} in ${seconds}s\n`);
  }
  // A book or edition the command line names that does not exist is bad usage (2), not bad input (1).
  if (result.diagnostics.some((d) => USAGE_RULES.has(d.ruleId))) return 2;
  return result.ok ? 0 : 1;
}

/**
 * Threads for the books of a build or check: ANNALS_THREADS when it is a positive whole number, else one.
 * Not more by default: two threads made a check use half again as much CPU for no shorter wall time on two
 * cores, and an HTML build in two threads writes two files of the world report en differently (a chart's
 * label wraps by what the process drew before; docs/pdf.md, What an editor waits for).
 */
function threadCount(): number {
  const asked = Number(process.env.ANNALS_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : 1;
}

/** Diagnostics about the command line itself: the build exits 2 when one is reported. */
const USAGE_RULES: ReadonlySet<string> = new Set(['book-not-found', 'edition-not-found']);

/** Writes what a command printed, as it returned it; its exit code. */
function print(printed: Printed): number {
  process.stdout.write(printed.stdout);
  process.stderr.write(printed.stderr);
  return printed.code;
}

/** `annals indicators`: what it prints (the exit code: 0 written, 1 errors, 2 usage). */
async function runIndicatorsCommand(request: IndicatorsRequest): Promise<Printed> {
  if (!request.ok) return usageError(request.error);
  const { runIndicators } = await import('./commands/indicators.ts');
  return indicatorsOutput(await runIndicators(request.options), { json: request.json, root: resolve(request.options.root ?? process.cwd()) });
}

/** `annals indicators import`: what it prints (pipeline/commands/indicators-import.ts). */
async function runIndicatorsImportCommand(request: IndicatorsImportRequest): Promise<Printed> {
  if (!request.ok) return usageError(request.error);
  const { indicatorsImportOutput, runIndicatorsImport } = await import('./commands/indicators-import.ts');
  return indicatorsImportOutput(await runIndicatorsImport(request.options), { json: request.json, root: resolve(request.options.root ?? process.cwd()) });
}

/** `annals import docx`: what it prints (pipeline/commands/import.ts). */
async function runImportCommand(file: string, opts: ImportCommandOptions): Promise<Printed> {
  const { importDocxOutput, runImportDocx } = await import('./commands/import.ts');
  return importDocxOutput(await runImportDocx(file, opts), { json: opts.json === true });
}

/**
 * `annals preview`: its log and progress on stderr, the URL on stdout once it serves, then it runs until
 * Ctrl-C (a second Ctrl-C while stopping ends the process at once, 130).
 */
async function runPreviewCommand(book: string | undefined, opts: PreviewCliOptions): Promise<number> {
  const [{ openPreview }, { createTerminalProgress }] = await Promise.all([import('./preview/command.ts'), import('./report/progress.ts')]);
  const log = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const progress = await createTerminalProgress();
  // The print view's PDF builds take the PDF stage's switches from the environment, read here, once.
  const preview = await openPreview(book, { ...opts, printSwitches: printSwitchesFrom(process.env) }, { log, color: process.stderr.isTTY === true, progress: progress.sink }).finally(() => progress.stop());
  if (!preview.ok) return print(preview.printed);
  process.stdout.write(`Preview of ${preview.book}/${preview.edition}: ${preview.url}\n`);
  if (preview.warning) log(preview.warning);
  await preview.untilStopped(() => process.exit(130));
  return 0;
}

/**
 * What `annals indicators` prints for an outcome: the ranking (and audit) and the files written on
 * stdout, diagnostics (text, or JSON with `json`; code frames read from `root`) on stderr, and the exit
 * code: 0 written, 1 errors in the framework or data (nothing written), 2 no such framework.
 */
export async function indicatorsOutput(outcome: IndicatorsOutcome, how: { json: boolean; root: string }): Promise<Printed> {
  if (outcome.status === 'unknown-framework') return usageError(`no framework indicators/${outcome.which}/framework.yaml [indicator-unknown-framework]`);
  const { formatJson, formatSummary, formatText } = await import('./report/format.ts');
  const { diagnostics } = outcome;
  const problems = diagnostics.length ? (how.json ? formatJson(diagnostics) : formatText(diagnostics, { cwd: how.root })) + '\n' : '';
  if (outcome.status === 'invalid') return { code: 1, stdout: '', stderr: `${problems}${formatSummary(diagnostics)}: nothing written\n` };
  const wrote = (files: [string, string]) => `wrote ${files[0]} and ${files[1]}\n`;
  const audit = outcome.audit ? `\n${outcome.audit.text}\n${wrote(outcome.audit.files)}` : '';
  return { code: 0, stdout: `${outcome.ranking}\n${wrote(outcome.files)}${audit}`, stderr: problems };
}
