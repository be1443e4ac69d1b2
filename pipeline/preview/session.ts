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
import type { PrintSwitches } from '../pdf/print-switches.ts';
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
  /** The PDF stage's switches for the print view's PDF builds (pdf/print-switches.ts). Default: none set. */
  printSwitches?: PrintSwitches;
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
  const kept: KeptWork = {
    cache: createBuildCache(project, { memory: true }),
    // Indicator results by content hash, kept for the session: an unchanged framework is computed once.
    indicatorCache: new ResultsCache(),
    // Chart SVGs, loaded frameworks and CSL engines by content hash of their inputs (pipeline/base/memo.ts).
    memo: createBuildMemo(),
  };
  const listeners = new Set<(build: PreviewBuild) => void>();
  let generation = 0;
  let status: BuildStatus = { generation: 0, ok: true, building: true, diagnostics: [] };
  let server: PreviewServer | undefined;
  let closed = false;

  const build = async (paths: readonly string[], first: boolean): Promise<PreviewBuild> => {
    const outcome = await buildOnce({ project, bookId, editionId, kept, progress: first ? options.progress : undefined });
    generation += 1;
    status = { generation, ok: outcome.ok, building: false, diagnostics: outcome.diagnostics.map((d) => toOverlay(d, project.root)) };
    const reloaded = outcome.ok && outcome.changed.some((p) => p.startsWith('site/') || p === 'print.html');
    if (server) server.broadcast(reloaded ? 'reload' : 'status', reloaded ? { generation, changed: outcome.changed, status } : status);
    if (outcome.diagnostics.length) log(formatText(outcome.diagnostics, { color: options.color === true, cwd: project.root }));
    log(buildLine({ root: project.root, paths, first, outcome, reloaded, clients: server?.clients() }));
    const done: PreviewBuild = { generation, ...outcome, reloaded };
    for (const listener of listeners) listener(done);
    return done;
  };
  const queue = buildQueue((paths) => build(paths, false), () => closed);
  await build([], true);

  const buildPdf = (browser: BrowserSession) => pdfBuild({ project, bookId, editionId, kept, queue, browser, switches: options.printSwitches });
  const printView: PrintView | undefined = options.print ? createPrintView({ editionDir, buildPdf, generation: () => generation, log }) : undefined;
  server = await startPreviewServer({ root: siteDir, host: options.host, port: options.port, status: () => status, routes: printView ? [printView.route] : [] });
  const watched = [join(project.manuscripts, bookId), project.templates, project.indicators];
  const watcher: InputWatcher = watchInputs({ paths: watched, debounceMs: options.debounceMs, onChange: (paths) => void queue.schedule(paths), onError: (error) => log(`watcher: ${String(error)}`) });
  await watcher.ready;
  const url = server.url;
  log(`serving ${relative(project.root, siteDir)} at ${url}${printView ? ` (print view: ${url}${PRINT_PREFIX.slice(1)})` : ''}`);
  log(`watching ${watched.map((p) => relative(project.root, p) || p).join(', ')}; Ctrl-C stops`);

  const live = server;
  return {
    url,
    book: bookId,
    edition: editionId,
    siteDir,
    cache: kept.cache,
    memo: kept.memo,
    server: live,
    status: () => status,
    idle: () => queue.idle(),
    rebuild: (paths = []) => queue.schedule(paths),
    onBuild(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await watcher.close();
      await queue.settled();
      await printView?.close();
      await live.close();
    },
  };
}

/** What the session's builds keep in memory between rebuilds. */
interface KeptWork {
  cache: BuildCache;
  indicatorCache: ResultsCache;
  memo: BuildMemo;
}

/** One build's outcome, before the session numbers it. */
type BuildOutcome = Pick<PreviewBuild, 'ok' | 'skipped' | 'changed' | 'ms' | 'diagnostics'>;

