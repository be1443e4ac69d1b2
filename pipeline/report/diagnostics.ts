/**
 * Diagnostics are unified's own VFileMessages: every stage reports through `report(file, ruleId, …)`, which
 * fills in the rule's severity, source and hint, so a late stage can still point at `chapter.md:12:4`.
 * A build collects the VFiles it touched and hands them to the reporter; nothing here prints.
 */
import type { VFile } from 'vfile';
import type { Point, Position } from 'unist';
import { rules, type RuleId, type Severity } from './rules.ts';

export const SOURCE = 'annals';

export interface Diagnostic {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  ruleId: RuleId | string;
  message: string;
  hint?: string;
}

export interface ReportOptions {
  /** Overrides the rule's default severity. */
  severity?: Severity;
  /** Overrides the rule's default hint (e.g. a "did you mean" suggestion). */
  hint?: string;
}

/** Anything that carries a unist position: a node, a position or a point. */
export type Place = Position | Point | { position?: Position } | undefined | null;

function toPlace(place: Place): Position | Point | undefined {
  if (!place) return undefined;
  if ('position' in place) return place.position;
  return place as Position | Point;
}

/** Report a problem on `file` at `place` under a catalogued rule. */
export function report(file: VFile, ruleId: RuleId, reason: string, place?: Place, options: ReportOptions = {}): void {
  const rule = rules[ruleId];
  const message = file.message(reason, { place: toPlace(place), ruleId, source: SOURCE });
  const severity = options.severity ?? rule.severity;
  message.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined;
  message.note = options.hint ?? rule.hint;
}

/** Turn the messages of the given files into plain diagnostics, sorted by file and position. */
export function collect(files: Iterable<VFile>, cwd = process.cwd()): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of files) {
    for (const m of file.messages) {
      const d: Diagnostic = {
        file: file.path ? relativePath(file.path, cwd) : '<input>',
        severity: m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info',
        ruleId: m.ruleId ?? 'unknown',
        message: m.reason,
      };
      if (m.line != null) d.line = m.line;
      if (m.column != null) d.column = m.column;
      const end = m.place && 'end' in m.place ? m.place.end : undefined;
      if (end) {
        d.endLine = end.line;
        d.endColumn = end.column;
      }
      if (m.note) d.hint = m.note;
      out.push(d);
    }
  }
  out.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  // A derived edition (zh-Hant) reads its source's files: the same problem is reported once, not per edition.
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.ruleId, d.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function relativePath(path: string, cwd: string): string {
  return path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : path;
}
