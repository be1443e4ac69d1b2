/**
 * The browser's lifetime. One Chromium per build, launched the first time a PDF is printed, with a fresh
 * profile folder; one tab reused for every edition. It is always closed: by `close()` (call it in a
 * `finally`), on SIGINT/SIGTERM/SIGHUP, and when the build's AbortSignal fires. Closing kills Chromium's
 * whole process group, so no renderer survives the build.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { findBrowser, isHeadlessShell, type FoundBrowser } from './find-browser.ts';
import { launchChromium } from './launch-chromium.ts';

/** Flags for a quiet, reproducible headless browser (the print browser adds OFFLINE_ARGS). */
export const QUIET_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--no-default-browser-check',
  '--metrics-recording-only',
  // Glyphs placed at their exact advances, as the full browser in headless mode places them: the headless
  // shell hints them by default, and the PDF's text then extracts with spaces inside words ("infras tructure").
  '--font-render-hinting=none',
  // The full browser (not the headless shell) preloads the address bar's popups, two WebUI pages in a
  // renderer of their own: 1.5 s of CPU at every start, for a window nobody sees.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

/** Flags that take every network away from a browser, loopback included. */
export const OFFLINE_ARGS: readonly string[] = [
  // No network at all, loopback included: every connection (http, WebSocket …) goes to a proxy that
  // cannot exist, and no host name resolves. file:// and data: need no network. The request guard
  // (request-guard.ts) reports what the page asked for; these flags make sure nothing gets out anyway.
  '--proxy-server=http://proxy.invalid:1',
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

/** Flags for a quiet, offline, reproducible print browser. */
export const CHROMIUM_ARGS: readonly string[] = [...QUIET_ARGS, ...OFFLINE_ARGS];

/** Maximum time for one protocol call (a page.pdf of a long book is one call). */
const PROTOCOL_TIMEOUT_MS = 10 * 60_000;

export interface BrowserSessionOptions {
  /** Aborting closes the browser at once. */
  signal?: AbortSignal;
  /** How the executable is found. Default: `findBrowser()`. */
  find?: () => FoundBrowser;
  /** Give up on a browser that has not answered after this many milliseconds. Default: LAUNCH_TIMEOUT_MS (20 s). */
  launchTimeoutMs?: number;
}

export interface BrowserSession {
  /** The shared tab, launching Chromium on first use. Throws BrowserNotFoundError when there is none. */
  page(): Promise<Page>;
  /** The executable and version once launched (for the PDF's Producer and for bench output). */
  info(): { path: string; source: string; version: string } | undefined;
  /** Process id of the browser, once launched (bench reads its memory). */
  pid(): number | undefined;
  /** Close the browser (idempotent). Kills it if it does not close within a few seconds. */
  close(): Promise<void>;
}

export function createBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  const find = options.find ?? (() => findBrowser());
  let launching: Promise<{ browser: Browser; page: Page }> | undefined;
  let found: FoundBrowser | undefined;
  let version = '';
  const proc = processGuard(options.signal);

  const launch = async () => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('build aborted');
    found = find();
    proc.profile = mkdtempSync(join(tmpdir(), 'annals-chromium-'));
    proc.listen();
    try {
      const { browser } = await launchChromium({
        executable: found.path,
        shell: isHeadlessShell(found.path),
        args: CHROMIUM_ARGS,
        profile: proc.profile,
        protocolTimeout: PROTOCOL_TIMEOUT_MS,
        onSpawn: (spawned) => {
          proc.child = spawned;
          // Aborted or signalled while the process was being created: it goes at once.
          if (proc.closed) proc.killNow();
        },
        ...(options.launchTimeoutMs !== undefined ? { timeoutMs: options.launchTimeoutMs } : {}),
      });
      if (proc.closed) throw new Error('the print browser was closed while it started');
      version = await browser.version();
      const [first] = await browser.pages();
      const page = first ?? (await browser.newPage());
      page.setDefaultTimeout(PROTOCOL_TIMEOUT_MS);
      return { browser, page };
    } catch (error) {
      proc.killNow();
      proc.removeHandlers();
      throw error;
    }
  };

  return {
    async page() {
      if (proc.closed) throw new Error('the print browser was already closed');
      launching ??= launch();
      return (await launching).page;
    },
    info: () => (found && version ? { path: found.path, source: found.source, version } : undefined),
    pid: () => proc.child?.pid,
    async close() {
      proc.closed = true;
      if (launching) {
        const b = await launching.then((l) => l.browser).catch(() => undefined);
        if (b) {
          const timer = setTimeout(proc.killNow, 5000);
          try {
            await b.close();
          } catch {
            /* killed below */
          } finally {
            clearTimeout(timer);
          }
        }
        proc.killNow(); // makes sure no process of the group is left, and removes the profile
        // A killed process is gone only once it has been reaped: close() resolves after that, so a caller
        // (or a test) that looks for the process right after finds none.
        if (proc.child) await exited(proc.child, 5000);
      }
      proc.removeHandlers();
    },
  };
}

/** Chromium's process and profile folder, and the signals and the abort that kill it at once. */
interface ProcessGuard {
  /** Closed (or aborted): a browser that is still starting is killed as soon as it is spawned. */
  closed: boolean;
  /** Chromium's process, known from the moment it is spawned (so a signal during the launch kills it). */
  child?: ChildProcess;
  /** Its temporary profile folder, removed with it. */
  profile?: string;
  /** Synchronous last resort: used from signal handlers, where nothing asynchronous may run. */
  killNow(): void;
  /** Kill the browser on SIGINT, SIGTERM, SIGHUP and on the session's abort signal, from now on. */
  listen(): void;
  removeHandlers(): void;
}

function processGuard(abort: AbortSignal | undefined): ProcessGuard {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = new Map<NodeJS.Signals, () => void>();
  const guard: ProcessGuard = {
    closed: false,
    killNow() {
      const proc = guard.child;
      if (proc?.pid && proc.exitCode === null && proc.signalCode === null) killGroup(proc);
      removeProfile();
    },
    listen() {
      for (const signal of signals) {
        const handler = () => onSignal(signal);
        handlers.set(signal, handler);
        process.on(signal, handler);
      }
      abort?.addEventListener('abort', onAbort, { once: true });
    },
    removeHandlers() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      handlers.clear();
      abort?.removeEventListener('abort', onAbort);
    },
  };
  const removeProfile = () => {
    if (!guard.profile) return;
    try {
      rmSync(guard.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      /* a renderer may still hold a file for a moment; the folder is in the temp dir */
    }
    guard.profile = undefined;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    guard.killNow();
    guard.removeHandlers();
    // Let the default action (or the next handler) run now that Chromium is gone.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const onAbort = () => {
    guard.closed = true;
    guard.killNow();
    guard.removeHandlers();
  };
  return guard;
}

/** Resolves when the process has exited (at once if it already has), or after `ms` milliseconds. */
function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      child.off('exit', done);
      resolve();
    }
    child.once('exit', done);
  });
}

/** Kill the process's whole group (Chromium is spawned detached: launch-chromium.ts), else the process. */
function killGroup(proc: ChildProcess): void {
  try {
    process.kill(-proc.pid!, 'SIGKILL');
  } catch {
    try {
      proc.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
