/**
 * `annals import docx <file.docx> --book <book> --edition zh [--as NN-slug.md] [--add] [--keep-comments]`:
 * a Word chapter into a book (pipeline/import/import-docx.ts), then `check` of that book, so the editor
 * sees at once whether the new chapter builds. Prints the review list (the Word comments) on stdout and
 * the diagnostics (what could not be mapped, with paragraph numbers; the check's findings) on stderr.
 * Exit code: 0 imported and the book checks without errors, 1 otherwise, 2 bad usage.
 */
import { relative, resolve } from 'node:path';
import { VFile } from 'vfile';
import { buildAll } from '../build/build.ts';
import { projectAt, type Project } from '../config/load-book.ts';
import { importDocx, type ImportDocxOptions } from '../import/import-docx.ts';
import { collect, hasErrors } from '../report/diagnostics.ts';
import { formatJson, formatSummary, formatText } from '../report/format.ts';

/** The importer's own options (documented in import-docx.ts), plus what the command adds. */
export interface ImportCommandOptions extends Pick<ImportDocxOptions, 'book' | 'edition' | 'as' | 'add' | 'keepComments' | 'force'> {
  json?: boolean;
  root: string;
  /** The project (tests use the repository's templates with a temporary manuscripts folder). Default: the one at `root`. */
  project?: Project;
}

export async function runImportDocx(file: string, opts: ImportCommandOptions, print: (t: string) => void = (t) => void process.stdout.write(t), printErr: (t: string) => void = (t) => void process.stderr.write(t)): Promise<number> {
  const project = opts.project ?? projectAt(resolve(opts.root));
  const docx = new VFile({ path: resolve(file) });
  const imported = await importDocx({ project, file: resolve(file), book: opts.book, edition: opts.edition, as: opts.as, add: opts.add, keepComments: opts.keepComments, force: opts.force, diagnostics: docx });
  const files = [docx];
  let checked: ReturnType<typeof collect> = [];
  let checkOk = true;
  if (imported.ok) {
    const check = await buildAll({ project, books: [imported.bookId!], edition: opts.edition, checkOnly: true, format: 'html' });
    checked = check.diagnostics;
    checkOk = check.ok;
  }
  const diagnostics = [...collect(files, project.root), ...checked];
  if (opts.json) {
    print(JSON.stringify({ chapter: imported.chapter ? relative(project.root, imported.chapter) : null, comments: imported.comments, diagnostics: JSON.parse(formatJson(diagnostics)) }, null, 2) + '\n');
  } else {
    if (imported.comments.length) {
      print(`review list (${imported.comments.length} comment${imported.comments.length === 1 ? '' : 's'}):\n`);
      for (const [i, c] of imported.comments.entries()) {
        print(`  ${i + 1}. ${c.author || '?'}${c.paragraph ? `, paragraph ${c.paragraph}` : ''}${c.anchor ? ` (“${c.anchor.length > 30 ? c.anchor.slice(0, 30) + '…' : c.anchor}”)` : ''}: ${c.text}\n`);
      }
    }
    const shown = diagnostics.filter((d) => d.ruleId !== 'import-comment');
    if (shown.length) printErr(formatText(shown, { cwd: project.root, codeFrame: false }) + '\n');
    if (imported.chapter) {
      printErr(`wrote ${relative(project.root, imported.chapter)}${imported.images.length ? ` and ${imported.images.length} image(s) in ${relative(project.root, resolve(imported.images[0]!, '..'))}/` : ''}\n`);
      printErr(imported.addedToBook ? `added ${relative(project.root, imported.chapter).split('/').pop()} to book.yaml\n` : 'not added to book.yaml (use --add)\n');
    }
    printErr(`import ${imported.ok && checkOk ? 'succeeded' : 'failed'}: ${formatSummary(diagnostics)}\n`);
  }
  return imported.ok && checkOk && !hasErrors(diagnostics) ? 0 : 1;
}
