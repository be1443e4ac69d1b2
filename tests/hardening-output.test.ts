/**
 * Issue 12: output failures. Each case is a build whose output folder cannot be written — a path under a
 * file, `out/.staging` being a file, `/proc`, a read-only or full disk, a cross-device rename — and each
 * must end with a clear message, exit status 1 and the previous `out/` untouched, never a stack trace or
 * a hang. Also: staging folders of killed builds are removed by the next build, none is left empty, and
 * an HTML-only build keeps the PDF. HTML only (no browser).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../pipeline/cli.ts';
import type { OutputIo } from '../pipeline/html/write-output.ts';
import { build, repoRoot, tempProject, writeBook, type TempProject } from './helpers.ts';

/** A one-chapter book in a project the `annals` command can build (with its own templates/). */
function project(): TempProject {
  const p = tempProject();
  cpSync(join(repoRoot, 'templates'), join(p.root, 'templates'), { recursive: true });
  writeBook(p, { chapters: { '01-a.md': '---\ntitle: 一\n---\n\n正文。\n' } });
  return p;
}

/** Run the command in this process; its exit status and what it printed on stderr. */
async function annals(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'annals', ...args]);
    return { code, stderr };
  } finally {
    process.stderr.write = write;
  }
}

/** Every file under a folder with its bytes, to show that a failed build left it as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'latin1');
  }
  return out;
}

const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });

describe('an output folder that cannot be written', () => {
  test('--out under a file: clear message, exit 1, the file untouched', async () => {
    const p = project();
    const file = join(p.root, 'not-a-folder');
    writeFileSync(file, 'keep me');
    const { code, stderr } = await annals('build', '--root', p.root, '--format', 'html', '--out', join(file, 'out'));
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`error cannot write the output: ${file} is a file, not a folder \\[output-failed\\]`));
    assert.doesNotMatch(stderr, /\n\s+at /); // no stack trace
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
  });

  test('out/.staging is a file: clear message, exit 1, the previous edition untouched', async () => {
    const p = project();
    assert.equal((await annals('build', '--root', p.root, '--format', 'html')).code, 0);
    const before = snapshot(p.out);
    writeFileSync(join(p.out, '.staging'), 'in the way');
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    const { code, stderr } = await annals('build', '--root', p.root, '--format', 'html', '--no-cache');
    assert.equal(code, 1);
    assert.match(stderr, /cannot write the output: .*\/out\/\.staging is a file, not the staging folder \(remove it\) \[output-failed\]/);
    assert.deepEqual(snapshot(p.out), { ...before, '/.staging': 'in the way' });
  });

  test('--out /proc/x: a clear message at once, not an endless mkdir', { skip: existsSync('/proc/self') ? false : 'needs /proc' }, async () => {
    const p = project();
    const { code, stderr } = await annals('build', '--root', p.root, '--format', 'html', '--out', '/proc/annals-x/out');
    assert.equal(code, 1);
    assert.match(stderr, /cannot write the output: mkdir \/proc\/annals-x failed \(ENOENT: the folder cannot be made there\) \[output-failed\]/);
  });

  test('a read-only output folder (simulated: the test runs as root): message, exit status, out/ untouched', async () => {
    const p = project();
    assert.ok((await build(p)).ok);
    const before = snapshot(p.out);
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    const io: OutputIo = { writeFile: async (path) => Promise.reject(errno('EROFS', 'open', path)), rename: async () => undefined };
    const result = await build(p, { outputIo: io });
    assert.equal(result.ok, false);
    const [d] = result.diagnostics.filter((x) => x.ruleId === 'output-failed');
    assert.equal(d?.file, 'out/test-book/zh');
    assert.match(d!.message, /^cannot write the output: open .*\/out\/\.staging\/test-book-zh-\d+\/.* failed \(EROFS: the file system is read-only\)$/);
    assert.deepEqual(snapshot(p.out), before);
  });

  test('a really read-only folder, for a user that is not root', { skip: process.getuid?.() === 0 ? 'root can write anywhere' : false }, async () => {
    const { chmodSync } = await import('node:fs');
    const p = project();
    mkdirSync(p.out);
    chmodSync(p.out, 0o555);
    try {
      const { code, stderr } = await annals('build', '--root', p.root, '--format', 'html');
      assert.equal(code, 1);
      assert.match(stderr, /EACCES: permission denied\) \[output-failed\]/);
      assert.deepEqual(readdirSync(p.out), []);
    } finally {
      chmodSync(p.out, 0o755);
    }
  });

  test('a full disk (simulated): message, exit status, no staging folder left, out/ untouched', async () => {
    const p = project();
    assert.ok((await build(p)).ok);
    const before = snapshot(p.out);
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    // The disk fills up after the first file of the new build.
    let writes = 0;
    const io: OutputIo = {
      writeFile: async (path, data) => {
        if (++writes > 1) throw errno('ENOSPC', 'write', path);
        writeFileSync(path, data);
      },
      rename: async () => undefined,
    };
    const result = await build(p, { outputIo: io });
    assert.equal(result.ok, false);
    assert.ok(writes > 1);
    assert.match(result.diagnostics.find((x) => x.ruleId === 'output-failed')!.message, /failed \(ENOSPC: no space left on the device\)$/);
    assert.equal(existsSync(join(p.out, '.staging')), false);
    assert.deepEqual(snapshot(p.out), before);
  });

  test('a cross-device rename (EXDEV) falls back to copying: the build succeeds and leaves no staging', async () => {
    const p = project();
    let refused = 0;
    const io: OutputIo = {
      writeFile: (path, data) => Promise.resolve(writeFileSync(path, data)),
      rename: async (from, to) => {
        refused++;
        throw Object.assign(errno('EXDEV', 'rename', from), { dest: to });
      },
    };
    const first = await build(p, { outputIo: io });
    assert.ok(first.ok, JSON.stringify(first.diagnostics));
    assert.ok(refused > 0);
    assert.match(readFileSync(join(p.out, 'test-book/zh/site/a.html'), 'utf8'), /正文。/);
    // A second build replaces a changed file across the "devices" too.
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    assert.ok((await build(p, { outputIo: io })).ok);
    assert.match(readFileSync(join(p.out, 'test-book/zh/site/a.html'), 'utf8'), /改过的正文。/);
    assert.equal(existsSync(join(p.out, '.staging')), false);
  });
});

describe('editions written while the next is built (build.ts buildEditions)', () => {
  /** A book with two editions, zh and en, one chapter each. */
  function twoEditions(): TempProject {
    const p = tempProject();
    cpSync(join(repoRoot, 'templates'), join(p.root, 'templates'), { recursive: true });
    const edition = (id: string, lang: string, title: string) => [`  ${id}:`, `    lang: ${lang}`, `    title: ${title}`, '    chapters:', '      - 01-a.md'];
    p.write('manuscripts/test-book/book.yaml', ['id: test-book', 'kind: report', 'year: 2026', 'editions:', ...edition('zh', 'zh-CN', '测试之书'), ...edition('en', 'en', 'A Test Book')].join('\n'));
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n正文。\n');
    p.write('manuscripts/test-book/en/01-a.md', '---\ntitle: One\n---\n\nText.\n');
    return p;
  }

  test("one edition's failed write fails that edition alone, with one message, and leaves its out/ untouched", async () => {
    const p = twoEditions();
    assert.ok((await build(p)).ok);
    const before = snapshot(join(p.out, 'test-book/zh'));
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    p.write('manuscripts/test-book/en/01-a.md', '---\ntitle: One\n---\n\nChanged text.\n');
    // The zh edition's staging folder is on a full disk; the en edition's is not.
    const io: OutputIo = {
      writeFile: async (path, data) => {
        if (path.includes('test-book-zh-')) throw errno('ENOSPC', 'write', path);
        writeFileSync(path, data);
      },
      rename: (from, to) => Promise.resolve(renameSync(from, to)),
    };
    const result = await build(p, { outputIo: io });
    assert.equal(result.ok, false);
    assert.deepEqual(result.editions.map((e) => [e.edition, e.ok]), [['zh', false], ['en', true]]);
    assert.equal(result.diagnostics.filter((d) => d.ruleId === 'output-failed').length, 1);
    assert.equal(result.diagnostics.filter((d) => d.severity === 'error').length, 1);
    assert.deepEqual(snapshot(join(p.out, 'test-book/zh')), before);
    assert.match(readFileSync(join(p.out, 'test-book/en/site/a.html'), 'utf8'), /Changed text\./);
    assert.equal(existsSync(join(p.out, '.staging')), false);
  });
});

