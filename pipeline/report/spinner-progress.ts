/**
 * Build progress on a terminal (progress.ts): one ora spinner line that says where the build is, and a
 * line kept for each edition done. Loaded only when the output is a terminal.
 */
import ora, { type Ora } from 'ora';
import type { TerminalProgress } from './progress.ts';

export function spinnerProgress(stream: NodeJS.WriteStream): TerminalProgress {
  // discardStdin off: it puts stdin in raw mode, and Ctrl-C must stay an ordinary SIGINT.
  const spinner: Ora = ora({ stream, discardStdin: false, isEnabled: true });
  let book = '';
  let started = 0;
  const show = (text: string) => {
    spinner.text = text;
    if (!spinner.isSpinning) spinner.start();
    // Parsing is synchronous: draw now rather than wait for a timer that cannot fire.
    spinner.render();
  };
  return {
    sink(event) {
      switch (event.kind) {
        case 'book':
          book = event.total > 1 ? `book ${event.index}/${event.total} ` : '';
          break;
        case 'edition':
          started = performance.now();
          show(`${book}${event.book}/${event.edition}`);
          break;
        case 'chapter':
          show(`${book}${event.book}/${event.edition} · chapter ${event.index}/${event.total} ${event.name}`);
          break;
        case 'pdf-page':
          show(`${book}${event.book}/${event.edition} · PDF page ${event.page}${event.total ? `/${event.total}` : ''}`);
          break;
        case 'edition-done': {
          const what = `${event.book}/${event.edition}`;
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          if (!spinner.isSpinning) spinner.start();
          if (event.skipped) spinner.info(`${what} unchanged, skipped`);
          else if (event.ok) spinner.succeed(`${what} · ${event.chapters} chapters · ${seconds}s`);
          else spinner.fail(`${what} failed`);
          break;
        }
      }
    },
    stop() {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
