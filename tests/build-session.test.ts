/**
 * Issue 13, item 5: a build's session holds the files that carry its messages (each once) and the build's
 * one time, which reaches every dated output instead of the environment; the words that used to be typed
 * in code come from the locale files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { createBuildSession } from '../pipeline/base/build-session.ts';
import { replayMessages } from '../pipeline/base/message-log.ts';
import { createLocale } from '../pipeline/locale/locale.ts';
import { yearsText } from '../pipeline/features/indicators/indicator-words.ts';
import { metadataDate } from '../pipeline/release/source-date-epoch.ts';
import { build, repoRoot, tempProject, writeBook } from './helpers.ts';

const templates = join(repoRoot, 'templates');

test('a session starts with the command line\'s file and adds each file once', () => {
  const session = createBuildSession({ sourceDateEpoch: 1700000000 });
  assert.deepEqual(session.files.map((f) => f.path), ['<command line>']);
  const a = new VFile({ path: '/book/book.yaml' });
  session.add(a, a);
  session.add(a);
  assert.equal(session.files.length, 2);
  assert.equal(session.find('/book/book.yaml'), a);
  assert.equal(session.find('/book/other.yaml'), undefined);
  assert.equal(session.sourceDateEpoch, 1700000000);
  // A book built apart shares the command line's file but starts with no files of its own.
  const book = createBuildSession({ cli: session.cli });
  assert.equal(book.cli, session.cli);
  assert.deepEqual(book.files, []);
});

test('replayed messages land on the session\'s file of that path, or on a new file it adds', () => {
  const session = createBuildSession();
  const yaml = new VFile({ path: '/book/book.yaml' });
  session.add(yaml);
  replayMessages(session, [
    { path: '/book/book.yaml', messages: [{ reason: 'old warning', ruleId: 'x', fatal: false }] },
    { path: '/book/zh/01.md', messages: [{ reason: 'old error', ruleId: 'y', fatal: true }] },
  ]);
  assert.deepEqual(yaml.messages.map((m) => m.reason), ['old warning']);
  assert.equal(session.files.length, 3);
  assert.deepEqual(session.find('/book/zh/01.md')?.messages.map((m) => [m.reason, m.fatal]), [['old error', true]]);
});

test('the build\'s one time dates the outputs; without one, 1 January of the book\'s year', () => {
  assert.equal(metadataDate(2026, 1767225600).toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(metadataDate(2025, 1767312000).toISOString(), '2026-01-02T00:00:00.000Z');
  assert.equal(metadataDate(2025, undefined).toISOString(), '2025-01-01T00:00:00.000Z');
});

test('a release build does not leave SOURCE_DATE_EPOCH in the environment', async () => {
  const project = tempProject();
  writeBook(project, { id: 'epoch-book', chapters: { '01-intro.md': '---\ntitle: 引言\n---\n\n正文。\n' } });
  // A checkout with one commit: a release without SOURCE_DATE_EPOCH takes that commit's time.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], { cwd: project.root, stdio: 'ignore', env: { ...process.env, GIT_COMMITTER_DATE: '2026-01-02T00:00:00Z', GIT_AUTHOR_DATE: '2026-01-02T00:00:00Z' } });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'book');
  const saved = process.env.SOURCE_DATE_EPOCH;
  delete process.env.SOURCE_DATE_EPOCH;
  try {
    // Refused or not (the sample book is no release), the commit's time is the build's, not the process's.
    const result = await build(project, { release: true, format: 'html' });
    assert.equal(result.diagnostics.find((d) => d.ruleId === 'release-epoch'), undefined, 'the time was taken from the commit');
    assert.equal(process.env.SOURCE_DATE_EPOCH, undefined);
  } finally {
    if (saved !== undefined) process.env.SOURCE_DATE_EPOCH = saved;
  }
});

test('separators, ranges and the outline\'s contents entry are the locale\'s words', () => {
  const zh = createLocale('zh-CN', templates);
  const hant = createLocale('zh-TW', templates);
  const en = createLocale('en', templates);
  assert.equal(yearsText([2021, 2022, 2023], zh), '2021—2023');
  assert.equal(yearsText([2023, 2021, 2022], en), '2021–2023');
  assert.equal(yearsText([2020, 2023], zh), '2020、2023');
  assert.equal(yearsText([2020, 2023], en), '2020, 2023');
  assert.deepEqual([zh, hant, en].map((l) => l.t('sourceSeparator')), ['；', '；', '; ']);
  // The PDF outline's entry for the table of contents (pdf/pass-assemble.ts): Traditional in zh-Hant.
  assert.deepEqual([zh, hant, en].map((l) => l.t('contents')), ['目录', '目錄', 'Contents']);
  assert.equal(en.t('indicatorPairCorrelation', { pair: en.t('indicatorPair', { a: 'A', b: 'B' }), r: '−0.52' }), 'A and B (r = −0.52)');
  assert.equal(zh.t('indicatorPairCorrelation', { pair: zh.t('indicatorPair', { a: '甲', b: '乙' }), r: '−0.52' }), '甲与乙（r = −0.52）');
});
