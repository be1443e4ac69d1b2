/**
 * `npm test` after the type check: the node test runner over tests/*.test.ts (or the files given), two
 * files at a time, with one folder of shared builds for the run (tests/shared-build.ts).
 *
 *   node --import tsx tests/run-tests.ts [--node-test-flag=value…] [files…]
 *   npm test -- tests/a.test.ts tests/b.test.ts     npm test -- --test-name-pattern=index
 *
 * - **Two at a time** (ANNALS_TEST_CONCURRENCY=n to change it): each file is a process of its own; two
 *   keep both cores of a 2-core machine busy while one of them waits on Chromium, poppler or EPUBCheck.
 * - **Alone**: ALONE lists files that change what other files use while they run (compiled-cli.test.ts
 *   dates a source file in the future, which makes every `annals` command compile compiled/ again); they
 *   run after the others, one at a time.
 * - **Shared builds**: ANNALS_TEST_SHARED names a fresh temporary folder for this run, removed at the end,
 *   so a build shared between files is never one left from an earlier run. The node test runner (Node 20)
 *   runs files in name order, whatever order they are given in: byte-identity.test.ts makes the sample
 *   build long before sample-books.test.ts asks for it (were it still being made, that file would wait).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The environment variable that names the run's folder of shared builds (read by tests/shared-build.ts). */
export const SHARED_ENV = 'ANNALS_TEST_SHARED';

/** Files that must not run beside another file (see above). */
export const ALONE = ['compiled-cli.test.ts'];

export interface TestPlan {
  /** Run together, `concurrency` at a time. */
  together: string[];
  /** Then each alone. */
  alone: string[];
}

/** The files of ALONE apart from the others; the node test runner runs each group in name order. */
export function planRun(files: readonly string[]): TestPlan {
  return { together: files.filter((f) => !ALONE.includes(basename(f))), alone: files.filter((f) => ALONE.includes(basename(f))) };
}

/** Runs the node test runner over `files` with `flags` (--test-reporter …); resolves with its exit code. */
function runNodeTest(files: readonly string[], flags: readonly string[], concurrency: number, env: NodeJS.ProcessEnv): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...flags, ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const given = argv.filter((a) => !a.startsWith('--'));
  const files = given.length > 0 ? given : readdirSync(join(repoRoot, 'tests')).filter((f) => f.endsWith('.test.ts')).map((f) => join('tests', f));
  const concurrency = Number(process.env.ANNALS_TEST_CONCURRENCY) || 2;
  const shared = mkdtempSync(join(tmpdir(), 'annals-test-run-'));
  const env = { ...process.env, [SHARED_ENV]: shared };
  // Ctrl-C reaches the runners too (same process group): nothing more starts, and the folder is removed
  // once they have stopped.
  let interrupted = false;
  process.on('SIGINT', () => (interrupted = true));
  try {
    const plan = planRun(files.map((f) => relative(repoRoot, resolve(f))));
    const together = await runNodeTest(plan.together, flags, concurrency, env);
    if (interrupted) return 130;
    const alone = await runNodeTest(plan.alone, flags, 1, env);
    return together || alone;
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
}

if (process.argv[1] && basename(process.argv[1]) === 'run-tests.ts') process.exitCode = await main(process.argv.slice(2));
