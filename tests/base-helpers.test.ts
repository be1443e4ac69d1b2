/** The shared helpers of pipeline/base/: the one write-then-rename and the one lap timer. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createStopwatch } from '../pipeline/base/stopwatch.ts';
import { writeFileAtomic, writeFileAtomicSync } from '../pipeline/base/write-atomic.ts';

test('write-then-rename makes the folder, replaces the file whole and leaves no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'annals-atomic-'));
  try {
    const path = join(dir, 'a', 'b', 'entry.json');
    writeFileAtomicSync(path, 'first');
    assert.equal(readFileSync(path, 'utf8'), 'first');
    await writeFileAtomic(path, new Uint8Array([0x6f, 0x6b]));
    assert.equal(readFileSync(path, 'utf8'), 'ok');
    writeFileSync(join(dir, 'a', 'b', 'other'), '');
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')).sort(), ['entry.json', 'other']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stopwatch adds each lap to its stage, into the record it was given', async () => {
  const timings: Record<string, number> = { load: 1000 };
  const watch = createStopwatch(timings);
  await new Promise((r) => setTimeout(r, 20));
  watch.lap('load');
  watch.lap('print');
  assert.equal(watch.timings, timings);
  // Added to what was there (no durations asserted beyond that: tests never assert a time).
  assert.ok(timings.load! > 1000, `load: ${timings.load}`);
  assert.deepEqual(Object.keys(timings), ['load', 'print']);
  assert.ok(timings.print! >= 0);
});
