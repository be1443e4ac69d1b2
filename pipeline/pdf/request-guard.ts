/**
 * No network while printing. Every request the page makes is checked: files inside this edition's build
 * folder (and inline data: / blob: URLs) load; everything else — http(s), other file:// paths, anything a
 * stylesheet or script asks for — is blocked and reported. Page errors, console errors and failed requests
 * are reported too, so a book renders the same offline as online and nothing fails silently.
 */
import { fileURLToPath } from 'node:url';
import { relative, resolve, sep } from 'node:path';
import type { ConsoleMessage, HTTPRequest, Page } from 'puppeteer';

export type GuardEvent =
  /** `line`: the 0-based line of the loaded document that asked for it, when the browser says. */
  | { kind: 'blocked'; url: string; resourceType: string; line?: number }
  | { kind: 'failed'; url: string; reason: string }
  | { kind: 'page-error'; message: string }
  | { kind: 'console-error'; message: string };

export interface GuardScope {
  /** Absolute folder whose files may be loaded (the edition's staging folder). */
  root: string;
  onEvent(event: GuardEvent): void;
}

export interface RequestGuard {
  /** Route events of the next edition; requests outside `root` are blocked from now on. */
  begin(scope: GuardScope): void;
  /** Stop routing events (requests are still blocked until the next `begin`). */
  end(): void;
}

const guards = new WeakMap<Page, RequestGuard>();

/** Install the guard on a tab once; later calls return the same guard. */
export async function guardPage(page: Page): Promise<RequestGuard> {
  const existing = guards.get(page);
  if (existing) return existing;
  let scope: GuardScope | undefined;
  const seen = new Set<string>();
  const emit = (event: GuardEvent, key: string) => {
    if (!scope || seen.has(key)) return;
    seen.add(key);
    scope.onEvent(event);
  };

  // WebSockets do not pass through request interception (nor, in Chromium 156, through
  // Network.setBlockedURLs): they cannot connect because the browser has no network at all (a proxy
  // that does not exist, browser.ts), and the DevTools event for a new WebSocket reports them here.
  // print.html's Content-Security-Policy (connect-src 'none', script-src 'none') stops them earlier
  // still; these layers hold when a page has no such policy.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketCreated', (event: { url: string; initiator?: Initiator }) => emit({ kind: 'blocked', url: event.url, resourceType: 'websocket', ...lineOf(event.initiator) }, `blocked ${event.url}`));
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (scope && isAllowed(url, scope.root)) {
      void request.continue();
      return;
    }
    emit({ kind: 'blocked', url, resourceType: request.resourceType(), ...lineOf(request.initiator() as Initiator | undefined) }, `blocked ${url}`);
    void request.abort('blockedbyclient');
  });
  page.on('requestfailed', (request: HTTPRequest) => {
    const reason = request.failure()?.errorText ?? 'unknown error';
    if (reason.includes('ERR_BLOCKED_BY_CLIENT')) return; // already reported as blocked
    emit({ kind: 'failed', url: request.url(), reason }, `failed ${request.url()}`);
  });
  page.on('pageerror', (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    emit({ kind: 'page-error', message }, `pageerror ${message}`);
  });
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A blocked request also logs a console error; it is already reported as blocked.
    if (text.includes('ERR_BLOCKED_BY_CLIENT') || text.includes('ERR_BLOCKED_BY_ADMINISTRATOR')) return;
    // What print.html's Content-Security-Policy refused (a script, a connection …) is a blocked request.
    // Chromium words these messages differently from version to version; all name the policy.
    if (text.includes('Content Security Policy')) {
      const url = /['"]((?:wss?|https?|ftp|file):\/\/[^'"\s]*)['"]/i.exec(text)?.[1];
      const at = message.location().lineNumber;
      const what = url ?? `inline content (${text.split(/\.\s/, 1)[0]!.slice(0, 160)})`;
      emit({ kind: 'blocked', url: what, resourceType: 'csp', ...(at !== undefined ? { line: at } : {}) }, `csp ${text} ${at}`);
      return;
    }
    emit({ kind: 'console-error', message: text }, `console ${text}`);
  });

  const guard: RequestGuard = {
    begin(next) {
      scope = next;
      seen.clear();
    },
    end() {
      scope = undefined;
    },
  };
  guards.set(page, guard);
  return guard;
}

/** Who asked for a request, as DevTools describes it: the parser at a line, or a script's stack. */
interface Initiator {
  type?: string;
  lineNumber?: number;
  stack?: { callFrames: Array<{ lineNumber: number }> };
}

const lineOf = (initiator: Initiator | undefined): { line?: number } => {
  const line = initiator?.lineNumber ?? initiator?.stack?.callFrames[0]?.lineNumber;
  return line !== undefined ? { line } : {};
};

/** True for data:/blob:/about:blank URLs and for file:// URLs inside `root`. */
export function isAllowed(url: string, root: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  if (!url.startsWith('file:')) return false;
  let path: string;
  try {
    path = fileURLToPath(url.split('#')[0]!.split('?')[0]!);
  } catch {
    return false;
  }
  const rel = relative(resolve(root), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}
