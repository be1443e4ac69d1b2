/**
 * The `annals` command as a user runs it: exit codes (0 success, 1 errors, 2 bad usage), --help for each
 * command, --json diagnostics, `check` writing no output (only its cache) and `clean` removing out/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempProject, writeBook } from './helpers.ts';

function annals(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/annals.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp project whose templates/ is the repository's (the CLI reads <root>/templates). */
function cliProject() {
  const project = tempProject();
  symlinkSync(join(repoRoot, 'templates'), join(project.root, 'templates'));
  mkdirSync(join(project.root, 'indicators'), { recursive: true });
  return project;
}

test('--help for the program and for each command', () => {
  const top = annals(['--help']);
  assert.equal(top.code, 0);
  for (const cmd of ['build', 'check', 'clean']) assert.match(top.stdout, new RegExp(`\\b${cmd}\\b`));
  for (const cmd of ['build', 'check', 'clean']) {
    const r = annals([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`Usage: annals ${cmd}`));
  }
  assert.match(annals(['build', '--help']).stdout, /--format <format>/);
});

test('bad usage exits 2', () => {
  assert.equal(annals(['frobnicate']).code, 2);
  const r = annals(['build', '--format', 'docx']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Allowed choices are html, pdf, epub, all/);
});

test('an unknown book is bad usage: exit 2, with a message naming the books', () => {
  const project = cliProject();
  writeBook(project, { id: 'alpha-2026', chapters: { '01-a.md': '---\ntitle: 甲\n---\n\n正文。\n' } });
  const r = annals(['build', 'beta', '--root', project.root, '--format', 'html']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no book "beta" under manuscripts\/ \(books: alpha-2026\)/);
});

test('build selects a book by its name without the year, and an edition', () => {
  const project = cliProject();
  writeBook(project, { id: 'alpha-2026', chapters: { '01-a.md': '---\ntitle: 甲\n---\n\n正文。\n' } });
  const r = annals(['build', 'alpha', '--edition', 'zh', '--root', project.root, '--format', 'html']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(project.root, 'out/alpha-2026/zh/site/index.html')));
  assert.ok(existsSync(join(project.root, 'out/alpha-2026/zh/print.html')));
  const bad = annals(['build', 'alpha', '--edition', 'fr', '--root', project.root, '--format', 'html']);
  assert.equal(bad.code, 2, 'an unknown edition is bad usage');
  assert.match(bad.stderr, /has no edition "fr" \(editions: zh\)/);
});

test('check --no-cache writes nothing and prints JSON diagnostics with --json', () => {
  const project = cliProject();
  writeBook(project, { id: 'alpha-2026', chapters: { '01-a.md': '---\ntitle: 甲\n---\n\n::figur[x]\n' } });
  const r = annals(['check', '--json', '--no-cache', '--root', project.root]);
  assert.equal(r.code, 1);
  const { diagnostics } = JSON.parse(r.stdout);
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(
    { file: diagnostics[0].file, line: diagnostics[0].line, column: diagnostics[0].column, severity: diagnostics[0].severity, ruleId: diagnostics[0].ruleId },
    { file: 'manuscripts/alpha-2026/zh/01-a.md', line: 5, column: 1, severity: 'error', ruleId: 'unknown-directive' },
  );
  assert.equal(existsSync(join(project.root, 'out')), false, 'check wrote nothing');
  // Without --no-cache a check writes no output, only its record under out/.cache/, and a second check
  // replays it: the same diagnostics and the same exit code.
  const cached = annals(['check', '--json', '--root', project.root]);
  assert.equal(cached.code, 1);
  assert.deepEqual(readdirSync(join(project.root, 'out')), ['.cache']);
  const replayed = annals(['check', '--json', '--root', project.root]);
  assert.equal(replayed.code, 1);
  assert.deepEqual(JSON.parse(replayed.stdout), JSON.parse(cached.stdout));
  assert.deepEqual(JSON.parse(cached.stdout).diagnostics, diagnostics);
});

test('compiler-style text diagnostics with a hint', () => {
  const project = cliProject();
  writeBook(project, { id: 'alpha-2026', chapters: { '01-a.md': '---\ntitle: 甲\n---\n\n::figur[x]\n' } });
  const r = annals(['check', '--root', project.root]);
  assert.match(r.stderr, /^manuscripts\/alpha-2026\/zh\/01-a\.md:5:1 error unknown directive `::figur` \[unknown-directive\]$/m);
  assert.match(r.stderr, /hint: Did you mean `::figure`\?/);
  assert.match(r.stderr, /> 5 \| ::figur\[x\]/);
});

test('clean removes out/', () => {
  const project = cliProject();
  mkdirSync(join(project.root, 'out/x'), { recursive: true });
  assert.equal(annals(['clean', '--root', project.root]).code, 0);
  assert.equal(existsSync(join(project.root, 'out')), false);
});
