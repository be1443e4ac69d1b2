/**
 * Build progress: the stages report events (a book, an edition, a chapter, a PDF page, an edition done);
 * a sink shows them. On a terminal the sink is one ora spinner line that says where the build is
 * (spinner-progress.ts, loaded only then: ora and its helpers took 50–100 ms to load); when not on a
 * terminal (CI logs, pipes) it prints plain lines, one per event worth keeping. Nothing here decides
 * anything: a build without a sink behaves the same.
 */

export type ProgressEvent =
  | { kind: 'book'; book: string; index: number; total: number }
  | { kind: 'edition'; book: string; edition: string }
  | { kind: 'chapter'; book: string; edition: string; index: number; total: number; name: string }
  | { kind: 'pdf-page'; book: string; edition: string; page: number; total?: number }
  | { kind: 'edition-done'; book: string; edition: string; ok: boolean; chapters: number; skipped?: boolean };

export type ProgressSink = (event: ProgressEvent) => void;

export interface TerminalProgress {
  sink: ProgressSink;
  /** Stop the spinner (keep what was printed). Call before printing the summary. */
  stop(): void;
}

export interface TerminalProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Use the spinner. Default: when `stream` is a TTY and CI is not set. */
  interactive?: boolean;
  /** The verb of the plain lines: "building", "checking". Default: building. */
  verb?: string;
}

export async function createTerminalProgress(options: TerminalProgressOptions = {}): Promise<TerminalProgress> {
  const stream = options.stream ?? process.stderr;
  // A terminal that reports no width (some pseudo-terminals) gets plain lines: a spinner there would
  // compute an endless number of lines to clear.
  const interactive = options.interactive ?? (stream.isTTY === true && !process.env.CI && (stream.columns ?? 0) > 0);
  if (!interactive) return plainProgress(stream, options.verb ?? 'building');
  const { spinnerProgress } = await import('./spinner-progress.ts');
  return spinnerProgress(stream);
}

function plainProgress(stream: NodeJS.WritableStream, verb: string): TerminalProgress {
  const line = (text: string) => stream.write(`${text}\n`);
  let lastPdfStep = -1;
  return {
    sink(event) {
      switch (event.kind) {
        case 'book':
          break;
        case 'edition':
          lastPdfStep = -1;
          line(`${verb} ${event.book}/${event.edition}`);
          break;
        case 'chapter':
          line(`  chapter ${event.index}/${event.total} ${event.name}`);
          break;
        case 'pdf-page': {
          // A line per tenth of the book (or per 50 pages when the total is unknown), not per page.
          const step = event.total ? Math.floor((event.page / event.total) * 10) : Math.floor(event.page / 50);
          if (step !== lastPdfStep || event.page === event.total) line(`  PDF page ${event.page}${event.total ? `/${event.total}` : ''}`);
          lastPdfStep = step;
          break;
        }
        case 'edition-done':
          line(`${event.book}/${event.edition} ${event.skipped ? 'unchanged, skipped' : event.ok ? `done (${event.chapters} chapters)` : 'failed'}`);
          break;
      }
    },
    stop() {},
  };
}