describe('staging folders', () => {
  test('a staging folder of a killed build is removed by the next build; none is left afterwards', async () => {
    const p = project();
    // A pid no process can have (above the kernel's pid_max).
    const stale = join(p.out, '.staging', 'test-book-zh-2147483646');
    mkdirSync(join(stale, 'site'), { recursive: true });
    writeFileSync(join(stale, 'site', 'index.html'), 'left by SIGKILL');
    const live = join(p.out, '.staging', `other-zh-${process.pid === 1 ? 2 : 1}`); // pid 1 always runs
    mkdirSync(live, { recursive: true });
    assert.ok((await build(p)).ok);
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(live), true, 'the folder of a running process stays');
    assert.deepEqual(readdirSync(join(p.out, '.staging')), [`other-zh-${process.pid === 1 ? 2 : 1}`]);
  });

  test('no empty out/.staging/ after a build', async () => {
    const p = project();
    assert.ok((await build(p)).ok);
    assert.equal(existsSync(join(p.out, '.staging')), false);
  });

  test('--no-cache --format html keeps the PDF an earlier build wrote', async () => {
    const p = project();
    assert.equal((await annals('build', '--root', p.root, '--format', 'html')).code, 0);
    const pdf = join(p.out, 'test-book/zh/test-book-zh.pdf');
    writeFileSync(pdf, '%PDF-1.7 from an earlier build');
    const mtime = statSync(pdf).mtimeMs;
    p.write('manuscripts/test-book/zh/01-a.md', '---\ntitle: 一\n---\n\n改过的正文。\n');
    assert.equal((await annals('build', '--root', p.root, '--format', 'html', '--no-cache')).code, 0);
    assert.equal(readFileSync(pdf, 'utf8'), '%PDF-1.7 from an earlier build');
    assert.equal(statSync(pdf).mtimeMs, mtime);
    assert.match(readFileSync(join(p.out, 'test-book/zh/site/a.html'), 'utf8'), /改过的正文。/);
  });
});