/** One HTML build of the edition with the kept work; a bug or a vanished file is an `internal-error`. */
async function buildOnce(input: { project: Project; bookId: string; editionId: string; kept: KeptWork; progress: ProgressSink | undefined }): Promise<BuildOutcome> {
  const started = performance.now();
  const { cache, indicatorCache, memo } = input.kept;
  try {
    const result = await buildAll({ project: input.project, books: [input.bookId], edition: input.editionId, format: 'html', cache, indicatorCache, memo, progress: input.progress });
    // A failed build stops before rendering: what it did not use is not stale.
    if (result.ok) sweepBuildMemo(memo);
    const edition = result.editions[0];
    return { ok: result.ok, skipped: edition?.skipped === true, changed: edition?.changed ?? [], ms: performance.now() - started, diagnostics: result.diagnostics };
  } catch (error) {
    // A bug or a file that vanished mid-build: shown like any other problem, the server keeps running.
    const diagnostics: Diagnostic[] = [{ file: '<build>', severity: 'error', ruleId: 'internal-error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }];
    return { ok: false, skipped: false, changed: [], ms: performance.now() - started, diagnostics };
  }
}

/** The terminal's line for one build: what changed, how long it took, what happened. */
function buildLine(input: { root: string; paths: readonly string[]; first: boolean; outcome: BuildOutcome; reloaded: boolean; clients: number | undefined }): string {
  const { outcome, clients } = input;
  const { changed } = outcome;
  const what = input.paths.length ? input.paths.map((p) => relative(input.root, p) || basename(p)).join(', ') : '';
  const summary = !outcome.ok
    ? `build failed (${formatSummary(outcome.diagnostics)}): the pages keep the last good build, with the diagnostics on top`
    : outcome.skipped
      ? 'nothing changed'
      : `${changed.length} file${changed.length === 1 ? '' : 's'} written${input.reloaded && clients !== undefined ? `, ${clients} open page${clients === 1 ? '' : 's'} told` : ''}`;
  return `${what ? `${what} → ` : ''}${input.first ? 'built' : 'rebuilt'} in ${Math.round(outcome.ms)} ms: ${summary}`;
}

/**
 * The print view's PDF: a whole build as `annals build` makes it (the same PDF passes), run between the
 * HTML builds, never beside one (both write out/); builds asked for meanwhile run after it.
 */
async function pdfBuild(input: { project: Project; bookId: string; editionId: string; kept: KeptWork; queue: BuildQueue; browser: BrowserSession; switches: PrintSwitches | undefined }): Promise<{ pdf: string } | { problems: string[] }> {
  const { project, bookId, editionId } = input;
  const { cache, indicatorCache, memo } = input.kept;
  const print = input.switches ? { print: input.switches } : {};
  const result = await input.queue.exclusive(() => buildAll({ project, books: [bookId], edition: editionId, format: 'all', cache, indicatorCache, memo, browser: input.browser, ...print }));
  const problems = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);
  return result.ok ? { pdf: join(project.out, bookId, editionId, pdfName(bookId, editionId)) } : { problems: problems.length ? problems : ['the PDF build failed'] };
}

type BuildQueue = ReturnType<typeof buildQueue>;

/**
 * Builds run one at a time; changes during a build make one more build after it. `schedule` resolves
 * with the last build of the run it joined (undefined once `closed`).
 */
function buildQueue(build: (paths: string[]) => Promise<PreviewBuild>, closed: () => boolean) {
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
      while (next && !closed()) {
        queued = undefined;
        last = await build(next);
        next = queued;
      }
      running = undefined;
      return last;
    })();
    return running;
  };
  return {
    schedule,
    /** Resolves when no build is running or queued. */
    async idle(): Promise<void> {
      while (running) await running;
    },
    /** Runs `task` between builds, never beside one; builds asked for meanwhile run after it. */
    async exclusive<T>(task: () => Promise<T>): Promise<T> {
      while (running) await running;
      const job = task();
      running = job.then(() => undefined, () => undefined).then(() => {
        running = undefined;
        const next = queued;
        queued = undefined;
        return next ? schedule(next) : undefined;
      });
      return job;
    },
    /** Waits for the running build, whatever its end. */
    async settled(): Promise<void> {
      await running?.catch(() => undefined);
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
