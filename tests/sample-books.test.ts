/**
 * End to end: the three sample books build without errors into a reviewable HTML edition — a home page
 * with the cover and a linked TOC, one page per chapter with previous/next links, relative links that all
 * resolve inside the edition folder, and the substantial sample text the books promise. The build also
 * writes every edition's EPUB, and EPUBCheck passes each with no error and no warning.
 *
 * The build is the run's one fresh build of the sample books (tests/shared-build.ts), which
 * tests/byte-identity.test.ts hashes too; this file only reads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { BuildResult } from '../pipeline/build/build.ts';
import { repoRoot } from './helpers.ts';
import { epubcheck } from './epubcheck.ts';
import { sampleBooks } from './shared-build.ts';

let out: string;
let result: BuildResult;

test('all sample books build with no errors', async () => {
  ({ out, result } = await sampleBooks());
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.slice(0, 5), [], `${errors.length} errors`);
  const editions = result.editions.map((e) => `${e.book}/${e.edition}`);
  for (const e of ['world-report-2026/zh', 'world-report-2026/en', 'china-report-2026/zh', 'yearbook-2026/zh']) assert.ok(editions.includes(e), e);
});

test('every edition is a linked, self-contained site', () => {
  for (const e of result.editions) {
    const site = join(out, e.book, e.edition, 'site');
    const pages = readdirSync(site).filter((f) => f.endsWith('.html'));
    assert.ok(pages.includes('index.html'), `${e.book}/${e.edition} has a home page`);
    assert.ok(pages.length >= 6, `${e.book}/${e.edition} has chapter pages`);
    const home = readFileSync(join(site, 'index.html'), 'utf8');
    assert.match(home, /<nav class="toc"/);
    for (const page of pages) {
      const html = readFileSync(join(site, page), 'utf8');
      for (const [, attr, url] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
        if (/^(https?:|mailto:)/.test(url!)) continue;
        assert.ok(!url!.startsWith('/') && !url!.startsWith('file:'), `${page}: ${attr}="${url}" must be relative`);
        const path = decodeURIComponent(url!.split('#')[0]!);
        if (path) assert.ok(existsSync(normalize(join(dirname(join(site, page)), path))), `${e.book}/${e.edition}/${page}: ${url} exists`);
        const fragment = url!.split('#')[1];
        if (fragment) {
          const target = path ? readFileSync(join(site, path), 'utf8') : html;
          assert.ok(target.includes(`id="${decodeURIComponent(fragment)}"`), `${page}: #${fragment} exists in ${path || page}`);
        }
      }
      if (page !== 'index.html') assert.match(html, /class="pager-prev"/, `${page} links back`);
    }
    assert.ok(existsSync(join(out, e.book, e.edition, 'print.html')));
  }
});

test('every sample edition\'s EPUB passes EPUBCheck with no errors and no warnings', async () => {
  const epubs = result.editions.map((e) => join(out, e.book, e.edition, `${e.book}-${e.edition}.epub`));
  assert.equal(epubs.length, 7);
  for (const r of await epubcheck(epubs)) {
    assert.deepEqual(r.problems.slice(0, 5), [], r.file);
    assert.match(r.summary, /0 fatals \/ 0 errors \/ 0 warnings/, r.file);
  }
});

test('every sample edition has at least five substantial chapters', () => {
  for (const e of result.editions) {
    const dir = join(repoRoot, 'manuscripts', e.book, e.edition);
    if (!existsSync(dir)) continue; // a derived edition (zh-Hant from zh) has no chapters of its own
    const english = e.edition === 'en';
    const sizes = readdirSync(dir)
      .filter((n) => n.endsWith('.md'))
      .map((name) => {
        const text = readFileSync(join(dir, name), 'utf8');
        return english ? text.split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length : (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
      });
    const substantial = sizes.filter((n) => n >= (english ? 800 : 1500)).length;
    assert.ok(substantial >= 5, `${e.book}/${e.edition}: ${substantial} substantial chapters (${sizes.join(', ')})`);
  }
});

test('headings are numbered from the tree in the edition\'s style', () => {
  const zh = readFileSync(join(out, 'world-report-2026/zh/site/infrastructure.html'), 'utf8');
  assert.match(zh, /<p class="chapter-label">第二章<\/p>/);
  assert.match(zh, /<h2 id="[^"]+"><span class="heading-number">一、<\/span>/);
  assert.match(zh, /<h3 id="[^"]+"><span class="heading-number">（一）<\/span>/);
  const en = readFileSync(join(out, 'world-report-2026/en/site/infrastructure.html'), 'utf8');
  assert.match(en, /<p class="chapter-label">Chapter 2<\/p>/);
  assert.match(en, /<h2 id="[^"]+"><span class="heading-number">2\.1<\/span>/);
  assert.match(en, /<h3 id="[^"]+"><span class="heading-number">2\.\d\.1<\/span>/);
});

test('a derived edition shows its SVG figures converted too, with fonts that cover them', () => {
  // The yearbook's structure figure is written in Simplified Chinese; the zh-Hant edition ships it in
  // Traditional characters (a Traditional font has no glyph for 网 or 络), the zh edition as written.
  const svg = (edition: string) => readFileSync(join(out, 'yearbook-2026', edition, 'site', 'images', 'cyberspace-work-system.svg'), 'utf8');
  assert.match(svg('zh'), /网络/);
  assert.doesNotMatch(svg('zh-Hant'), /[网络数]/);
  assert.match(svg('zh-Hant'), /網/);
  // The ids and structure are untouched: only characters change.
  const ids = (text: string) => [...text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids(svg('zh-Hant')), ids(svg('zh')));
  // In the pages the figure is inline, so its text is set in the book's fonts (an SVG loaded by <img>
  // cannot use web fonts: on a machine without Chinese fonts its text would be empty boxes).
  for (const edition of ['zh', 'zh-Hant']) {
    for (const page of [join('site', 'features.html'), 'print.html']) {
      const html = readFileSync(join(out, 'yearbook-2026', edition, page), 'utf8');
      assert.doesNotMatch(html, /<img[^>]+\.svg"/, `${edition}/${page}: no SVG left as an image`);
      assert.match(html, /<svg[^>]*class="inline-svg"/, `${edition}/${page}: the figure is inline`);
    }
  }
  assert.match(readFileSync(join(out, 'yearbook-2026', 'zh-Hant', 'site', 'features.html'), 'utf8'), /網絡強國建設/);
});
