/**
 * `annals import docx <file.docx> --book <book> --edition zh [--as NN-slug.md] [--add] [--keep-comments]`:
 * a Word chapter into a book (pipeline/import/import-docx.ts), then `check` of that book, so the editor
 * sees at once whether the new chapter builds. The review list (the Word comments) goes to stdout and
 * the diagnostics (what could not be mapped, with paragraph numbers; the check's findings) on stderr.
 * Exit code: 0 imported and the book checks without errors, 1 otherwise, 2 bad usage. This module prints
 * nothing: `runImportDocx` returns what it did, `importDocxOutput` the text for cli.ts to print.
 */
import { relative, resolve } from 'node:path';
import { VFile } from 'vfile';
import { buildAll } from '../build/build.ts';
import { projectAt, type Project } from '../config/load-book.ts';
import { importDocx, type ImportDocxOptions, type ImportDocxResult } from '../import/import-docx.ts';
import { collect, hasErrors, type Diagnostic } from '../report/diagnostics.ts';
import { formatJson, formatSummary, formatText } from '../report/format.ts';
import type { Printed } from '../report/printed.ts';

/** The importer's own options (documented in import-docx.ts), plus what the command adds. */
export interface ImportCommandOptions extends Pick<ImportDocxOptions, 'book' | 'edition' | 'as' | 'add' | 'keepComments' | 'force'> {
  json?: boolean;
  root: string;
  /** The project (tests use the repository's templates with a temporary manuscripts folder). Default: the one at `root`. */
  project?: Project;
}

/** What `runImportDocx` did; `importDocxOutput` turns it into what cli.ts prints. */
export interface ImportDocxOutcome {
  imported: ImportDocxResult;
  /** The import's diagnostics, then the check's. */
  diagnostics: Diagnostic[];
  /** The book checked without errors after the import (true when nothing was imported to check). */
  checkOk: boolean;
  /** The project folder: the paths printed are relative to it. */
  root: string;
}

/** Imports the Word file, then checks its book; prints nothing (cli.ts prints `importDocxOutput`). */
export async function runImportDocx(file: string, opts: ImportCommandOptions): Promise<ImportDocxOutcome> {
  const project = opts.project ?? projectAt(resolve(opts.root));
  const docx = new VFile({ path: resolve(file) });
  const imported = await importDocx({ project, file: resolve(file), book: opts.book, edition: opts.edition, as: opts.as, add: opts.add, keepComments: opts.keepComments, force: opts.force, diagnostics: docx });
  let checked: Diagnostic[] = [];
  let checkOk = true;
  if (imported.ok) {
    const check = await buildAll({ project, books: [imported.bookId!], edition: opts.edition, checkOnly: true, format: 'html' });
    checked = check.diagnostics;
    checkOk = check.ok;
  }
  return { imported, diagnostics: [...collect([docx], project.root), ...checked], checkOk, root: project.root };
}

/**
 * What `annals import docx` prints: the review list (the Word comments) on stdout, the diagnostics and
 * what was written on stderr; with `json`, one JSON document on stdout. Exit code 0 when the chapter was
 * imported and its book checks without errors, else 1.
 */
export function importDocxOutput(outcome: ImportDocxOutcome, how: { json: boolean }): Printed {
  const { imported, diagnostics, checkOk, root } = outcome;
  const code = imported.ok && checkOk && !hasErrors(diagnostics) ? 0 : 1;
  if (how.json) {
    return { code, stdout: JSON.stringify({ chapter: imported.chapter ? relative(root, imported.chapter) : null, comments: imported.comments, diagnostics: JSON.parse(formatJson(diagnostics)) }, null, 2) + '\n', stderr: '' };
  }
  let stderr = '';
  const shown = diagnostics.filter((d) => d.ruleId !== 'import-comment');
  if (shown.length) stderr += formatText(shown, { cwd: root, codeFrame: false }) + '\n';
  if (imported.chapter) {
    stderr += `wrote ${relative(root, imported.chapter)}${imported.images.length ? ` and ${imported.images.length} image(s) in ${relative(root, resolve(imported.images[0]!, '..'))}/` : ''}\n`;
    stderr += imported.addedToBook ? `added ${relative(root, imported.chapter).split('/').pop()} to book.yaml\n` : 'not added to book.yaml (use --add)\n';
  }
  stderr += `import ${imported.ok && checkOk ? 'succeeded' : 'failed'}: ${formatSummary(diagnostics)}\n`;
  return { code, stdout: reviewList(imported.comments), stderr };
}

/** The Word comments, numbered, with author, paragraph and the start of the text they are on. */
function reviewList(comments: ImportDocxResult['comments']): string {
  if (!comments.length) return '';
  const lines = [`review list (${comments.length} comment${comments.length === 1 ? '' : 's'}):`];
  for (const [i, c] of comments.entries()) {
    lines.push(`  ${i + 1}. ${c.author || '?'}${c.paragraph ? `, paragraph ${c.paragraph}` : ''}${c.anchor ? ` (“${c.anchor.length > 30 ? c.anchor.slice(0, 30) + '…' : c.anchor}”)` : ''}: ${c.text}`);
  }
  return lines.join('\n') + '\n';
}
