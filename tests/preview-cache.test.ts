/**
 * The build cache (pipeline/build/build-cache.ts): an incremental build gives the same bytes as a clean build of the
 * same inputs; a build with nothing changed is skipped and still reports its warnings; output files are
 * rewritten only when their bytes change; a failed build leaves out/ as it was; a PDF is carried over only
 * while what it was printed from is unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { createTreeHasher, hashTree, listTree } from '../pipeline/base/hash.ts';
import { createStaging } from '../pipeline/html/write-output.ts';
import { loadBook, type Project } from '../pipeline/config/load-book.ts';
import { assertSameTree, copyProject, PREVIEW_BOOK, PREVIEW_FIXTURE } from './preview-helpers.ts';
import { createBuildSession } from '../pipeline/base/build-session.ts';

/** A clean build (no cache) of `project`'s inputs into a fresh output folder. */
async function cleanBuild(project: Project): Promise<{ out: string; result: BuildResult }> {
  const out = mkdtempSync(join(tmpdir(), 'annals-clean-'));
  const result = await buildAll({ project: { ...project, out }, format: 'html' });
  return { out, result };
}

test('an incremental build of a sample book gives byte-identical output to a clean build', async (t) => {
  // The world report has three editions (one derived by OpenCC), citations, cross-references, index terms
  // and indicator tables: the per-chapter stages that carry state from chapter to chapter.
  const project = copyProject({ books: ['world-report-2026'], indicators: true });
  const cache = createBuildCache(project);
  const outs: string[] = [];
  t.after(() => {
    for (const dir of [project.root, ...outs]) rmSync(dir, { recursive: true, force: true });
  });
  const first = await buildAll({ project, format: 'html', cache });
  assert.ok(first.ok, JSON.stringify(first.diagnostics.filter((d) => d.severity === 'error').slice(0, 3)));

  // An edit early in the book: a new section and index terms before everything else, so heading numbers,
  // heading ids and index anchors of the later chapters move (while their text does not).
  project.edit('manuscripts/world-report-2026/zh/01-overview.md', (s) =>
    s.replace('\n## 全球互联网发展的总体态势', '\n## 新增的一节\n\n新增段落，涉及:idx[数字鸿沟]与:idx[算力]。\n\n## 全球互联网发展的总体态势'),
  );
  const second = await buildAll({ project, format: 'html', cache });
  assert.ok(second.ok);
  const stats = cache.stats.get('world-report-2026')!;
  assert.equal(stats.skipped, false);
  assert.ok(stats.reused >= 14, `unchanged chapters are not parsed again (reused ${stats.reused}, parsed ${stats.parsed})`);
  assert.ok(stats.parsed <= 2, `only the edited chapter is parsed, once per edition that reads it (parsed ${stats.parsed})`);

  const clean = await cleanBuild(project);
  outs.push(clean.out);
  assert.ok(clean.result.ok);
  assertSameTree(join(project.out, 'world-report-2026'), join(clean.out, 'world-report-2026'));
  assert.deepEqual(second.diagnostics, clean.result.diagnostics, 'the same diagnostics');

  // A later `annals build` (a new process: a new cache object reads out/.cache/ only) after a prose edit
  // at the end of the book reuses the chapter runs kept on disk, and still writes what a clean build does.
  project.edit('manuscripts/world-report-2026/en/08-development-index.md', (s) => `${s.trimEnd()}\n\nA closing sentence added for the cache test.\n`);
  const later = createBuildCache(project);
  const third = await buildAll({ project, format: 'html', cache: later });
  assert.ok(third.ok);
  const runs = later.stats.get('world-report-2026')!;
  assert.equal(runs.ran, 1, 'only the edited chapter runs');
  assert.ok(runs.runsReused! >= 20, `runs reused from disk: ${runs.runsReused}`);
  const clean3 = await cleanBuild(project);
  outs.push(clean3.out);
  assertSameTree(join(project.out, 'world-report-2026'), join(clean3.out, 'world-report-2026'));
  assert.deepEqual(third.diagnostics, clean3.result.diagnostics, 'the same diagnostics');
});

