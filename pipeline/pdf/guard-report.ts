/**
 * The request guard's events (request-guard.ts) as diagnostics: a blocked request at the chapter line
 * that names its URL when one does, else on print.html; failed requests, page and console errors on
 * print.html.
 */
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import type { GuardEvent } from './request-guard.ts';

export interface GuardContext {
  sources: readonly VFile[];
  loaded: () => string;
}

/** Report a guard event; returns the file it was reported on (a chapter, for a blocked request it can place). */
export function reportGuardEvent(file: VFile, event: GuardEvent, context: GuardContext): VFile {
  switch (event.kind) {
    case 'blocked': {
      const what = event.resourceType === 'csp' ? `blocked ${event.url} (refused by print.html's Content-Security-Policy)` : `blocked a request for ${event.url} (${event.resourceType})`;
      const at = blockedSource(event.url, event.line, context);
      if (!at) {
        report(file, 'pdf-blocked-request', `${what} while printing`);
        break;
      }
      report(at.file, 'pdf-blocked-request', `${what} while printing this chapter`, at.place);
      return at.file;
    }
    case 'failed':
      report(file, 'pdf-request-failed', `could not load ${event.url}: ${event.reason}`);
      break;
    case 'page-error':
      report(file, 'pdf-page-error', `page error while printing: ${event.message}`);
      break;
    case 'console-error':
      report(file, 'pdf-console-error', `console error while printing: ${event.message}`);
      break;
  }
  return file;
}

/**
 * Where a blocked request comes from: the chapter line whose text names its URL, else the chapter whose
 * section holds the line of the loaded document that asked for it.
 */
export function blockedSource(url: string, line: number | undefined, context: GuardContext): { file: VFile; place?: { line: number; column: number } } | undefined {
  const needles = [url, url.replace(/\/$/, '')].filter((n) => n.length > 3);
  for (const source of context.sources) {
    const text = String(source.value);
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at < 0) continue;
      const before = text.slice(0, at).split('\n');
      return { file: source, place: { line: before.length, column: before[before.length - 1]!.length + 1 } };
    }
  }
  if (line === undefined) return undefined;
  // The last chapter section opened at or before that line (0-based, as Chromium counts; hast from 1).
  // The loaded copy is parsed only here, when a request was blocked.
  const id = chapterOpenedBy(fromHtml(context.loaded()), line + 1);
  const source = id === undefined ? undefined : context.sources.find((s) => s.data.chapter?.id === id);
  return source ? { file: source } : undefined;
}

/** The id of the last `section.chapter` whose start tag begins at or before `line` (1-based), in document order. */
export function chapterOpenedBy(tree: Root, line: number): string | undefined {
  let id: string | undefined;
  const walk = (node: Root | Element): boolean => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const start = child.position?.start.line;
      if (start !== undefined && start > line) return false;
      const classes = child.properties.className;
      if (child.tagName === 'section' && Array.isArray(classes) && classes[0] === 'chapter' && typeof child.properties.id === 'string') id = child.properties.id;
      if (!walk(child)) return false;
    }
    return true;
  };
  walk(tree);
  return id;
}
