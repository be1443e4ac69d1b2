/**
 * The preview end to end, in real headless Chromium: a page open on the preview shows an edited chapter
 * without anyone reloading it; an error shows an overlay over the last good build; fixing the file clears
 * it; template and book.yaml edits reload too. Then the CLI: `annals preview --print` serves a chapter as
 * the pages of the edition's PDF (made by the PDF passes, folios included) and stops on SIGINT with nothing left running (no Chromium, no watcher: the process ends by itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { startPreview } from '../pipeline/preview/session.ts';
import { CLIENT_PATH, OVERLAY_ID } from '../pipeline/preview/client.ts';
import { copyProject, launchChromium, PREVIEW_BOOK, PREVIEW_FIXTURE } from './preview-helpers.ts';
import { hasCommand, repoRoot } from './helpers.ts';

const chapter2 = `manuscripts/${PREVIEW_BOOK}/en/02-second.md`;
const hasPdftotext = hasCommand('pdftotext');
const WAIT = { timeout: 15_000, polling: 50 } as const;

const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);
const overlayText = (page: Page) =>
  page.evaluate((id) => document.getElementById(id)?.shadowRoot?.textContent ?? null, OVERLAY_ID);

test('an open page follows edits, shows build errors in an overlay and clears it when fixed', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  const logs: string[] = [];
  const session = await startPreview({ project, port: 0, log: (l) => logs.push(l) });
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await session.close();
    rmSync(project.root, { recursive: true, force: true });
  });
  assert.match(session.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(session.server.host, '127.0.0.1');

  const page = await browser.newPage();
  await page.goto(`${session.url}second.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.annalsPreview === 'connected', WAIT);
  assert.match(await bodyText(page), /ORIGINAL-SECOND/);
  // A mark on this window: a reload (by the preview, not by us) makes a new window without it.
  await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));

  // 1. Edit the chapter: the open page shows the new text by itself — in place (same window, the reader
  //    keeps the scroll position), since only pages changed.
  project.edit(chapter2, (s) => s.replace('ORIGINAL-SECOND', 'EDITED-SECOND'));
  await page.waitForFunction(() => document.body.innerText.includes('EDITED-SECOND'), WAIT);
  assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 1, 'updated in place, not navigated');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.annalsUpdates), '1');
  assert.equal(await overlayText(page), null, 'no overlay after a good build');
  assert.ok(!readFileSync(join(session.siteDir, 'second.html'), 'utf8').includes(CLIENT_PATH), 'built pages do not carry the client');

  // 2. An unknown directive: the overlay names it; the page keeps the last good build under it.
  project.edit(chapter2, (s) => `${s}\n::no-such-directive[oops]\n`);
  await page.waitForFunction((id) => document.getElementById(id)?.shadowRoot?.textContent?.includes('no-such-directive') ?? false, WAIT, OVERLAY_ID);
  const overlay = (await overlayText(page))!;
  assert.match(overlay, /Build failed: 1 error/);
  assert.match(overlay, /02-second\.md:\d+:1/);
  assert.match(overlay, /unknown-directive/);
  assert.match(await page.evaluate(() => document.body.innerText), /EDITED-SECOND/);
  assert.equal(session.status().ok, false);

  // 3. Fix it: the overlay goes away.
  project.edit(chapter2, (s) => s.replace('\n::no-such-directive[oops]\n', '\nFIXED-SECOND\n'));
  await page.waitForFunction((id) => !document.getElementById(id), WAIT, OVERLAY_ID);
  await page.waitForFunction(() => document.body.innerText.includes('FIXED-SECOND'), WAIT);
  assert.equal(session.status().ok, true);

  // 4. A chapter that this page does not show: the page is left alone.
  const updates = await page.evaluate(() => document.documentElement.dataset.annalsUpdates);
  const built = new Promise((resolve) => {
    const off = session.onBuild((b) => {
      off();
      resolve(b);
    });
  });
  project.edit(`manuscripts/${PREVIEW_BOOK}/en/01-first.md`, (s) => s.replace('ORIGINAL-FIRST', 'EDITED-FIRST'));
  await built;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => document.documentElement.dataset.annalsUpdates), updates);
  assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 1);

  // 5. A stylesheet: the page is reloaded. A page template and book.yaml update it too.
  project.edit('templates/base/site.css', (s) => `${s}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)', WAIT);
  assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), undefined, 'reloaded for a stylesheet');
  await page.waitForFunction(() => document.documentElement.dataset.annalsPreview === 'connected', WAIT);
  project.edit('templates/base/page.html', (s) => s.replace('<main class="site-main" id="main"', '<p>TEMPLATE-MARK</p><main class="site-main" id="main"'));
  await page.waitForFunction(() => document.body.innerText.includes('TEMPLATE-MARK'), WAIT);
  project.edit(`manuscripts/${PREVIEW_BOOK}/book.yaml`, (s) => s.replace('title: Preview Test Book', 'title: Renamed Test Book'));
  await page.waitForFunction(() => document.body.innerText.includes('Renamed Test Book') && document.title.includes('Renamed Test Book'), WAIT);

  // 6. Saving a file without a change rebuilds nothing and reloads nothing.
  const before = session.status().generation;
  const quiet = await session.rebuild([join(project.root, chapter2)]);
  assert.equal(quiet?.skipped, true);
  assert.equal(quiet?.reloaded, false);
  assert.ok(session.status().generation > before);
});

test('`annals preview --print` serves a chapter as PDF and stops on SIGINT with no Chromium or watcher left', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  // Chromium's profile and the whole temp tree of the child live here, so its processes are recognisable.
  const scratch = mkdtempSync(join(tmpdir(), 'annals-preview-cli-'));
  t.after(() => {
    rmSync(project.root, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'annals.js'), 'preview', '--root', project.root, '--port', '0', '--print'], {
    env: { ...process.env, TMPDIR: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });

  const pdf = await fetchBytes(`${url}__annals/print/first.pdf`);
  assert.equal(pdf.status, 200, stderr);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(chromiumProcesses(scratch).length > 0, 'the print view runs Chromium');
  // The chapter's pages are those of the edition's PDF, made as `annals build` makes it (the same PDF
  // passes: running heads and folios included), not a print of the chapter alone.
  const bookPdf = join(project.out, PREVIEW_BOOK, 'en', `${PREVIEW_BOOK}-en.pdf`);
  assert.ok(existsSync(bookPdf), 'the print view made the edition PDF');
  if (hasPdftotext) {
    const chapterText = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.body, encoding: 'utf8' });
    const bookText = execFileSync('pdftotext', ['-layout', bookPdf, '-'], { encoding: 'utf8' });
    assert.match(chapterText, /The First Chapter/);
    assert.match(chapterText, /^\s*1\s*$/m, 'the chapter opens on folio 1');
    assert.ok(bookText.includes(chapterText.replace(/\f+$/, '')), 'the chapter text is the book PDF\'s, page for page');
  }
  const index = await fetchBytes(`${url}__annals/print/`);
  assert.match(index.body.toString('utf8'), /The First Chapter/);

  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 20_000)))]);
  clearTimeout(timer);
  assert.equal(code, 0, `the preview ends by itself after SIGINT (stderr:\n${stderr})`);
  assert.match(stderr, /preview stopped/);
  assert.deepEqual(chromiumProcesses(scratch), [], 'no Chromium process is left');
  await assert.rejects(fetchBytes(url), /ECONNREFUSED/, 'the server is closed');
});

function fetchBytes(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Processes whose command line mentions `marker` (the child's TMPDIR holds Chromium's profile). */
function chromiumProcesses(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}
