/**
 * Release builds (`annals build --release`): SOURCE_DATE_EPOCH required, warnings are errors, and
 * out/manifest.json lists every file with its size and SHA-256 — recomputed here from the files. Then the
 * release assets: deterministic ZIPs of the HTML editions and a SHA256SUMS that matches them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest } from '../pipeline/release/manifest.ts';
import { writeReleaseAssets } from '../pipeline/release/assets.ts';
import { build, copyFixture, repoRoot, tempProject, type TempProject } from './helpers.ts';

const fixture = join(repoRoot, 'tests/fixtures/editions/ed-book');
const EPOCH = '1767225600'; // 2026-01-01T00:00:00Z

function bookProject(): TempProject {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  return project;
}

/** Run with SOURCE_DATE_EPOCH set to `value` (or unset), restoring the environment afterwards. */
async function withEpoch<T>(value: string | undefined, run: () => Promise<T>): Promise<T> {
  const saved = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = value;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), root) : [relative(root, join(dir, e.name))]));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('the manifest lists every file under out/ with its size and SHA-256, and the versions', async () => {
  const project = bookProject();
  const result = await withEpoch(EPOCH, () => build(project, { release: true }));
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics, null, 1));
  assert.equal(result.manifest, join(project.out, 'manifest.json'));
  const text = project.read('out/manifest.json');
  const manifest = JSON.parse(text) as Manifest;

  // Every file (but the build's .staging/.cache and the manifest itself), sorted, sizes and hashes recomputed.
  const onDisk = walk(project.out)
    .filter((p) => !p.startsWith('.staging/') && !p.startsWith('.cache/') && p !== 'manifest.json')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(manifest.files.map((f) => f.path), onDisk);
  assert.ok(onDisk.includes('ed-book/zh-Hant/site/network.html'));
  for (const f of manifest.files) {
    const full = join(project.out, f.path);
    assert.equal(f.size, statSync(full).size, f.path);
    assert.equal(f.sha256, sha256(readFileSync(full)), f.path);
  }

  // What made the files.
  assert.equal(manifest.sourceDateEpoch, Number(EPOCH));
  assert.deepEqual(manifest.tool, { name: 'annals', version: JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version });
  assert.equal(manifest.node, process.version);
  assert.equal(manifest.chromium, undefined, 'no PDF was printed');
  const fontsDir = join(repoRoot, 'node_modules/@fontsource');
  for (const pkg of readdirSync(fontsDir)) {
    assert.equal(manifest.fonts[`@fontsource/${pkg}`], JSON.parse(readFileSync(join(fontsDir, pkg, 'package.json'), 'utf8')).version);
  }
  // The Kai faces' packages, outside @fontsource.
  for (const pkg of ['lxgw-wenkai-webfont', 'lxgw-wenkai-tc-webfont']) {
    assert.equal(manifest.fonts[pkg], JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version);
  }
  assert.doesNotMatch(text, /"(generated|date|time)"/);

  // Deterministic: a second release build of the same input writes the same manifest, byte for byte.
  await withEpoch(EPOCH, () => build(project, { release: true }));
  assert.equal(project.read('out/manifest.json'), text);
});

test('a release build needs SOURCE_DATE_EPOCH (or a git commit to take it from)', async () => {
  const project = bookProject(); // a temporary folder: not a git checkout
  const result = await withEpoch(undefined, () => build(project, { release: true }));
  const d = result.diagnostics.find((x) => x.ruleId === 'release-epoch');
  assert.ok(d, JSON.stringify(result.diagnostics, null, 1));
  assert.equal(d.severity, 'error');
  assert.equal(result.ok, false);
  assert.deepEqual(result.editions, []);
  const bad = await withEpoch('yesterday', () => build(project, { release: true }));
  assert.ok(bad.diagnostics.some((x) => x.ruleId === 'release-epoch'));
});

test('in a release build warnings are errors, and the edition with one is not written', async () => {
  const project = bookProject();
  const zh = 'manuscripts/ed-book/zh/01-network.md';
  project.write(zh, project.read(zh).replace('## 数据中心', '# 数据中心')); // heading-level: a warning
  const normal = await withEpoch(EPOCH, () => build(project, { edition: 'zh' }));
  assert.equal(normal.ok, true);
  assert.equal(normal.diagnostics.find((d) => d.ruleId === 'heading-level')?.severity, 'warning');
  const out = join(project.root, 'out-release');
  const release = await withEpoch(EPOCH, () => build({ ...project, out }, { release: true }));
  assert.equal(release.ok, false);
  assert.equal(release.diagnostics.find((d) => d.ruleId === 'heading-level')?.severity, 'error');
  assert.equal(release.manifest, undefined);
  const written = Object.fromEntries(release.editions.map((e) => [e.edition, e.outDir !== undefined]));
  assert.deepEqual(written, { zh: false, en: true, 'zh-Hant': false });
});

test('release assets: zipped HTML editions, the manifest and a SHA256SUMS that matches them', async () => {
  const project = bookProject();
  await withEpoch(EPOCH, () => build(project, { release: true }));
  const dist = join(project.root, 'dist');
  const names = await writeReleaseAssets({ outDir: project.out, destDir: dist });
  assert.deepEqual(names, ['ed-book-en-html.zip', 'ed-book-zh-Hant-html.zip', 'ed-book-zh-html.zip', 'manifest-ed-book.json']);
  const sums = readFileSync(join(dist, 'SHA256SUMS'), 'utf8');
  const lines = sums.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(66)), names);
  for (const line of lines) {
    const [hash, name] = line.split('  ');
    assert.equal(hash, sha256(readFileSync(join(dist, name!))), name);
  }
  // The ZIP holds the site under <book>-<edition>/, every entry dated SOURCE_DATE_EPOCH, and is reproducible.
  const zip = readFileSync(join(dist, 'ed-book-zh-Hant-html.zip'));
  const entries = zipEntries(zip);
  assert.ok(entries.some((e) => e.name === 'ed-book-zh-Hant/network.html'));
  assert.ok(entries.every((e) => e.name.startsWith('ed-book-zh-Hant/') && e.date === ((2026 - 1980) << 9 | 1 << 5 | 1) && e.time === 0));
  await writeReleaseAssets({ outDir: project.out, destDir: join(project.root, 'dist2') });
  assert.ok(readFileSync(join(project.root, 'dist2', 'ed-book-zh-Hant-html.zip')).equals(zip));
});

/** Names and DOS dates of a ZIP's central directory. */
function zipEntries(zip: Buffer): Array<{ name: string; date: number; time: number }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    out.push({ time: zip.readUInt16LE(at + 12), date: zip.readUInt16LE(at + 14), name: zip.toString('utf8', at + 46, at + 46 + nameLength) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}
