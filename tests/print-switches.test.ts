/**
 * The PDF stage's switches (pipeline/pdf/print-switches.ts): read from the environment once, by the
 * command line, and nowhere else in the pipeline; the PDF stage gets them as options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTree } from '../pipeline/base/hash.ts';
import { printSwitchesFrom } from '../pipeline/pdf/print-switches.ts';
import { repoRoot } from './helpers.ts';

test('the environment sets only the switches it names; anything else leaves the normal print', () => {
  assert.deepEqual(printSwitchesFrom({}), {});
  assert.deepEqual(printSwitchesFrom({ ANNALS_PRINT_TABS: '1', ANNALS_MAKE_UP: '0', ANNALS_MAKE_UP_TAIL: '0', ANNALS_SPAN_KEEPS: '0' }), {
    printTabs: 1,
    makeUp: false,
    makeUpTail: false,
    spanKeeps: false,
  });
  // Not a positive whole number, or not "0": the default.
  for (const tabs of ['', '0', '-2', '1.5', 'many']) assert.deepEqual(printSwitchesFrom({ ANNALS_PRINT_TABS: tabs }), {}, `ANNALS_PRINT_TABS=${tabs}`);
  assert.deepEqual(printSwitchesFrom({ ANNALS_MAKE_UP: '1', ANNALS_MAKE_UP_TAIL: 'no', ANNALS_SPAN_KEEPS: '' }), {});
});

test('the PDF stage reads no environment variable: its switches come with the build options', () => {
  const pdf = join(repoRoot, 'pipeline', 'pdf');
  const reading = listTree(pdf)
    .filter((rel) => rel.endsWith('.ts') && rel !== 'find-browser.ts') // find-browser takes the environment as a parameter
    .filter((rel) => /process\.env\b/.test(readFileSync(join(pdf, rel), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
  assert.deepEqual(reading, []);
});
