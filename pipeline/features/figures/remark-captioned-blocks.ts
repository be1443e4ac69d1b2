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
import { visit, SKIP } from '../../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext, Label } from '../../context/types.ts';
import { report } from '../../report/diagnostics.ts';
import { directiveMatcher, element, takeLabel, text, type Directive } from '../../markdown/directive-utils.ts';

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

    const next = (kind: Kind): Numbered => {
      counters[kind] += 1;
      const n = counters[kind];
      const number = context.config.figureNumbering === 'chapter' && chapter.number != null ? locale.itemNumber(chapter.number, n) : String(n);
      return { number, text: locale.t(kind, { n: number }) };
    };

    const register = (kind: Kind, id: string | undefined, title: string, numbered: Numbered) => {
      if (!id) return;
      const label: Label = { id, kind, number: numbered.number, text: numbered.text, title, chapter: chapter.slug };
      chapter.labels.push(label);
    };

    // One pass for titled images and directives: figures are numbered in the order they appear.
    const captioned = directiveMatcher(CAPTIONED_DIRECTIVES, ['leafDirective', 'containerDirective']);
    visit(tree, (node, index, parent) => {
      // An image alone in a paragraph, with a title: ![alt](src "Caption")
      if (node.type === 'paragraph' && parent && index != null) {
        const image = titledImage(node as Paragraph);
        if (!image) return;
        const figure = element('figure', { className: ['figure'] }, [image, captionOf('figcaption', next('figure'), [text(image.title!)])]);
        image.title = null;
        figure.position = node.position;
        parent.children[index] = figure;
        return SKIP;
      }
      const directive = captioned(node);
      if (!directive) return;
      const kind = directive.name as Kind;
      const label = takeLabel(directive);
      const numbered = next(kind);
      register(kind, directive.attributes?.id ?? undefined, toString({ type: 'paragraph', children: label }), numbered);
      captionDirective(directive, kind, { numbered, label, file, locale });
      return SKIP;
    });
  };
}

/** A block's number (2-1) and its caption label (图2-1). */
type Numbered = { number: string; text: string };

/** The only image of a paragraph (blank text aside), when it has a title. */
function titledImage(paragraph: Paragraph): Image | undefined {
  const only = paragraph.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  return only.length === 1 && only[0]!.type === 'image' && (only[0] as Image).title ? (only[0] as Image) : undefined;
}

function captionOf(tag: string, numbered: { text: string }, content: PhrasingContent[]) {
  return element(tag, { className: ['caption'] }, [
    element('span', { className: ['caption-label'] }, [text(numbered.text)]),
    element('span', { className: ['caption-text'] }, content),
  ]);
}

function sourceLineOf(source: string | undefined, locale: EditionContext['locale']) {
  return source ? [element('p', { className: ['source'] }, [text(locale.t('source') + source)])] : [];
}

/** Makes a `::figure`, `:::table` or `:::box` a `<figure>` (or `<aside>`) with its caption and source line. */
function captionDirective(directive: Directive, kind: Kind, parts: { numbered: Numbered; label: PhrasingContent[]; file: VFile; locale: EditionContext['locale'] }): void {
  const { numbered, label, file, locale } = parts;
  const attrs = directive.attributes ?? {};
  const id = attrs.id ?? undefined;
  const props: Properties = { className: [kind === 'figure' ? 'figure' : kind === 'table' ? 'table-figure' : 'box'] };
  if (id) props.id = id;
  const source = sourceLineOf(attrs.source ?? undefined, locale);
  if (kind === 'figure') {
    if (directive.type !== 'leafDirective') {
      report(file, 'directive-attribute', 'write a figure as a leaf directive: ::figure[Caption]{src="…"}', directive);
    }
    if (!attrs.src) {
      report(file, 'directive-attribute', '::figure needs a `src` attribute', directive, { hint: 'Add src="images/name.svg" (relative to the book folder).' });
    }
    const image: Image = { type: 'image', url: attrs.src ?? '', alt: attrs.alt ?? toString({ type: 'paragraph', children: label }), position: directive.position };
    directive.data = { hName: 'figure', hProperties: props };
    directive.children = [image, captionOf('figcaption', numbered, label), ...source];
  } else if (kind === 'table') {
    const hasTable = directive.type === 'containerDirective' && directive.children.some((c) => c.type === 'table');
    if (!hasTable) {
      report(file, 'directive-attribute', ':::table must contain a Markdown table', directive, { hint: 'Put a GFM table between the :::table line and the closing :::.' });
    }
    directive.data = { hName: 'figure', hProperties: props };
    directive.children = [captionOf('figcaption', numbered, label), ...directive.children, ...source];
  } else {
    directive.data = { hName: 'aside', hProperties: props };
    directive.children = [captionOf('header', numbered, label), ...directive.children, ...source];
  }
}
