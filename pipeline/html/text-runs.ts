/**
 * The running text of a hast tree as one string, and a way to put classes on ranges of it. The line-level
 * typography stages (rehype-cjk-punctuation.ts, rehype-no-break.ts, rehype-table-words.ts) decide from a
 * character's neighbours — which may sit in the next text node ("“<em>AI</em>”") — and then wrap single
 * characters or ranges in `<span class="…">` without touching the rest of the tree.
 *
 * Text inside code, mathematics (KaTeX output), SVG, scripts and styles is not running text and is left
 * out: its characters are neither read as neighbours nor wrapped. An inline formula or code span still
 * stands between its neighbours: it counts as one object character (U+FFFC) of the joined text, so the
 * "，" before `$x$` and the "，" after it are not read as two adjacent marks.
 */
import type { Element, ElementContent, Root, Text } from 'hast';
import { phrasing } from 'hast-util-phrasing';

/** Elements whose text is not typeset prose. */
const OPAQUE_TAGS = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style', 'svg', 'math', 'textarea']);
const OPAQUE_CLASSES = ['katex', 'math', 'math-inline', 'math-display', 'sr-only', 'decimal-ghost'];

/** Opaque elements that are words of the sentence (a formula, code), unlike a script or a screen-reader label. */
const OBJECT_TAGS = new Set(['code', 'kbd', 'samp', 'math']);
const OBJECT_CLASSES = ['katex', 'math-inline', 'math-display'];
/** The character an inline object stands for in the joined text (it belongs to no slot). */
export const OBJECT_CHARACTER = '\uFFFC';

function isObject(node: Element): boolean {
  return OBJECT_TAGS.has(node.tagName) || classesOf(node).some((c) => OBJECT_CLASSES.includes(c));
}

export function isOpaque(node: Element): boolean {
  if (OPAQUE_TAGS.has(node.tagName)) return true;
  return classesOf(node).some((c) => OPAQUE_CLASSES.includes(c));
}

export interface TextSlot {
  parent: Root | Element;
  /** The elements from the tree's root down to `parent` (the root first). */
  ancestors: ReadonlyArray<Root | Element>;
  node: Text;
  /** Offset of the node's first character in the joined text. */
  start: number;
}

export interface TextRuns {
  /** Every prose text node's value, in document order, joined. */
  text: string;
  slots: TextSlot[];
}

export function classesOf(node: Element): string[] {
  const cls: unknown = node.properties?.className;
  return Array.isArray(cls) ? cls.map(String) : typeof cls === 'string' ? cls.split(/\s+/) : [];
}

/** The prose text under `tree`, in document order; `skip` leaves out further elements. */
export function textRuns(tree: Root | Element, skip?: (node: Element) => boolean): TextRuns {
  const slots: TextSlot[] = [];
  let text = '';
  const walk = (parent: Root | Element, ancestors: ReadonlyArray<Root | Element>) => {
    const chain = [...ancestors, parent];
    for (const child of parent.children) {
      if (child.type === 'text') {
        slots.push({ parent, ancestors: chain, node: child, start: text.length });
        text += child.value;
      } else if (child.type === 'element' && !skip?.(child)) {
        if (!isOpaque(child)) walk(child, chain);
        else if (isObject(child)) text += OBJECT_CHARACTER;
      }
    }
  };
  walk(tree, []);
  return { text, slots };
}

/** A class for one range of the joined text (end exclusive). Ranges may nest but must not cross. */
export interface Mark {
  start: number;
  end: number;
  className: string;
}

/**
 * Wraps the marked ranges in spans. A range that spans several text nodes is cut at their edges (each
 * piece gets the class), so the tree's elements are never restructured.
 */
export function applyMarks(runs: TextRuns, marks: readonly Mark[]): void {
  if (marks.length === 0) return;
  const sorted = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
  const longest = Math.max(...sorted.map((m) => m.end - m.start));
  // The first mark that may reach into [from, …): marks are sorted by start and none is longer than `longest`.
  const firstFrom = (from: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start < from - longest) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Text nodes are rewritten from the last to the first so earlier slots' indices stay valid.
  const byParent = new Map<Root | Element, TextSlot[]>();
  for (const slot of runs.slots) {
    const list = byParent.get(slot.parent) ?? [];
    list.push(slot);
    byParent.set(slot.parent, list);
  }
  for (const [parent, slots] of byParent) {
    for (const slot of [...slots].reverse()) {
      const end = slot.start + slot.node.value.length;
      const inside: Mark[] = [];
      for (let k = firstFrom(slot.start); k < sorted.length && sorted[k]!.start < end; k++) {
        const m = sorted[k]!;
        if (m.end > slot.start) inside.push(m);
      }
      const pieces = inside.map((m) => ({ start: Math.max(m.start, slot.start) - slot.start, end: Math.min(m.end, end) - slot.start, className: m.className }));
      if (pieces.length === 0) continue;
      const replacement = wrap(slot.node, pieces, 0, slot.node.value.length);
      const index = parent.children.indexOf(slot.node as never);
      if (index >= 0) parent.children.splice(index, 1, ...(replacement as never[]));
    }
  }
}

