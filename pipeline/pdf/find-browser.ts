/**
 * Which Chromium prints the PDF. In order: `ANNALS_BROWSER`, `PUPPETEER_EXECUTABLE_PATH`, a system
 * Chromium or Chrome, then the browser puppeteer downloaded into its cache. When none exists the error
 * names every place that was tried and the commands that fix it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface FoundBrowser {
  path: string;
  /** Where the path came from, for messages: `ANNALS_BROWSER`, `system`, `puppeteer` … */
  source: string;
}

/** Whether an executable is Chromium's headless shell (chromium-headless-shell, chrome-headless-shell), by its name. */
export function isHeadlessShell(path: string): boolean {
  return /headless[-_]shell(\.exe)?$/i.test(path);
}

export class BrowserNotFoundError extends Error {
  readonly tried: readonly string[];
  readonly hint: string;
  constructor(tried: readonly string[]) {
    super(`no Chromium or Chrome found to print the PDF (tried: ${tried.join(', ')})`);
    this.name = 'BrowserNotFoundError';
    this.tried = tried;
    this.hint =
      'Install one: `sudo apt-get install chromium-headless-shell` or `sudo apt-get install chromium` (Debian/Ubuntu), or `npx puppeteer browsers install chrome`; ' +
      'or point ANNALS_BROWSER at an existing Chromium/Chrome executable. `annals build --format html` skips the PDF.';
  }
}

/**
 * System locations, most specific first. Chromium's headless shell (Debian's chromium-headless-shell, the
 * browser puppeteer's `headless: 'shell'` runs) comes before the full browser: it prints the same pages
 * from the same engine, without the browser's user interface, and starts in a third of the CPU time
 * (docs/pdf.md, Speed).
 */
export const SYSTEM_BROWSERS: readonly string[] = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export interface FindBrowserOptions {
  /** Environment to read `ANNALS_BROWSER` / `PUPPETEER_EXECUTABLE_PATH` from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** System paths to try. Default: SYSTEM_BROWSERS. */
  systemPaths?: readonly string[];
  /** Also try puppeteer's downloaded browser. Default: true. */
  usePuppeteerCache?: boolean;
}

export function findBrowser(options: FindBrowserOptions = {}): FoundBrowser {
  const { env = process.env, systemPaths = SYSTEM_BROWSERS, usePuppeteerCache = true } = options;
  const tried: string[] = [];
  // A variable that is set but wrong is an error of its own: falling back silently would print with a
  // browser the user did not ask for.
  for (const name of ['ANNALS_BROWSER', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const value = env[name];
    if (!value) continue;
    if (isExecutable(value)) return { path: value, source: name };
    tried.push(`${name}=${value} (not an executable file)`);
    throw new BrowserNotFoundError(tried);
  }
  for (const path of systemPaths) {
    if (isExecutable(path)) return { path, source: 'system' };
  }
  tried.push('ANNALS_BROWSER', 'PUPPETEER_EXECUTABLE_PATH', `system paths (${systemPaths.length})`);
  if (usePuppeteerCache) {
    const path = puppeteerBrowser();
    if (path && isExecutable(path)) return { path, source: 'puppeteer' };
    tried.push(path ? `puppeteer cache (${path})` : 'puppeteer cache');
  }
  throw new BrowserNotFoundError(tried);
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path where puppeteer keeps the browser it downloads (it may not be there). */
function puppeteerBrowser(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const puppeteer = require('puppeteer') as { executablePath(): string };
    return puppeteer.executablePath();
  } catch {
    return undefined;
  }
}
