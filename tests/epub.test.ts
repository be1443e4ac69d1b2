/**
 * `--format epub`: a tiny two-chapter book with a note, a table, an index term and math, read back from
 * its EPUB: the OCF layout (mimetype first and stored), metadata (ISBN, language, dcterms:modified from
 * SOURCE_DATE_EPOCH), nav and NCX, notes as EPUB footnotes, index links into the chapters, MathML,
 * subset fonts, the cover, byte-identical rebuilds, and EPUBCheck with no errors or warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { slicesOf, fontSetFor } from '../pipeline/fonts/fonts.ts';
import { EMBEDDABLE_LICENCES, fontLicence } from '../pipeline/epub/epub-fonts.ts';
import { build, tempProject, writeBook } from './helpers.ts';
import { epubcheck } from './epubcheck.ts';
import { writeReleaseAssets } from '../pipeline/release/assets.ts';

const EPOCH = '1772600767'; // 2026-03-04T05:06:07Z

const chapters = {
  '01-network.md': `---
title: 网络基础
---

## 总体情况

:idx[数字经济]规模持续扩大，宽带用户增长[^1]。公式 $E=mc^2$ 仅作示例。

:::table[主要指标]{#tab-main source="示例数据"}
| 指标 | 数值 |
|---|---:|
| 基站 | 425 |
:::

[^1]: 示例注释。
`,
  '02-economy.md': `---
title: 数字经济
---

## 发展态势

:idx[数字经济]继续增长，见:ref[tab-main]。
`,
};

async function buildEpub(out: string, release = false) {
  const project = tempProject();
  writeBook(project, { id: 'epub-book', chapters, extraYaml: '' });
  // The ISBN is read from the edition in book.yaml.
  const yamlPath = join(project.root, 'manuscripts/epub-book/book.yaml');
  project.write('manuscripts/epub-book/book.yaml', readFileSync(yamlPath, 'utf8').replace('    title: 测试之书\n', '    title: 测试之书\n    byline: 测试研究院 编著\n    publisher: 测试出版社\n    imprint:\n      sample: true\n      isbn: 978-7-5000-0000-6\n      cip: {place: 北京, subjects: [互联网络], classification: TP393.4, number: （2026）第000001号}\n      editors: [编辑甲]\n      coverDesign: 设计丙\n      address: 北京市示例路1号 100000\n      printer: 示例印刷厂\n      edition: {number: 1, date: 2026-06}\n      printing: {number: 1, date: 2026-06}\n      price: 68\n'));
  const before = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = EPOCH;
  try {
    const result = await build({ ...project, out: join(project.root, out) }, { format: 'epub', release, allowSample: true });
    assert.ok(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));
  } finally {
    if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = before;
  }
  return join(project.root, out, 'epub-book/zh/epub-book-zh.epub');
}

let path: string;
let zip: JSZip;
const text = (name: string) => zip.file(name)!.async('string');

test('an edition is written as one EPUB whose first entry is the stored mimetype', async () => {
  path = await buildEpub('out');
  const bytes = readFileSync(path);
  assert.equal(bytes.readUInt32LE(0), 0x04034b50);
  assert.equal(bytes.readUInt16LE(8), 0, 'stored, not deflated');
  assert.equal(bytes.toString('latin1', 30, 38), 'mimetype');
  assert.equal(bytes.toString('latin1', 38, 58), 'application/epub+zip');
  zip = await JSZip.loadAsync(bytes);
  assert.match(await text('META-INF/container.xml'), /full-path="EPUB\/package\.opf"/);
});

test('the package document carries the metadata and declares every file', async () => {
  const opf = await text('EPUB/package.opf');
  assert.match(opf, /<dc:identifier id="pub-id">urn:isbn:9787500000006<\/dc:identifier>/);
  assert.match(opf, /<dc:title id="title">测试之书<\/dc:title>/);
  assert.match(opf, /<dc:language>zh-CN<\/dc:language>/);
  assert.match(opf, /<dc:creator>测试研究院 编著<\/dc:creator>/);
  assert.match(opf, /<meta property="dcterms:modified">2026-03-04T05:06:07Z<\/meta>/);
  assert.match(opf, /<item id="nav" href="nav\.xhtml" media-type="application\/xhtml\+xml" properties="nav"/);
  assert.match(opf, /<item id="cover-image" href="images\/cover\.svg" media-type="image\/svg\+xml" properties="cover-image"/);
  assert.match(opf, /<item id="doc-network" href="network\.xhtml" media-type="application\/xhtml\+xml" properties="mathml"/);
  assert.match(opf, /<spine toc="ncx">/);
  // Every file in the container but mimetype, container.xml and the OPF is in the manifest.
  const hrefs = new Set([...opf.matchAll(/href="([^"]+)"/g)].map((m) => `EPUB/${m[1]}`));
  const files = Object.keys(zip.files).filter((n) => !['mimetype', 'META-INF/container.xml', 'EPUB/package.opf'].includes(n));
  assert.deepEqual(files.filter((f) => !hrefs.has(f)), []);
  // Reading order: cover, contents, chapters, index.
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(spine, ['cover', 'nav', 'doc-network', 'doc-economy', 'doc-book-index']);
});

test('notes are EPUB footnotes, references link between documents, the index links into chapters', async () => {
  const network = await text('EPUB/network.xhtml');
  assert.match(network, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE html>\n<html xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" xmlns:epub="http:\/\/www\.idpf\.org\/2007\/ops" lang="zh-CN" xml:lang="zh-CN">/);
  assert.match(network, /<a href="#network-fn-1" id="network-fnref-1" data-footnote-ref=""[^>]* epub:type="noteref">[^<]+<\/a>/);
  assert.match(network, /<aside id="network-fn-1" class="note" epub:type="footnote">/);
  assert.match(network, /<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"/);
  assert.doesNotMatch(network, /katex-html/);
  const economy = await text('EPUB/economy.xhtml');
  assert.match(economy, /<a class="xref" href="network\.xhtml#tab-main"[^>]*>表1-1<\/a>/);
  const index = await text('EPUB/book-index.xhtml');
  assert.match(index, /href="network\.xhtml#idx-1"/);
  assert.match(index, /href="economy\.xhtml#idx-2"/);
  const nav = await text('EPUB/nav.xhtml');
  assert.match(nav, /<nav class="toc" id="toc" aria-label="目录" epub:type="toc">/);
  assert.match(nav, /href="network\.xhtml"/);
  assert.match(nav, /<nav epub:type="landmarks" hidden="">/);
  const ncx = await text('EPUB/toc.ncx');
  assert.match(ncx, /<meta name="dtb:uid" content="urn:isbn:9787500000006" \/>/);
  assert.match(ncx, /<navPoint id="nav-1" playOrder="1"><navLabel><text>第一章 网络基础<\/text><\/navLabel><content src="network\.xhtml" \/>/);
});

test('fonts are subset to the characters of the book, and the cover shows the title', async () => {
  const fonts = Object.keys(zip.files).filter((n) => n.startsWith('EPUB/styles/fonts/'));
  assert.ok(fonts.length > 0);
  const slices = new Map(fontSetFor('zh-Hans').faces.flatMap((f) => slicesOf(f)).map((s) => [s.name, s.file]));
  for (const font of fonts) {
    const name = font.split('/').pop()!;
    assert.match(name, /\.(ttf|otf)$/);
    const data = await zip.file(font)!.async('uint8array');
    const slice = slices.get(name.replace(/\.(ttf|otf)$/, '.woff2'))!;
    // Even uncompressed, the subset is smaller than the (Brotli-compressed) slice it is cut from.
    assert.ok(data.length < statSync(slice).size, `${name}: ${data.length} bytes, smaller than the slice it is cut from`);
  }
  assert.match(await text('EPUB/styles/fonts.css'), /@font-face\{font-family:'Noto Serif SC';font-style:normal;font-weight:400;src:url\(fonts\/noto-serif-sc-[\w-]+\.(ttf|otf)\) format\('(truetype|opentype)'\);unicode-range:/);
  // Embedded because the package's licence allows it.
  assert.equal(fontLicence('noto-serif-sc'), 'OFL-1.1');
  assert.ok((EMBEDDABLE_LICENCES as readonly string[]).includes(fontLicence('noto-serif-sc')));
  assert.match(await text('EPUB/images/cover.svg'), /<text [^>]*>测试之书<\/text>/);
});

test('a rebuild gives the same bytes, the release assets include it, and EPUBCheck finds nothing', async () => {
  const again = await buildEpub('out-again', true);
  assert.ok(readFileSync(again).equals(readFileSync(path)), 'byte-identical');
  const outDir = join(again, '../../..');
  const names = await writeReleaseAssets({ outDir, destDir: join(outDir, '../dist') });
  assert.deepEqual(names, ['epub-book-zh-html.zip', 'epub-book-zh.epub', 'manifest-epub-book.json']);
  assert.ok(readFileSync(join(outDir, '../dist', 'epub-book-zh.epub')).equals(readFileSync(path)));
  // Checked after a copy with an element XHTML does not have, in one EPUBCheck run (tests/epubcheck.ts):
  // the copy's error is found, and none of it is carried over to the next file.
  const zip = await JSZip.loadAsync(readFileSync(path));
  const page = Object.keys(zip.files).find((name) => name.endsWith('.xhtml') && !name.endsWith('nav.xhtml'))!;
  zip.file(page, (await zip.file(page)!.async('string')).replace('</body>', '<blink>not XHTML</blink></body>'));
  const broken = join(outDir, '../broken.epub');
  writeFileSync(broken, await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' }));
  const [bad, result] = await epubcheck([broken, path]);
  assert.ok(bad!.problems.some((p) => p.startsWith('ERROR(RSC-005)') && p.includes('blink')), bad!.problems.join('\n'));
  assert.deepEqual(result!.problems, []);
  assert.match(result!.summary, /0 fatals \/ 0 errors \/ 0 warnings/);
});
