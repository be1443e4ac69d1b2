/**
 * Helpers of the site tests: the fixture books of tests/fixtures/site-books copied into a temporary
 * project, and a plain static file server (search needs http: browsers do not load Pagefind from file://).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import type { Project } from '../pipeline/config/load-book.ts';
import { QUIET_ARGS } from '../pipeline/pdf/browser.ts';
import { findBrowser } from '../pipeline/pdf/find-browser.ts';
import { repoRoot } from './helpers.ts';

export const SITE_FIXTURE = join(repoRoot, 'tests', 'fixtures', 'site-books');

/** A project in a temp folder holding the site fixture books (templates and indicators of the repository). */
export function siteProject(): Project {
  const root = mkdtempSync(join(tmpdir(), 'annals-site-'));
  cpSync(join(SITE_FIXTURE, 'manuscripts'), join(root, 'manuscripts'), { recursive: true });
  return { root, manuscripts: join(root, 'manuscripts'), templates: join(repoRoot, 'templates'), indicators: join(repoRoot, 'indicators'), out: join(root, 'out') };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  close(): Promise<void>;
}

/** Serves the files under `dir` (GET only, no listing), as any static host would. */
export async function serveFolder(dir: string): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    try {
      const body = await readFile(join(dir, path));
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Headless Chromium as a reader's browser: the print browser's flags without its network block (the print
 * browser reaches no host, loopback included; the site tests load pages from a local server).
 */
export function launchReaderBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: findBrowser().path,
    headless: true,
    pipe: true,
    args: [...QUIET_ARGS],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
