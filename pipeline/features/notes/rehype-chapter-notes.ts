/**
 * GFM footnotes as numbered notes at the end of the chapter (注释 / Notes). remark-rehype already puts
 * them in a `<section class="footnotes">` at the end of each chapter, numbered from 1 in every chapter
 * (each chapter is its own document), and rehype-footnote-ids makes the ids unique in the whole book.
 * This stage makes the heading visible and replaces the "↩" back-links (a glyph many text fonts lack,
 * which turned into tofu in the PDF) with the note's number as a text link back to the reference:
 *
 *   <li id="infrastructure-fn-1"><p><a class="note-backref" href="#infrastructure-fnref-1">1</a>Text …</p></li>
 *
 * A note referenced more than once gets one more back-link per reference after the number (1 a b).
 *
 * Markers: Chinese editions number notes ①②③ by default (book.yaml `notes.markers`), so a note is never
 * taken for a citation [1]; the reference in the text and the number in the list both use it.
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit, SKIP } from '../../base/visit.ts';
import type { EditionContext } from '../../context/types.ts';

export interface ChapterNotesOptions {
  context: EditionContext;
}

/** ① … ⑳, ㉑ … ㉟, ㊱ … ㊿; beyond 50, (51). */
export function circled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
  return `(${n})`;
}

export function rehypeChapterNotes(options: ChapterNotesOptions) {
  const { locale } = options.context;
  const style = options.context.config.notes?.markers ?? (locale.cjk ? 'circled' : 'numeric');
  const marker = (n: number) => (style === 'circled' ? circled(n) : locale.t('noteNumber', { n }));
  return (tree: Root) => {
    let headingId: string | undefined;
    visit(tree, 'element', (section: Element) => {
      if (section.tagName !== 'section' || !('dataFootnotes' in section.properties)) return;
      section.properties.className = ['footnotes', 'chapter-notes', `notes-${style}`];
      section.properties.role = 'doc-endnotes';
      for (const child of section.children) {
        if (child.type !== 'element') continue;
        if (/^h[1-6]$/.test(child.tagName)) {
          child.properties.className = ['notes-heading'];
          child.children = [{ type: 'text', value: locale.t('notes') }];
          if (typeof child.properties.id === 'string') headingId = child.properties.id;
        }
        if (child.tagName === 'ol') {
          child.properties.className = ['notes'];
          let n = 0;
          for (const li of child.children) {
            if (li.type !== 'element' || li.tagName !== 'li') continue;
            n += 1;
            rewriteNote(li, n, locale.t.bind(locale), marker);
          }
        }
      }
      return SKIP;
    });
    // The references describe themselves by the (chapter-prefixed) notes heading.
    if (headingId) {
      visit(tree, 'element', (node: Element) => {
        if (node.tagName === 'a' && 'dataFootnoteRef' in node.properties) node.properties.ariaDescribedBy = [headingId!];
      });
    }
    // The references in the text: remark-rehype wrote the note's number.
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'a' || !('dataFootnoteRef' in node.properties)) return;
      const text = node.children[0];
      if (text?.type === 'text' && /^\d+$/.test(text.value)) {
        text.value = marker(Number(text.value));
        node.properties.className = ['note-ref', `note-ref-${style}`];
      }
    });
  };
}

function rewriteNote(li: Element, n: number, t: (key: string, vars?: Record<string, string | number>) => string, marker: (n: number) => string): void {
  const backrefs: Element[] = [];
  visit(li, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'a' && 'dataFootnoteBackref' in node.properties && parent && index != null) {
      backrefs.push(node);
      parent.children.splice(index, 1);
      // Drop the space remark-rehype put before the back-link.
      const before = parent.children[index - 1];
      if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '');
      return index;
    }
  });
  li.properties.className = ['note'];
  const links: ElementContent[] = backrefs.map((ref, i) => ({
    type: 'element',
    tagName: 'a',
    properties: {
      href: ref.properties.href,
      className: [i === 0 ? 'note-backref' : 'note-backref-more'],
      role: 'doc-backlink',
      ariaLabel: t('backToReference', { n: i === 0 ? n : `${n}-${i + 1}` }),
    },
    children: [{ type: 'text', value: i === 0 ? marker(n) : String.fromCharCode(97 + i) }],
  }));
  if (links.length === 0) {
    links.push({ type: 'element', tagName: 'span', properties: { className: ['note-backref'] }, children: [{ type: 'text', value: marker(n) }] });
  }
  const first = li.children.find((c): c is Element => c.type === 'element' && c.tagName === 'p');
  if (first) first.children.unshift(...links);
  else li.children.unshift(...links);
}
