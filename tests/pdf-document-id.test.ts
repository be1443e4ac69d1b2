/**
 * Reading a PDF through its cross-reference table instead of scanning its bytes (pipeline/base/pdf-xref.ts)
 * where the build rewrites or reads a finished file: the PDF stage's document ID (pdf/pdf-metadata.ts
 * `stampDocumentId`), the press's stable Ghostscript ID (press/ghostscript.ts `stableDocumentId`) and
 * the browser a release manifest names (release/pdf-tools.ts, release/manifest.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { applyMetadata, PLACEHOLDER_ID, stampDocumentId } from '../pipeline/pdf/pdf-metadata.ts';
import { GhostscriptError, stableDocumentId } from '../pipeline/press/ghostscript.ts';
import { metadataTexts } from '../pipeline/release/pdf-tools.ts';
import { createManifest } from '../pipeline/release/manifest.ts';

const META = { title: '报告', keywords: ['网络'], lang: 'zh-CN', creator: 'Annals 0.1.0', producer: 'Annals (pdf-lib); HeadlessChrome/131.0.6778.204', date: new Date(Date.UTC(2026, 0, 1)) };

async function pdf(options: { id?: string; objectStreams?: boolean; metadata?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]).drawText('000', { x: 10, y: 10 });
  if (options.metadata !== false) applyMetadata(doc, META);
  if (options.id) doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(options.id), PDFHexString.of(options.id)]);
  return doc.save({ useObjectStreams: options.objectStreams ?? false, addDefaultPage: false });
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const uuid = (id: string) => `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`.toLowerCase();

test('the PDF stage stamps the hash of the file into the trailer and the XMP packet, in place', async () => {
  const saved = await pdf();
  const id = createHash('sha256').update(saved).digest('hex').slice(0, 32).toUpperCase();
  const before = latin1(saved);
  const stamped = latin1(stampDocumentId(Buffer.from(saved)));
  assert.equal(stamped.length, before.length, 'same length: no offset moves');
  // What a byte search would have given: every placeholder, and nothing else, replaced.
  assert.equal(stamped, before.split(`<${PLACEHOLDER_ID}>`).join(`<${id}>`).split(uuid(PLACEHOLDER_ID)).join(uuid(id)));
  assert.ok(!stamped.includes(PLACEHOLDER_ID), 'no placeholder left');
  const reread = await PDFDocument.load(Buffer.from(stamped, 'latin1'), { updateMetadata: false });
  assert.equal(String(reread.getProducer()), META.producer);
});

test('a file without a classic cross-reference table is refused, not scanned', async () => {
  const streamed = await pdf({ objectStreams: true });
  assert.throws(() => stampDocumentId(streamed), /cross-reference table/);
  assert.throws(() => stableDocumentId(streamed), GhostscriptError);
});

test('Ghostscript\'s run-to-run /ID becomes the MD5 of the file with it zeroed, whatever it was', async () => {
  const a = await pdf({ id: 'A4C197B92E6F3A4651148885B07AE2C7', metadata: false });
  const b = await pdf({ id: '680EFABC8EE27A74983539FA1D999124', metadata: false });
  const sa = latin1(stableDocumentId(a));
  assert.equal(sa, latin1(stableDocumentId(b)), 'two runs, one file');
  const zeroed = latin1(a).replace('A4C197B92E6F3A4651148885B07AE2C7', '0'.repeat(32)).replace('A4C197B92E6F3A4651148885B07AE2C7', '0'.repeat(32));
  const md5 = createHash('md5').update(Buffer.from(zeroed, 'latin1')).digest('hex').toUpperCase();
  assert.equal(sa.split(`<${md5}>`).length - 1, 2, 'both IDs are the MD5 of the zeroed file, and nothing else changed');
  assert.equal(sa.replaceAll(md5, '0'.repeat(32)), zeroed);
  const none = await pdf({ metadata: false });
  assert.equal(latin1(stableDocumentId(none)), latin1(none), 'no /ID: the file as it is');
});

test('the tools a PDF names: Info Creator and Producer and the XMP packet, through the table or pdf-lib\'s parse', async () => {
  for (const objectStreams of [false, true]) {
    const texts = await metadataTexts(await pdf({ objectStreams }));
    assert.equal(texts[0], META.creator);
    assert.equal(texts[1], META.producer);
    assert.match(texts[2]!, /<pdf:Producer>Annals \(pdf-lib\); HeadlessChrome\/131\.0\.6778\.204<\/pdf:Producer>/);
  }
});

test('a release manifest names the browser the PDFs name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'annals-manifest-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), await pdf());
    const manifest = await createManifest(dir, { sourceDateEpoch: 0 });
    assert.equal(manifest.chromium, 'HeadlessChrome/131.0.6778.204');
    writeFileSync(join(dir, 'b.pdf'), await pdf({ metadata: false }));
    assert.equal((await createManifest(dir, { sourceDateEpoch: 0 })).chromium, 'HeadlessChrome/131.0.6778.204, unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
