/**
 * Named destinations read from a print's objects (pipeline/pdf/pdf-objects.ts, page-numbers.ts
 * `readPrintDestinations`) and from the parsed document: both give the same pages and positions, from a
 * /Dests dictionary or a /Names name tree, and page-and-column places from their link annotations. PDFs
 * made with pdf-lib (a classic cross-reference table, like Chromium's prints); no browser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument, PDFName, PDFString, type PDFPage, type PDFRef } from 'pdf-lib';
import { readDestinations, readPrintDestinations } from '../pipeline/pdf/page-numbers.ts';
import { printObjects } from '../pipeline/pdf/pdf-objects.ts';
import { PLACE_PREFIX } from '../pipeline/pdf/page-scripts.ts';

const xyz = (doc: PDFDocument, page: PDFPage, x: number, y: number) => doc.context.obj([page.ref, PDFName.of('XYZ'), x, y, 0]);

/** Three pages; `dests` sets the catalog's names (either way) from [page, x, y] of each name. */
async function bookPdf(names: 'dests' | 'tree', extra?: (doc: PDFDocument, pages: PDFPage[]) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const pages = [doc.addPage([400, 600]), doc.addPage([400, 600]), doc.addPage([400, 600])];
  const entries: Array<[string, PDFRef]> = [
    ['intro', doc.context.register(xyz(doc, pages[0]!, 10, 500))],
    // Chromium percent-encodes ids that are not ASCII: 图1.
    ['%E5%9B%BE1', doc.context.register(xyz(doc, pages[2]!, 200, 300))],
  ];
  if (names === 'dests') {
    doc.catalog.set(PDFName.of('Dests'), doc.context.register(doc.context.obj(Object.fromEntries(entries))));
  } else {
    // A name tree with two leaves under a root of kids; the second destination as a /D dictionary.
    const leaf1 = doc.context.register(doc.context.obj({ Limits: [PDFString.of('intro'), PDFString.of('intro')], Names: [PDFString.of('intro'), entries[0]![1]] }));
    const leaf2 = doc.context.register(doc.context.obj({ Names: [PDFString.of('%E5%9B%BE1'), doc.context.obj({ D: entries[1]![1] })] }));
    doc.catalog.set(PDFName.of('Names'), doc.context.obj({ Dests: doc.context.register(doc.context.obj({ Kids: [leaf1, leaf2] })) }));
  }
  extra?.(doc, pages);
  return doc.save({ useObjectStreams: false });
}

const expected = new Map([
  ['intro', { page: 0, x: 10, y: 500 }],
  ['图1', { page: 2, x: 200, y: 300 }],
]);

test('a /Dests dictionary: the same destinations from the print objects and from the parsed document', async () => {
  const bytes = await bookPdf('dests');
  const printed = readPrintDestinations(bytes);
  assert.ok(printed, 'a classic cross-reference table is followed');
  assert.equal(printed.pages, 3);
  assert.deepEqual(printed.dests, expected);
  assert.deepEqual(readDestinations(await PDFDocument.load(bytes)), expected);
});

test('a /Names /Dests name tree with kids and a /D dictionary is read the same way', async () => {
  const bytes = await bookPdf('tree');
  assert.deepEqual(readPrintDestinations(bytes)?.dests, expected);
  assert.deepEqual(readDestinations(await PDFDocument.load(bytes)), expected);
});

test('a place is where its self-link is painted (the first rectangle that is not a sliver), not its destination', async () => {
  const id = `${PLACE_PREFIX}fig`;
  const bytes = await bookPdf('dests', (doc, pages) => {
    const dests = doc.catalog.lookup(PDFName.of('Dests')) as ReturnType<typeof doc.context.obj> & { set(k: PDFName, v: unknown): void };
    dests.set(PDFName.of(id), xyz(doc, pages[0]!, 0, 0));
    const link = (rect: number[]) => doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Dest: PDFName.of(id) }));
    // A sliver at the foot of page 2, then the real rectangle on page 3's right column.
    pages[1]!.node.set(PDFName.of('Annots'), doc.context.obj([link([50, 20, 120, 20.5])]));
    pages[2]!.node.set(PDFName.of('Annots'), doc.context.obj([link([250, 380, 320, 400])]));
  });
  const want = new Map([...expected, ['fig', { page: 2, x: 250, y: 400 }]]);
  assert.deepEqual(readPrintDestinations(bytes)?.dests, want);
  assert.deepEqual(readDestinations(await PDFDocument.load(bytes)), want);
});

test('a file whose cross-references cannot be followed is left to the whole-file parse', async () => {
  const bytes = await bookPdf('dests');
  const doc = await PDFDocument.load(bytes);
  assert.equal(printObjects(await doc.save({ useObjectStreams: true })), undefined, 'an xref stream');
  assert.equal(printObjects(bytes.subarray(0, bytes.length - 40)), undefined, 'a cut-off file');
  // The catalog's entry pointing one byte into its object: not read as another object.
  const text = Buffer.from(bytes).toString('latin1');
  const root = Number(/\/Root (\d+) 0 R/.exec(text.slice(text.lastIndexOf('trailer')))![1]);
  const table = text.indexOf('\n', text.lastIndexOf('\nxref\n') + 6) + 1; // after "xref" and "0 <count>"
  const entry = table + root * 20;
  const moved = String(Number(text.slice(entry, entry + 10)) + 1).padStart(10, '0');
  const broken = new Uint8Array(Buffer.from(text.slice(0, entry) + moved + text.slice(entry + 10), 'latin1'));
  assert.ok(printObjects(bytes), 'the file as written is followed');
  assert.equal(printObjects(broken), undefined);
});
