/**
 * Byte identity (issue 13): a fresh build of the sample books writes exactly the bytes recorded in
 * tests/fixtures/output-hashes.json by `npm run record-hashes`. A refactoring must leave every file as it
 * was; a change that alters the output on purpose re-records the hashes in the same commit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumVersion, differences, hashGuardedPdf, hashSampleHtml, readHashes, GUARDED_PDF } from '../scripts/record-hashes.ts';

const recorded = readHashes();
const rerecord = 'if the change is intended, run `npm run record-hashes` and commit tests/fixtures/output-hashes.json with it';

test('every sample book\'s HTML output has the recorded bytes', { skip: recorded ? false : 'no hashes recorded (npm run record-hashes)' }, async () => {
  const fresh = await hashSampleHtml();
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
