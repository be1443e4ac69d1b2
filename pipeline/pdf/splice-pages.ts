/**
 * Replace the last pages of a Chromium PDF by the pages of a later print of the same document, keeping a
 * valid structure tree. Used for page numbers inside the body (the index, `:pageref`): once they are
 * filled in, only the parts from the first one that holds such a number change, so Chromium prints just
 * those pages again (`pageRanges`), and they take the place of the old ones here.
 *
 * `from` must be the first page of a part (chapters and back matter start on a new page), so the old and
 * the new print split the structure tree at the same place: the top-level structure elements whose
 * content starts at or after `from` are removed with their pages, parent-tree entries and destinations;
 * the new print's pages and top-level elements are copied in, with parent-tree keys renumbered.
 */
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFPage,
  PDFPageLeaf,
  PDFRef,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';

export interface TailOptions {
  /**
   * The new pages are those of `part` from this index on (default 0): a print that also holds other
   * pages before them (the front matter and running heads, pass-late-with-front.ts). Only the structure elements,
   * parent-tree entries and destinations of those pages are taken.
   */
  first?: number;
  /** Copier from `part` to `doc`, to share with other copies from the same print (fonts once). */
  copier?: PDFObjectCopier;
}

export function replaceTail(doc: PDFDocument, from: number, part: PDFDocument, options: TailOptions = {}): void {
  const pages = doc.getPages();
  if (from < 0 || from > pages.length) throw new Error(`cannot replace pages from ${from} of ${pages.length}`);
  const removed = pages.slice(from);
  const removedRefs = new Set(removed.map((p) => p.ref.toString()));
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  const parentTree = root ? readNumberTree(doc, root.get(PDFName.of('ParentTree'))) : new Map<number, PDFObject>();
  const documentElement = dropOldStructure(doc, root, removedRefs);
  removeOldPages(doc, from, removed, parentTree);
  const first = options.first ?? 0;
  const copier = options.copier ?? PDFObjectCopier.for(part.context, doc.context);
  const added = addNewPages(doc, part, { first, copier, parentTree, tagged: root !== undefined });
  if (root) addNewStructure(doc, root, documentElement, added, copier, parentTree);
  spliceDestinations(doc, part, removedRefs, first === 0 ? undefined : added.newRefs, copier);
}

/** 1. The old structure: the top-level elements whose content starts on a removed page are dropped. */
function dropOldStructure(doc: PDFDocument, root: PDFDict | undefined, removedRefs: ReadonlySet<string>): { element?: PDFDict; ref?: PDFObject } {
  const { context } = doc;
  const ref = root?.get(PDFName.of('K'));
  const element = root ? context.lookupMaybe(ref, PDFDict) : undefined;
  const kidsValue = element?.get(PDFName.of('K'));
  if (element && kidsValue) {
    const keep: PDFObject[] = [];
    const list = context.lookup(kidsValue);
    for (const kid of list instanceof PDFArray ? list.asArray() : [kidsValue]) {
      const page = firstPage(doc, kid);
      if (page !== undefined && removedRefs.has(page)) deleteSubtree(doc, kid);
      else keep.push(kid);
    }
    element.set(PDFName.of('K'), context.obj(keep));
  }
  return { element, ref };
}

/** 2. The old pages: out of the page tree, their parent-tree entries and objects deleted. */
function removeOldPages(doc: PDFDocument, from: number, removed: readonly PDFPage[], parentTree: Map<number, PDFObject>): void {
  const { context } = doc;
  for (const page of removed) {
    const key = page.node.get(PDFName.of('StructParents'));
    if (key instanceof PDFNumber) {
      const value = parentTree.get(key.asNumber());
      if (value instanceof PDFRef) context.delete(value);
      parentTree.delete(key.asNumber());
    }
    for (const annot of page.node.Annots()?.asArray() ?? []) {
      const dict = context.lookupMaybe(annot, PDFDict);
      const k = dict?.get(PDFName.of('StructParent'));
      if (k instanceof PDFNumber) parentTree.delete(k.asNumber());
      if (annot instanceof PDFRef) context.delete(annot);
    }
    const contents = page.node.get(PDFName.Contents);
    for (const ref of contents instanceof PDFArray ? contents.asArray() : [contents]) if (ref instanceof PDFRef) context.delete(ref);
  }
  for (let i = from + removed.length - 1; i >= from; i--) doc.removePage(i);
  for (const page of removed) context.delete(page.ref);
}

interface AddedPages {
  /** The new print's top-level structure elements whose content starts on the new pages. */
  takenKids: PDFObject[];
  /** Refs (as strings, in `part`) of the new pages. */
  newRefs: Set<string>;
  /** The parent tree's next key after the new pages' entries. */
  nextKey: number;
}

/**
 * 3. The new pages, with parent-tree keys that follow the document's. The new print's top-level
 *    elements lose their parent first: copying it would bring the other print's whole tree along.
 */
