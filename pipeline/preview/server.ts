/**
 * The preview's HTTP server (node:http, nothing else): serves the edition's site/ folder and nothing above
 * it, adds the live-reload client to the HTML it serves (the files on disk stay as built), and sends build
 * events to the open pages (Server-Sent Events). No directory listings: a folder is its index.html or 404.
 * Only GET and HEAD. Files of the site are sent with `Cache-Control: no-cache` and an ETag made from the
 * file's size, mtime and inode: the browser asks again on every reload and gets `304 Not Modified` for
 * what the last build did not rewrite (the output writer leaves unchanged files alone), so a reload
 * after an edit transfers the changed page, not the fonts. Everything else is `no-store`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { CLIENT_PATH, EVENTS_PATH, PREVIEW_PREFIX, clientScript, injectClient, type BuildStatus } from './client.ts';
import { isInside, resolveRequestPath } from './resolve-path.ts';
import { createHostCheck } from './host-check.ts';
import { MEDIA_TYPES } from '../html/media-types.ts';

const TYPES = MEDIA_TYPES;

/** Extra routes under /__annals/ (the print view). Return false when the route is not theirs. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

export interface PreviewServerOptions {
  /** The folder served: out/<book>/<edition>/site. It may not exist yet (first build failed). */
  root: string;
  /** Default: 127.0.0.1. */
  host?: string;
  /** First port tried; the next ones are tried while taken. 0: any free port. Default: 4400. */
  port?: number;
  /** How many ports after `port` to try. Default: 20. */
  attempts?: number;
  /** The status a page gets when it connects. */
  status: () => BuildStatus;
  routes?: ExtraRoute[];
}

export interface PreviewServer {
  url: string;
  host: string;
  port: number;
  /** Tell every open page: `reload`, or the new `status`. */
  broadcast(event: 'reload' | 'status', data: unknown): void;
  /** How many pages are listening. */
  clients(): number;
  close(): Promise<void>;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  const allow = createHostCheck(host);
  const events = eventStream(options.status);
  const server = createServer((req, res) => {
    handle(req, res, { options, allow, events }).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `preview error: ${String(error)}\n`);
      else res.destroy();
    });
  });
  const port = await listen(server, host, options.port ?? 4400, options.attempts ?? 20);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}/`,
    host,
    port,
    broadcast: events.broadcast,
    clients: events.clients,
    async close() {
      events.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

/** The open pages' event streams (Server-Sent Events), kept alive by a comment every 20 s. */
function eventStream(status: () => BuildStatus) {
  const listeners = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const res of listeners) res.write(': ping\n\n');
  }, 20_000);
  heartbeat.unref();
  return {
    /** A page connects: it gets the current status at once. */
    open(res: ServerResponse): void {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`retry: 500\n`);
      res.write(event('status', status()));
      listeners.add(res);
      res.on('close', () => listeners.delete(res));
    },
    broadcast(name: 'reload' | 'status', data: unknown): void {
      const text = event(name, data);
      for (const res of listeners) res.write(text);
    },
    clients: () => listeners.size,
    close(): void {
      clearInterval(heartbeat);
      for (const res of listeners) res.end();
      listeners.clear();
    },
  };
}

interface Handling {
  options: PreviewServerOptions;
  allow: ReturnType<typeof createHostCheck>;
  events: ReturnType<typeof eventStream>;
}

async function handle(req: IncomingMessage, res: ServerResponse, { options, allow, events }: Handling): Promise<void> {
  const raw = req.url ?? '/';
  // DNS rebinding (host-check.ts): a foreign host name, or a foreign page asking, gets nothing.
  if (!allow.host(req.headers.host)) return send(res, 421, 'text/plain; charset=utf-8', 'this preview answers only to localhost, 127.0.0.1, [::1] and the --host address\n');
  if (!allow.origin(req.headers.origin)) return send(res, 403, 'text/plain; charset=utf-8', 'requests from other sites are refused\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  const path = raw.split(/[?#]/, 1)[0]!;
  if (path.startsWith(PREVIEW_PREFIX)) {
    if (path === CLIENT_PATH) return send(res, 200, TYPES['.js']!, clientScript, req.method === 'HEAD');
    if (path === EVENTS_PATH) return events.open(res);
    for (const route of options.routes ?? []) if (await route(req, res, path)) return;
    return notFound(res, req.method === 'HEAD');
  }
  const file = resolveRequestPath(options.root, raw);
  if (!file) return notFound(res, req.method === 'HEAD');
  const found = await locate(options.root, file, path.endsWith('/'));
  if (found === undefined) return notFound(res, req.method === 'HEAD');
  if ('redirect' in found) {
    res.writeHead(301, { Location: `${path}/`, 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  return sendFile(req, res, found.file);
}

/** A file of the site, with its ETag; HTML with the client added. */
async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const info = await stat(file);
  const isHtml = type.startsWith('text/html');
  // HTML is sent with the client added: its tag names the client too, so a new client means a new tag.
  const etag = `W/"${info.size.toString(36)}-${Math.round(info.mtimeMs * 1000).toString(36)}-${info.ino.toString(36)}${isHtml ? `-${CLIENT_TAG}` : ''}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
    res.end();
    return;
  }
  const body = await readFile(file);
  const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
  if (isHtml) return send(res, 200, type, injectClient(body.toString('utf8')), req.method === 'HEAD', headers);
  return send(res, 200, type, body, req.method === 'HEAD', headers);
}

/** The file to send for a resolved path: itself, a folder's index.html, or a redirect to `folder/`. */
async function locate(root: string, file: string, trailingSlash: boolean): Promise<{ file: string } | { redirect: true } | undefined> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(file);
  } catch {
    return undefined;
  }
  // A symlink inside the site that points out of it is refused like `..`.
  if (!isInside(realRoot, real)) return undefined;
  const info = await stat(real);
  if (info.isFile()) return { file: real };
  if (!info.isDirectory()) return undefined;
  const index = join(real, 'index.html');
  const indexInfo = await stat(index).catch(() => undefined);
  if (!indexInfo?.isFile()) return undefined;
  return trailingSlash || real === realRoot ? { file: index } : { redirect: true };
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(headOnly ? undefined : bytes);
}

/** Changes when the client script changes (part of the ETag of served HTML). */
const CLIENT_TAG = createHash('sha256').update(clientScript).digest('hex').slice(0, 8);

/** 404 as a small HTML page that carries the client: it shows the overlay and reloads after a build. */
function notFound(res: ServerResponse, headOnly: boolean): void {
  const page = '<!doctype html><html><head><meta charset="utf-8"><title>Not found</title></head><body><h1>404 — not in this edition</h1><p>The preview serves only the files of the edition it builds.</p></body></html>';
  send(res, 404, TYPES['.html']!, injectClient(page), headOnly);
}

function listen(server: Server, host: string, first: number, attempts: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let port = first;
    let left = first === 0 ? 1 : attempts;
    const tryPort = () => {
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolvePort((server.address() as AddressInfo).port);
      });
    };
    const onError = (error: NodeJS.ErrnoException) => {
      left -= 1;
      if (error.code === 'EADDRINUSE' && left > 0) {
        port += 1;
        tryPort();
      } else reject(error);
    };
    tryPort();
  });
}
