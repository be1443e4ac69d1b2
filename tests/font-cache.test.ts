/**
 * The font cache (pipeline/pdf/font-cache.ts): print fonts read back from it are the bytes of a fresh
 * cut, new characters make new entries for the faces that have them only, the folder is trimmed least
 * recently used first, and a build that prints from the cache (out/.cache/print-fonts) writes the PDF of
 * a build without it, byte for byte, while `--no-cache` (no build cache) leaves no entry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuildCache } from '../pipeline/build/build-cache.ts';
import { codePointsOf, fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createBrowserSession } from '../pipeline/pdf/browser.ts';
import { createFontCache, fontKey } from '../pipeline/pdf/font-cache.ts';
import { printFonts } from '../pipeline/pdf/print-fonts.ts';
import { build, pdfSkip, repoRoot, tempProject, writeBook } from './helpers.ts';

const faceList = (fonts: Awaited<ReturnType<typeof printFonts>>) => fonts.files.map((f) => ({ name: f.name, postScriptName: f.postScriptName, source: f.source, bytes: Buffer.from(f.data).toString('base64') }));

describe('font cache', () => {
  test('faces cut and joined from the cache are the bytes of a fresh cut; a new character misses only in the faces that have it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annals-font-cache-'));
    try {
      const set = fontSetFor('zh-Hans');
      const used = codePointsOf(['网络发展 Network 2026 αβ']);
      const fresh = await printFonts({ set, used });
      const cache = createFontCache({ dir });
      const first = await printFonts({ set, used, cache });
      assert.equal(cache.stats.hits, 0);
      assert.equal(cache.stats.misses, fresh.files.length, 'one entry per face');
      // LXGW WenKai is joined from its slices (joinSlices), the others cut from a full font: both kinds are kept.
      assert.ok(fresh.files.some((f) => f.postScriptName.startsWith('LXGWWenKai')));
      // A build links the site's font slices to the package files (a shared copy): a link changes a
      // slice's change time, and must not make the joined faces miss.
      const slice = readdirSync(join(repoRoot, 'node_modules/lxgw-wenkai-webfont/files')).find((f) => f.endsWith('.woff2'))!;
      const link = join(dir, 'linked.woff2');
      linkSync(join(repoRoot, 'node_modules/lxgw-wenkai-webfont/files', slice), link);
      rmSync(link);
      const second = await printFonts({ set, used, cache });
      assert.equal(cache.stats.hits, fresh.files.length);
      assert.deepEqual(faceList(second), faceList(fresh));
      assert.deepEqual(faceList(first), faceList(fresh));

      // 报 is in the CJK faces only: they are cut again, the Latin and Greek faces come from the cache.
      const more = await printFonts({ set, used: codePointsOf(['网络发展报 Network 2026 αβ']), cache });
      const cjk = more.files.filter((f) => /SC|WenKai/.test(f.postScriptName)).length;
      assert.ok(cjk >= 3 && cjk < more.files.length, `${cjk} of ${more.files.length}`);
      assert.equal(cache.stats.misses, fresh.files.length + cjk);
      assert.equal(cache.stats.hits, 2 * fresh.files.length - cjk);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('trim removes the least recently used entries beyond the limit; a hit counts as a use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'annals-font-cache-'));
    try {
      const cache = createFontCache({ dir, maxBytes: 250 });
      const keys = ['a', 'b', 'c'].map((k) => fontKey(k));
      for (const key of keys) cache.set(key, new Uint8Array(100));
      // a the oldest, then b, then c …
      keys.forEach((key, i) => utimesSync(join(dir, `${key}.font`), 1_000_000 + i * 100, 1_000_000 + i * 100));
      // … until a is read again.
      assert.equal(cache.get(keys[0]!)?.length, 100);
      cache.trim();
      assert.deepEqual(readdirSync(dir).sort(), [keys[0], keys[2]].map((k) => `${k}.font`).sort());
      assert.equal(cache.get(keys[1]!), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('keys differ when any part differs, and by where the parts are cut', () => {
    assert.notEqual(fontKey('cut', 'ab', 'c'), fontKey('cut', 'a', 'bc'));
    assert.notEqual(fontKey('cut', new Uint8Array([1, 2])), fontKey('cut', new Uint8Array([1, 3])));
    assert.equal(fontKey('cut', 1, 'x'), fontKey('cut', '1', 'x'));
  });

  test('a build printing from the font cache writes the PDF of a build without it; --no-cache leaves no entry', { skip: pdfSkip() }, async () => {
    const project = tempProject();
    const session = createBrowserSession();
    try {
      const chapter = (n: number) => `---\ntitle: 第${n}章\n---\n\n## 网络 {#s${n}}\n\n${'数据要素市场化配置改革深入推进，公共数据授权运营试点扩大。'.repeat(6)}\n\n> 引文：*Network* 2026 αβ。\n`;
      const id = writeBook(project, { id: 'font-cache-book', chapters: { '01-a.md': chapter(1), '02-b.md': chapter(2) } });
      const pdfPath = join(project.out, id, 'zh', `${id}-zh.pdf`);
      const fontDir = join(project.out, '.cache', 'print-fonts');

      const plain = await build(project, { format: 'pdf', browser: session });
      assert.ok(plain.ok, plain.diagnostics.map((d) => d.message).join('\n'));
      const reference = readFileSync(pdfPath);
      assert.ok(!existsSync(fontDir), 'no build cache, no font cache');

      const cold = await build(project, { format: 'pdf', browser: session, cache: createBuildCache(project) });
      assert.ok(cold.ok);
      const entries = readdirSync(fontDir).filter((f) => f.endsWith('.font'));
      // One per face the book uses, and one per face that several prints embedded and that was joined.
      assert.ok(entries.length >= 4, entries.join(', '));
      assert.ok(readFileSync(pdfPath).equals(reference), 'cold font cache: same bytes');

      // Printed again (the book's record dropped), every font read from the cache: each entry used is touched.
      rmSync(join(project.out, '.cache', id), { recursive: true, force: true });
      for (const f of entries) utimesSync(join(fontDir, f), 1_000_000, 1_000_000);
      const warm = await build(project, { format: 'pdf', browser: session, cache: createBuildCache(project) });
      assert.ok(warm.ok);
      assert.ok(readFileSync(pdfPath).equals(reference), 'warm font cache: same bytes');
      const touched = entries.filter((f) => statSync(join(fontDir, f)).mtimeMs > 2_000_000_000);
      assert.equal(touched.length, entries.length, 'every entry read back');
      assert.deepEqual(readdirSync(fontDir).filter((f) => f.endsWith('.font')).sort(), [...entries].sort(), 'no new entry');
    } finally {
      await session.close();
      rmSync(project.root, { recursive: true, force: true });
    }
  });
});
