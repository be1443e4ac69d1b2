/**
 * .github/workflows/release.yml, parsed as YAML: the triggers, one matrix job per book (the books under
 * manuscripts/), the README's commands as its steps, and the release upload with checksums.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listBooks, projectAt } from '../pipeline/config/load-book.ts';
import { repoRoot } from './helpers.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  'runs-on': string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { book: string[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(join(repoRoot, '.github/workflows/release.yml'), 'utf8')) as {
  on: { push: { tags: string[] }; pull_request: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const uses = (job: Job) => job.steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0]] : []));
const books = listBooks(projectAt(repoRoot));

test('triggers: version tags and pull requests; read-only by default', () => {
  assert.deepEqual(workflow.on.push.tags, ['v*']);
  assert.ok('pull_request' in workflow.on);
  assert.deepEqual(workflow.permissions, { contents: 'read' });
  assert.deepEqual(Object.keys(workflow.jobs).sort(), ['build', 'preview', 'publish']);
});

test('release builds: one job per book (every book under manuscripts/), the README\'s commands', () => {
  const job = workflow.jobs.build!;
  assert.match(job.if!, /refs\/tags\/v/);
  assert.deepEqual([...job.strategy!.matrix.book].sort(), books);
  assert.ok(books.length >= 3);
  const commands = runs(job);
  assert.ok(commands.includes('bash scripts/setup.sh --no-build'));
  // The sample books' imprint data are placeholders: their release is let through with --allow-sample.
  assert.ok(commands.includes('npx annals build ${{ matrix.book }} --release --allow-sample'));
  assert.ok(commands.includes('npm test'), 'the PDF checks run in the release job');
  assert.ok(commands.some((c) => c.startsWith('npm run release-assets')));
  assert.ok(commands.some((c) => c.includes('sha256sum -c SHA256SUMS')));
  assert.ok(uses(job).includes('actions/upload-artifact'));
  // The order matters: install, build, check, package.
  const order = ['bash scripts/setup.sh', 'npx annals build', 'npm test', 'npm run release-assets'].map((c) => commands.findIndex((x) => x.startsWith(c)));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});

test('publish: after every book, attaches the assets and one SHA256SUMS to the release', () => {
  const job = workflow.jobs.publish!;
  assert.equal(job.needs, 'build');
  assert.deepEqual(job.permissions, { contents: 'write' });
  assert.ok(uses(job).includes('actions/download-artifact'));
  const script = runs(job).join('\n');
  assert.match(script, /sha256sum -- \* > SHA256SUMS/);
  assert.match(script, /gh release upload "\$GITHUB_REF_NAME" dist\/\*/);
});

test('pull requests: HTML editions of every book, uploaded for reviewers', () => {
  const job = workflow.jobs.preview!;
  assert.match(job.if!, /pull_request/);
  assert.deepEqual([...job.strategy!.matrix.book].sort(), books);
  assert.ok(runs(job).includes('npx annals build ${{ matrix.book }} --format html'));
  const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  assert.equal(upload?.with?.path, 'out/${{ matrix.book }}/*/site/');
});
