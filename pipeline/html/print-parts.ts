/**
 * The body parts of print.html, as data: each chapter from the first numbered one on, then the back
 * matter, with its id, kind and running head. The PDF stage lays the book out with the page CSS for
 * them (named pages, running heads) before Chromium confirms them (page-scripts.ts PREPARE); the preview
 * cuts a chapter's pages out of the PDF up to the next part's.
 *
 * Two sources, the same list:
 * - `printParts`: from the chapters and the back matter, as render-edition.ts writes print.html (the
 *   build passes this to the PDF stage: build/render-site.ts `RenderedSite.printParts`);
 * - `printPartsOfTree`: from print.html parsed (hast), for a PDF stage or preview given only the folder;
 *   `printChaptersOfTree` lists the chapters the preview's print view offers.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { ChapterInfo } from '../context/types.ts';

export interface PrintPart {
  id: string;
  kind: 'chapter' | 'matter';
  /** Label + short title of a chapter (第二章 基础设施), or the title of a back-matter part. */
  runningHead: string;
}

/** A chapter of print.html (front chapters included): its slug, section id and title as printed. */
export interface PrintChapter {
  slug: string;
  id: string;
  title: string;
}

/**
 * The parts from the book's chapters and back matter. `frontChapters`: how many chapters print before the
 * contents (render-edition.ts `frontChapterCount`); they are front matter, not body parts.
 */
export function printParts(chapters: readonly ChapterInfo[], backMatter: ReadonlyArray<{ id: string; title: string }>, frontChapters: number): PrintPart[] {
  return [
    ...chapters.slice(frontChapters).map((c) => ({ id: c.id, kind: 'chapter' as const, runningHead: c.label ? `${c.label} ${c.short}` : c.short })),
    ...backMatter.map((m) => ({ id: m.id, kind: 'matter' as const, runningHead: m.title })),
  ];
}

/**
 * The parts of a parsed print.html: its top-level `section.chapter` and `section.matter` elements from
 * the first chapter on (front matter before it is not a body part), with `data-label` and
 * `data-running-head` making the running head.
 */
export function printPartsOfTree(tree: Root): PrintPart[] {
  const sections: Array<{ kind: 'chapter' | 'matter'; element: Element }> = [];
  collectSections(tree, sections);
  const first = sections.findIndex((s) => s.kind === 'chapter');
  if (first < 0) return [];
  return sections.slice(first).map(({ kind, element }) => {
    const text = (name: string) => String(element.properties[name] ?? '');
    const label = text('dataLabel');
    const head = text('dataRunningHead');
    return { id: text('id'), kind, runningHead: label ? `${label} ${head}` : head };
  });
}

/** The chapters of a parsed print.html, front chapters (前言, printed as front matter) included, in order. */
export function printChaptersOfTree(tree: Root): PrintChapter[] {
  const sections: Array<{ kind: 'chapter' | 'matter'; element: Element }> = [];
  collectSections(tree, sections);
  return sections
    .filter(({ element }) => typeof element.properties.dataChapter === 'string')
    .map(({ element }) => ({ slug: String(element.properties.dataChapter), id: String(element.properties.id ?? ''), title: chapterTitle(element) }));
}

/** Sections with class chapter or matter, in document order, not looking inside them. */
function collectSections(node: Root | Element, out: Array<{ kind: 'chapter' | 'matter'; element: Element }>): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const classes = Array.isArray(child.properties.className) ? child.properties.className : [];
    const kind = child.tagName === 'section' ? (['chapter', 'matter'] as const).find((k) => classes[0] === k) : undefined;
    if (kind) out.push({ kind, element: child });
    else collectSections(child, out);
  }
}

/** The text of the section's first `h1.chapter-title`. */
function chapterTitle(section: Element): string {
  for (const child of section.children) {
    if (child.type !== 'element') continue;
    const classes = Array.isArray(child.properties.className) ? child.properties.className : [];
    if (child.tagName === 'h1' && classes.includes('chapter-title')) return toString(child);
    const inner = chapterTitle(child);
    if (inner) return inner;
  }
  return '';
}