test('nothing changed: the build is skipped, says so, keeps its warnings and touches no file', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  // A warning to replay: a label nobody refers to.
  project.edit(`manuscripts/${PREVIEW_BOOK}/en/02-second.md`, (s) => s.replace(', and see :ref[box-case]', ''));
  const first = await buildAll({ project, format: 'html', cache: createBuildCache(project) });
  assert.ok(first.ok);
  assert.equal(first.diagnostics.length, 1);
  const out = join(project.out, PREVIEW_BOOK, 'en');
  const mtimes = new Map(listTree(out).map((rel) => [rel, statSync(join(out, rel)).mtimeMs]));

  const again = await buildAll({ project, format: 'html', cache: createBuildCache(project) });
  assert.equal(again.editions[0]!.skipped, true);
  assert.deepEqual(again.editions[0]!.changed, []);
  assert.deepEqual(again.diagnostics, first.diagnostics, 'the warning is reported again, at the same place');
  for (const [rel, mtime] of mtimes) assert.equal(statSync(join(out, rel)).mtimeMs, mtime, `${rel} untouched`);

  // An HTML build after a full one would be skipped too; the opposite is not (it lacks the PDF).
  const cache = createBuildCache(project);
  const book = loadBook(project, PREVIEW_BOOK);
  assert.ok(cache.lookup(book, ['en'], { project, format: 'html' }, createBuildSession()));
  assert.equal(cache.lookup(book, ['en'], { project, format: 'all' }, createBuildSession()), undefined);
  // A damaged output is noticed: the edition is built again.
  writeFileSync(join(out, 'site', 'first.html'), 'damaged');
  assert.equal(cache.lookup(book, ['en'], { project, format: 'html' }, createBuildSession()), undefined);
});

test('an edit rewrites only the files whose bytes change, and parses only the edited chapter', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  const cache = createBuildCache(project, { memory: true });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  await buildAll({ project, format: 'html', cache });
  const out = join(project.out, PREVIEW_BOOK, 'en');
  const mtimes = new Map(listTree(out).map((rel) => [rel, statSync(join(out, rel)).mtimeMs]));

  project.edit(`manuscripts/${PREVIEW_BOOK}/en/02-second.md`, (s) => s.replace('ORIGINAL-SECOND', 'EDITED-SECOND'));
  const result = await buildAll({ project, format: 'html', cache });
  assert.ok(result.ok);
  // The edited page, print.html and the search index (its files are named by their contents: new ones
  // written, old ones removed; docs/site.md).
  const changed = result.editions[0]!.changed!;
  assert.deepEqual(changed.filter((rel) => !rel.startsWith('site/pagefind/')), ['print.html', 'site/second.html']);
  assert.ok(changed.some((rel) => rel.startsWith('site/pagefind/')), 'the search index follows the text');
  assert.deepEqual(cache.stats.get(PREVIEW_BOOK), { ...cache.stats.get(PREVIEW_BOOK)!, skipped: false, parsed: 1, reused: 1 });
  for (const [rel, mtime] of mtimes) {
    if (rel.startsWith('site/pagefind/')) continue;
    const now = statSync(join(out, rel)).mtimeMs;
    if (rel === 'print.html' || rel === 'site/second.html') assert.notEqual(now, mtime, `${rel} rewritten`);
    else assert.equal(now, mtime, `${rel} not rewritten`);
  }
  assert.match(readFileSync(join(out, 'site', 'second.html'), 'utf8'), /EDITED-SECOND/);

  const clean = await cleanBuild(project);
  t.after(() => rmSync(clean.out, { recursive: true, force: true }));
  assertSameTree(join(project.out, PREVIEW_BOOK), join(clean.out, PREVIEW_BOOK));
});

test('a failed build leaves out/ and the cache record as they were', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  const cache = createBuildCache(project);
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  await buildAll({ project, format: 'html', cache });
  const out = join(project.out, PREVIEW_BOOK);
  const snapshot = new Map(listTree(out).map((rel) => [rel, readFileSync(join(out, rel))]));
  const manifest = readFileSync(join(cache.dir, PREVIEW_BOOK, 'manifest.json'));

  const chapter = `manuscripts/${PREVIEW_BOOK}/en/01-first.md`;
  const good = project.read(chapter);
  project.edit(chapter, (s) => s.replace('ORIGINAL-FIRST', 'BROKEN :unknown-thing[x]'));
  const failed = await buildAll({ project, format: 'html', cache });
  assert.equal(failed.ok, false);
  assert.deepEqual(listTree(out), [...snapshot.keys()]);
  for (const [rel, bytes] of snapshot) assert.ok(readFileSync(join(out, rel)).equals(bytes), `${rel} unchanged`);
  assert.ok(readFileSync(join(cache.dir, PREVIEW_BOOK, 'manifest.json')).equals(manifest));

  // Back to the text of the last good build: nothing to do.
  project.edit(chapter, () => good);
  const back = await buildAll({ project, format: 'html', cache });
  assert.equal(back.editions[0]!.skipped, true);
});

