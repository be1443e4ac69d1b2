/**
 * Starting Chromium. The process is spawned here, not inside `puppeteer.launch`, so that from its first
 * moment the build knows its process group (a signal during the launch kills it), its exit status (a
 * browser that exits at once is named with its status and the last lines it printed) and how long it has
 * taken (a browser that never answers is given up after `timeoutMs`, not after the 10-minute protocol
 * timeout). Puppeteer then talks to it over the same DevTools pipe its own launcher would use
 * (`--remote-debugging-pipe`, file descriptors 3 and 4; no port another program could reach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Browser, ConnectionTransport } from 'puppeteer';

/** Seconds a browser may take to start and answer its first protocol call. */
export const LAUNCH_TIMEOUT_MS = 20_000;

export interface LaunchOptions {
  executable: string;
  /** Extra Chromium flags, after puppeteer's defaults for a headless browser. */
  args: readonly string[];
  /** A fresh profile folder. */
  profile: string;
  /** The executable is Chromium's headless shell (find-browser.ts `isHeadlessShell`): `--headless`, not `--headless=new`. Default: false. */
  shell?: boolean;
  /** Give up (and kill the browser) after this many milliseconds. Default: LAUNCH_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Protocol timeout of the connection once it is up. */
  protocolTimeout: number;
  /** Called with the child process as soon as it exists (before the browser answers). */
  onSpawn?: (child: ChildProcess) => void;
}

/** The browser did not start: the message names the executable and what happened to it. */
export class BrowserLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserLaunchError';
  }
}

/**
 * The flags puppeteer's own launcher gives a headless Chromium (`puppeteer.defaultArgs({ headless: true
 * or 'shell', userDataDir, args })`, puppeteer 24), written out so that Chromium is spawned before puppeteer is loaded:
 * a build starts the browser while it makes the HTML (build-edition.ts), and loading puppeteer first took
 * until the HTML stage let the event loop run, so Chromium started only after it.
 * tests/chromium-launch.test.ts compares this list with the installed puppeteer's.
 */
