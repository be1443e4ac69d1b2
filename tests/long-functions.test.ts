/**
 * scripts/long-functions.ts: which functions count as long, how long they are said to be, and what they
 * are called. Measured on small generated sources, so the test does not depend on the state of pipeline/.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { longFunctionsIn } from '../scripts/long-functions.ts';

/** A function body of `n` lines in all (the opening and closing lines included). */
const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');

test('a function of exactly the limit passes; one line more is reported with its length and line', () => {
  const source = [`function fits() {`, body(80), `}`, ``, `// a comment above does not count`, `function over() {`, body(81), `}`].join('\n');
  const found = longFunctionsIn('x.ts', source, 80);
  assert.deepEqual(found, [{ file: 'x.ts', line: 83, name: 'over', lines: 81 }]);
});

test('arrow functions and function expressions take the name of what holds them; methods their own', () => {
  const source = [
    `const arrow = () => {`,
    body(5),
    `};`,
    `const object = { held: function () {`,
    body(5),
    `} };`,
    `class K {`,
    `  method() {`,
    body(5),
    `  }`,
    `}`,
    `[1].map((x) => {`,
    body(5),
    `});`,
  ].join('\n');
  const names = longFunctionsIn('y.ts', source, 3).map((f) => f.name);
  assert.deepEqual(names, ['arrow', 'held', 'method', '(anonymous)']);
});

test('a long function nested in another is reported, and so is its parent', () => {
  const source = [`function outer() {`, `  const inner = () => {`, body(10), `  };`, `}`].join('\n');
  const found = longFunctionsIn('z.ts', source, 8).map((f) => `${f.name}:${f.lines}`);
  assert.deepEqual(found, ['outer:12', 'inner:10']);
});