test('the PDF is carried over while print.html and its assets are unchanged, and only then', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  const cache = createBuildCache(project);
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const result = await buildAll({ project, format: 'html' });
  const outDir = result.editions[0]!.outDir!;
  writeFileSync(join(outDir, 'book.pdf'), '%PDF-1.7 stand-in');
  const book = loadBook(project, PREVIEW_BOOK);
  // Record the edition as built with its PDF (what a full build does after printing).
  await cache.begin(book, ['en'], { project, format: 'all' }, createBuildSession()).end(result.editions);

  // A staging of the same edition as a build makes it: every output declared, changed ones written.
  const stage = async (change: Record<string, string>) => {
    const staging = await createStaging(project.out, 'test', { target: outDir });
    for (const rel of listTree(outDir).filter((r) => r !== 'book.pdf')) await staging.write(rel, change[rel] ?? readFileSync(join(outDir, rel)));
    return staging;
  };
  // A site page changed (not printed): the PDF is still good, and stays in the output.
  const pageChanged = await stage({ 'site/first.html': 'another site page' });
  assert.equal(await cache.reusePdf(book, 'en', pageChanged, outDir), true);
  assert.ok(pageChanged.paths().includes('book.pdf'));
  await pageChanged.commit();
  assert.equal(readFileSync(join(outDir, 'book.pdf'), 'utf8'), '%PDF-1.7 stand-in');
  assert.equal(readFileSync(join(outDir, 'site', 'first.html'), 'utf8'), 'another site page');

  // print.html changed: print again.
  const printChanged = await stage({ 'print.html': readFileSync(join(outDir, 'print.html'), 'utf8').replace('</body>', '<p>CHANGED</p></body>') });
  assert.equal(await cache.reusePdf(book, 'en', printChanged, outDir), false);
  assert.ok(!printChanged.paths().includes('book.pdf'));
  await printChanged.discard();
  // A stylesheet changed: print again.
  const styleChanged = await stage({ 'site/assets/print.css': '@page { size: A4; }' });
  assert.equal(await cache.reusePdf(book, 'en', styleChanged, outDir), false);
  await styleChanged.discard();
});

test('the tree hasher gives hashTree\'s hash, and sees a change even when size and mtime stay the same', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'annals-tree-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'zh'));
  writeFileSync(join(root, 'book.yaml'), 'id: x\n');
  writeFileSync(join(root, 'zh', '01-a.md'), 'first text');
  const tree = createTreeHasher();
  const before = tree(root);
  assert.equal(before, hashTree(root));
  assert.equal(tree(root), before, 'nothing changed');
  // Same size, and the mtime put back: a file written within the last two seconds is read again anyway.
  const path = join(root, 'zh', '01-a.md');
  const { atime, mtime } = statSync(path);
  writeFileSync(path, 'other text');
  utimesSync(path, atime, mtime);
  const after = tree(root);
  assert.notEqual(after, before);
  assert.equal(after, hashTree(root));
  // Leaving a folder out changes the hash and matches hashTree with the same option.
  const noChapters = { exclude: (rel: string, isDirectory: boolean) => !isDirectory && rel.endsWith('.md') };
  assert.equal(tree(root, noChapters), hashTree(root, noChapters));
  assert.notEqual(tree(root, noChapters), after);
});

test('damaged chapter-run entries are run again and rewritten, not trusted', async (t) => {
  const project = copyProject({ fixture: PREVIEW_FIXTURE });
  t.after(() => rmSync(project.root, { recursive: true, force: true }));
  const first = await buildAll({ project, format: 'html', cache: createBuildCache(project) });
  assert.ok(first.ok);
  const runs = join(project.out, '.cache', PREVIEW_BOOK, 'en', 'runs');
  const entries = listTree(runs);
  assert.ok(entries.length >= 2, `runs kept on disk: ${entries.length}`);
  for (const rel of entries) writeFileSync(join(runs, rel), 'not a run');
  // Any edit, so the book is built again (not skipped) and asks for the runs.
  const chapter = `manuscripts/${PREVIEW_BOOK}/en/${listTree(join(project.manuscripts, PREVIEW_BOOK, 'en'))[0]}`;
  project.edit(chapter, (s) => `${s.trimEnd()}\n\nOne more sentence.\n`);
  const cache = createBuildCache(project);
  const again = await buildAll({ project, format: 'html', cache });
  assert.ok(again.ok, JSON.stringify(again.diagnostics.slice(0, 3)));
  assert.equal(cache.stats.get(PREVIEW_BOOK)!.runsReused, 0, 'no damaged run is reused');
  assert.ok(listTree(runs).every((rel) => readFileSync(join(runs, rel), 'utf8') !== 'not a run'), 'the entries are rewritten');
});