export function headlessArgs(profile: string, extra: readonly string[], shell = false): string[] {
  // Features the caller turns on or off join puppeteer's own lists (as its launcher merges them).
  const features = (flag: string) => extra.filter((a) => a.startsWith(`${flag}=`)).map((a) => a.slice(flag.length + 1).trim()).filter(Boolean);
  const rest = extra.filter((a) => !a.startsWith('--disable-features=') && !a.startsWith('--enable-features='));
  const disabled = ['Translate', 'AcceptCHFrame', 'MediaRouter', 'OptimizationHints', 'WebUIReloadButton', 'ProcessPerSiteUpToMainFrameThreshold', 'IsolateSandboxedIframes'];
  return [
    ...['--allow-pre-commit-input', '--disable-background-networking', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'],
    ...['--disable-breakpad', '--disable-client-side-phishing-detection', '--disable-component-extensions-with-background-pages', '--disable-crash-reporter'],
    ...['--disable-default-apps', '--disable-dev-shm-usage', '--disable-hang-monitor', '--disable-infobars', '--disable-ipc-flooding-protection'],
    ...['--disable-popup-blocking', '--disable-prompt-on-repost', '--disable-renderer-backgrounding', '--disable-search-engine-choice-screen', '--disable-sync'],
    ...['--enable-automation', '--export-tagged-pdf', '--force-color-profile=srgb', '--generate-pdf-document-outline', '--metrics-recording-only'],
    ...['--no-first-run', '--password-store=basic', '--use-mock-keychain'],
    `--disable-features=${[...disabled, ...features('--disable-features')].join(',')}`,
    `--enable-features=${['PdfOopif', ...features('--enable-features')].join(',')}`,
    `--user-data-dir=${profile}`,
    ...[shell ? '--headless' : '--headless=new', '--hide-scrollbars', '--mute-audio', '--disable-extensions', 'about:blank'],
    ...rest,
  ];
}

/**
 * Spawns Chromium at once (synchronously, on the call), then loads puppeteer and connects to it.
 */
export async function launchChromium(options: LaunchOptions): Promise<{ browser: Browser; child: ChildProcess }> {
  const { executable } = options;
  const timeoutMs = options.timeoutMs ?? LAUNCH_TIMEOUT_MS;
  const args = [...headlessArgs(options.profile, options.args, options.shell), '--remote-debugging-pipe'];
  // detached: Chromium and its renderers form a process group of their own, killed as one.
  const child = spawn(executable, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  options.onSpawn?.(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lastLines = () => {
    const lines = stderr.trim().split('\n').filter(Boolean).slice(-3);
    return lines.length > 0 ? `; it printed: ${lines.join(' / ')}` : '';
  };

  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<BrowserLaunchError>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(new BrowserLaunchError(`the browser ${executable} could not be started: ${error.code ?? error.message}`)));
    child.once('exit', (code, signal) => {
      // Let the last bytes of stderr arrive before the message is made.
      setImmediate(() => resolve(new BrowserLaunchError(`the browser ${executable} exited ${signal ? `on signal ${signal}` : `with status ${code}`} before it answered${lastLines()}`)));
    });
  });
  // The time limit is counted in turns of the event loop, a tenth of it apart, not by one timer: this
  // process may be busy for seconds at a time (the HTML is built while Chromium starts), and a timer due
  // during such a stretch would run before the browser's answer, already waiting in the pipe, is read.
  const TURNS = 10;
  let turns = 0;
  const failure = new Promise<never>((_, reject) => {
    void exited.then(reject);
    timer = setInterval(() => {
      if (++turns >= TURNS) reject(new BrowserLaunchError(`the browser ${executable} did not answer within ${Math.round(timeoutMs / 1000)} s${lastLines()}`));
    }, timeoutMs / TURNS);
  });
  failure.catch(() => undefined);
  try {
    const transport = pipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
    // Loaded only when a book is printed, after the spawn; a browser that exits meanwhile is reported at once.
    const { default: puppeteer } = await Promise.race([import('puppeteer'), failure]);
    const browser = await Promise.race([puppeteer.connect({ transport, defaultViewport: null, protocolTimeout: options.protocolTimeout }), failure]);
    return { browser, child };
  } catch (error) {
    if (error instanceof BrowserLaunchError) throw error;
    // The pipe closed (puppeteer's "Target closed"): usually because the process ended; say how.
    const ended = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 2000))]);
    throw ended ?? new BrowserLaunchError(`the browser ${executable} closed the connection before it answered: ${error instanceof Error ? error.message : String(error)}${lastLines()}`);
  } finally {
    clearInterval(timer);
  }
}

/** DevTools messages over Chromium's pipe: JSON texts, each ended by a NUL byte. */
export function pipeTransport(toBrowser: Writable, fromBrowser: Readable): ConnectionTransport {
  let pending = '';
  let closed = false;
  // The pipe can close before puppeteer listens (it is loaded after the spawn): puppeteer is then told
  // as soon as it sets `onclose`, so that it does not wait the protocol timeout for an answer.
  let lost = false;
  let onclose: (() => void) | undefined;
  const transport: ConnectionTransport = {
    send(message) {
      if (closed) return;
      toBrowser.write(message + '\0');
    },
    close() {
      closed = true;
      toBrowser.end();
      fromBrowser.destroy();
    },
    get onclose() {
      return onclose;
    },
    set onclose(listener) {
      onclose = listener;
      if (listener && lost) queueMicrotask(listener);
    },
  };
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    let start = 0;
    for (let end = chunk.indexOf('\0'); end >= 0; end = chunk.indexOf('\0', start)) {
      const message = pending + chunk.slice(start, end);
      pending = '';
      start = end + 1;
      transport.onmessage?.(message);
    }
    pending += chunk.slice(start);
  });
  const onClose = () => {
    if (closed) return;
    closed = lost = true;
    onclose?.();
  };
  fromBrowser.on('close', onClose);
  fromBrowser.on('error', onClose);
  toBrowser.on('error', onClose);
  return transport;
}
