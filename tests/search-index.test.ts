/**
 * The search index (pipeline/site/search-index.ts): Pagefind driven from a worker thread. What it indexes,
 * that the same pages give the same files whatever order they come in, that two sites may be indexed at
 * once, that `close()` stops the thread and the service (else this file would never end), and that a
 * Pagefind that cannot run is a diagnostic that fails the edition, not an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSearchIndexer } from '../pipeline/site/search-index.ts';
import { build, tempProject, writeBook } from './helpers.ts';

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

/** Pagefind's npm wrapper runs the binary this names (pagefind/lib/resolveBinary.js); a thread started meanwhile inherits it. */
async function withoutPagefindBinary<T>(run: () => Promise<T>): Promise<T> {
  const before = process.env.PAGEFIND_BINARY_PATH;
  process.env.PAGEFIND_BINARY_PATH = join(tmpdir(), 'annals-no-such-pagefind');
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.PAGEFIND_BINARY_PATH;
    else process.env.PAGEFIND_BINARY_PATH = before;
  }
}

test('a Pagefind that cannot run: the answer has no files and says why, and does not reject', async () => {
  const search = createSearchIndexer();
  try {
    const got = await withoutPagefindBinary(() => search.index(SITE));
    assert.equal(got.files.size, 0);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0]!, /Pagefind/);
  } finally {
    await search.close();
  }
});

test('a build whose search index fails reports site-search-index on book.yaml, exits non-zero and leaves out/ as it was', async () => {
  const project = tempProject();
  try {
    const id = writeBook(project, { chapters: { '01-a.md': '---\ntitle: 网络\n---\n\n## 基础设施 {#s1}\n\n光纤宽带网络覆盖所有地级市。\n' } });
    const good = await build(project, { format: 'html' });
    assert.ok(good.editions.every((e) => e.ok));
    const page = join(project.out, id, 'zh', 'site', 'index.html');
    const before = readFileSync(page, 'utf8');
    project.write(`manuscripts/${id}/zh/01-a.md`, '---\ntitle: 网络\n---\n\n## 基础设施 {#s1}\n\n千兆用户占比继续提高。\n');
    const failed = await withoutPagefindBinary(() => build(project, { format: 'html' }));
    assert.ok(!failed.editions.some((e) => e.ok), 'the edition failed');
    const found = failed.diagnostics.filter((d) => d.ruleId === 'site-search-index');
    assert.equal(found.length, 1, failed.diagnostics.map((d) => `${d.ruleId}: ${d.message}`).join('\n'));
    assert.match(found[0]!.message, /^search index: .*Pagefind/);
    assert.match(found[0]!.file, /book\.yaml$/);
    assert.equal(readFileSync(page, 'utf8'), before, 'the last good site is kept');
    assert.ok(existsSync(join(project.out, id, 'zh', 'site', 'pagefind')), 'with its search index');
  } finally {
    rmSync(project.root, { recursive: true, force: true });
  }
});
