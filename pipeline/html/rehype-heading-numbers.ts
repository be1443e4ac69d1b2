/**
 * Section headings (h2–h4 of a chapter): give each an id (its explicit `{#id}` or one made from its text by
 * the edition's slugger), prefix the locale's number (一、/（一）/ 1. or 2.1 / 2.1.1) when the book numbers
 * sections, and record them on `file.data.chapter.headings` for the TOC, running heads and the PDF outline.
 *
 * A heading that already carries a number typed by its author (`## 1.1 背景`, `## 一、概述`, `### （二）…`,
 * `## 第三节 …`) keeps it, and gets no generated number (which would print "一、 1.1 背景"); the first one
 * in a chapter is reported as `typed-heading-number` (info), so the editor knows the book's numbering is
 * not applied there. Cross-references to such a heading show its typed number.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
import { report } from '../report/diagnostics.ts';

/**
 * A number typed at the start of a heading: 1 / 1.1 / 1.1. followed by a space, 、 or a full stop and a
 * space; 一、; （一） or (1); 第三节 / 第2章. `2025年回顾`, `5G网络` and `3.5GHz` are not numbers.
 */
export const TYPED_NUMBER = /^\s*(\d+(?:\.\d+)*(?:\.(?=\s)|(?=\s)|、)|[一二三四五六七八九十百零〇]+、|[（(][一二三四五六七八九十百\d]+[）)]|第[一二三四五六七八九十百零〇\d]+[章节節篇部分]+(?![章节節篇部分的之中]))\s*/;

export interface HeadingNumbersOptions {
  context: EditionContext;
  /** Number sections at all. Default: true for reports, false for yearbooks (分目 are titles only). */
  numberSections?: boolean;
  /** Deepest heading level that is numbered and listed. Default: 4. */
  maxDepth?: number;
}

export function rehypeHeadingNumbers(options: HeadingNumbersOptions) {
  const { context } = options;
  const numberSections = options.numberSections ?? context.config.kind === 'report';
  const maxDepth = options.maxDepth ?? 4;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    const counters = [0, 0, 0, 0, 0, 0, 0];
    let reported = false;
    visit(tree, 'element', (node: Element) => {
      const depth = /^h([2-6])$/.exec(node.tagName)?.[1];
      if (!depth) return;
      if (hasClass(node, 'entry-title')) return;
      if (node.properties.id === 'footnote-label') return; // GFM's notes heading: not a section
      const level = Number(depth);
      const title = toString(node).trim();
      const explicit = typeof node.properties.id === 'string' && 'dataExplicitId' in node.properties;
      delete node.properties.dataExplicitId;
      const id = explicit ? (node.properties.id as string) : context.slugger.slug(title);
      node.properties.id = id;
      let label = '';
      if (level <= maxDepth) {
        counters[level] = (counters[level] ?? 0) + 1;
        for (let d = level + 1; d < counters.length; d++) counters[d] = 0;
        const typed = TYPED_NUMBER.exec(title)?.[1];
        if (typed) {
          if (!reported) {
            report(file, 'typed-heading-number', `the heading "${title}" carries its own number "${typed}": it is kept, and no number is generated for headings that have one`, node);
            reported = true;
          }
          label = typed.replace(/[、.]$/, '');
          chapter.headings.push({ id, depth: level, label: '', text: title });
          chapter.labels.push({ id, kind: 'section', number: label, text: title, title, chapter: chapter.slug });
          return;
        }
        if (numberSections && chapter.number != null) {
          const path = [chapter.number, ...counters.slice(2, level + 1)];
          label = context.locale.sectionLabel(path);
          node.children.unshift({ type: 'element', tagName: 'span', properties: { className: ['heading-number'] }, children: [{ type: 'text', value: label }] });
        }
        chapter.headings.push({ id, depth: level, label, text: title });
        chapter.labels.push({ id, kind: 'section', number: label.replace(/[、.]$/, ''), text: label ? label.replace(/、$/, '') : title, title, chapter: chapter.slug });
      }
    });
  };
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}
