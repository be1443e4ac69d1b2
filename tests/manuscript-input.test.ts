/**
 * Issue 12, manuscript input: Markdown written by others builds, and what cannot be used is reported at
 * its line. One test per case, each with the smallest input, asserting the message and its position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../pipeline/report/diagnostics.ts';
import { billionLaughs, build, mainOf, tempProject, writeBook, type BookSpec, type TempProject } from './helpers.ts';

const chapter = (body: string, matter = 'title: 测试章') => `---\n${matter}\n---\n\n${body}\n`;

/** Build a one-chapter book (HTML only); the chapter body starts on line 5. */
async function one(body: string, spec: Partial<BookSpec> = {}, prepare?: (p: TempProject) => void) {
  const project = tempProject();
  writeBook(project, { ...spec, chapters: { '01-a.md': chapter(body) } });
  prepare?.(project);
  const result = await build(project);
  const page = (() => {
    try {
      return mainOf(project.read(`out/test-book/${spec.edition ?? 'zh'}/site/a.html`));
    } catch {
      return '';
    }
  })();
  return { project, result, diagnostics: result.diagnostics, page };
}

function only(diagnostics: Diagnostic[], ruleId: string): Diagnostic {
  const hits = diagnostics.filter((d) => d.ruleId === ruleId);
  assert.equal(hits.length, 1, `expected one ${ruleId}, got: ${JSON.stringify(diagnostics, null, 1)}`);
  return hits[0]!;
}

// ── Colons are not directives ────────────────────────────────────────────────────────────────

test('colons in prose stay text: 作者:Zhang San, 状态:OK, London:The MIT Press, mailto:, key:value', async () => {
  const { diagnostics, page } = await one('作者:Zhang San，状态:OK。\n\nLondon:The MIT Press, 2020.\n\n写信到mailto:x@y.cn，key:value。');
  assert.deepEqual(diagnostics, []);
  assert.match(page, /作者:Zhang San，状态:OK。/);
  assert.match(page, /London:The MIT Press, 2020\./);
  assert.match(page, /key:value。/);
});

test('a misspelt directive with a label still gets its "did you mean"', async () => {
  const d = only((await one('见:re[fig-a]。')).diagnostics, 'unknown-directive');
  assert.equal(d.message, 'unknown directive `:re`');
  assert.equal(d.line, 5);
  assert.equal(d.column, 2);
  assert.match(d.hint!, /Did you mean `:ref`\?/);
});

// ── Emphasis next to full-width punctuation ──────────────────────────────────────────────────

test('emphasis and strikethrough next to full-width punctuation (remark-cjk-friendly)', async () => {
  const { diagnostics, page } = await one('**强化学习（RL）**讨论了~~旧的（草案）~~方法。');
  assert.deepEqual(diagnostics, []);
  assert.match(page, /<strong>强化学习（RL）<\/strong>讨论了<del>旧的（草案）<\/del>方法。/);
});

// ── Crashes become diagnostics ───────────────────────────────────────────────────────────────

test('a YAML alias bomb in book.yaml is an error at its first alias', async () => {
  const bomb = billionLaughs();
  const { result } = await one('正文。', { extraYaml: bomb.text });
  const d = only(result.diagnostics, 'yaml-aliases');
  // writeBook's book.yaml has 9 lines before the extra YAML.
  assert.deepEqual([d.file, d.line, d.column], ['manuscripts/test-book/book.yaml', 9 + bomb.firstAliasLine, bomb.firstAliasColumn]);
  assert.equal(result.ok, false);
});

test('a YAML alias bomb in front matter is an error at its first alias', async () => {
  const bomb = billionLaughs();
  const project = tempProject();
  writeBook(project, { chapters: { '01-a.md': `---\ntitle: 章\n${bomb.text}---\n\n正文。\n` } });
  const result = await build(project);
  const d = only(result.diagnostics, 'yaml-aliases');
  assert.deepEqual([d.file, d.line, d.column], ['manuscripts/test-book/zh/01-a.md', 2 + bomb.firstAliasLine, bomb.firstAliasColumn]);
  assert.equal(result.ok, false);
});

test('a YAML alias bomb in a chronicle is an error at its first alias', async () => {
  const bomb = billionLaughs();
  const { result } = await one('::chronicle{src="data/chronicle.yaml"}', { kind: 'yearbook' }, (p) =>
    p.write('manuscripts/test-book/data/chronicle.yaml', `${bomb.text}events: []\n`),
  );
  const d = only(result.diagnostics, 'yaml-aliases');
  assert.deepEqual([d.file, d.line, d.column], ['manuscripts/test-book/data/chronicle.yaml', bomb.firstAliasLine, bomb.firstAliasColumn]);
  assert.equal(result.ok, false);
});

