/**
 * A preview session: build one edition's HTML, serve its site/ folder, watch its inputs and rebuild on
 * every change, telling the open pages to update (or showing the diagnostics in an overlay). What is
 * expensive stays in memory between rebuilds: the build cache (parsed chapters, input hashes, the record
 * of the last good build), the indicator results (by content hash) and the build memo (chart SVGs, loaded
 * frameworks and CSL engines, by content hash of their inputs: pipeline/base/memo.ts). The unified processor is made
 * again for every rebuild — it holds per-build state (the edition's slugger, book-wide counters, features'
 * counters) and making it costs well under a millisecond.
 *
 * A rebuild runs the normal pipeline (pipeline/build/build.ts) with the cache: an edit to one chapter parses
 * that chapter again, re-runs the per-chapter stages and the book-wide ones, renders, and rewrites only
 * the output files whose bytes changed. A failed build writes nothing: the pages keep showing the last
 * good build, with the overlay on top.
 */
import { basename, join, relative } from 'node:path';
import { buildAll } from '../build/build.ts';
import { createBuildCache, type BuildCache } from '../build/build-cache.ts';
import { createBuildMemo, sweepBuildMemo, type BuildMemo } from '../base/memo.ts';
import { listBooks, loadBook, selectBooks, type Project } from '../config/load-book.ts';
import type { BrowserSession } from '../pdf/browser.ts';
import { pdfName } from '../pdf/pdf-edition.ts';
import { ResultsCache } from '../indicators/store.ts';
import type { Diagnostic } from '../report/diagnostics.ts';
import { formatSummary, formatText } from '../report/format.ts';
import type { ProgressSink } from '../report/progress.ts';
import type { BuildStatus, OverlayDiagnostic } from './client.ts';
import { createPrintView, PRINT_PREFIX, type PrintView } from './print-view.ts';
import { startPreviewServer, type PreviewServer } from './server.ts';
import { watchInputs, type InputWatcher } from './watch.ts';

export interface PreviewOptions {
  project: Project;
  /** Book selector (folder name, or name without the year). Default: the first book. */
  book?: string;
  /** Edition id. Default: the book's first edition. */
  edition?: string;
  /** Default: 127.0.0.1. */
  host?: string;
  /** First port to try (the next ones while taken; 0 = any). Default: 4400. */
  port?: number;
  /** Serve the print view (/__annals/print/), which starts Chromium on first use. Default: false. */
  print?: boolean;
  /** Terminal output, one line (or block) at a time. Default: nothing. */
  log?: (text: string) => void;
  /** Colour in the terminal's diagnostics. Default: false. */
  color?: boolean;
  /** Progress of the first build. Default: none. */
  progress?: ProgressSink;
  /** Quiet time that ends a burst of file changes, in ms. Default: 25. */
  debounceMs?: number;
}

/** One finished build of the session. */
export interface PreviewBuild {
  generation: number;
  ok: boolean;
  /** Nothing the edition depends on changed: nothing was rebuilt. */
  skipped: boolean;
  /** Output files written or removed. */
  changed: string[];
  /** The open pages were told to update (the build wrote pages or assets). */
  reloaded: boolean;
  ms: number;
  diagnostics: Diagnostic[];
}

export interface PreviewSession {
  url: string;
  book: string;
  edition: string;
  /** out/<book>/<edition>/site */
  siteDir: string;
  cache: BuildCache;
  /** What the session's builds keep by content hash (chart SVGs, frameworks, CSL engines). */
  memo: BuildMemo;
  server: PreviewServer;
  status(): BuildStatus;
  /** Resolves when no build is running or queued. */
  idle(): Promise<void>;
  /** Rebuild now (as if `paths` had changed) and wait for it (undefined once the session is closed). */
  rebuild(paths?: string[]): Promise<PreviewBuild | undefined>;
  /** Called after every build. */
  onBuild(listener: (build: PreviewBuild) => void): () => void;
  close(): Promise<void>;
}

