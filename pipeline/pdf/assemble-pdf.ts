/**
 * Puts the final PDF together from two Chromium prints, with pdf-lib, keeping the first print's
 * structure tree (tags), links, named destinations and fonts:
 *
 * - `body`: the whole book, printed once, with placeholder page numbers in the contents and every page
 *   laid out with the same centred text block and no running heads;
 * - `second`: the same front matter with the real page numbers, followed by the running heads (one page
 *   per distinct head and side, printed with the real mirrored margins) and the folio sample
 *   (running-heads.ts).
 *
 * For each final page: front pages get the content of their second-print twin (same text, same marked
 * content ids, so the tags and link rectangles of the first print still fit); blank pages are inserted
 * where the plan says; every page is shifted towards its binding edge (half the difference between the
 * inside and outside margins); body pages get their running head drawn on top as a Form XObject (one
 * per head, shared) and their folio set with the folio sample's glyphs, marked as a pagination artifact.
 */
import { createHash } from 'node:crypto';
import { labelled } from '../html/labelled.ts';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFDocument,
  type PDFPage,
} from 'pdf-lib';
import { destinationId } from './page-numbers.ts';
import type { PagePlan } from './page-plan.ts';
import { folioOperators, readFolioSample, sideOf, type FolioSample, type HeadPrint, type Side } from './running-heads.ts';
import type { PageLayout } from './page-css.ts';
import type { TocNode } from './page-scripts.ts';

export interface AssembleInput {
  /** The first print, loaded; modified in place. */
  body: PDFDocument;
  /**
   * The front matter and running-head print: its first pages are the front matter, then `heads.pages`
   * (pages after those, the late parts printed along, are not used here).
   */
  second: PDFDocument;
  /** Copier from `second` to `body`, when other pages of `second` were copied already (splice-pages.ts). */
  copier?: PDFObjectCopier;
  heads: HeadPrint;
  plan: PagePlan;
  layout: PageLayout;
  /** Final page 0 is a cover: it is neither shifted nor given a folio. */
  hasCover: boolean;
}

export function assemblePdf(input: AssembleInput): void {
  const { body, second, plan, layout, hasCover, heads } = input;
  const context = body.context;
  const copier = input.copier ?? PDFObjectCopier.for(second.context, context);
  const sourcePages = body.getPages();
  const secondPages = second.getPages();
  const frontPages = plan.pages.filter((p) => p.kind === 'front').length;
  if (secondPages.length < frontPages + heads.pages.length) {
    throw new Error(`the running-head print has ${secondPages.length} pages, fewer than ${frontPages + heads.pages.length}`);
  }
  const samples = { right: readFolioSample(secondPages[frontPages + heads.sample.right]!, 'right'), left: readFolioSample(secondPages[frontPages + heads.sample.left]!, 'left') };

  // 1. Front matter: the second print's content (real page numbers) in the first print's pages.
  plan.pages.forEach((p, k) => {
    if (p.kind !== 'front') return;
    const target = sourcePages[p.source]!.node;
    const from = secondPages[k]!.node;
    const old = target.get(PDFName.Contents);
    target.set(PDFName.Contents, copier.copy(from.get(PDFName.Contents)!));
    target.set(PDFName.Resources, copier.copy(from.Resources()!));
    for (const ref of old instanceof PDFRef ? [old] : old instanceof PDFArray ? old.asArray() : []) if (ref instanceof PDFRef) context.delete(ref);
  });

  // 2. Blank pages, inserted in increasing final order so earlier insertions are already in place.
  const size = sourcePages[0]!.getSize();
  plan.pages.forEach((p, k) => {
    if (p.kind === 'blank') body.insertPage(k, [size.width, size.height]);
  });

  // 3. Shift towards the binding edge, and draw the furniture over body pages.
  const half = (layout.inside.pt - layout.outside.pt) / 2;
  const shiftOf = (k: number) => (hasCover && k === 0 ? 0 : k % 2 === 0 ? half : -half);
  drawFurniture(input, { copier, secondPages, frontPages, samples, size, shiftOf });

  // 4. Destinations: the page they are on moved by dx; Chromium also writes them relative to the page
  //    area (without the margins), so add the left and top margins of the first print.
  correctDestinations(input, (k) => (hasCover && k === 0 ? { left: 0, top: 0 } : { left: layout.side.pt + shiftOf(k), top: layout.top.pt }));
}

interface FurnitureInput {
  copier: PDFObjectCopier;
  /** Pages of print 2: the front matter, then the running-head pages. */
  secondPages: readonly PDFPage[];
  frontPages: number;
  samples: Record<Side, FolioSample>;
  size: { width: number; height: number };
  /** How far final page `k` moves towards its binding edge. */
  shiftOf: (k: number) => number;
}

