/**
 * Issue 12: the preview refuses DNS rebinding. Requests are sent over raw sockets with the `Host` and
 * `Origin` headers a rebinding page would make the reviewer's browser send; the pages and the event
 * stream (paths, code frames) must only reach loopback names and the `--host` address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPreviewServer, type PreviewServer } from '../pipeline/preview/server.ts';
import { createHostCheck, hostName } from '../pipeline/preview/host-check.ts';
import { EVENTS_PATH } from '../pipeline/preview/client.ts';

const UNPUBLISHED = 'UNPUBLISHED-CHAPTER-TEXT';

/** Send one request with the given headers; the status line and body (the events stream is cut after its first event). */
function request(server: PreviewServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const done = () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n') });
      socket.destroy();
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('event: status')) done(); // the stream stays open: its first event is enough
    });
    socket.on('error', reject);
    socket.on('end', done);
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET ${path} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`);
  });
}

async function serve(host?: string) {
  const root = mkdtempSync(join(tmpdir(), 'annals-preview-host-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), `<!doctype html><html><body><p>${UNPUBLISHED}</p></body></html>`);
  const server = await startPreviewServer({ root, port: 0, ...(host ? { host } : {}), status: () => ({ generation: 1, ok: false, building: false, diagnostics: [] }) });
  return { server, cleanup: async () => (await server.close(), rmSync(root, { recursive: true, force: true })) };
}

test('host names: loopback names and addresses pass, any other name is refused', () => {
  assert.equal(hostName('LocalHost:4400'), 'localhost');
  assert.equal(hostName('[::1]:4400'), '::1');
  assert.equal(hostName('evil.example:4400'), 'evil.example');
  assert.equal(hostName('a:b:c'), undefined);
  const check = createHostCheck('127.0.0.1');
  for (const ok of ['127.0.0.1:4400', 'localhost:4400', 'localhost', '[::1]:4400', 'book.localhost:4400', '127.0.0.2']) assert.equal(check.host(ok), true, ok);
  for (const bad of ['evil.example:4400', 'evil.example', '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.5:4400', '', undefined]) assert.equal(check.host(bad), false, String(bad));
  assert.equal(check.origin(undefined), true);
  assert.equal(check.origin('http://127.0.0.1:4400'), true);
  for (const bad of ['http://evil.example:4400', 'null', 'file://', 'chrome-extension://abc']) assert.equal(check.origin(bad), false, bad);
  // --host 192.168.1.5: that address too; --host alone (0.0.0.0): any IP literal, still no names.
  assert.equal(createHostCheck('192.168.1.5').host('192.168.1.5:4400'), true);
  assert.equal(createHostCheck('0.0.0.0').host('10.0.0.7:4400'), true);
  assert.equal(createHostCheck('0.0.0.0').host('evil.example:4400'), false);
  assert.equal(createHostCheck('::').host('[fe80::1]:4400'), true);
});

test('the preview answers a rebinding host name with 421 and no content', async (t) => {
  const { server, cleanup } = await serve();
  t.after(cleanup);
  const ok = await request(server, '/', { Host: `127.0.0.1:${server.port}` });
  assert.equal(ok.status, 200);
  assert.match(ok.body, new RegExp(UNPUBLISHED));
  const local = await request(server, '/', { Host: `localhost:${server.port}` });
  assert.equal(local.status, 200);
  for (const host of [`evil.example:${server.port}`, 'evil.example']) {
    const res = await request(server, '/', { Host: host });
    assert.equal(res.status, 421, host);
    assert.doesNotMatch(res.body, new RegExp(UNPUBLISHED));
  }
  const events = await request(server, EVENTS_PATH, { Host: `evil.example:${server.port}` });
  assert.equal(events.status, 421);
  assert.doesNotMatch(events.body, /event:/);
  // No Host header at all (HTTP/1.1 requires one): refused too. Node answers 400 itself.
  const none = await request(server, '/', {});
  assert.ok(none.status === 400 || none.status === 421, String(none.status));
});

test('the event stream refuses a foreign Origin and serves its own', async (t) => {
  const { server, cleanup } = await serve();
  t.after(cleanup);
  const own = await request(server, EVENTS_PATH, { Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(own.status, 200);
  assert.match(own.body, /event: status/);
  const same = await request(server, EVENTS_PATH, { Host: `127.0.0.1:${server.port}` });
  assert.equal(same.status, 200);
  for (const origin of ['http://evil.example', 'null']) {
    const res = await request(server, EVENTS_PATH, { Host: `127.0.0.1:${server.port}`, Origin: origin });
    assert.equal(res.status, 403, origin);
    assert.doesNotMatch(res.body, /event:/);
  }
});

test('with --host, the given address is accepted as a Host', async (t) => {
  const { server, cleanup } = await serve('127.0.0.1');
  t.after(cleanup);
  const res = await request(server, '/', { Host: `127.0.0.1:${server.port}` });
  assert.equal(res.status, 200);
});
