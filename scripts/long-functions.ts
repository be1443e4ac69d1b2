/**
 * The functions of pipeline/ longer than a limit (issue 13: "no function in pipeline/ is longer than 80
 * lines"). Parses every .ts file with the TypeScript compiler and measures each function declaration,
 * function expression, arrow function and method from its first token to its closing line (leading
 * comments do not count; a nested function counts inside its parent too). Prints the long ones, longest
 * first, as `lines file:line name`, then their count, and exits 1 when there is any.
 *
 *   node --import tsx scripts/long-functions.ts [--max 80] [folder or file …]
 *
 * Defaults: the limit is 80 lines; the folder is pipeline/ of the repository this script is in.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');

export interface LongFunction {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line of the function's first token. */
  line: number;
  /** The function's name, the variable or property it is assigned to, or `(anonymous)`. */
  name: string;
  /** Lines from the first token to the last, both included. */
  lines: number;
}

/** The .ts files (not declarations) under a folder, or the path itself when it names a file. */
function typeScriptFilesUnder(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return typeScriptFilesUnder(full);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

function isMeasured(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

/** What a reader would call the function: its own name, else the name of what holds it. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const holder = node.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) && holder.name) {
    return holder.name.getText();
  }
  return '(anonymous)';
}

/** The functions of one source text longer than `max` lines, in source order. */
export function longFunctionsIn(fileName: string, text: string, max: number): LongFunction[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isMeasured(node)) {
      const first = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - first + 1;
      if (lines > max) found.push({ file: fileName, line: first + 1, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The long functions of every .ts file under the folders (or of the files named), longest first. */
export function longFunctions(folders: string[], max: number): LongFunction[] {
  const files = folders.flatMap((folder) => typeScriptFilesUnder(resolve(repoRoot, folder)));
  const found = files.flatMap((file) =>
    longFunctionsIn(relative(repoRoot, file), readFileSync(file, 'utf8'), max),
  );
  return found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

function parseArguments(argv: string[]): { max: number; folders: string[] } {
  let max = 80;
  const folders: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max') {
      max = Number(argv[++i]);
      if (!Number.isInteger(max) || max < 1) throw new Error('--max takes a whole number of lines');
    } else folders.push(argv[i]);
  }
  return { max, folders: folders.length > 0 ? folders : ['pipeline'] };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { max, folders } = parseArguments(process.argv.slice(2));
  const found = longFunctions(folders, max);
  for (const fn of found) console.log(`${fn.lines} ${fn.file}:${fn.line} ${fn.name}`);
  console.log(`${found.length} function${found.length === 1 ? '' : 's'} over ${max} lines`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
