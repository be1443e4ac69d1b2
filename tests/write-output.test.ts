/**
 * Issue 14: the staging writer's shared copies (pipeline/html/write-output.ts). A package's file (a font
 * slice) may be a hard link in the output instead of a copy: the same bytes, no copy; refused links fall
 * back to a copy; an output that is already a link to its source is found unchanged without reading it;
 * a book's own file (which its author edits) is always copied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { writeFile as fsWriteFile, rename as fsRename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaging, type OutputIo } from '../pipeline/html/write-output.ts';

/** A source folder with a font-like file and an image, and an output folder beside it (one file system). */
function fixture(): { source: string; out: string; target: string; font: string; image: string } {
  const root = mkdtempSync(join(tmpdir(), 'annals-write-output-'));
  const source = join(root, 'node_modules', 'pkg', 'files');
  mkdirSync(source, { recursive: true });
  const font = join(source, 'slice-1.woff2');
  const image = join(root, 'figure.svg');
  writeFileSync(font, Buffer.from([0x77, 0x4f, 0x46, 0x32, 1, 2, 3]));
  writeFileSync(image, '<svg/>');
  const out = join(root, 'out');
  return { source, out, target: join(out, 'book', 'zh'), font, image };
}

const sameFile = (a: string, b: string) => statSync(a).ino === statSync(b).ino && statSync(a).dev === statSync(b).dev;

test('a shared copy is a hard link to its source; a plain copy is a file of its own', async () => {
  const f = fixture();
  const staging = await createStaging(f.out, 'book-zh', { target: f.target });
  await staging.copy(f.font, 'site/assets/fonts/slice-1.woff2', { shared: true });
  await staging.copy(f.image, 'site/figure.svg');
  const { changed } = await staging.commit();
  assert.deepEqual(changed, ['site/assets/fonts/slice-1.woff2', 'site/figure.svg']);
  const font = join(f.target, 'site/assets/fonts/slice-1.woff2');
  assert.deepEqual(readFileSync(font), readFileSync(f.font));
  assert.ok(sameFile(font, f.font), 'the font is the package file under a second name');
  assert.equal(readFileSync(join(f.target, 'site/figure.svg'), 'utf8'), '<svg/>');
  assert.ok(!sameFile(join(f.target, 'site/figure.svg'), f.image), "the book's image is copied");
});

test('a refused link (another device) falls back to a copy with the same bytes, and later files are not tried', async () => {
  const f = fixture();
  const second = join(f.source, 'slice-2.woff2');
  writeFileSync(second, 'second slice');
  let tried = 0;
  const io: OutputIo = {
    writeFile: fsWriteFile,
    rename: fsRename,
    link: async (from) => {
      tried++;
      throw Object.assign(new Error(`EXDEV: link '${from}'`), { code: 'EXDEV' });
    },
  };
  const staging = await createStaging(f.out, 'book-zh', { target: f.target, io });
  await staging.copy(f.font, 'site/assets/fonts/slice-1.woff2', { shared: true });
  await staging.copy(second, 'site/assets/fonts/slice-2.woff2', { shared: true });
  await staging.commit();
  assert.equal(tried, 1);
  const font = join(f.target, 'site/assets/fonts/slice-1.woff2');
  assert.deepEqual(readFileSync(font), readFileSync(f.font));
  assert.ok(!sameFile(font, f.font));
  assert.equal(readFileSync(join(f.target, 'site/assets/fonts/slice-2.woff2'), 'utf8'), 'second slice');
});

test("another link failure is the build's failure, not hidden by a copy", async () => {
  const f = fixture();
  const io: OutputIo = {
    writeFile: fsWriteFile,
    rename: fsRename,
    link: async (from) => Promise.reject(Object.assign(new Error(`ENOSPC: link '${from}'`), { code: 'ENOSPC' })),
  };
  const staging = await createStaging(f.out, 'book-zh', { target: f.target, io });
  await assert.rejects(staging.copy(f.font, 'site/assets/fonts/slice-1.woff2', { shared: true }), /ENOSPC/);
  await staging.discard();
});

test('a second build finds a linked output unchanged (not staged again) and replaces it when the source changes', async () => {
  const f = fixture();
  const first = await createStaging(f.out, 'book-zh', { target: f.target });
  await first.copy(f.font, 'site/assets/fonts/slice-1.woff2', { shared: true });
  await first.commit();
  const again = await createStaging(f.out, 'book-zh', { target: f.target });
  await again.copy(f.font, 'site/assets/fonts/slice-1.woff2', { shared: true });
  assert.equal(again.locate('site/assets/fonts/slice-1.woff2'), join(f.target, 'site/assets/fonts/slice-1.woff2'), 'read from the output, not staged');
  assert.deepEqual((await again.commit()).changed, []);
  // A new package version replaces its files (a new file, not an edit in place): the output follows it.
  const replaced = join(f.source, 'new.woff2');
  writeFileSync(replaced, 'new version of the slice');
  const third = await createStaging(f.out, 'book-zh', { target: f.target });
  await third.copy(replaced, 'site/assets/fonts/slice-1.woff2', { shared: true });
  assert.deepEqual((await third.commit()).changed, ['site/assets/fonts/slice-1.woff2']);
  assert.equal(readFileSync(join(f.target, 'site/assets/fonts/slice-1.woff2'), 'utf8'), 'new version of the slice');
  assert.deepEqual(readFileSync(f.font), Buffer.from([0x77, 0x4f, 0x46, 0x32, 1, 2, 3]), 'the old source is untouched');
});