/** Every final page shifted towards its binding edge; body pages get their running head and folio. */
function drawFurniture(input: AssembleInput, f: FurnitureInput): void {
  const { body, plan, heads } = input;
  const { context } = body;
  const { copier, samples } = f;
  const shiftStreams = new Map<number, [PDFRef, PDFRef]>();
  const shiftRefs = (dx: number) => {
    let refs = shiftStreams.get(dx);
    if (!refs) {
      refs = [context.register(context.stream(`q 1 0 0 1 ${num(dx)} 0 cm\n`)), context.register(context.stream('\nQ\n'))];
      shiftStreams.set(dx, refs);
    }
    return refs;
  };
  // One Form XObject per running head; the sample fonts copied once, under names of their own.
  const headForms = new Map<number, PDFRef | undefined>();
  const headForm = (at: number) => {
    if (!headForms.has(at)) headForms.set(at, furnitureForm(f.secondPages[f.frontPages + at]!, copier, f.size));
    return headForms.get(at);
  };
  const folioFonts = new Map<string, { name: string; ref: PDFRef }>();
  for (const sample of [samples.right, samples.left]) {
    for (const ref of sample.fonts.values()) {
      if (!folioFonts.has(ref.toString())) folioFonts.set(ref.toString(), { name: `AnnalsFolio${folioFonts.size}`, ref: copier.copy(ref) as PDFRef });
    }
  }
  const fontName = (sample: FolioSample) => (font: string) => folioFonts.get(sample.fonts.get(font)!.toString())!.name;
  body.getPages().forEach((page, k) => {
    const planned = plan.pages[k]!;
    if (planned.kind === 'blank') return;
    const dx = f.shiftOf(k);
    const contents = contentRefs(page);
    if (dx !== 0) {
      const [start, end] = shiftRefs(dx);
      contents.unshift(start);
      contents.push(end);
      shiftAnnotations(page, dx);
    }
    if (planned.kind === 'body') {
      const side = sideOf(k);
      const sample = samples[side];
      const at = heads.headOf.get(k);
      const form = at === undefined ? undefined : headForm(at);
      if (form) resourceDict(page, 'XObject').set(PDFName.of('AnnalsFurniture'), form);
      const fonts = resourceDict(page, 'Font');
      for (const { name, ref } of folioFonts.values()) fonts.set(PDFName.of(name), ref);
      const ops = `${form ? 'q /AnnalsFurniture Do Q\n' : ''}${folioOperators(sample, String(planned.folio), side, fontName(sample))}`;
      contents.push(context.register(context.stream(`\n/Artifact <</Type /Pagination>> BDC\n${ops}\nEMC\n`)));
    }
    page.node.set(PDFName.Contents, context.obj(contents));
  });
}

/** The outline (bookmarks) from the printed table of contents, labels included (第一章 总论). */
export function addOutline(doc: PDFDocument, toc: readonly TocNode[], dests: (id: string) => PDFArray | undefined, extra: ReadonlyArray<{ id: string; title: string }> = []): number {
  const context = doc.context;
  const root = context.obj({ Type: 'Outlines' }) as PDFDict;
  const rootRef = context.register(root);
  let count = 0;
  const build = (nodes: readonly TocNode[], parentRef: PDFRef, parent: PDFDict, depth: number): number => {
    const refs: PDFRef[] = [];
    const dicts: PDFDict[] = [];
    let visible = 0;
    for (const node of nodes) {
      const dest = dests(node.id);
      const title = labelled(node.label, node.title);
      if (!dest) continue;
      const dict = context.obj({ Title: PDFHexString.fromText(title), Parent: parentRef, Dest: dest }) as PDFDict;
      const ref = context.register(dict);
      count++;
      if (node.children.length) {
        const n = build(node.children, ref, dict, depth + 1);
        // Chapters open, their sections closed: the outline shows the book's shape at a glance.
        if (n) dict.set(PDFName.of('Count'), PDFNumber.of(depth === 0 ? n : -n));
      }
      refs.push(ref);
      dicts.push(dict);
    }
    refs.forEach((ref, i) => {
      if (i > 0) dicts[i]!.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < refs.length - 1) dicts[i]!.set(PDFName.of('Next'), refs[i + 1]!);
    });
    if (refs.length) {
      parent.set(PDFName.of('First'), refs[0]!);
      parent.set(PDFName.of('Last'), refs[refs.length - 1]!);
    }
    visible = refs.length;
    return visible;
  };
  // In page order: the contents' own entry follows the front-matter parts printed before it (前言).
  const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref, i]));
  const pageOf = (node: TocNode) => {
    const target = dests(node.id)?.get(0);
    return (target instanceof PDFRef ? pageIndex.get(target) : undefined) ?? Number.MAX_SAFE_INTEGER;
  };
  const top: TocNode[] = [...extra.map((e) => ({ id: e.id, label: '', title: e.title, children: [] })), ...toc]
    .map((node, i) => ({ node, i, page: pageOf(node) }))
    .sort((a, b) => a.page - b.page || a.i - b.i)
    .map((e) => e.node);
  const n = build(top, rootRef, root, 0);
  if (!n) return 0;
  root.set(PDFName.of('Count'), PDFNumber.of(n));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  return count;
}

