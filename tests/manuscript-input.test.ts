/**
 * Issue 12, manuscript input: Markdown written by others builds, and what cannot be used is reported at
 * its line. One test per case, each with the smallest input, asserting the message and its position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

// ── Links and images ─────────────────────────────────────────────────────────────────────────

test('images with CJK characters or spaces in their names are found and copied', async () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const { diagnostics, page, project } = await one('![图](images/图1.png)\n\n![空格](<images/my pic.png>)\n\n![根](/images/图1.png)', {}, (p) => {
    p.write('manuscripts/test-book/images/图1.png', png.toString('latin1'));
    p.write('manuscripts/test-book/images/my pic.png', png.toString('latin1'));
  });
  assert.deepEqual(diagnostics, []);
  assert.match(page, /<img src="images\/图1\.png" alt="图"/);
  assert.match(page, /<img src="images\/my pic\.png" alt="空格"/);
  assert.equal((page.match(/src="images\/图1\.png"/g) ?? []).length, 2, '/images/… is the book folder\'s images/');
  assert.ok(project.read('out/test-book/zh/site/images/图1.png').length > 0);
  assert.ok(project.read('out/test-book/zh/site/images/my pic.png').length > 0);
});

test('a missing image with a CJK name is reported as written, not percent-encoded', async () => {
  const d = only((await one('![图](images/图2.png)')).diagnostics, 'missing-image');
  assert.equal(d.message, 'image "images/图2.png" does not exist');
  assert.deepEqual([d.line, d.column], [5, 1]);
});

test('a remote image is a warning and is removed, unless the book opts in', async () => {
  const off = await one('![远](https://example.com/x.png)');
  const d = only(off.diagnostics, 'remote-image');
  assert.equal(d.message, 'remote image "https://example.com/x.png" removed: reviewers\' browsers would load it from that server');
  assert.deepEqual([d.severity, d.line, d.column], ['warning', 5, 1]);
  assert.doesNotMatch(off.page, /example\.com/);
  const on = await one('![远](https://example.com/x.png)', { extraYaml: 'remoteImages: true' });
  assert.deepEqual(on.diagnostics, []);
  assert.match(on.page, /<img src="https:\/\/example\.com\/x\.png"/);
});

test('a broken link is reported as written, not percent-encoded; [a]() is an empty-link warning', async () => {
  const broken = only((await one('见[第三章](03-创新.md)。')).diagnostics, 'broken-link');
  assert.equal(broken.message, 'link target "03-创新.md" does not exist in this edition');
  assert.deepEqual([broken.line, broken.column], [5, 2]);
  const { diagnostics, page } = await one('见[空]()。');
  const empty = only(diagnostics, 'empty-link');
  assert.equal(empty.message, 'the link "空" has no target');
  assert.deepEqual([empty.severity, empty.line, empty.column], ['warning', 5, 2]);
  assert.match(page, /见<a>空<\/a>。/);
});

test('a bare URL stops at Chinese text and full-width punctuation', async () => {
  const { diagnostics, page } = await one('访问https://www.cac.gov.cn，了解更多。见 www.example.org了解。');
  assert.deepEqual(diagnostics, []);
  assert.match(page, /访问<a href="https:\/\/www\.cac\.gov\.cn">https:\/\/www\.cac\.gov\.cn<\/a>，了解更多。见 <a href="http:\/\/www\.example\.org">www\.example\.org<\/a>了解。/);
});

test('an undefined footnote reference is a warning at its position', async () => {
  const { diagnostics, page } = await one('正文[^1]，另见[^nope]。\n\n[^1]: 注释。');
  const d = only(diagnostics, 'undefined-footnote');
  assert.equal(d.message, 'footnote [^nope] has no definition');
  assert.deepEqual([d.severity, d.line, d.column], ['warning', 5, 10]);
  assert.match(d.hint!, /\[\^nope\]: /);
  assert.match(page, /另见\[\^nope\]。/);
});

test('an HTML <img> with its caption becomes the same numbered figure a Markdown image makes', async () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('latin1');
  const html = '<div align="center"><img src="images/图1.png" width="60%"></div>\n<p align="center">图1-1 全球海底光缆</p>';
  const nextLine = '<p align="center"><img src="images/图1.png" style="zoom:50%"/></p>\n\n<center>图 2：全球海底光缆</center>';
  const markdown = '![全球海底光缆](images/图1.png "全球海底光缆")';
  const { diagnostics, page } = await one(`${html}\n\n${nextLine}\n\n${markdown}`, {}, (p) => p.write('manuscripts/test-book/images/图1.png', png));
  assert.deepEqual(
    diagnostics.map((d) => [d.ruleId, d.line, d.message]),
    [['raw-html-removed', 8, 'removed the attribute style of the HTML image (a figure keeps its width and height only)']],
  );
  const figures = [...page.matchAll(/<figure[\s\S]*?<\/figure>/g)].map((m) => m[0]);
  assert.equal(figures.length, 3);
  assert.match(figures[0]!, /<img src="images\/图1\.png" alt="全球海底光缆" width="60%"/, 'the width is kept');
  assert.match(figures[0]!, /图1-1/);
  const unnumbered = figures.map((f) => f.replace(/图1-\d/, '图N').replace(/id="[^"]*"/g, '').replace(' width="60%"', ''));
  assert.equal(unnumbered[0], unnumbered[2], 'HTML and Markdown give the same figure');
  assert.equal(unnumbered[1], unnumbered[2], 'a caption on the next block too');
  assert.doesNotMatch(page, /图1-1 全球|图 2：/, 'the typed label is replaced by the generated number');
});

// ── Dollar signs ─────────────────────────────────────────────────────────────────────────────

test('dollar amounts are prose (Pandoc\'s rule); real inline math still renders', async () => {
  const { diagnostics, page } = await one('价格从$5涨到$10，又从$ 3降到2 $。公式$x^2$成立。');
  assert.deepEqual(diagnostics, []);
  assert.match(page, /价格从\$5涨到\$10，又从\$ 3降到2 \$。公式<span class="math-inline"><span class="katex">/);
  assert.equal((page.match(/class="katex"/g) ?? []).length, 1, 'one formula: $x^2$');
});

test('nesting 2,000 levels deep is an error at the first too-deep marker, not a crash or a hang', async () => {
  const quotes = await one('> '.repeat(2000) + '深');
  const q = only(quotes.diagnostics, 'nesting-too-deep');
  // The 33rd `>` is the first past the limit of 32: column 2·32 + 1.
  assert.deepEqual([q.line, q.column, q.severity], [5, 65, 'error']);
  assert.match(q.message, /nest more than 32 levels deep here/);
  assert.equal(quotes.result.ok, false);

  const items = await one('- '.repeat(2000) + '深');
  const i = only(items.diagnostics, 'nesting-too-deep');
  assert.deepEqual([i.line, i.column], [5, 65]);

  // Each item indented two more columns: on line 5 + k the depth bound is k (indentation) + 1 (marker).
  const indented = Array.from({ length: 2000 }, (_, k) => '  '.repeat(k) + '- 项').join('\n');
  const n = only((await one(indented)).diagnostics, 'nesting-too-deep');
  assert.deepEqual([n.line, n.column], [5 + 32, 65], 'k = 32 is the first line past 32 levels; its marker is at column 2k + 1');
});

test('invalid UTF-8 and NUL bytes are errors at the byte\'s line and column', async () => {
  const gbk = Buffer.concat([Buffer.from('---\ntitle: 章\n---\n\n第一行。\n好'), Buffer.from([0xd6, 0xd0]), Buffer.from('文\n')]);
  const a = await one('', {}, (p) => writeFileSync(join(p.root, 'manuscripts/test-book/zh/01-a.md'), gbk));
  const d = only(a.diagnostics, 'invalid-text');
  assert.equal(d.message, 'the chapter contains the byte 0xD6, which is not UTF-8');
  assert.deepEqual([d.line, d.column, d.severity], [6, 2, 'error']);
  assert.equal(a.result.ok, false);
  const b = await one('', {}, (p) => writeFileSync(join(p.root, 'manuscripts/test-book/zh/01-a.md'), '---\ntitle: 章\n---\n\nab\u0000c\n'));
  const n = only(b.diagnostics, 'invalid-text');
  assert.equal(n.message, 'the chapter contains a NUL byte (0x00)');
  assert.deepEqual([n.line, n.column], [5, 3]);
});

test('a chapter path that is a folder or a dangling symbolic link is an error at its book.yaml line', async () => {
  const folder = await one('', {}, (p) => {
    const path = join(p.root, 'manuscripts/test-book/zh/01-a.md');
    rmSync(path);
    mkdirSync(path);
  });
  const d = only(folder.diagnostics, 'chapter-missing');
  assert.equal(d.message, 'chapter "zh/01-a.md" is a folder, not a file');
  assert.deepEqual([d.file, d.line, d.column], ['manuscripts/test-book/book.yaml', 9, 9]);
  const dangling = await one('', {}, (p) => {
    const path = join(p.root, 'manuscripts/test-book/zh/01-a.md');
    rmSync(path);
    symlinkSync(join(p.root, 'nowhere.md'), path);
  });
  const l = only(dangling.diagnostics, 'chapter-missing');
  assert.equal(l.message, 'chapter "zh/01-a.md" is a symbolic link to a file that does not exist');
  assert.equal(l.line, 9);
});

// ── Nothing outside the project is read ─────────────────────────────────────────────────────

/** A file outside every test project. */
function outsideFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'annals-outside-')), name);
  writeFileSync(path, text);
  return path;
}