export class PreviewError extends Error {
  override name = 'PreviewError';
}

export async function startPreview(options: PreviewOptions): Promise<PreviewSession> {
  const { project } = options;
  const log = options.log ?? (() => {});
  const { bookId, editionId } = chooseEdition(project, options.book, options.edition, log);
  const editionDir = join(project.out, bookId, editionId);
  const siteDir = join(editionDir, 'site');
  const cache = createBuildCache(project, { memory: true });
  // Indicator results by content hash, kept for the session: an unchanged framework is computed once.
  const indicatorCache = new ResultsCache();
  // Chart SVGs, loaded frameworks and CSL engines by content hash of their inputs (pipeline/base/memo.ts).
  const memo = createBuildMemo();
  const listeners = new Set<(build: PreviewBuild) => void>();
  let generation = 0;
  let status: BuildStatus = { generation: 0, ok: true, building: true, diagnostics: [] };
  let server: PreviewServer | undefined;
  let closed = false;

  const build = async (paths: readonly string[], first: boolean): Promise<PreviewBuild> => {
    const started = performance.now();
    let diagnostics: Diagnostic[];
    let ok: boolean;
    let skipped = false;
    let changed: string[] = [];
    try {
      const result = await buildAll({ project, books: [bookId], edition: editionId, format: 'html', cache, indicatorCache, memo, progress: first ? options.progress : undefined });
      // A failed build stops before rendering: what it did not use is not stale.
      if (result.ok) sweepBuildMemo(memo);
      diagnostics = result.diagnostics;
      ok = result.ok;
      const edition = result.editions[0];
      skipped = edition?.skipped === true;
      changed = edition?.changed ?? [];
    } catch (error) {
      // A bug or a file that vanished mid-build: shown like any other problem, the server keeps running.
      ok = false;
      diagnostics = [{ file: '<build>', severity: 'error', ruleId: 'internal-error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }];
    }
    const ms = performance.now() - started;
    generation += 1;
    status = { generation, ok, building: false, diagnostics: diagnostics.map((d) => toOverlay(d, project.root)) };
    const siteChanged = changed.some((p) => p.startsWith('site/') || p === 'print.html');
    const reloaded = ok && siteChanged;
    if (server) server.broadcast(reloaded ? 'reload' : 'status', reloaded ? { generation, changed, status } : status);

    if (diagnostics.length) log(formatText(diagnostics, { color: options.color === true, cwd: project.root }));
    const what = paths.length ? paths.map((p) => relative(project.root, p) || basename(p)).join(', ') : '';
    const summary = !ok
      ? `build failed (${formatSummary(diagnostics)}): the pages keep the last good build, with the diagnostics on top`
      : skipped
        ? 'nothing changed'
        : `${changed.length} file${changed.length === 1 ? '' : 's'} written${reloaded && server ? `, ${server.clients()} open page${server.clients() === 1 ? '' : 's'} told` : ''}`;
    log(`${what ? `${what} → ` : ''}${first ? 'built' : 'rebuilt'} in ${Math.round(ms)} ms: ${summary}`);
    const done: PreviewBuild = { generation, ok, skipped, changed, reloaded, ms, diagnostics };
    for (const listener of listeners) listener(done);
    return done;
  };

  // Builds run one at a time; changes during a build make one more build after it.
  let running: Promise<PreviewBuild | undefined> | undefined;
  let queued: string[] | undefined;
  const schedule = (paths: string[]): Promise<PreviewBuild | undefined> => {
    if (running) {
      // The running loop takes the queued paths when its build ends, and resolves after that build.
      queued = [...(queued ?? []), ...paths];
      return running;
    }
    running = (async () => {
      let next: string[] | undefined = paths;
      let last: PreviewBuild | undefined;
      while (next && !closed) {
        queued = undefined;
        last = await build(next, false);
        next = queued;
      }
      running = undefined;
      return last;
    })();
    return running;
  };

  // The print view's PDF: a whole build as `annals build` makes it (the same PDF passes), run between the
  // HTML builds, never beside one (both write out/); builds asked for meanwhile run after it.
  const buildPdf = async (browser: BrowserSession) => {
    while (running) await running;
    const printing = buildAll({ project, books: [bookId], edition: editionId, format: 'all', cache, indicatorCache, memo, browser });
    running = printing.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      running = undefined;
      const next = queued;
      queued = undefined;
      return next ? schedule(next) : undefined;
    });
    const result = await printing;
    const problems = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);
    return result.ok ? { pdf: join(editionDir, pdfName(bookId, editionId)) } : { problems: problems.length ? problems : ['the PDF build failed'] };
  };

  await build([], true);

  const printView: PrintView | undefined = options.print
    ? createPrintView({ editionDir, buildPdf, generation: () => generation, log })
    : undefined;
  server = await startPreviewServer({
    root: siteDir,
    host: options.host,
    port: options.port,
    status: () => status,
    routes: printView ? [printView.route] : [],
  });
  const watched = [join(project.manuscripts, bookId), project.templates, project.indicators];
  const watcher: InputWatcher = watchInputs({
    paths: watched,
    debounceMs: options.debounceMs,
    onChange: (paths) => void schedule(paths),
    onError: (error) => log(`watcher: ${String(error)}`),
  });
  await watcher.ready;

  const url = server.url;
  log(`serving ${relative(project.root, siteDir)} at ${url}${printView ? ` (print view: ${url}${PRINT_PREFIX.slice(1)})` : ''}`);
  log(`watching ${watched.map((p) => relative(project.root, p) || p).join(', ')}; Ctrl-C stops`);

  return {
    url,
    book: bookId,
    edition: editionId,
    siteDir,
    cache,
    memo,
    server,
    status: () => status,
    async idle() {
      while (running) await running;
    },
    rebuild: (paths = []) => schedule(paths),
    onBuild(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await watcher.close();
      await running?.catch(() => undefined);
      await printView?.close();
      await server!.close();
    },
  };
}

