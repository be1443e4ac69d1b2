/**
 * The search index (pipeline/site/search-index.ts): Pagefind driven from a worker thread. What it indexes,
 * that the same pages give the same files whatever order they come in, that two sites may be indexed at
 * once, and that `close()` stops the thread and the service (else this file would never end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSearchIndexer } from '../pipeline/site/search-index.ts';

const page = (title: string, body: string, lang = 'zh') =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><main data-pagefind-body><h1>${title}</h1><p>${body}</p></main></body></html>`;

const SITE = new Map([
  ['ch01.html', page('第一章 网络基础设施', '光纤宽带网络覆盖所有地级市，千兆用户占比继续提高。')],
  ['ch02.html', page('第二章 数字经济', '数字经济核心产业增加值占国内生产总值的比重稳步上升。')],
  ['cover.html', '<!doctype html><html lang="zh"><body><h1>封面</h1></body></html>'],
  ['style.css', 'body { color: black }'],
]);

/** pagefind-entry.json of an index: its languages with their page counts. */
function entry(files: Map<string, Uint8Array>): { languages: Record<string, { page_count: number }> } {
  const bytes = files.get('pagefind-entry.json');
  assert.ok(bytes, `an entry file among ${[...files.keys()].join(', ')}`);
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

test('indexes the pages with a searchable body, and only those; the same pages in another order give the same bytes', async () => {
  const search = createSearchIndexer();
  try {
    const first = await search.index(SITE);
    assert.deepEqual(first.errors, []);
    assert.equal(entry(first.files).languages.zh?.page_count, 2, 'the cover and the stylesheet are left out');
    assert.ok([...first.files.keys()].some((f) => f.endsWith('.pf_fragment')), 'fragments are returned');
    assert.ok(![...first.files.keys()].some((f) => f.startsWith('pagefind-ui')), 'the ready-made interface is not copied');
    const reversed = await search.index(new Map([...SITE].reverse()));
    assert.deepEqual([...reversed.files.keys()].sort(), [...first.files.keys()].sort());
    for (const [path, bytes] of first.files) assert.ok(Buffer.from(bytes).equals(Buffer.from(reversed.files.get(path)!)), `${path} is the same`);
  } finally {
    await search.close();
  }
});

/** The threads and pipes this process holds open (a search thread shows as a MessagePort). */
const openPorts = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

test('two sites indexed at once each get their own index, from one thread that close() stops', async () => {
  const before = openPorts();
  const search = createSearchIndexer();
  try {
    const other = new Map([['a.html', page('Chapter 1 Infrastructure', 'Fibre broadband reaches every prefecture.', 'en')]]);
    const [zh, en] = await Promise.all([search.index(SITE), search.index(other)]);
    assert.equal(entry(zh.files).languages.zh?.page_count, 2);
    assert.ok(!('zh' in entry(en.files).languages), 'the English page is not in the Chinese index');
    assert.equal(entry(en.files).languages.en?.page_count, 1);
    assert.equal(openPorts(), before + 1, 'one search thread for both');
  } finally {
    await search.close();
  }
  assert.equal(openPorts(), before, 'close() stopped it');
});

test('close() without an index returns at once; after close, a new index starts the service again', async () => {
  const search = createSearchIndexer();
  await search.close();
  const got = await search.index(SITE);
  assert.equal(entry(got.files).languages.zh?.page_count, 2);
  await search.close();
  await search.close();
});
