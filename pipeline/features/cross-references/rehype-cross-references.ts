/**
 * Book-wide stage: resolves the placeholders of `:ref` / `:pageref` against the edition's labels.
 *
 * - `:ref[fig-x]` → a link whose text is the label's reference text: 图2-1 / Figure 2.1 / 第三章 /
 *   第二章“算力网络”一节 / Section 2.4 / 【条目】.
 * - `:pageref[fig-x]` → the same link text in the HTML edition; in print the page of the target
 *   (第45页 / p. 45), filled by the PDF page pass through `data-page-of` (see docs/directives.md).
 *
 * The link uses the neutral `data-target` form of rehype-internal-links, so the site and print writers
 * give it the right href. An unknown label is an error with a "did you mean"; every resolved label and
 * every internal link is recorded in `usage`, so `reportUnreferencedLabels` can warn about figures,
 * tables and boxes that nothing points at.
 */
import type { Element, ElementContent, Root } from 'hast';
import { SKIP_CHILDREN, walkElements } from '../../html/walk-elements.ts';
import type { VFile } from 'vfile';
import { closest } from '../../report/closest.ts';
import { report } from '../../report/diagnostics.ts';
import type { EditionContext, Label } from '../../context/types.ts';
import type { BookIndex } from '../../html/book-index.ts';

export interface CrossReferenceUsage {
  /** Ids that some `:ref`, `:pageref` or internal link points at. */
  referenced: Set<string>;
}

export function createCrossReferenceUsage(): CrossReferenceUsage {
  return { referenced: new Set() };
}

export interface CrossReferencesOptions {
  context: EditionContext;
  index: BookIndex;
  /** Filled with every id referenced (shared by all chapters of the edition). */
  usage: CrossReferenceUsage;
}

export function rehypeCrossReferences(options: CrossReferencesOptions) {
  const { context, index, usage } = options;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    // The text just before each reference, to catch "专栏:ref[box-x]" (the label word written twice).
    const before = new Map<Element, string>();
    walkElements(tree, (parent: Element) => {
      if (parent.tagName === 'svg') return SKIP_CHILDREN;
      parent.children.forEach((child, i) => {
        const prev = parent.children[i - 1];
        if (child.type === 'element' && child.properties.dataXref !== undefined && prev?.type === 'text') before.set(child, prev.value);
      });
    });
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'svg') return SKIP_CHILDREN; // charts hold no references
      if (node.tagName !== 'a') return;
      const target = node.properties.dataTarget;
      if (typeof target === 'string') usage.referenced.add(target); // a Markdown link (rehype-internal-links)
      const id = node.properties.dataXref;
      if (typeof id !== 'string') return;
      const kind = String(node.properties.dataXrefKind ?? 'ref');
      delete node.properties.dataXref;
      delete node.properties.dataXrefKind;
      const label = index.labels.get(id);
      if (!label) {
        if (id) {
          const near = closest(id, index.labels.keys());
          report(file, 'unknown-label', `:${kind}[${id}] points at no label of this edition`, node, {
            hint: near ? `Did you mean "${near}"?` : undefined,
          });
        }
        node.children = [{ type: 'text', value: id || '??' }];
        return;
      }
      usage.referenced.add(id);
      let text = referenceText(label, chapter.slug, index, context);
      const word = labelWord(label);
      if (word && kind === 'ref' && (before.get(node) ?? '').trimEnd().toLowerCase().endsWith(word.toLowerCase())) {
        // The author wrote the label word already: print the bare number, and say so.
        report(file, 'ref-label-repeated', `"${word}" is written before :ref[${id}], which prints "${label.text}" itself: the text would read "${word}${label.text}"`, node, {
          hint: `Remove "${word}" before :ref[${id}]; it prints the bare number ${label.number} until then.`,
        });
        text = label.number;
      }
      node.properties.href = '#' + id;
      node.properties.dataTarget = id;
      if (label.chapter !== chapter.slug) node.properties.dataChapter = label.chapter;
      if (label.kind === 'chapter') node.properties.dataWholeChapter = '';
      node.properties.dataKind = label.kind;
      if (kind === 'pageref') {
        node.properties.className = ['xref', 'pageref'];
        const [before, after] = context.locale.t('pageRef').split('{n}') as [string, string?];
        node.children = [
          { type: 'element', tagName: 'span', properties: { dataOnly: 'site' }, children: [{ type: 'text', value: text }] },
          {
            type: 'element',
            tagName: 'span',
            properties: { dataOnly: 'print' },
            children: [
              ...(before ? [{ type: 'text', value: before } as ElementContent] : []),
              { type: 'element', tagName: 'span', properties: { className: ['page-number'], dataPageOf: id }, children: [{ type: 'text', value: '?' }] },
              ...(after ? [{ type: 'text', value: after } as ElementContent] : []),
            ],
          },
        ];
      } else {
        node.children = [{ type: 'text', value: text }];
      }
    });
  };
}

/** What a reference to `label` prints, seen from the chapter `from`. */
export function referenceText(label: Label, from: string, index: BookIndex, context: EditionContext): string {
  const { locale } = context;
  if (label.kind !== 'section') return label.text;
  if (!label.number) return locale.t('sectionRefUnnumbered', { title: innerQuotes(label.title) });
  const chapter = index.bySlug.get(label.chapter);
  const chapterText = label.chapter === from ? locale.t('thisChapter') : (chapter?.label || chapter?.title || '');
  return locale.t('sectionRef', { chapter: chapterText, number: label.number, title: innerQuotes(label.title) });
}

/** The word a numbered label's reference text starts with: 专栏 in 专栏1-1, Table in Table 2.1. */
function labelWord(label: Label): string | undefined {
  if (label.kind === 'section' || label.kind === 'chapter' || !label.number || !label.text.endsWith(label.number)) return undefined;
  const word = label.text.slice(0, -label.number.length).trim();
  return word.length > 0 ? word : undefined;
}

/** A title set inside “…” (「…」) turns its own quotes into the inner ones: “算力网络与‘东数西算’”, 「…『…』」. */
function innerQuotes(title: string): string {
  return title.replace(/“/g, '‘').replace(/”/g, '’').replace(/「/g, '『').replace(/」/g, '』');
}


/** Kinds of labels that the text is expected to refer to. */
const MUST_BE_REFERENCED = new Set(['figure', 'table', 'box', 'equation']);

/**
 * After the book-wide stage: a labelled figure, table or box that no `:ref`, `:pageref` or link points at
 * is a warning, at the position of the labelled element. Sections, chapters and entries carry ids as
 * permanent anchors, so they are not reported.
 */
export function reportUnreferencedLabels(files: readonly VFile[], usage: CrossReferenceUsage): void {
  for (const file of files) {
    const chapter = file.data.chapter!;
    const wanted = new Map(chapter.labels.filter((l) => MUST_BE_REFERENCED.has(l.kind) && !usage.referenced.has(l.id)).map((l) => [l.id, l]));
    if (wanted.size === 0) continue;
    walkElements(file.data.hast!, (node: Element) => {
      if (node.tagName === 'svg') return SKIP_CHILDREN; // labels sit on figures, not inside charts
      const id = node.properties.id;
      if (typeof id !== 'string') return;
      const label = wanted.get(id);
      if (!label) return;
      wanted.delete(id);
      report(file, 'unreferenced-label', `${label.text} (${id}) is never referred to`, node);
    });
  }
}
