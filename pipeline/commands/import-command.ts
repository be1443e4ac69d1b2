/**
 * The `annals import docx` command's options; cli.ts runs the work (pipeline/commands/import.ts, with
 * mammoth and the build for the check, loaded only when it runs) and prints what it returns.
 */
import { Option, type Command } from 'commander';
import type { ImportCommandOptions } from './import.ts';

export function registerImportCommand(program: Command, run: (file: string, options: ImportCommandOptions) => Promise<void>): void {
  const command = program.command('import').description('bring manuscripts delivered as Word files into a book (see docs/import.md)');
  command
    .command('docx')
    .description('convert a Word chapter into manuscripts/<book>/<edition>/NN-slug.md, with its images, notes and comments')
    .argument('<file>', 'the Word file (.docx)')
    .requiredOption('--book <book>', 'book folder name (with or without the year)')
    .requiredOption('-e, --edition <id>', 'edition with its own chapter folder (e.g. zh, en)')
    .option('--as <name>', 'chapter file name NN-slug.md (default: the next number, slug from the file name)')
    .option('--add', 'add the chapter to the edition\'s chapters in book.yaml')
    .option('--keep-comments', 'keep the Word comments as HTML comments in the chapter (they are always listed)')
    .option('--force', 'replace an existing chapter file of that name')
    .option('--json', 'print diagnostics as JSON (for CI)')
    .addOption(new Option('--root <dir>', 'project folder holding manuscripts/').default(process.cwd(), 'current folder'))
    .action(run);
}
