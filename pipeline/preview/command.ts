/**
 * `annals preview [book]`: the command-line side of the preview — options, starting the session, `--open`,
 * and a clean stop on Ctrl-C (SIGINT) or SIGTERM: the watcher, the server, its connections and the print
 * view's Chromium are all closed, and the process ends by itself because nothing is left running.
 * Nothing here prints: cli.ts gives the preview its log (standard error) and progress, prints the URL
 * `openPreview` returns (standard output) and sets the exit code.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { usageError, type Printed } from '../report/printed.ts';
import type { ProgressSink } from '../report/progress.ts';
import type { PrintSwitches } from '../pdf/print-switches.ts';

export interface PreviewCliOptions {
  edition?: string;
  root: string;
  out?: string;
  port: string;
  host?: string | boolean;
  open?: boolean;
  print?: boolean;
  /** Not a flag: the PDF stage's switches, which cli.ts reads from the environment. Default: none set. */
  printSwitches?: PrintSwitches;
}

/** Where the preview's lines go; cli.ts gives them. */
export interface PreviewOutput {
  /** One line of the preview's log: rebuilds, their diagnostics, stopping. */
  log: (text: string) => void;
  /** Diagnostics in colour. Default: false. */
  color?: boolean;
  /** The first build's and every rebuild's progress. Default: none. */
  progress?: ProgressSink;
}

/** A preview that is serving: its URL to print, a warning to print with it, and how to wait for its end. */
export interface OpenPreview {
  ok: true;
  book: string;
  edition: string;
  url: string;
  /** Printed after the URL when the preview listens beyond this machine. */
  warning?: string;
  /**
   * Resolves when Ctrl-C (SIGINT) or SIGTERM stopped the preview and everything it runs is closed (logged
   * on `output.log`). A second signal while stopping calls `exit` (cli.ts ends the process with 130).
   */
  untilStopped(exit: () => void): Promise<void>;
}

export function registerPreviewCommand(program: Command, run: (book: string | undefined, options: PreviewCliOptions) => Promise<void>): void {
  program
    .command('preview')
    .description('serve an edition\'s HTML on 127.0.0.1 and rebuild and reload it on every change')
    .argument('[book]', 'book folder name, or name without the year (default: the first book)')
    .option('-e, --edition <id>', 'the edition to preview (default: the book\'s first)')
    .addOption(new Option('--root <dir>', 'project folder holding manuscripts/ and templates/').default(process.cwd(), 'current folder'))
    .option('--out <dir>', 'output folder (default: <root>/out)')
    .addOption(new Option('-p, --port <port>', 'first port to try; the next free one is used when taken (0: any)').default('4400'))
    .option('--host [address]', 'listen on this address instead of 127.0.0.1 (alone: every interface)')
    .option('--open', 'open the preview in the default browser')
    .option('--print', 'also serve the print view (each chapter laid out as in the PDF; starts Chromium)')
    .action(run);
}

/**
 * Starts the preview (and with `--open` a browser on it): the serving preview, or what cli.ts prints
 * instead (a bad `--port`, no such book or edition: exit code 2).
 */
export async function openPreview(book: string | undefined, opts: PreviewCliOptions, output: PreviewOutput): Promise<OpenPreview | { ok: false; printed: Printed }> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, printed: usageError(`--port must be a number from 0 to 65535 (got "${opts.port}")`) };
  const host = opts.host === true ? '0.0.0.0' : typeof opts.host === 'string' ? opts.host : '127.0.0.1';
  // The preview (server, watcher, pipeline) is loaded only when this command runs.
  const [{ projectAt }, { PreviewError, startPreview }] = await Promise.all([import('../config/load-book.ts'), import('./session.ts')]);
  const project = projectAt(resolve(opts.root), opts.out ? resolve(opts.out) : undefined);
  let session;
  try {
    session = await startPreview({ project, book, edition: opts.edition, host, port, print: opts.print === true, ...(opts.printSwitches ? { printSwitches: opts.printSwitches } : {}), log: output.log, color: output.color === true, progress: output.progress });
  } catch (error) {
    if (error instanceof PreviewError) return { ok: false, printed: usageError(error.message) };
    throw error;
  }
  if (opts.open) openInBrowser(session.url, output.log);
  const open = session;
  return {
    ok: true,
    book: open.book,
    edition: open.edition,
    url: open.url,
    ...(host !== '127.0.0.1' && host !== '::1' && host !== 'localhost' ? { warning: `warning: listening on ${host}: other machines on the network can read this edition` } : {}),
    untilStopped: (exit) => stopOnSignal(() => open.close(), output.log, exit),
  };
}

/**
 * Waits for SIGINT or SIGTERM, then closes. The handlers stay until everything is closed: other SIGINT
 * handlers (the print view's browser session) then leave the process to us. A second signal while
 * stopping calls `exit`.
 */
async function stopOnSignal(close: () => Promise<void>, log: (text: string) => void, exit: () => void): Promise<void> {
  let stopping = false;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((done) => (stopRequested = done));
  const onSignal = () => {
    if (stopping) exit();
    stopping = true;
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await stopped;
  log('stopping the preview…');
  try {
    await close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  log('preview stopped');
}

/** The platform's "open this URL" command, detached; a failure is a line of the log, not an error. */
function openInBrowser(url: string, log: (text: string) => void): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => log(`could not open a browser (${command}); open ${url} yourself`));
    child.unref();
  } catch {
    log(`could not open a browser; open ${url} yourself`);
  }
}
