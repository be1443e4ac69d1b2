/**
 * Issue 12, the printer's half: manuscripts written by others must print. Each case is the smallest book
 * that showed the problem, printed through the real pipeline with one browser shared by the whole file,
 * and read back with poppler (pdffonts, pdftotext) rather than with the code that wrote the PDF.
 *
 * Needs Chromium and poppler-utils; skipped when either is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build.ts';
import { fontSetFor } from '../pipeline/html/fonts.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pdfSkip, tempProject, writeBook } from './helpers.ts';

const skip = pdfSkip();
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const errorsOf = (diagnostics: ReadonlyArray<{ severity: string; ruleId: string; message: string }>) => diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);

/** Font names pdffonts lists (subset prefix removed). */
const fontsOf = (pdf: string) =>
  run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));

const CODE_CHAPTER = (title: string) => `---
title: ${title}
---

正文里的 \`inline code 中文\` 和 English text.

\`\`\`js
// 计算总和 sum of both
const 总和 = a + b; // English comment 注释
\`\`\`

**粗体里的 \`bold code\`** 与 *强调里的 \`code\`*。
`;

describe('code prints in every script (monospace stack with a CJK fallback)', () => {
  test('every script declares Noto Sans Mono first and its own CJK sans face as the fallback', () => {
    assert.match(fontSetFor('zh-Hans').mono, /^'Noto Sans Mono', 'Noto Sans SC'/);
    assert.match(fontSetFor('zh-Hant').mono, /^'Noto Sans Mono', 'Noto Sans TC'/);
    assert.match(fontSetFor('en').mono, /^'Noto Sans Mono', 'Noto Sans SC'/);
    for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
      const families = fontSetFor(script).faces.map((f) => `${f.family} ${f.weight}`);
      assert.ok(families.includes('Noto Sans Mono 400') && families.includes('Noto Sans Mono 700'), script);
    }
  });
});

describe('printed code', { skip }, () => {
  let browser: BrowserSession;
  before(() => {
    browser = createBrowserSession();
  });
  after(async () => {
    await browser?.close();
  });

  for (const edition of ['zh', 'en'] as const) {
    test(`a ${edition} chapter with Chinese and English code prints with no error and no tofu`, async () => {
      const project = tempProject();
      writeBook(project, { edition, chapters: { '01-code.md': CODE_CHAPTER(edition === 'zh' ? '代码' : 'Code') } });
      const result = await buildAll({ project, format: 'all', browser });
      assert.deepEqual(errorsOf(result.diagnostics), []);
      const pdf = join(project.out, 'test-book', edition, `test-book-${edition}.pdf`);
      const fonts = fontsOf(pdf);
      assert.ok(fonts.includes('NotoSansMono-Regular'), `fonts: ${fonts.join(', ')}`);
      assert.ok(fonts.includes('NotoSansMono-Bold'), `fonts: ${fonts.join(', ')}`);
      assert.ok(!fonts.some((f) => /DejaVu|Liberation|FreeMono|Courier/i.test(f)), `a system font was used: ${fonts.join(', ')}`);
      // The text comes back (no tofu: every character has a glyph with a ToUnicode entry).
      const text = run('pdftotext', [pdf, '-']);
      assert.match(text, /\/\/ 计算总和 sum of both/);
      assert.match(text, /const 总和 = a \+ b; \/\/ English comment 注释/);
      assert.match(text, /inline code 中文/);
      assert.ok(!text.includes('\ufffd'));
      // The site declares the stack too.
      const fontsCss = readFileSync(join(project.out, 'test-book', edition, 'site/assets/fonts.css'), 'utf8');
      assert.match(fontsCss, /--font-mono:'Noto Sans Mono', 'Noto Sans SC'/);
      assert.match(fontsCss, /font-family:'Noto Sans Mono';font-style:normal;font-weight:400/);
    });
  }
});