/** Page labels, so viewers show the printed folios: i, ii … in the front matter, 1, 2 … in the body. */
export function addPageLabels(doc: PDFDocument, frontCount: number): void {
  const nums: unknown[] = [0, { S: PDFName.of('r') }];
  if (frontCount > 0) nums.push(frontCount, { S: PDFName.of('D') });
  else nums.splice(1, 1, { S: PDFName.of('D') });
  doc.catalog.set(PDFName.of('PageLabels'), doc.context.obj({ Nums: doc.context.obj(nums as never) }));
}

/** The named destinations of the final document as explicit destination arrays (for the outline), by id. */
export function destinationArrays(doc: PDFDocument): Map<string, PDFArray> {
  const out = new Map<string, PDFArray>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of dests?.entries() ?? []) {
    const array = value instanceof PDFRef ? doc.context.lookupMaybe(value, PDFArray) : value instanceof PDFArray ? value : undefined;
    if (array && array.size() >= 2) out.set(destinationId(name), array);
  }
  return out;
}

/**
 * Chromium names structure elements after its DOM node ids (`node00000147`), which depend on how many
 * nodes the browser made before: a second build in the same browser gets other numbers. Renumber them in
 * document order (element /ID, the table cells' /Headers, the /IDTree), so identical input gives
 * identical bytes.
 */
export function normalizeStructureIds(doc: PDFDocument): void {
  const context = doc.context;
  const structRoot = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (!structRoot) return;
  const renamed = new Map<string, string>();
  const rename = (value: unknown): PDFString | PDFHexString | undefined => {
    if (!(value instanceof PDFString || value instanceof PDFHexString)) return undefined;
    const old = value.decodeText();
    let next = renamed.get(old);
    if (!next) {
      next = `node${String(renamed.size + 1).padStart(8, '0')}`;
      renamed.set(old, next);
    }
    return PDFString.of(next);
  };
  const elements: Array<[PDFRef, PDFDict]> = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('StructElem')) elements.push([ref, object]);
  }
  elements.sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  const byId: Array<[string, PDFRef]> = [];
  for (const [ref, element] of elements) {
    const id = rename(element.get(PDFName.of('ID')));
    if (id) {
      element.set(PDFName.of('ID'), id);
      byId.push([id.decodeText(), ref]);
    }
  }
  for (const [, element] of elements) {
    const attributes = element.lookup(PDFName.of('A'));
    const dicts = attributes instanceof PDFArray ? attributes.asArray().map((a) => context.lookup(a)) : [attributes];
    for (const dict of dicts) {
      const headers = dict instanceof PDFDict ? dict.lookupMaybe(PDFName.of('Headers'), PDFArray) : undefined;
      if (!headers) continue;
      for (let i = 0; i < headers.size(); i++) {
        const id = rename(headers.get(i));
        if (id) headers.set(i, id);
      }
    }
  }
  if (structRoot.has(PDFName.of('IDTree'))) {
    // The old tree's nodes would still be written (with the old names): delete them.
    const drop = (value: unknown) => {
      const node = value instanceof PDFRef ? context.lookup(value) : value;
      if (node instanceof PDFDict) node.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray().forEach(drop);
      if (value instanceof PDFRef) context.delete(value);
    };
    drop(structRoot.get(PDFName.of('IDTree')));
    if (byId.length === 0) {
      structRoot.delete(PDFName.of('IDTree'));
      return;
    }
    byId.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const names = context.obj(byId.flatMap(([id, ref]) => [PDFString.of(id), ref]));
    structRoot.set(PDFName.of('IDTree'), context.register(context.obj({ Names: names })));
  }
}

/**
 * PDF names may be at most 127 bytes. Chromium names a destination after its id, percent-encoded when
 * it is not ASCII, so a heading id of 15 Chinese characters already exceeds that (poppler warns, strict
 * readers may refuse). Such names become `d-<hash of the id>`, in the destinations and in every link.
 */
