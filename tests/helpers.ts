/**
 * Test helpers: make small books in a temporary project (using the repository's templates and locales),
 * build them through the real pipeline, and read what came out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, type BuildOptions, type BuildResult } from '../pipeline/build/build.ts';
import type { Project } from '../pipeline/config/load-book.ts';
import { findBrowser } from '../pipeline/pdf/find-browser.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface TempProject extends Project {
  /** Write a file relative to the project root. */
  write(path: string, text: string): void;
  read(path: string): string;
}

/** An empty project in a temp folder that uses the repository's templates and indicators. */
export function tempProject(): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'annals-test-'));
  mkdirSync(join(root, 'manuscripts'), { recursive: true });
  const project: TempProject = {
    root,
    manuscripts: join(root, 'manuscripts'),
    templates: join(repoRoot, 'templates'),
    indicators: join(repoRoot, 'indicators'),
    out: join(root, 'out'),
    write(path, text) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
  };
  return project;
}

export interface BookSpec {
  id?: string;
  kind?: 'report' | 'yearbook';
  edition?: string;
  lang?: string;
  /** Chapter files: name → Markdown. */
  chapters: Record<string, string>;
  /** Extra YAML appended to book.yaml (top level). */
  extraYaml?: string;
}

/** Write a one-edition book into the project and return its id. */
export function writeBook(project: TempProject, spec: BookSpec): string {
  const id = spec.id ?? 'test-book';
  const edition = spec.edition ?? 'zh';
  const lang = spec.lang ?? (edition === 'en' ? 'en' : 'zh-CN');
  const names = Object.keys(spec.chapters);
  project.write(
    `manuscripts/${id}/book.yaml`,
    [
      `id: ${id}`,
      `kind: ${spec.kind ?? 'report'}`,
      'year: 2026',
      'editions:',
      `  ${edition}:`,
      `    lang: ${lang}`,
      `    title: ${lang.startsWith('zh') ? '测试之书' : 'A Test Book'}`,
      '    chapters:',
      ...names.map((n) => `      - ${n}`),
      spec.extraYaml ?? '',
    ].join('\n'),
  );
  for (const [name, text] of Object.entries(spec.chapters)) project.write(`manuscripts/${id}/${edition}/${name}`, text);
  return id;
}

export function build(project: Project, options: Partial<BuildOptions> = {}): Promise<BuildResult> {
  return buildAll({ project, format: 'html', ...options });
}

/**
 * The `<main>` of a built site page, without the marks of line typography (pipeline/html/line-typography.ts:
 * no-break and punctuation-compression spans, <wbr> in table cells), which only tests/typography-*.test.ts
 * look at (in print.html).
 */
export function mainOf(html: string): string {
  const open = /<main class="site-main"[^>]*>/.exec(html);
  const end = html.indexOf('</main>');
  if (!open || end < 0) throw new Error('no <main> in page');
  return withoutLineSpans(html.slice(open.index + open[0].length, end).trim() + '\n');
}

/** HTML without line typography's spans, <wbr>s and decimal alignment (other spans, nested or not, stay). */
export function withoutLineSpans(html: string): string {
  const line = /^<span class="(?:nobreak|cjk-half-end|cjk-half-start|latin-punct)">$/;
  const open: boolean[] = [];
  // Decimal alignment (rehype-decimal-align.ts): the invisible tail shapes go, the tail is plain text again.
  const decimals = html
    .replace(/<span class="decimal-ghost"[^>]*>[^<]*<\/span>/g, '')
    .replace(/<span class="decimal-tail">(?:<span>([^<]*)<\/span>)?<\/span>/g, '$1')
    .replace(/ class="num decimal"/g, ' class="num"')
    .replace(/ xref-breakable/g, '');
  return decimals.replace(/<wbr>/g, '').replace(/<\/?span\b[^>]*>/g, (tag) => {
    if (tag.startsWith('</')) return open.pop() ? '' : tag;
    open.push(line.test(tag));
    return line.test(tag) ? '' : tag;
  });
}

export function copyFixture(from: string, project: TempProject, to = ''): void {
  cpSync(from, join(project.root, to), { recursive: true });
}

/** True when `cmd -v` runs (poppler's tools answer to it). */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The browser the PDF stage would use, or undefined when there is none. */
export function browserPath(): string | undefined {
  try {
    return findBrowser().path;
  } catch {
    return undefined;
  }
}

/** `skip` for tests that print PDFs and read them with poppler: a reason, or false when both are here. */
export function pdfSkip(): string | false {
  return !browserPath() || !hasCommand('pdftotext') || !hasCommand('pdffonts') ? 'needs Chromium and poppler-utils' : false;
}

/**
 * A "billion laughs" YAML block: a top-level `lol:` key holding nine levels of ten aliases each (10⁸
 * copies once expanded). Its first alias (`*a`) is on the block's line 3, column 10.
 */
export function billionLaughs(): { text: string; firstAliasLine: number; firstAliasColumn: number } {
  const names = 'abcdefghi';
  const lines = ['lol:', '  a: &a [lol]'];
  for (let i = 1; i < names.length; i++) lines.push(`  ${names[i]}: &${names[i]} [${Array(10).fill('*' + names[i - 1]).join(', ')}]`);
  return { text: lines.join('\n') + '\n', firstAliasLine: 3, firstAliasColumn: 10 };
}

/** True while `pid` is a live process; a zombie (exited, not yet reaped) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The process state follows the command name (which may hold spaces and parentheses) in /proc.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
