/**
 * The preview's file watching (pipeline/preview/watch.ts): a burst of changes is reported once, with its
 * paths; editor backups are ignored; a watched folder that does not exist when the preview starts (a
 * project's first indicators/) is picked up when it is created, and so are the files then written in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchInputs } from '../pipeline/preview/watch.ts';

/** Resolves with the next reported batch of paths (or rejects after `ms`). */
function nextBatch(batches: string[][], ms = 5000): Promise<string[]> {
  const seen = batches.length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (batches.length > seen) {
        clearInterval(poll);
        resolve(batches[seen]!);
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`no change reported within ${ms} ms`));
      }
    }, 10);
  });
}

/** A watcher over `paths` (made from the temp folder it gets) with its reported batches; closed after the test. */
async function watching(t: { after(fn: () => Promise<void>): void }, paths: (root: string) => string[]) {
  const root = mkdtempSync(join(tmpdir(), 'annals-watch-'));
  const batches: string[][] = [];
  const watcher = watchInputs({ paths: paths(root), debounceMs: 50, onChange: (changed) => batches.push(changed) });
  t.after(async () => {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  });
  await watcher.ready;
  return { root, batches };
}

test('a burst of saves is one report with its paths; editor backups are not reported', async (t) => {
  const { root, batches } = await watching(t, (root) => [root]);
  const pending = nextBatch(batches);
  writeFileSync(join(root, 'a.md'), 'one');
  writeFileSync(join(root, 'b.md'), 'two');
  writeFileSync(join(root, 'a.md~'), 'backup');
  assert.deepEqual(await pending, [join(root, 'a.md'), join(root, 'b.md')]);
});

test('a watched folder created after the start is watched from then on', async (t) => {
  const { root, batches } = await watching(t, (root) => [join(root, 'indicators')]);
  const indicators = join(root, 'indicators');
  const created = nextBatch(batches);
  mkdirSync(indicators);
  assert.ok((await created).includes(indicators), 'the new folder is reported');
  // Give the new watch a moment to start, then write into it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const written = nextBatch(batches);
  mkdirSync(join(indicators, 'widi', '2026'), { recursive: true });
  writeFileSync(join(indicators, 'widi', '2026', 'framework.yaml'), 'id: widi\n');
  assert.ok((await written).some((p) => p.startsWith(indicators)), 'changes inside it are reported');
});