test('template: must be a layout folder under templates/ (not csl, not a path out of it)', async () => {
  const csl = only((await one('正文。', { extraYaml: 'template: csl' })).diagnostics, 'template-not-found');
  assert.match(csl.message, /^templates\/csl is not a layout \(layouts: .*report.*yearbook/);
  assert.deepEqual([csl.file, csl.line, csl.column], ['manuscripts/test-book/book.yaml', 10, 11]);
  const out = only((await one('正文。', { extraYaml: 'template: ../../etc' })).diagnostics, 'file-outside-project');
  assert.match(out.message, /^template "\.\.\/\.\.\/etc" is not a folder name under templates\//);
  assert.deepEqual([out.line, out.column], [10, 11]);
});

test('a layout of its own whose print.html lost a slot of the PDF copy is refused at template:, naming the slots', async () => {
  const { diagnostics } = await one('正文。', { extraYaml: 'template: custom' }, (p) => {
    const templates = join(p.root, 'templates');
    cpSync(p.templates, templates, { recursive: true });
    p.templates = templates;
    const base = readFileSync(join(templates, 'base/print.html'), 'utf8');
    // An editor's copy that dropped the head's extra slot and typed the fonts' stylesheet in.
    p.write('templates/custom/print.html', base.replace('{{{headExtra}}}', '').replace('{{fontsCss}}', 'site/assets/fonts.css'));
    p.write('templates/custom/layout.css', '');
  });
  const d = only(diagnostics, 'template-slot-missing');
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'templates/custom/print.html has no {{fontsCss}}, {{headExtra}}: the PDF copy of print.html is rendered through them');
  assert.deepEqual([d.file, d.line, d.column], ['manuscripts/test-book/book.yaml', 10, 11]);
  // The same copy with every slot kept builds.
  const kept = await one('正文。', { extraYaml: 'template: custom' }, (p) => {
    const templates = join(p.root, 'templates');
    cpSync(p.templates, templates, { recursive: true });
    p.templates = templates;
    p.write('templates/custom/print.html', readFileSync(join(templates, 'base/print.html'), 'utf8').replace('<body class=', '<body data-own="1" class='));
    p.write('templates/custom/layout.css', '');
  });
  assert.deepEqual(kept.diagnostics.filter((x) => x.severity === 'error'), []);
});

test('a bibliography outside the project folder (through .. or a symlink) is refused at its book.yaml line', async () => {
  const secret = outsideFile('secret.yaml', '- id: s\n  type: book\n  title: 机密\n');
  const dotdot = await one('正文。', {}, (p) => {
    const path = 'manuscripts/test-book/book.yaml';
    p.write(path, p.read(path) + `\nbibliography:\n  file: ${relative(join(p.root, 'manuscripts/test-book'), secret)}\n`);
  });
  const d = only(dotdot.diagnostics, 'file-outside-project');
  assert.match(d.message, /^bibliography file ".*secret\.yaml" is outside the project folder$/);
  assert.deepEqual([d.line, d.column], [12, 9]);
  const linked = await one('正文。', {}, (p) => symlinkSync(secret, join(p.root, 'manuscripts/test-book/references.yaml')));
  const l = only(linked.diagnostics, 'file-outside-project');
  assert.equal(l.file, 'manuscripts/test-book/book.yaml');
  assert.equal(linked.result.ok, false);
  assert.equal(linked.page, '', 'nothing is written, so the file\'s text is published nowhere');
});

test('an image that leaves the book folder through .. or a symlink is refused at its line', async () => {
  const picture = outsideFile('p.png', 'png');
  const { diagnostics } = await one('![甲](../../x.png)\n\n![乙](images/p.png)', {}, (p) => {
    mkdirSync(join(p.root, 'manuscripts/test-book/images'), { recursive: true });
    symlinkSync(picture, join(p.root, 'manuscripts/test-book/images/p.png'));
  });
  const hits = diagnostics.filter((d) => d.ruleId === 'image-outside');
  assert.deepEqual(hits.map((d) => [d.line, d.column, d.message]), [
    [5, 1, 'image "../../x.png" is outside the book folder'],
    [7, 1, 'image "images/p.png" is a link to a file outside the book folder'],
  ]);
});

test('an impossible citation date [[2025, 13, 45]] is an error at the month', async () => {
  const { diagnostics } = await one('正文:cite[bad]。', {}, (p) =>
    p.write('manuscripts/test-book/references.yaml', '- id: bad\n  type: book\n  title: 坏日期\n  issued: {date-parts: [[2025, 13, 45]]}\n  accessed: {date-parts: [[2025, 2, 29]]}\n'),
  );
  const hits = diagnostics.filter((d) => d.ruleId === 'bibliography-entry').map((d) => [d.line, d.column, d.message]);
  assert.deepEqual(hits, [
    [4, 32, 'entry "bad": `issued.date-parts.0.1`: impossible date [2025, 13, 45]: there is no month 13 (months are 1–12)'],
    [5, 37, 'entry "bad": `accessed.date-parts.0.2`: impossible date [2025, 2, 29]: month 2 of 2025 has no day 29'],
  ]);
});

test('an unclosed :::box is an error at its opening; closed and nested ones are not', async () => {
  const open = await one('第一段。\n\n:::box[专栏]\n框内。\n\n## 后面的标题\n\n正文。');
  const d = only(open.diagnostics, 'directive-unclosed');
  assert.equal(d.message, '`:::box` is never closed: it runs to the end of the chapter and takes in everything after it');
  assert.deepEqual([d.line, d.column, d.severity], [7, 1, 'error']);
  const nested = await one('::::box[外]\n:::table[内]\n| a |\n|---|\n| 1 |\n:::\n');
  assert.deepEqual(nested.diagnostics.filter((x) => x.ruleId === 'directive-unclosed').map((x) => x.line), [5], 'the outer box, whose fence is missing');
  const closed = await one(':::box[专栏]\n框内。\n:::\n\n正文。');
  assert.deepEqual(closed.diagnostics, []);
});

// ── Headings that carry numbers ──────────────────────────────────────────────────────────────

test('a heading with a typed number keeps it and gets no generated number', async () => {
  const { diagnostics, page } = await one('## 1.1 背景\n\n## 一、概述\n\n## 2025年回顾\n\n### （二）细节\n\n## 第2部分的要点');
  const d = only(diagnostics, 'typed-heading-number');
  assert.equal(d.severity, 'info');
  assert.equal(d.message, 'the heading "1.1 背景" carries its own number "1.1": it is kept, and no number is generated for headings that have one');
  assert.deepEqual([d.line, d.column], [5, 1]);
  assert.match(page, /<h2 id="11-背景">1\.1 背景<\/h2>/);
  assert.match(page, /<h2 id="一概述">一、概述<\/h2>/);
  // 2025年 is not a typed number: the third section is numbered 三、 (counting the typed ones).
  assert.match(page, /<h2 id="2025年回顾"><span class="heading-number">三、<\/span>2025年回顾<\/h2>/);
  assert.match(page, /<h3 id="二细节">（二）细节<\/h3>/);
  // "第2部分的…" names a part inside its title ("the points of part 2"): it is no typed number.
  assert.match(page, /<h2 id="第2部分的要点"><span class="heading-number">四、<\/span>第2部分的要点<\/h2>/);
});

test('a derived zh-Hant edition converts the text inside raw HTML, not its attributes', async () => {
  const { project, diagnostics } = await one('<p align="center" title="软件">软件与<del>数据</del></p>', {
    extraYaml: '  zh-Hant:\n    lang: zh-TW\n    title: 測試之書\n    derive: {from: zh, opencc: tw}\n',
  });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const page = mainOf(project.read('out/test-book/zh-Hant/site/a.html'));
  assert.match(page, /<p align="center" title="软件">軟件與<del>數據<\/del><\/p>/);
});

// ── Characters none of the edition's fonts has ───────────────────────────────────────────────

test('a character no font of the edition has is reported at its line and gets the stand-in box font; ignorable characters need none', async () => {
  // Malayalam ആ and Kannada ಫ (no Noto package of the set covers them), a zero-width joiner, a word
  // joiner and a variation selector (ignorable), CJK and Greek (covered).
  const { project, diagnostics, page } = await one('第一段：中文与 Ελληνικά。\n\n引文 ആ 与 ಫ 及 ആ 再现；a\u200Db\u2060c︀。');
  const missing = diagnostics.filter((d) => d.ruleId === 'glyph-missing');
  assert.deepEqual(
    missing.map((d) => [d.line, d.severity, d.message]),
    [
      [7, 'warning', '"ആ" (U+0D06) is in none of the edition\'s fonts: the PDF and the site show it as an empty box'],
      [7, 'warning', '"ಫ" (U+0CAB) is in none of the edition\'s fonts: the PDF and the site show it as an empty box'],
    ],
  );
  assert.match(missing[0]!.hint!, /fontSetFor\(\)/);
  assert.match(page, /引文 ആ 与 ಫ/, 'the text itself is kept');
  const css = project.read('out/test-book/zh/site/assets/fonts.css');
  assert.match(css, /font-family:'Annals Missing Glyph';[^}]*src:url\(fonts\/annals-missing-glyph\.ttf\) format\('truetype'\);unicode-range:U\+0CAB,U\+0D06;/);
  assert.match(css, /--font-body:[^;]*'Annals Missing Glyph', serif;/, 'the stand-in ends every stack');
  const font = readFileSync(join(project.out, 'test-book/zh/site/assets/fonts/annals-missing-glyph.ttf'));
  assert.equal(font.readUInt32BE(0), 0x00010000, 'a TrueType font (Chromium embeds CFF as Type 3)');
  // Deterministic: a second build writes the same bytes.
  const again = await one('第一段：中文与 Ελληνικά。\n\n引文 ആ 与 ಫ 及 ആ 再现；a\u200Db\u2060c︀。');
  assert.deepEqual(readFileSync(join(again.project.out, 'test-book/zh/site/assets/fonts/annals-missing-glyph.ttf')), font);
});

