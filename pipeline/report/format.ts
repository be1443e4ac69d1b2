/**
 * Diagnostics as text (compiler style, with a code frame) or JSON (for CI). The CLI is the only caller that
 * prints what these return.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { codeFrameColumns } from '@babel/code-frame';
import type { Diagnostic } from './diagnostics.ts';

export interface FormatOptions {
  /** Print a code frame under each located diagnostic. Default: true. */
  codeFrame?: boolean;
  /** Colour the output (ANSI). Default: false. */
  color?: boolean;
  /** Folder that diagnostic file paths are relative to. Default: process.cwd(). */
  cwd?: string;
}

export function formatText(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const { codeFrame = true, color = false, cwd = process.cwd() } = options;
  const sources = new Map<string, string | null>();
  const read = (file: string) => {
    if (!sources.has(file)) {
      try {
        sources.set(file, readFileSync(resolve(cwd, file), 'utf8'));
      } catch {
        sources.set(file, null);
      }
    }
    return sources.get(file) ?? null;
  };
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const blocks: string[] = [];
  for (const d of diagnostics) {
    const where = d.line != null ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
    const sev = d.severity === 'error' ? paint('31;1', 'error') : d.severity === 'warning' ? paint('33;1', 'warning') : paint('36', 'info');
    let block = `${where} ${sev} ${d.message} ${paint('2', `[${d.ruleId}]`)}`;
    if (d.hint) block += `\n  ${paint('2', 'hint:')} ${d.hint}`;
    if (codeFrame && d.line != null) {
      const text = read(d.file);
      if (text != null) {
        const loc = {
          start: { line: d.line, column: d.column ?? 1 },
          ...(d.endLine != null && d.endLine === d.line ? { end: { line: d.endLine, column: d.endColumn ?? d.column ?? 1 } } : {}),
        };
        const frame = codeFrameColumns(text, loc, { highlightCode: color, linesAbove: 1, linesBelow: 1 });
        block += '\n' + frame.replace(/^/gm, '  ');
      }
    }
    blocks.push(block);
  }
  return blocks.join('\n\n');
}

export function formatSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics }, null, 2);
}
