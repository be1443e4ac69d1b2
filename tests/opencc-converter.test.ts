/**
 * pipeline/locale/opencc-converter.ts builds OpenCC's Simplified → Traditional converters with shared
 * tries: every target must convert exactly as opencc-js's own `Converter` does, whichever target was built
 * first, and the targets of one set of tries must share the tries of their common dictionaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type OpenCCModule from 'opencc-js';
import { createOpenccTries, openccConverter } from '../pipeline/locale/opencc-converter.ts';
import { repoRoot } from './helpers.ts';

const opencc = createRequire(import.meta.url)('opencc-js') as typeof OpenCCModule;

/** Every Simplified chapter of the sample books, and strings that exercise segmentation and normalisation. */
function samples(): string[] {
  const texts = ['数据安全法》和《网络安全法', '鼠标里面的硅二极管坏了，导致光标分辨率降低。', '我们在寮国的服务器的硬盘需要使用互联网算法软件解决异步的问题。', '着手干这件事', '丰', '\u{2F800}\u{F900}兀', '', 'Latin only'];
  for (const book of readdirSync(join(repoRoot, 'manuscripts'))) {
    const dir = join(repoRoot, 'manuscripts', book, 'zh');
    try {
      for (const name of readdirSync(dir)) if (name.endsWith('.md')) texts.push(readFileSync(join(dir, name), 'utf8'));
    } catch {
      /* a book without a zh edition */
    }
  }
  return texts;
}

test('every target converts as opencc-js does, with tries shared between targets', () => {
  const texts = samples();
  assert.ok(texts.length > 20, 'the sample chapters were read');
  const tries = createOpenccTries();
  for (const target of ['twp', 'tw', 'hkp', 'hk', 't']) {
    const ours = openccConverter(opencc, target, tries);
    const theirs = opencc.Converter({ from: 'cn', to: target });
    for (const text of texts) assert.equal(ours(text), theirs(text), `${target}: ${text.slice(0, 40)}`);
  }
  // One normalisation, one segmentation, one shared first group, and a last group per target but t:
  // 3 shared tries and 4 of their own, not 4 per target.
  assert.equal(tries.tries.size, 7);
});

test('a target built alone converts as when it shares its tries', () => {
  const text = samples().join('\n');
  const shared = createOpenccTries();
  openccConverter(opencc, 'twp', shared);
  assert.equal(openccConverter(opencc, 'tw', shared)(text), openccConverter(opencc, 'tw', createOpenccTries())(text));
});
