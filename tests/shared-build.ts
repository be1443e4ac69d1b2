/**
 * Builds that several test files need, made once per test run. Every test file runs in a process of its
 * own, so a build is shared through a folder: `npm test` (tests/run-tests.ts) sets ANNALS_TEST_SHARED to a
 * fresh folder for the run and removes it at the end, so nothing is ever reused from an earlier run (a
 * build shared this way is as fresh as one made by the test itself). The first file to ask builds, under a
 * lock (a folder made with mkdir, which only one process can create), while others wait; with
 * ANNALS_TEST_SHARED unset (a file run alone) the build is made in a private temporary folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { alive, repoRoot } from './helpers.ts';
import { SHARED_ENV } from './run-tests.ts';

export interface SharedBuild {
  /** The output folder (the project's out/). */
  out: string;
  /** What buildAll returned (editions, diagnostics, ok), as JSON would carry it. */
  result: BuildResult;
}

export interface SharedBuildOptions {
  /** The run's folder of shared builds. Default: process.env.ANNALS_TEST_SHARED; unset: a private folder. */
  dir?: string;
  /** How often a waiting process looks for the build, in milliseconds. Default: 250. */
  pollMs?: number;
}

const made = new Map<string, Promise<SharedBuild>>();
let privateDir: string | undefined;

/**
 * The build called `name`, made by `make(out)` into `<dir>/<name>/out` by the first process that asks and
 * read back by the others. A build that throws is not shared: the error is recorded and every process
 * that asks throws it. A lock whose owner died (a killed test file) is taken over.
 */
export function sharedBuild(name: string, make: (out: string) => Promise<BuildResult>, options: SharedBuildOptions = {}): Promise<SharedBuild> {
  const dir = options.dir ?? (process.env[SHARED_ENV] || privateFolder());
  const key = join(dir, name);
  let build = made.get(key);
  if (!build) {
    build = claimOrWait(key, make, options.pollMs ?? 250);
    made.set(key, build);
  }
  return build;
}

/** This process's own folder of builds, removed when it exits. */
function privateFolder(): string {
  if (!privateDir) {
    const dir = (privateDir = mkdtempSync(join(tmpdir(), 'annals-shared-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return privateDir;
}

async function claimOrWait(folder: string, make: (out: string) => Promise<BuildResult>, pollMs: number): Promise<SharedBuild> {
  const out = join(folder, 'out');
  const lock = join(folder, 'lock');
  const done = join(folder, 'result.json');
  const failed = join(folder, 'error.txt');
  mkdirSync(folder, { recursive: true });
  for (;;) {
    if (existsSync(done)) return { out, result: JSON.parse(readFileSync(done, 'utf8')) as BuildResult };
    if (existsSync(failed)) throw new Error(`the shared build ${folder} failed in another test file: ${readFileSync(failed, 'utf8')}`);
    if (tryLock(lock)) break;
    const owner = Number(readText(join(lock, 'pid')));
    // The owner writes its pid right after taking the lock: no pid yet is a lock still being taken.
    if (owner && !alive(owner) && !existsSync(done)) rmSync(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    rmSync(out, { recursive: true, force: true }); // what a dead owner may have left half written
    const result = await make(out);
    writeFileSync(`${done}.tmp`, JSON.stringify(result));
    renameSync(`${done}.tmp`, done); // whole or not at all for a process that looks meanwhile
    return { out, result };
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Every sample book (manuscripts/), every edition, built as site and EPUB (`format: 'epub'`, which writes
 * exactly the files of an HTML build plus one EPUB per edition: pipeline/build/build-edition.ts) into a
 * fresh folder, with SOURCE_DATE_EPOCH unset so dates come from each book's year, as
 * scripts/record-hashes.ts builds. Shared by tests/byte-identity.test.ts and tests/sample-books.test.ts.
 */
export function sampleBooks(options: SharedBuildOptions = {}): Promise<SharedBuild> {
  return sharedBuild(
    'sample-books-epub',
    async (out) => {
      const epoch = process.env.SOURCE_DATE_EPOCH;
      delete process.env.SOURCE_DATE_EPOCH;
      try {
        return await buildAll({ project: projectAt(repoRoot, out), format: 'epub' });
      } finally {
        if (epoch !== undefined) process.env.SOURCE_DATE_EPOCH = epoch;
      }
    },
    options,
  );
}
