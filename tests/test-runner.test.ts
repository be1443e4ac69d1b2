/**
 * The test run's own machinery: the files tests/run-tests.ts runs alone, and the builds that
 * tests/shared-build.ts shares between test files (one build per run, whoever asks first; a waiting file
 * reads it; a build that failed or whose owner died is not reused as if it were whole).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildResult } from '../pipeline/build/build.ts';
import { ALONE, planRun } from './run-tests.ts';
import { sharedBuild } from './shared-build.ts';
import { repoRoot } from './helpers.ts';

/** A fresh folder of shared builds, removed after the test. */
function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'annals-shared-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const ok = (marker: string): BuildResult => ({ editions: [{ book: marker, edition: 'zh', chapters: 1, ok: true }], diagnostics: [], ok: true });

test('the files that must run alone are kept apart from the others', () => {
  const files = ['tests/b.test.ts', `tests/${ALONE[0]}`, 'tests/a.test.ts'];
  assert.deepEqual(planRun(files), { together: ['tests/b.test.ts', 'tests/a.test.ts'], alone: [`tests/${ALONE[0]}`] });
});

test('a shared build is made once: the first call builds, later calls and other processes read it', async (t) => {
  const dir = scratch(t);
  let calls = 0;
  const make = async (out: string) => {
    calls++;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'page.html'), 'built');
    return ok('first');
  };
  const first = await sharedBuild('one', make, { dir });
  const again = await sharedBuild('one', make, { dir });
  assert.equal(calls, 1);
  assert.deepEqual(again, first);
  assert.equal(readFileSync(join(first.out, 'page.html'), 'utf8'), 'built');
  // Another process (another test file) finds the finished build and does not build.
  const script = `import { sharedBuild } from './tests/shared-build.ts';
    const b = await sharedBuild('one', async () => { throw new Error('built again'); }, { dir: ${JSON.stringify(dir)} });
    process.stdout.write(JSON.stringify(b));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), first);
});

test('a process waits while another holds the lock, and reads what it built', async (t) => {
  const dir = scratch(t);
  // This process's own pid stands for a live owner that is still building.
  mkdirSync(join(dir, 'two', 'lock'), { recursive: true });
  writeFileSync(join(dir, 'two', 'lock', 'pid'), String(process.pid));
  setTimeout(() => writeFileSync(join(dir, 'two', 'result.json'), JSON.stringify(ok('other'))), 300);
  const read = await sharedBuild('two', async () => ok('mine'), { dir, pollMs: 20 });
  assert.equal(read.result.editions[0]!.book, 'other');
});

test('a lock left by a process that died is taken over and the build is made', async (t) => {
  const dir = scratch(t);
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  mkdirSync(join(dir, 'three', 'lock'), { recursive: true });
  writeFileSync(join(dir, 'three', 'lock', 'pid'), gone.stdout);
  mkdirSync(join(dir, 'three', 'out'), { recursive: true });
  writeFileSync(join(dir, 'three', 'out', 'half-written.html'), '');
  const made = await sharedBuild('three', async (out) => (mkdirSync(out, { recursive: true }), ok('taken over')), { dir, pollMs: 20 });
  assert.equal(made.result.editions[0]!.book, 'taken over');
  assert.ok(!existsSync(join(made.out, 'half-written.html')), 'what the dead owner left is removed first');
});

test('a build that failed is not shared: every process that asks gets the error', async (t) => {
  const dir = scratch(t);
  await assert.rejects(sharedBuild('four', async () => Promise.reject(new Error('the build broke')), { dir }), /the build broke/);
  const script = `import { sharedBuild } from './tests/shared-build.ts';
    await sharedBuild('four', async () => { throw new Error('built again'); }, { dir: ${JSON.stringify(dir)} });`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /failed in another test file: Error: the build broke/);
  assert.doesNotMatch(child.stderr, /built again/);
});
