/**
 * The preview server serves the edition's site/ folder and nothing above it. Requests are sent over raw
 * sockets, byte for byte as written here (no client normalises `..` or decodes anything first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPreviewServer, type PreviewServer } from '../pipeline/preview/server.ts';
import { resolveRequestPath } from '../pipeline/preview/resolve-path.ts';
import { CLIENT_PATH } from '../pipeline/preview/client.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-SITE';

/** out/<book>/<edition>/ with a site/ folder, and secrets next to and above it. */
function makeEdition() {
  const root = mkdtempSync(join(tmpdir(), 'annals-preview-server-'));
  const edition = join(root, 'out', 'book', 'en');
  const site = join(edition, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  mkdirSync(join(site, 'images'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><html><head><title>Home</title></head><body><p>HOME PAGE</p></body></html>');
  writeFileSync(join(site, 'chapter.html'), '<!doctype html><html><body><p>CHAPTER PAGE</p></body></html>');
  writeFileSync(join(site, 'assets', 'site.css'), 'body { color: black; }');
  writeFileSync(join(site, '.hidden'), SECRET);
  writeFileSync(join(edition, 'print.html'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'out', 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(site, 'images', 'link.txt'));
  symlinkSync(root, join(site, 'up'));
  return { root, edition, site };
}

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Send `request` exactly as given and read the whole response (the server closes after it). */
function raw(server: PreviewServer, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, headers: head, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

const get = (server: PreviewServer, target: string) => raw(server, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

const climbing = [
  '/../secret.txt',
  '/../../secret.txt',
  '/../../../secret.txt',
  '/../print.html',
  '/assets/../../print.html',
  '/assets/../../../secret.txt',
  '/%2e%2e/print.html',
  '/%2E%2E/print.html',
  '/%2e%2e/%2e%2e/%2e%2e/secret.txt',
  '/.%2e/print.html',
  '/%2e./print.html',
  '/%252e%252e/print.html',
  '/%252e%252e/%252e%252e/%252e%252e/secret.txt',
  '/%25252e%25252e/print.html',
  '/..%2fprint.html',
  '/..%2Fprint.html',
  '/%2e%2e%2fprint.html',
  '/..%5cprint.html',
  '/..%5Cprint.html',
  '/%2e%2e%5cprint.html',
  '/..\\print.html',
  '/assets\\..\\..\\print.html',
  '//../print.html',
  '/./../print.html',
  '/assets/./../../print.html',
  '/%00../print.html',
  '/index.html%00/../../print.html',
  '/.hidden',
  '/%2ehidden',
  '/images/link.txt',
  '/up/secret.txt',
  '/up/out/book/en/print.html',
  'http://127.0.0.1/../print.html',
  '../print.html',
  '*',
];

test('path resolution refuses every climbing spelling without touching the disk', () => {
  const root = '/srv/site';
  for (const target of climbing.filter((t) => !t.startsWith('/up') && !t.startsWith('/images'))) {
    assert.equal(resolveRequestPath(root, target), undefined, target);
  }
  assert.equal(resolveRequestPath(root, '/'), '/srv/site');
  assert.equal(resolveRequestPath(root, '/assets/site.css?v=1#x'), '/srv/site/assets/site.css');
  assert.equal(resolveRequestPath(root, '/a%20b.html'), '/srv/site/a b.html');
  assert.equal(resolveRequestPath(root, '/%E4%B8%AD.html'), '/srv/site/中.html');
});

test('the preview server answers 404 to requests that climb out of site/, and serves the site', async (t) => {
  const { root, site } = makeEdition();
  const server = await startPreviewServer({ root: site, port: 0, status: () => ({ generation: 1, ok: true, building: false, diagnostics: [] }) });
  t.after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });
  assert.equal(server.host, '127.0.0.1', 'binds to the loopback address by default');
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

  for (const target of climbing) {
    const res = await get(server, target);
    // `*` and absolute-form are not origin-form paths; Node itself may answer 400 to some of them.
    assert.ok(res.status === 404 || res.status === 400, `${target} → ${res.status}`);
    assert.ok(!res.body.includes(SECRET), `${target} leaked the secret`);
  }

  // No directory listings: a folder without index.html is 404, with or without the slash.
  for (const target of ['/assets', '/assets/', '/images/']) {
    const res = await get(server, target);
    assert.equal(res.status, 404, target);
    assert.ok(!res.body.includes('site.css'), `${target} listed the folder`);
  }

  const home = await get(server, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /HOME PAGE/);
  assert.ok(home.body.includes(`<script src="${CLIENT_PATH}" defer></script></body>`), 'the reload client is added to served pages');
  assert.ok(!readFileSync(join(site, 'index.html'), 'utf8').includes(CLIENT_PATH), 'the built file itself is untouched');

  const css = await get(server, '/assets/site.css');
  assert.equal(css.status, 200);
  assert.match(css.headers, /Content-Type: text\/css/i);
  assert.match(css.headers, /Cache-Control: no-cache/i);
  assert.equal(css.body, 'body { color: black; }', 'non-HTML files are served as they are');
  // Revalidation: an unchanged file is 304; a rewritten one is sent again.
  const etag = /ETag: (.+)/i.exec(css.headers)![1]!.trim();
  const again = (tag: string) => raw(server, `GET /assets/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: ${tag}\r\nConnection: close\r\n\r\n`);
  assert.equal((await again(etag)).status, 304);
  writeFileSync(join(site, 'assets', 'site.css.new'), 'body { color: red; }');
  renameSync(join(site, 'assets', 'site.css.new'), join(site, 'assets', 'site.css'));
  const changed = await again(etag);
  assert.equal(changed.status, 200);
  assert.equal(changed.body, 'body { color: red; }');

  const chapter = await get(server, '/chapter.html?x=1');
  assert.equal(chapter.status, 200);
  assert.match(chapter.body, /CHAPTER PAGE/);

  const post = await raw(server, 'POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.equal(post.status, 405);

  const client = await get(server, CLIENT_PATH);
  assert.equal(client.status, 200);
  assert.match(client.body, /EventSource/);
  assert.doesNotThrow(() => new Function(client.body), 'the client is valid JavaScript');
});

test('a taken port moves the server to the next one', async (t) => {
  const { root, site } = makeEdition();
  const status = () => ({ generation: 0, ok: true, building: false, diagnostics: [] });
  const first = await startPreviewServer({ root: site, port: 0, status });
  const second = await startPreviewServer({ root: site, port: first.port, status });
  t.after(async () => {
    await second.close();
    await first.close();
    rmSync(root, { recursive: true, force: true });
  });
  assert.notEqual(second.port, first.port);
  assert.ok(second.port > first.port && second.port <= first.port + 20, `${first.port} → ${second.port}`);
  assert.equal((await get(second, '/')).status, 200);
});