function addNewPages(doc: PDFDocument, part: PDFDocument, o: { first: number; copier: PDFObjectCopier; parentTree: Map<number, PDFObject>; tagged: boolean }): AddedPages {
  const { context } = doc;
  const { first, copier, parentTree } = o;
  const partRoot = part.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  const partDocument = partRoot ? part.context.lookupMaybe(partRoot.get(PDFName.of('K')), PDFDict) : undefined;
  const partKidsValue = partDocument?.get(PDFName.of('K'));
  const partKidsList = partKidsValue ? part.context.lookup(partKidsValue) : undefined;
  const partKids = partKidsList instanceof PDFArray ? partKidsList.asArray() : partKidsValue ? [partKidsValue] : [];
  const newPages = part.getPages().slice(first);
  const newRefs = new Set(newPages.map((p) => p.ref.toString()));
  // From a print with other pages before the new ones: only the elements whose content starts on them.
  const takenKids = first === 0 ? partKids : partKids.filter((kid) => newRefs.has(firstPage(part, kid) ?? ''));
  for (const kid of takenKids) part.context.lookupMaybe(kid, PDFDict)?.delete(PDFName.of('P'));
  const partTree = partRoot ? readNumberTree(part, partRoot.get(PDFName.of('ParentTree'))) : new Map<number, PDFObject>();
  let nextKey = Math.max(-1, ...parentTree.keys()) + 1;
  const renumber = (dict: PDFDict, name: string) => {
    const key = dict.get(PDFName.of(name));
    if (!(key instanceof PDFNumber)) return;
    const value = partTree.get(key.asNumber());
    dict.set(PDFName.of(name), PDFNumber.of(nextKey));
    if (value !== undefined) parentTree.set(nextKey, copier.copy(value));
    nextKey++;
  };
  for (const page of newPages) {
    const ref = copier.copy(page.ref) as PDFRef;
    const leaf = context.lookup(ref) as PDFPageLeaf;
    doc.addPage(PDFPage.of(leaf, ref, doc));
    if (!o.tagged) continue;
    renumber(leaf, 'StructParents');
    for (const annot of leaf.Annots()?.asArray() ?? []) {
      const dict = context.lookupMaybe(annot, PDFDict);
      if (dict) renumber(dict, 'StructParent');
    }
  }
  return { takenKids, newRefs, nextKey };
}

/** 4. The new print's top-level structure elements, under this document's element; the parent tree written. */
function addNewStructure(doc: PDFDocument, root: PDFDict, documentElement: { element?: PDFDict; ref?: PDFObject }, added: AddedPages, copier: PDFObjectCopier, parentTree: Map<number, PDFObject>): void {
  const { context } = doc;
  const { element, ref } = documentElement;
  if (element) {
    const list = element.lookup(PDFName.of('K'), PDFArray);
    for (const kid of added.takenKids) {
      const copied = copier.copy(kid);
      const copiedElement = context.lookupMaybe(copied, PDFDict);
      if (copiedElement && ref) copiedElement.set(PDFName.of('P'), ref);
      list.push(copied);
    }
  }
  const nums: PDFObject[] = [];
  for (const key of [...parentTree.keys()].sort((a, b) => a - b)) nums.push(PDFNumber.of(key), parentTree.get(key)!);
  deleteNumberTree(doc, root.get(PDFName.of('ParentTree')));
  root.set(PDFName.of('ParentTree'), context.register(context.obj({ Type: 'ParentTree', Nums: context.obj(nums) })));
  root.set(PDFName.of('ParentTreeNextKey'), PDFNumber.of(added.nextKey));
}

/** 5. Destinations: those on removed pages go; the new print's come in (only those on `newRefs`, when given). */
function spliceDestinations(doc: PDFDocument, part: PDFDocument, removedRefs: ReadonlySet<string>, newRefs: ReadonlySet<string> | undefined, copier: PDFObjectCopier): void {
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return;
  for (const [name, value] of dests.entries()) {
    const array = doc.context.lookupMaybe(value, PDFArray);
    const page = array?.get(0);
    if (page instanceof PDFRef && removedRefs.has(page.toString())) dests.delete(name);
  }
  const partDests = part.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of partDests?.entries() ?? []) {
    const page = part.context.lookupMaybe(value, PDFArray)?.get(0);
    if (!newRefs || (page instanceof PDFRef && newRefs.has(page.toString()))) dests.set(name, copier.copy(value));
  }
}

/** The page (as a ref string) of the first marked content in a structure subtree. */
function firstPage(doc: PDFDocument, node: PDFObject | undefined, depth = 0): string | undefined {
  if (depth > 200) return undefined;
  const dict = node instanceof PDFRef ? doc.context.lookupMaybe(node, PDFDict) : node instanceof PDFDict ? node : undefined;
  if (!dict) return undefined;
  const pg = dict.get(PDFName.of('Pg'));
  if (pg instanceof PDFRef) return pg.toString();
  const k = dict.get(PDFName.of('K'));
  const list = k instanceof PDFArray ? k.asArray() : k ? [k] : [];
  for (const child of list) {
    const found = firstPage(doc, child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function deleteSubtree(doc: PDFDocument, node: PDFObject): void {
  const dict = node instanceof PDFRef ? doc.context.lookupMaybe(node, PDFDict) : undefined;
  if (!dict || dict.get(PDFName.of('Type')) !== PDFName.of('StructElem')) return;
  const k = dict.get(PDFName.of('K'));
  for (const child of k instanceof PDFArray ? k.asArray() : k ? [k] : []) deleteSubtree(doc, child);
  doc.context.delete(node as PDFRef);
}

/** All entries of a number tree (flat /Nums or with /Kids). */
function readNumberTree(doc: PDFDocument, node: PDFObject | undefined, out = new Map<number, PDFObject>()): Map<number, PDFObject> {
  const dict = doc.context.lookupMaybe(node, PDFDict);
  if (!dict) return out;
  const nums = dict.lookupMaybe(PDFName.of('Nums'), PDFArray);
  for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
    const key = nums.get(i);
    if (key instanceof PDFNumber) out.set(key.asNumber(), nums.get(i + 1));
  }
  for (const kid of dict.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []) readNumberTree(doc, kid, out);
  return out;
}

function deleteNumberTree(doc: PDFDocument, node: PDFObject | undefined): void {
  const dict = doc.context.lookupMaybe(node, PDFDict);
  for (const kid of dict?.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? []) deleteNumberTree(doc, kid);
  if (node instanceof PDFRef) doc.context.delete(node);
}