// ── Accepted silently before ─────────────────────────────────────────────────────────────────

test('unknown book.yaml keys are warnings at the key, with "did you mean"', async () => {
  const { result } = await one('正文。', { extraYaml: 'figureNumbring: book\n' }, (p) => {
    const path = 'manuscripts/test-book/book.yaml';
    p.write(path, p.read(path).replace('    title: 测试之书', '    tilte: 测试之书\n    title: 测试之书'));
  });
  const hits = result.diagnostics.filter((d) => d.ruleId === 'config-unknown-key');
  assert.deepEqual(
    hits.map((d) => [d.line, d.column, d.severity, d.message, d.hint]),
    [
      [7, 5, 'warning', 'unknown key `tilte` in `editions.zh`', 'Did you mean `title`? The keys of book.yaml are listed in docs/book-yaml.md.'],
      [11, 1, 'warning', 'unknown key `figureNumbring`', 'Did you mean `figureNumbering`? The keys of book.yaml are listed in docs/book-yaml.md.'],
    ],
  );
  assert.equal(result.ok, true, 'a warning does not fail the build');
});

// ── Raw HTML ─────────────────────────────────────────────────────────────────────────────────

test('raw HTML: a safe subset is kept (table, del, sup, br, a)', async () => {
  const { diagnostics, page } = await one('H<sub>2</sub>O与E=mc<sup>2</sup>，<del>旧</del><br>新，<a href="https://www.cac.gov.cn" title="网信办">链接</a>。\n\n<table>\n<tr><td>甲</td><td>乙</td></tr>\n</table>');
  assert.deepEqual(diagnostics, []);
  assert.match(page, /H<sub>2<\/sub>O与E=mc<sup>2<\/sup>，<del>旧<\/del><br>新，<a href="https:\/\/www\.cac\.gov\.cn" title="网信办">链接<\/a>。/);
  assert.match(page, /<table>\s*<tbody>\s*<tr><td>甲<\/td><td>乙<\/td><\/tr>\s*<\/tbody>\s*<\/table>/);
});

test('raw HTML: scripts, event handlers, styles and javascript: links are removed, each with a warning at its line', async () => {
  const { diagnostics, page, result } = await one('第一段。\n\n<script>alert(1)</script>\n\n文字<b onclick="alert(2)" style="color:red">粗</b>，<a href="javascript:alert(3)">点我</a>。\n\n<iframe src="https://example.com"></iframe>');
  const found = diagnostics.map((d) => [d.ruleId, d.line, d.column, d.message]);
  assert.deepEqual(found, [
    ['raw-html-removed', 7, 1, 'removed <script> and its content from the raw HTML'],
    ['raw-html-removed', 9, 3, 'removed the attribute onclick of <b>'],
    ['raw-html-removed', 9, 3, 'removed the attribute style of <b>'],
    ['unsafe-url', 9, 49, 'removed the href "javascript:alert(3)" of <a>: a javascript: URL runs code when followed'],
    ['raw-html-removed', 11, 1, 'removed <iframe> and its content from the raw HTML'],
  ]);
  assert.ok(diagnostics.every((d) => d.severity === 'warning'));
  assert.equal(result.ok, true);
  assert.doesNotMatch(page, /script|onclick|javascript:|iframe|style=|alert/i);
  assert.match(page, /文字<b>粗<\/b>，<a>点我<\/a>。/);
});

test('a Markdown link or image with a javascript:, vbscript: or data:text/html URL is removed with a warning', async () => {
  const { diagnostics, page } = await one('[甲](javascript:alert(1))和[乙](VBScript:msgbox)与[丙](data:text/html;base64,PHNjcmlwdD4=)。');
  assert.deepEqual(
    diagnostics.map((d) => [d.ruleId, d.line, d.column]),
    [['unsafe-url', 5, 1], ['unsafe-url', 5, 26], ['unsafe-url', 5, 47]],
  );
  assert.match(diagnostics[0]!.message, /^removed the link target "javascript:alert\(1\)": a javascript: URL runs code when followed$/);
  assert.doesNotMatch(page, /javascript:|vbscript:|data:text/i);
});