/** The book and edition to preview; problems are PreviewErrors with the choices in the message. */
function chooseEdition(project: Project, bookSelector: string | undefined, editionId: string | undefined, log: (text: string) => void) {
  const all = listBooks(project);
  if (all.length === 0) throw new PreviewError(`no books under ${project.manuscripts}`);
  const { selected, unknown } = selectBooks(all, bookSelector ? [bookSelector] : []);
  if (unknown.length || selected.length === 0) throw new PreviewError(`no book "${bookSelector}" (books: ${all.join(', ')})`);
  if (selected.length > 1 && bookSelector) throw new PreviewError(`"${bookSelector}" names several books (${selected.join(', ')}): give the folder name`);
  const bookId = selected[0]!;
  if (!bookSelector && all.length > 1) log(`previewing ${bookId} (books: ${all.join(', ')}; name one to preview it)`);
  const book = loadBook(project, bookId);
  const editions = book.config ? Object.keys(book.config.editions) : [];
  if (editionId) {
    if (book.config && !editions.includes(editionId)) throw new PreviewError(`book "${bookId}" has no edition "${editionId}" (editions: ${editions.join(', ')})`);
    return { bookId, editionId };
  }
  if (!book.config) {
    const problems = formatText(
      book.file.messages.map((m) => ({ file: relative(project.root, book.file.path), line: m.line ?? undefined, column: m.column ?? undefined, severity: 'error' as const, ruleId: m.ruleId ?? 'config-schema', message: m.reason })),
      { cwd: project.root },
    );
    throw new PreviewError(`book.yaml of "${bookId}" is not valid, so its editions are unknown: fix it or name the edition with --edition\n${problems}`);
  }
  return { bookId, editionId: editions[0]! };
}

function toOverlay(d: Diagnostic, cwd: string): OverlayDiagnostic {
  return {
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    ruleId: String(d.ruleId),
    message: d.message,
    text: formatText([d], { color: false, cwd }),
  };
}
