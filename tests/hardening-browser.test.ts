/**
 * Issue 12: the print browser's lifetime. A browser that exits at once is named with its exit status; one
 * that never answers is given up within seconds; a signal during the launch or in the middle of a print
 * never leaves a Chromium process behind. The signal cases run the real `annals` command in a child
 * process and look at the process table afterwards.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBrowserSession } from '../pipeline/pdf/browser.ts';
import { BrowserLaunchError } from '../pipeline/pdf/launch-chromium.ts';
import { alive, browserPath, repoRoot, tempProject, writeBook } from './helpers.ts';


/** Live processes of a process group (from `ps`). */
function groupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && Number(f[1]) === pgid && !f[2]!.startsWith('Z'))
    .map((f) => Number(f[0]));
}

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An executable that writes its pid to `pidFile`, then does `body`. */
function fakeBrowser(dir: string, body: string): string {
  const path = join(dir, 'fake-browser.sh');
  writeFileSync(path, `#!/bin/sh\necho $$ > "${join(dir, 'browser.pid')}"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the browser does not start', () => {
  test('ANNALS_BROWSER=/bin/false: the error names the executable and its exit status', async () => {
    const session = createBrowserSession({ find: () => ({ path: '/bin/false', source: 'ANNALS_BROWSER' }) });
    try {
      await assert.rejects(session.page(), (error: unknown) => {
        assert.ok(error instanceof BrowserLaunchError);
        assert.equal(error.message, 'the browser /bin/false exited with status 1 before it answered');
        return true;
      });
    } finally {
      await session.close();
    }
  });

  test('its last lines on stderr are quoted', async () => {
    const project = tempProject();
    const path = fakeBrowser(project.root, "echo 'Missing X server or $DISPLAY' >&2\nexit 3");
    const session = createBrowserSession({ find: () => ({ path, source: 'ANNALS_BROWSER' }) });
    try {
      await assert.rejects(session.page(), /exited with status 3 before it answered; it printed: Missing X server or \$DISPLAY/);
    } finally {
      await session.close();
    }
  });

  test('a browser that never answers is given up after the launch timeout and killed', async () => {
    const project = tempProject();
    const path = fakeBrowser(project.root, 'exec sleep 60');
    const session = createBrowserSession({ find: () => ({ path, source: 'ANNALS_BROWSER' }), launchTimeoutMs: 1500 });
    const started = Date.now();
    try {
      await assert.rejects(session.page(), (error: unknown) => {
        assert.ok(error instanceof BrowserLaunchError);
        assert.equal(error.message, `the browser ${path} did not answer within 2 s`);
        return true;
      });
      // Well below the 10-minute protocol timeout it used to wait for (not a timing assertion: any
      // value short of that shows the launch timeout, not the protocol one, ended it).
      assert.ok(Date.now() - started < 60_000);
      const pid = Number(readFileSync(join(project.root, 'browser.pid'), 'utf8'));
      await until('the hung browser to be killed', () => !alive(pid) || undefined, 5000);
    } finally {
      await session.close();
    }
  });
});

const annals = join(repoRoot, 'bin/annals.js');

/** A one-chapter book in a project folder the `annals` command can build (it has its own templates/). */
function cliProject(text: string) {
  const project = tempProject();
  cpSync(join(repoRoot, 'templates'), join(project.root, 'templates'), { recursive: true });
  writeBook(project, { chapters: { '01-a.md': `---\ntitle: 一\n---\n\n${text}\n` } });
  return project;
}

// The two builds run side by side: each waits mostly for its own `annals` process to start.
describe('signals never leave a browser running', { concurrency: true }, () => {
  test('SIGTERM while the browser is being launched kills it', async () => {
    const project = cliProject('正文。');
    const path = fakeBrowser(project.root, 'exec sleep 60');
    const child = spawn(process.execPath, [annals, 'build', '--root', project.root, '--format', 'all', '--no-cache'], { env: { ...process.env, ANNALS_BROWSER: path }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const pidFile = join(project.root, 'browser.pid');
    const pid = await until('the browser to be launched', () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined));
    assert.ok(alive(pid));
    child.kill('SIGTERM');
    assert.equal(await exited, 'SIGTERM');
    await until('the browser to be gone', () => !alive(pid) || undefined, 5000);
  });

  test('SIGINT in the middle of a print leaves no Chromium process', { skip: browserPath() ? false : 'needs Chromium' }, async () => {
    const project = cliProject(Array.from({ length: 400 }, (_, i) => `第 ${i + 1} 段，正文。`).join('\n\n'));
    const child = spawn(process.execPath, [annals, 'build', '--root', project.root, '--format', 'all', '--no-cache'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    // The print has begun when the PDF stage has written its copy of print.html into the staging folder.
    const staging = join(project.out, '.staging');
    await until('the print to begin', () => existsSync(staging) && readdirSync(staging).some((d) => existsSync(join(staging, d, '.print-pdf.html'))) || undefined);
    // Chromium is the child of the build spawned with the DevTools pipe, leader of its own group.
    const table = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' });
    const browser = table
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => Number(f[1]) === child.pid && f.includes('--remote-debugging-pipe'));
    assert.ok(browser, 'the build runs a Chromium');
    const pgid = Number(browser[2]);
    assert.ok(groupMembers(pgid).length > 0);
    child.kill('SIGINT');
    assert.equal(await exited, 'SIGINT');
    await until('every Chromium process to be gone', () => groupMembers(pgid).length === 0 || undefined, 5000);
  });
});
