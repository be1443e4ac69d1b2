/**
 * Notes: GFM footnotes become numbered notes at the end of each chapter, under the locale's heading,
 * numbered from 1 in every chapter, linked both ways, with the number as the back-link (no ↩ glyph).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, mainOf, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;

test('notes restart per chapter and link both ways', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md': front('一') + '正文[^a]，再引[^b]，又引[^a]。\n\n[^a]: 第一条注释。\n[^b]: 第二条注释。\n',
      '02-two.md': front('二') + '第二章正文[^x]。\n\n[^x]: 第二章的注释。\n',
    },
  });
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const one = mainOf(project.read(`out/${id}/zh/site/one.html`));
  const two = mainOf(project.read(`out/${id}/zh/site/two.html`));
  // References in the text, numbered from ① in each chapter (circled: a Chinese edition's default).
  assert.match(one, /<sup><a href="#one-fn-a" id="one-fnref-a" data-footnote-ref aria-describedby="one-footnote-label" class="note-ref note-ref-circled">①<\/a><\/sup>/);
  assert.match(one, /<a href="#one-fn-b" id="one-fnref-b"[^>]*>②<\/a>/);
  assert.match(two, /<sup><a href="#two-fn-x" id="two-fnref-x" data-footnote-ref aria-describedby="two-footnote-label" class="note-ref note-ref-circled">①<\/a><\/sup>/);
  // The notes section: visible heading, the number as the back-link, a second back-link for the note cited twice.
  assert.match(one, /<h2 class="notes-heading" id="one-footnote-label">注释<\/h2>/);
  assert.match(one, /<li id="one-fn-a" class="note">\s*<p><a href="#one-fnref-a" class="note-backref" role="doc-backlink" aria-label="返回正文第1处引用">①<\/a><a href="#one-fnref-a-2" class="note-backref-more"[^>]*>b<\/a>第一条注释。<\/p>/);
  assert.match(one, /<li id="one-fn-b" class="note">\s*<p><a href="#one-fnref-b" class="note-backref"[^>]*>②<\/a>第二条注释。<\/p>/);
  assert.match(two, /<li id="two-fn-x" class="note">\s*<p><a href="#two-fnref-x" class="note-backref"[^>]*>①<\/a>第二章的注释。<\/p>/);
  for (const page of [one, two, project.read(`out/${id}/zh/print.html`)]) assert.doesNotMatch(page, /↩|sr-only/);
  // In print both chapters are in one document: the prefixed ids stay unique.
  const print = project.read(`out/${id}/zh/print.html`);
  assert.equal(print.match(/id="one-fn-a"/g)?.length, 1);
  assert.equal(print.match(/id="two-fn-x"/g)?.length, 1);
});

test('English notes use the English heading', async () => {
  const project = tempProject();
  const id = writeBook(project, { edition: 'en', chapters: { '01-one.md': front('One') + 'Text.[^1]\n\n[^1]: A note.\n' } });
  await build(project);
  const one = mainOf(project.read(`out/${id}/en/site/one.html`));
  assert.match(one, /<h2 class="notes-heading" id="one-footnote-label">Notes<\/h2>/);
  assert.match(one, /aria-label="Back to reference 1 in the text">1<\/a>A note\./);
});

test('notes.markers: numeric gives superscript numbers in a Chinese edition', async () => {
  const project = tempProject();
  const id = writeBook(project, { chapters: { '01-one.md': front('一') + '正文[^a]。\n\n[^a]: 注释。\n' }, extraYaml: 'notes: {markers: numeric}\n' });
  const result = await build(project);
  assert.deepEqual(own(result).filter((d) => d.severity !== 'info'), []);
  const one = mainOf(project.read(`out/${id}/zh/site/one.html`));
  assert.match(one, /class="note-ref note-ref-numeric">1<\/a><\/sup>。/);
  assert.match(one, /<section data-footnotes class="footnotes chapter-notes notes-numeric"/);
});

