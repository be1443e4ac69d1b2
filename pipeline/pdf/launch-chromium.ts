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

export async function launchChromium(options: LaunchOptions): Promise<{ browser: Browser; child: ChildProcess }> {
  const { executable } = options;
  const { default: puppeteer } = await import('puppeteer'); // loaded only when a book is printed
  const timeoutMs = options.timeoutMs ?? LAUNCH_TIMEOUT_MS;
  const args = [...puppeteer.defaultArgs({ headless: true, userDataDir: options.profile, args: [...options.args] }), '--remote-debugging-pipe'];
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
  const failure = new Promise<never>((_, reject) => {
    void exited.then(reject);
    timer = setTimeout(() => reject(new BrowserLaunchError(`the browser ${executable} did not answer within ${Math.round(timeoutMs / 1000)} s${lastLines()}`)), timeoutMs);
  });
  failure.catch(() => undefined);
  try {
    const transport = pipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const browser = await Promise.race([puppeteer.connect({ transport, defaultViewport: null, protocolTimeout: options.protocolTimeout }), failure]);
    return { browser, child };
  } catch (error) {
    if (error instanceof BrowserLaunchError) throw error;
    // The pipe closed (puppeteer's "Target closed"): usually because the process ended; say how.
    const ended = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 2000))]);
    throw ended ?? new BrowserLaunchError(`the browser ${executable} closed the connection before it answered: ${error instanceof Error ? error.message : String(error)}${lastLines()}`);
  } finally {
    clearTimeout(timer);
  }
}

/** DevTools messages over Chromium's pipe: JSON texts, each ended by a NUL byte. */
function pipeTransport(toBrowser: Writable, fromBrowser: Readable): ConnectionTransport {
  let pending = '';
  let closed = false;
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
    closed = true;
    transport.onclose?.();
  };
  fromBrowser.on('close', onClose);
  fromBrowser.on('error', onClose);
  toBrowser.on('error', onClose);
  return transport;
}