/** The text node's characters [from, to) with the marks inside that range turned into nested spans. */
function wrap(node: Text, marks: readonly Mark[], from: number, to: number): ElementContent[] {
  const out: ElementContent[] = [];
  let at = from;
  const text = (a: number, b: number) => {
    if (b > a) out.push({ type: 'text', value: node.value.slice(a, b), ...(node.position && a === 0 && b === node.value.length ? { position: node.position } : {}) });
  };
  let i = 0;
  while (i < marks.length) {
    const m = marks[i]!;
    if (m.start < at) {
      i++;
      continue;
    }
    text(at, m.start);
    // The marks nested in this one (they start inside it) are wrapped inside its span.
    let j = i + 1;
    while (j < marks.length && marks[j]!.start < m.end) j++;
    const children = wrap(node, marks.slice(i + 1, j), m.start, m.end);
    out.push({ type: 'element', tagName: 'span', properties: { className: m.className.split(' ') }, children });
    at = m.end;
    i = j;
  }
  text(at, to);
  return out;
}

/**
 * Wraps the range [start, end) of the joined text, which crosses element boundaries ("第<span>22</span>位"),
 * in one span under the elements' nearest common ancestor: the text nodes at either end are split there;
 * an element at either end is taken whole. Returns false when the range lies in one text node (use
 * `applyMarks`), its ends have no common ancestor in the tree, or the span would hold a block (the
 * joined text runs on from one block into the next: no line runs across them).
 */
export function wrapAcross(runs: TextRuns, start: number, end: number, className: string): boolean {
  return wrapAcrossAt(runs, start, end, className) !== undefined;
}

/**
 * `wrapAcross` for many ranges of `tree`'s joined text (sorted, none overlapping), in order. A wrap moves
 * and splits only the text nodes from its range's start to the end of the text node or element holding
 * its end, so the runs read once still hold for a later range that starts beyond those; they are read
 * again only for one that does not (a chapter's tree was read once per range before: 40 reads of a large
 * chapter). Returns whether any range was wrapped.
 */
export function wrapAllAcross(tree: Root, ranges: ReadonlyArray<readonly [number, number]>, className: string, skip?: (node: Element) => boolean): boolean {
  let runs: TextRuns | undefined;
  let touchedTo = -Infinity;
  let wrapped = false;
  for (const [start, end] of ranges) {
    if (!runs || start < touchedTo) runs = textRuns(tree, skip);
    const touched = wrapAcrossAt(runs, start, end, className);
    if (touched === undefined) continue;
    touchedTo = Math.max(touchedTo, touched);
    wrapped = true;
  }
  return wrapped;
}

/** The text node of `slot` lies inside `element`. */
function insideOf(slot: TextSlot, element: Element): boolean {
  return slot.parent === element || slot.ancestors.includes(element);
}

/** The index of the last slot with text that starts before (`before`) or at `offset`, or -1. */
function lastSlotFrom(slots: readonly TextSlot[], offset: number, before: boolean): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before ? slots[mid]!.start < offset : slots[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  while (i >= 0 && slots[i]!.node.value.length === 0) i--;
  return i;
}

/** The wrap of `wrapAcross`; the end (in the joined text) of what it moved or split, or undefined when it wrapped nothing. */
function wrapAcrossAt(runs: TextRuns, start: number, end: number, className: string): number | undefined {
  const slotEnd = (s: TextSlot) => s.start + s.node.value.length;
  // The text nodes holding the range's first and last characters (slots are in text order, the ones with text never overlap).
  const fi = lastSlotFrom(runs.slots, start, false);
  const li = lastSlotFrom(runs.slots, end, true);
  const first = fi >= 0 && start < slotEnd(runs.slots[fi]!) ? runs.slots[fi] : undefined;
  const last = li >= 0 && end <= slotEnd(runs.slots[li]!) ? runs.slots[li] : undefined;
  if (!first || !last || first === last) return undefined;
  // A slot's ancestors end with its parent: the chain from the root down to the text node's parent.
  const a = first.ancestors;
  const b = last.ancestors;
  let depth = 0;
  while (depth < a.length && depth < b.length && a[depth] === b[depth]) depth++;
  const common = a[depth - 1];
  if (!common) return undefined;
  // The children of `common` that hold each end: the text node itself or the element around it.
  const holder = (s: TextSlot, chain: ReadonlyArray<Root | Element>) => (chain.length > depth ? (chain[depth] as Element) : s.node);
  let from = common.children.indexOf(holder(first, a) as never);
  let to = common.children.indexOf(holder(last, b) as never);
  if (from < 0 || to < from) return undefined;
  // The joined text runs on across blocks (a heading ending in 3.1, a paragraph starting with 人): a
  // range that takes in a block is no run of one line, and a span must not hold a block.
  if (common.children.slice(from, to + 1).some((c) => c.type === 'element' && !phrasing(c))) return undefined;
  // What the wrap moves ends with the last text node of the element at the range's end (or that text node).
  const lastHolder = holder(last, b);
  let touched = li;
  while (lastHolder !== last.node && touched + 1 < runs.slots.length && insideOf(runs.slots[touched + 1]!, lastHolder as Element)) touched++;
  const touchedTo = slotEnd(runs.slots[touched]!);
  // Split the end text nodes so that only the range is wrapped.
  if (holder(last, b) === last.node) {
    const cut = end - last.start;
    if (cut < last.node.value.length) {
      common.children.splice(to + 1, 0, { type: 'text', value: last.node.value.slice(cut) });
      last.node.value = last.node.value.slice(0, cut);
    }
  }
  if (holder(first, a) === first.node) {
    const cut = start - first.start;
    if (cut > 0) {
      common.children.splice(from, 0, { type: 'text', value: first.node.value.slice(0, cut) });
      first.node.value = first.node.value.slice(cut);
      from++;
      to++;
    }
  }
  const inner = common.children.splice(from, to - from + 1, { type: 'element', tagName: 'span', properties: { className: className.split(' ') }, children: [] });
  (common.children[from] as Element).children = inner as ElementContent[];
  return touchedTo;
}