export function shortenDestinationNames(doc: PDFDocument): number {
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return 0;
  const renamed = new Map<PDFName, PDFName>();
  for (const [name, value] of dests.entries()) {
    if (name.sizeInBytes() <= 128) continue; // the leading slash plus 127
    const short = PDFName.of(`d-${createHash('sha256').update(name.asBytes()).digest('hex').slice(0, 20)}`);
    renamed.set(name, short);
    dests.delete(name);
    dests.set(short, value);
  }
  if (!renamed.size) return 0;
  for (const page of doc.getPages()) {
    for (const annot of page.node.Annots()?.asArray() ?? []) {
      const dict = doc.context.lookupMaybe(annot, PDFDict);
      const dest = dict?.get(PDFName.of('Dest'));
      if (dest instanceof PDFName && renamed.has(dest)) dict!.set(PDFName.of('Dest'), renamed.get(dest)!);
      const action = dict?.lookupMaybe(PDFName.of('A'), PDFDict);
      const d = action?.get(PDFName.of('D'));
      if (d instanceof PDFName && renamed.has(d)) action!.set(PDFName.of('D'), renamed.get(d)!);
    }
  }
  return renamed.size;
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────

const num = (n: number) => String(Math.round(n * 10000) / 10000);


function contentRefs(page: PDFPage): PDFRef[] {
  const value = page.node.get(PDFName.Contents);
  if (value instanceof PDFRef) {
    const target = page.doc.context.lookup(value);
    if (target instanceof PDFArray) return target.asArray().filter((r): r is PDFRef => r instanceof PDFRef);
    return [value];
  }
  if (value instanceof PDFArray) return value.asArray().filter((r): r is PDFRef => r instanceof PDFRef);
  return [];
}

function resourcesOf(page: PDFPage): PDFDict {
  const context = page.doc.context;
  let resources = page.node.Resources();
  if (!resources) {
    resources = context.obj({}) as PDFDict;
    page.node.set(PDFName.Resources, resources);
  }
  return resources;
}

/** The page's resource dictionary `name` (Font, XObject), made when it has none. */
function resourceDict(page: PDFPage, name: 'Font' | 'XObject'): PDFDict {
  const resources = resourcesOf(page);
  let dict = resources.lookupMaybe(PDFName.of(name), PDFDict);
  if (!dict) {
    dict = page.doc.context.obj({}) as PDFDict;
    resources.set(PDFName.of(name), dict);
  }
  return dict;
}

/** The second print's page k as a Form XObject in the body document (undefined when it draws nothing). */
function furnitureForm(page: PDFPage, copier: PDFObjectCopier, size: { width: number; height: number }): PDFRef | undefined {
  const source = page.doc.context;
  const value = page.node.get(PDFName.Contents);
  const streams = (value instanceof PDFArray ? value.asArray() : value ? [value] : [])
    .map((v) => (v instanceof PDFRef ? source.lookup(v) : v))
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream);
  if (!streams.length) return undefined;
  const resources = copier.copy(page.node.Resources() ?? source.obj({})) as PDFDict;
  const dest = resources.context;
  const dict = {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, size.width, size.height],
    Resources: resources,
  };
  if (streams.length === 1) {
    const only = streams[0]!;
    const filter = only.dict.get(PDFName.of('Filter'));
    const form = dest.obj({ ...dict }) as PDFDict;
    if (filter) form.set(PDFName.of('Filter'), copier.copy(filter));
    return dest.register(PDFRawStream.of(form, only.contents));
  }
  const parts = streams.map((s) => decodePDFRawStream(s).decode());
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    joined[at + p.length] = 0x0a;
    at += p.length + 1;
  }
  return dest.register(dest.flateStream(joined, dict));
}

function shiftAnnotations(page: PDFPage, dx: number): void {
  const annots = page.node.Annots();
  if (!annots) return;
  for (let i = 0; i < annots.size(); i++) {
    const annot = annots.lookup(i);
    if (!(annot instanceof PDFDict)) continue;
    for (const key of ['Rect', 'QuadPoints']) {
      const array = annot.lookupMaybe(PDFName.of(key), PDFArray);
      if (!array) continue;
      for (let j = 0; j < array.size(); j += 2) {
        const n = array.lookup(j);
        if (n instanceof PDFNumber) array.set(j, PDFNumber.of(n.asNumber() + dx));
      }
    }
  }
}

function correctDestinations(input: AssembleInput, offsetOf: (k: number) => { left: number; top: number }): void {
  const { body } = input;
  const dests = body.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return;
  const finalOf = new Map<string, number>();
  body.getPages().forEach((p, k) => finalOf.set(p.ref.toString(), k));
  for (const [, value] of dests.entries()) {
    const array = value instanceof PDFRef ? body.context.lookupMaybe(value, PDFArray) : value instanceof PDFArray ? value : undefined;
    const page = array?.get(0);
    if (!array || !(page instanceof PDFRef) || array.size() < 4) continue;
    const k = finalOf.get(page.toString());
    if (k === undefined) continue;
    const x = array.lookup(2);
    const y = array.lookup(3);
    const offset = offsetOf(k);
    if (x instanceof PDFNumber) array.set(2, PDFNumber.of(round(x.asNumber() + offset.left)));
    if (y instanceof PDFNumber) array.set(3, PDFNumber.of(round(y.asNumber() - offset.top)));
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

