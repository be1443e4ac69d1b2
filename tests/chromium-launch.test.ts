/**
 * How the print browser is started (pipeline/pdf/launch-chromium.ts): with puppeteer's own flags for a
 * headless Chromium, written out so that the process is spawned before puppeteer is loaded; spawned at
 * the moment the session is asked for its page (a build asks while it makes the HTML); and not given up
 * while this process was too busy to read the browser's answer.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import puppeteer from 'puppeteer';
import { CHROMIUM_ARGS, createBrowserSession } from '../pipeline/pdf/browser.ts';
import { isHeadlessShell, SYSTEM_BROWSERS } from '../pipeline/pdf/find-browser.ts';
import { headlessArgs, pipeTransport } from '../pipeline/pdf/launch-chromium.ts';
import { browserPath, tempProject } from './helpers.ts';

test("the flags Chromium is spawned with are the installed puppeteer's defaults for a headless browser", () => {
  // A puppeteer upgrade that changes its defaults fails here: copy its new list into headlessArgs.
  for (const shell of [false, true]) {
    for (const extra of [['--no-sandbox', '--disable-gpu'], [...CHROMIUM_ARGS], ['--enable-features=A,B', '--disable-features=C', '--x']]) {
      // defaultArgs takes the features out of the array it is given: each call gets its own copy.
      assert.deepEqual(headlessArgs('/tmp/annals-profile', [...extra], shell), puppeteer.defaultArgs({ headless: shell ? 'shell' : true, userDataDir: '/tmp/annals-profile', args: [...extra] }));
    }
  }
});

test('the headless shell is preferred, and known by its name', () => {
  assert.equal(SYSTEM_BROWSERS[0], '/usr/lib/chromium/chromium-headless-shell');
  assert.ok(SYSTEM_BROWSERS.indexOf('/usr/bin/chromium-headless-shell') < SYSTEM_BROWSERS.indexOf('/usr/bin/chromium'));
  for (const path of ['/usr/lib/chromium/chromium-headless-shell', '/root/.cache/puppeteer/chrome-headless-shell/linux-1/chrome-headless-shell-linux64/chrome-headless-shell', 'C:\\x\\chrome-headless-shell.exe']) assert.equal(isHeadlessShell(path), true, path);
  for (const path of ['/usr/bin/chromium', '/opt/google/chrome/chrome', '/usr/bin/headless-shell-wrapper/chromium']) assert.equal(isHeadlessShell(path), false, path);
});

test('asking for the page spawns the browser at once, before puppeteer is loaded or anything is awaited', async () => {
  const project = tempProject();
  const marker = join(project.root, 'spawned');
  const path = join(project.root, 'fake-browser.sh');
  writeFileSync(path, `#!/bin/sh\ntouch "${marker}"\nexit 3\n`);
  chmodSync(path, 0o755);
  const session = createBrowserSession({ find: () => ({ path, source: 'ANNALS_BROWSER' }) });
  try {
    const page = session.page();
    page.catch(() => undefined);
    // The process exists before this function gives the event loop a turn: its pid is known.
    assert.equal(typeof session.pid(), 'number');
    await assert.rejects(page, /exited with status 3/);
    assert.ok(existsSync(marker));
  } finally {
    await session.close();
  }
});

test('a build busy for longer than the launch timeout right after the spawn still gets its browser', { skip: browserPath() ? false : 'no Chromium' }, async () => {
  const session = createBrowserSession({ launchTimeoutMs: 1500 });
  try {
    const page = session.page();
    // Three seconds without a turn of the event loop, as a long HTML stage can take: twice the limit.
    const until = Date.now() + 3000;
    while (Date.now() < until);
    const tab = await page;
    assert.equal(await tab.evaluate(() => 6 * 7), 42);
  } finally {
    await session.close();
  }
});

test('a pipe that closed before puppeteer listened is reported to it as soon as it does', async () => {
  // puppeteer is loaded after the spawn: a browser that dies at once closes the pipe first. Unreported,
  // puppeteer would wait the 10-minute protocol timeout for the answer to its first call.
  const fromBrowser = new PassThrough();
  const transport = pipeTransport(new PassThrough(), fromBrowser);
  fromBrowser.destroy();
  await new Promise((resolve) => setImmediate(resolve));
  const told = await new Promise<boolean>((resolve) => {
    transport.onclose = () => resolve(true);
    setTimeout(() => resolve(false), 1000);
  });
  assert.equal(told, true);
});
