/**
 * The memo a command-line run shares between its editions (pipeline/base/memo.ts, cli.ts): a derived
 * edition's OpenCC converter is built once per target and reused, it takes its source's parsed chapters
 * instead of parsing them again, and the output is the same bytes as a build without a memo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createBuildMemo } from '../pipeline/base/memo.ts';
import { createScriptConverter } from '../pipeline/locale/convert-script.ts';
import { build, copyFixture, repoRoot, tempProject } from './helpers.ts';

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

test('converters with a memo: one OpenCC converter per target, overrides still applied per edition', () => {
  const openccMemo = new Map<string, (text: string) => string>();
  const plain = createScriptConverter({ target: 'twp', openccMemo });
  // twp's phrase converter, and tw's character converter for titles in 《》.
  assert.deepEqual([...openccMemo.keys()].sort(), ['tw', 'twp']);
  const built = openccMemo.get('twp');
  const withOverride = createScriptConverter({ target: 'twp', overrides: [['数据', '數據']], openccMemo });
  assert.equal(openccMemo.get('twp'), built, 'the converter is reused');
  assert.equal(plain('数据中心'), '資料中心'); // twp's phrase dictionary
  assert.equal(withOverride('数据中心'), '數據中心');
  createScriptConverter({ target: 'hk', openccMemo });
  assert.deepEqual([...openccMemo.keys()].sort(), ['hk', 'tw', 'twp']);
});

test('a build with a memo writes the same files as one without, and keeps the derived edition’s converter', async () => {
  const fixture = join(repoRoot, 'tests/fixtures/editions/ed-book');
  const plain = tempProject();
  copyFixture(fixture, plain, 'manuscripts/ed-book');
  const memoized = tempProject();
  copyFixture(fixture, memoized, 'manuscripts/ed-book');
  // The command line's memo: one run's, which keeps no rendered articles and no charts (nothing asks twice).
  const memo = createBuildMemo({ acrossBuilds: false });
  const a = await build(plain);
  const b = await build(memoized, { memo });
  assert.ok(a.ok && b.ok);
  assert.equal(memo.articles, undefined);
  assert.equal(memo.charts, undefined);
  assert.deepEqual([...memo.opencc.keys()].sort(), ['tw', 'twp']);
  // zh kept its one parsed chapter and zh-Hant, which reads the same file, took it instead of parsing it
  // again (one hit); en reads files no other edition reads (zh's and en's lookups missed). The book done,
  // the kept tree is dropped.
  assert.equal(memo.trees.hits, 1);
  assert.equal(memo.trees.misses, 2);
  assert.equal(memo.trees.size, 0);
  const fa = files(plain.out);
  const fb = files(memoized.out);
  assert.deepEqual([...fa.keys()].sort(), [...fb.keys()].sort());
  for (const [path, bytes] of fa) assert.ok(bytes.equals(fb.get(path)!), `${path} differs`);
});
