/**
 * `annals preview [book]`: the command-line side of the preview — options, the first lines it prints
 * (the URL on stdout, everything else on stderr), `--open`, and a clean stop on Ctrl-C (SIGINT) or
 * SIGTERM: the watcher, the server, its connections and the print view's Chromium are all closed, and the
 * process ends by itself because nothing is left running.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';

interface PreviewCliOptions {
  edition?: string;
  root: string;
  out?: string;
  port: string;
  host?: string | boolean;
  open?: boolean;
  print?: boolean;
}

export function registerPreviewCommand(program: Command, setExitCode: (code: number) => void): void {
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
    .action(async (book: string | undefined, opts: PreviewCliOptions) => {
      setExitCode(await runPreview(book, opts));
    });
}

async function runPreview(book: string | undefined, opts: PreviewCliOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error: --port must be a number from 0 to 65535 (got "${opts.port}")\n`);
    return 2;
  }
  const host = opts.host === true ? '0.0.0.0' : typeof opts.host === 'string' ? opts.host : '127.0.0.1';
  // The preview (server, watcher, pipeline) is loaded only when this command runs.
  const [{ projectAt }, { createTerminalProgress }, { PreviewError, startPreview }] = await Promise.all([
    import('../config/load-book.ts'),
    import('../report/progress.ts'),
    import('./session.ts'),
  ]);
  const project = projectAt(resolve(opts.root), opts.out ? resolve(opts.out) : undefined);
  const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const progress = await createTerminalProgress();
  let session;
  try {
    session = await startPreview({
      project,
      book,
      edition: opts.edition,
      host,
      port,
      print: opts.print === true,
      log: err,
      color: process.stderr.isTTY === true,
      progress: progress.sink,
    });
  } catch (error) {
    progress.stop();
    if (error instanceof PreviewError) {
      err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  progress.stop();
  process.stdout.write(`Preview of ${session.book}/${session.edition}: ${session.url}\n`);
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    err(`warning: listening on ${host}: other machines on the network can read this edition`);
  }
  if (opts.open) openInBrowser(session.url, err);

  // The handlers stay until everything is closed: other SIGINT handlers (the print view's browser
  // session) then leave the process to us. A second Ctrl-C while stopping ends the process at once.
  let stopping = false;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((done) => (stopRequested = done));
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await stopped;
  err('stopping the preview…');
  try {
    await session.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  err('preview stopped');
  return 0;
}

/** The platform's "open this URL" command, detached; a failure is a line of text, not an error. */
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
