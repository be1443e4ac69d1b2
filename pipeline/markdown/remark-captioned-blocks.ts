/**
 * Captioned, numbered blocks: `::figure`, `:::table`, `:::box`, and an image alone in a paragraph with a
 * title. Each becomes `<figure>` with a numbered caption (图2-1 / Table 2.1 / 专栏2-1) and, when given, a
 * source line; each with an id becomes a label that cross-references can point at.
 *
 * Numbers count per chapter (`figureNumbering: chapter`, the default) or through the book (`book`, where
 * the counters come from `options.bookCounters` and carry over between chapters).
 */
import type { Properties } from 'hast';
import type { Image, Paragraph, PhrasingContent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { EditionContext, Label } from '../context/types.ts';
import { report } from '../report/diagnostics.ts';
import { element, takeLabel, text, type Directive } from './directive-utils.ts';

type Kind = 'figure' | 'table' | 'box';

export interface CaptionedBlocksOptions {
  context: EditionContext;
}

export const CAPTIONED_DIRECTIVES = ['figure', 'table', 'box'] as const;

export function remarkCaptionedBlocks(options: CaptionedBlocksOptions) {
  const { context } = options;
  const { locale } = context;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    const perChapter: Record<Kind, number> = { figure: 0, table: 0, box: 0 };
    // Numbered through the book: the edition's counters carry over from chapter to chapter.
    const counters = context.config.figureNumbering === 'book' ? context.counters : perChapter;

    const next = (kind: Kind) => {
      counters[kind] += 1;
      const n = counters[kind];
      const number = context.config.figureNumbering === 'chapter' && chapter.number != null ? locale.itemNumber(chapter.number, n) : String(n);
      return { number, text: locale.t(kind, { n: number }) };
    };

    const register = (kind: Kind, id: string | undefined, title: string, numbered: { number: string; text: string }) => {
      if (!id) return;
      const label: Label = { id, kind, number: numbered.number, text: numbered.text, title, chapter: chapter.slug };
      chapter.labels.push(label);
    };

    const caption = (tag: string, numbered: { text: string }, content: PhrasingContent[]) =>
      element(tag, { className: ['caption'] }, [
        element('span', { className: ['caption-label'] }, [text(numbered.text)]),
        element('span', { className: ['caption-text'] }, content),
      ]);

    const sourceLine = (source: string | undefined) =>
      source ? [element('p', { className: ['source'] }, [text(locale.t('source') + source)])] : [];

    visit(tree, (node, index, parent) => {
      // An image alone in a paragraph, with a title: ![alt](src "Caption")
      if (node.type === 'paragraph' && parent && index != null) {
        const only = (node as Paragraph).children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
        if (only.length === 1 && only[0]!.type === 'image' && (only[0] as Image).title) {
          const image = only[0] as Image;
          const numbered = next('figure');
          const figure = element('figure', { className: ['figure'] }, [image, caption('figcaption', numbered, [text(image.title!)])]);
          image.title = null;
          figure.position = node.position;
          parent.children[index] = figure;
          return SKIP;
        }
        return;
      }
      if (node.type !== 'leafDirective' && node.type !== 'containerDirective') return;
      const directive = node as Directive;
      if (!(CAPTIONED_DIRECTIVES as readonly string[]).includes(directive.name)) return;
      const attrs = directive.attributes ?? {};
      const id = attrs.id ?? undefined;
      const kind = directive.name as Kind;
      const label = takeLabel(directive);
      const numbered = next(kind);
      register(kind, id, toString({ type: 'paragraph', children: label }), numbered);
      const props: Properties = { className: [kind === 'figure' ? 'figure' : kind === 'table' ? 'table-figure' : 'box'] };
      if (id) props.id = id;

      if (kind === 'figure') {
        if (directive.type !== 'leafDirective') {
          report(file, 'directive-attribute', 'write a figure as a leaf directive: ::figure[Caption]{src="…"}', directive);
        }
        if (!attrs.src) {
          report(file, 'directive-attribute', '::figure needs a `src` attribute', directive, { hint: 'Add src="images/name.svg" (relative to the book folder).' });
        }
        const image: Image = { type: 'image', url: attrs.src ?? '', alt: attrs.alt ?? toString({ type: 'paragraph', children: label }), position: directive.position };
        directive.data = { hName: 'figure', hProperties: props };
        directive.children = [image, caption('figcaption', numbered, label), ...sourceLine(attrs.source ?? undefined)];
      } else if (kind === 'table') {
        const hasTable = directive.type === 'containerDirective' && directive.children.some((c) => c.type === 'table');
        if (!hasTable) {
          report(file, 'directive-attribute', ':::table must contain a Markdown table', directive, { hint: 'Put a GFM table between the :::table line and the closing :::.' });
        }
        directive.data = { hName: 'figure', hProperties: props };
        directive.children = [caption('figcaption', numbered, label), ...directive.children, ...sourceLine(attrs.source ?? undefined)];
      } else {
        directive.data = { hName: 'aside', hProperties: props };
        directive.children = [caption('header', numbered, label), ...directive.children, ...sourceLine(attrs.source ?? undefined)];
      }
      return SKIP;
    });
  };
}