test('a book whose characters all have a font carries no stand-in face', async () => {
  const { project, diagnostics } = await one('中文、English、Ελληνικά、Кириллица、∑ 与 ①。');
  assert.deepEqual(diagnostics, []);
  assert.doesNotMatch(project.read('out/test-book/zh/site/assets/fonts.css'), /@font-face\{font-family:'Annals Missing Glyph'/);
});

// ── Tables wider than their header ───────────────────────────────────────────────────────────

test('a row with more cells than the header (a bar inside code) is reported once per table, at its first extra cell', async () => {
  const table = ['| 地区 | 代码 |', '|---|---|', '| 北京 | `a|b` |', '| 上海 | `c\\|d` |', '| 广州 | `e|f` |', '', '| 甲 | 乙 |', '|---|---|', '| 1 |', '| 2 | 3 |'].join('\n');
  const { diagnostics, page } = await one(`正文。\n\n${table}\n`);
  const d = only(diagnostics, 'table-cells');
  assert.equal(d.severity, 'warning');
  assert.equal(d.message, 'this row has 3 cells and the header 2: the last cell is dropped (and in 1 more row of this table)');
  assert.deepEqual([d.line, d.column], [9, 10], 'at the bar that split the cell');
  assert.match(d.hint!, /\\\|/);
  assert.match(page, /<code>c\|d<\/code>/, 'an escaped bar stays in its cell');
});

// ── Pandoc citations ─────────────────────────────────────────────────────────────────────────

test('a Pandoc citation [@key] is reported with the :cite form to write; an e-mail address in brackets is not', async () => {
  const { diagnostics, page } = await one('正如所述[@smith2020, p. 45]，另见[see @wang-2021; @li2019]。联系[编辑部 admin@example.com]。');
  const found = diagnostics.filter((d) => d.ruleId === 'pandoc-citation');
  assert.deepEqual(
    found.map((d) => [d.line, d.column, d.severity, d.message]),
    [
      [5, 5, 'warning', "[@smith2020, p. 45] is Pandoc's citation syntax, printed here as it is: write :cite[smith2020]"],
      [5, 27, 'warning', "[see @wang-2021; @li2019] is Pandoc's citation syntax, printed here as it is: write :cite[wang-2021,li2019]"],
    ],
  );
  assert.match(found[0]!.hint!, /:cite\[key\]/);
  assert.match(page, /\[@smith2020, p\. 45\]/, 'the text is kept as written');
});

test('a directive whose [label] has no ] on its opening line is an error at that line: it would print as written', async () => {
  const { diagnostics } = await one('正文。\n\n:::box[未闭合的专栏\n文字\n\n::figure[图题没有闭合\n\n:::box[正常]\n内容\n:::\n');
  const found = diagnostics.filter((d) => d.ruleId === 'directive-unclosed');
  assert.deepEqual(
    found.map((d) => [d.line, d.severity, d.message]),
    [
      [7, 'error', '`:::box[` has no `]` on its line: it is not read as a directive, and prints as written'],
      [10, 'error', '`::figure[` has no `]` on its line: it is not read as a directive, and prints as written'],
    ],
  );
  assert.match(found[0]!.hint!, /:::box\[…\]/);
});
