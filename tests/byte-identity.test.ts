/**
 * Byte identity (issue 13): a fresh build of the sample books writes exactly the bytes recorded in
 * tests/fixtures/output-hashes.json by `npm run record-hashes`. A refactoring must leave every file as it
 * was; a change that alters the output on purpose re-records the hashes in the same commit.
 *
 * The HTML is read from the run's one fresh build of the sample books (tests/shared-build.ts), which
 * tests/sample-books.test.ts checks too: a site-and-EPUB build, whose files are the HTML build's files
 * (the ones recorded, as `npm run record-hashes` builds them) plus one EPUB per edition, left out here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumVersion, differences, hashGuardedPdf, hashTree, readHashes, GUARDED_PDF } from '../scripts/record-hashes.ts';
import { epubName } from '../pipeline/epub/epub-edition.ts';
import { sampleBooks } from './shared-build.ts';

const recorded = readHashes();
const rerecord = 'if the change is intended, run `npm run record-hashes` and commit tests/fixtures/output-hashes.json with it';

test('every sample book\'s HTML output has the recorded bytes', { skip: recorded ? false : 'no hashes recorded (npm run record-hashes)' }, async () => {
  const { out, result } = await sampleBooks();
  const first = result.diagnostics.find((d) => d.severity === 'error');
  assert.ok(result.ok, `the sample build failed${first ? `: ${first.file}:${first.line ?? ''} ${first.message}` : ''}`);
  const epubs = new Set(result.editions.map((e) => `${e.book}/${e.edition}/${epubName(e.book, e.edition)}`));
  assert.equal(epubs.size, result.editions.length);
  // Only the books' folders (nothing else, staging or caches, belongs to the output), without the EPUBs.
  const fresh = hashTree(out, (path) => !path.startsWith('.') && !epubs.has(path));
  const differ = differences(recorded!.html, fresh);
  assert.deepEqual(differ, [], `${differ.length} of ${Object.keys(fresh).length} output files differ; ${rerecord}`);
});

test(`the ${GUARDED_PDF.book} ${GUARDED_PDF.edition} PDF has the recorded bytes (same Chromium only)`, async (t) => {
  const pdf = recorded?.pdf;
  if (!pdf) return t.skip('no PDF hash recorded (npm run record-hashes)');
  const version = chromiumVersion();
  if (!version) return t.skip('no Chromium answers `--version` here');
  if (version !== pdf.chromium) return t.skip(`PDF bytes depend on the browser: recorded with "${pdf.chromium}", this machine has "${version}"`);
  const differ = differences(pdf.files, await hashGuardedPdf());
  assert.deepEqual(differ, [], `the PDF differs; ${rerecord}`);
});
