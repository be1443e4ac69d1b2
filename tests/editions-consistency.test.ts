/**
 * The edition consistency check (pipeline/check/edition-consistency.ts): editions of one book carry the
 * same chapters, labelled blocks and indicator references; each difference names both files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic } from '../pipeline/report/diagnostics.ts';
import { build, copyFixture, repoRoot, tempProject, type TempProject } from './helpers.ts';

const fixture = join(repoRoot, 'tests/fixtures/editions/ed-book');

function bookProject(): TempProject {
  const project = tempProject();
  copyFixture(fixture, project, 'manuscripts/ed-book');
  return project;
}

const mismatches = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.ruleId === 'edition-mismatch');

test('consistent editions: no difference reported (and the derived edition is not compared)', async () => {
  const result = await build(bookProject(), { checkOnly: true });
  assert.deepEqual(mismatches(result.diagnostics), []);
  assert.equal(result.ok, true);
});

test('a figure missing from the English edition is reported at the figure, naming both files', async () => {
  const project = bookProject();
  const en = 'manuscripts/ed-book/en/01-network.md';
  project.write(en, project.read(en).replace(/^::figure.*\n/m, '').replace(':ref[fig-layers], ', ''));
  const result = await build(project, { checkOnly: true });
  const found = mismatches(result.diagnostics);
  assert.equal(found.length, 1, JSON.stringify(result.diagnostics, null, 1));
  const d = found[0]!;
  assert.equal(d.file, 'manuscripts/ed-book/zh/01-network.md');
  assert.equal(d.line, 17);
  assert.equal(d.column, 1);
  assert.equal(d.severity, 'warning');
  assert.equal(d.message, 'figure "fig-layers" is in manuscripts/ed-book/zh/01-network.md but missing from the en edition: manuscripts/ed-book/en/01-network.md');
});

test('a different kind, an extra table without an id, an indicator reference', async () => {
  const project = bookProject();
  const zh = 'manuscripts/ed-book/zh/01-network.md';
  const en = 'manuscripts/ed-book/en/01-network.md';
  // en: the box becomes a table, and a table without an id is added.
  project.write(en, project.read(en).replace(':::box[Data governance]{#box-data}', ':::table[Data governance]{#box-data}\n| a |\n|---|\n| b |') + '\n:::table[Extra]\n| a |\n|---|\n| b |\n:::\n');
  // zh: an indicator reference the English edition does not have (rendered or not, it is compared as written).
  project.write(zh, project.read(zh) + '\n中国位居第:value{framework="widi" entity="CHN" of="rank"}位。\n');
  const result = await build(project, { checkOnly: true });
  const messages = mismatches(result.diagnostics).map((d) => `${d.file}:${d.line ?? ''} ${d.message}`);
  assert.deepEqual(messages, [
    `${en}: the editions have different numbers of table blocks without an id: 0 in ${zh}, 1 in ${en}`,
    `${en}:25 "box-data" is a table here but a box in ${zh}`,
    `${zh}:33 indicator reference :value{framework="widi" entity="CHN"} is in ${zh} but missing from the en edition: ${en}`,
  ]);
});

test('a chapter listed in one edition only is reported on book.yaml, at the list item', async () => {
  const project = bookProject();
  const book = 'manuscripts/ed-book/book.yaml';
  project.write(book, project.read(book).replace('      - 01-network.md\n  en:', '      - 01-network.md\n      - 02-extra.md\n  en:'));
  project.write('manuscripts/ed-book/zh/02-extra.md', '---\ntitle: 附加\n---\n\n正文。\n');
  const result = await build(project, { checkOnly: true });
  const d = mismatches(result.diagnostics).find((x) => x.file === book);
  assert.ok(d, JSON.stringify(result.diagnostics, null, 1));
  assert.equal(d.line, 25); // the new list item under zh
  assert.equal(d.message, 'chapter "zh/02-extra.md" has no counterpart in the en edition (en/02-extra.md)');
});

test('in a release build the mismatch is an error', async () => {
  const project = bookProject();
  const en = 'manuscripts/ed-book/en/01-network.md';
  project.write(en, project.read(en).replace(/^::figure.*\n/m, '').replace(':ref[fig-layers], ', ''));
  const result = await build(project, { checkOnly: true, release: true });
  assert.equal(mismatches(result.diagnostics)[0]?.severity, 'error');
  assert.equal(result.ok, false);
});
