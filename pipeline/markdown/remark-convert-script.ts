/**
 * Derived editions (`derive: {from: zh, opencc: twp}`): the source chapter's Markdown tree is converted to
 * the edition's script (Simplified → Traditional through `context.locale.convert`, i.e. OpenCC with the
 * book's term overrides) before any directive renders, so captions, box titles, entry titles, index terms
 * and table cells are all converted once, in one place.
 *
 * Converted: prose text, image alt and link titles, the chapter's front-matter title, short title and
 * authors, and the directive attributes listed in `proseAttributes`.
 * HTML that a feature attached before this stage (`data.hChildren`, e.g. the rows of an expanded
 * `::stats-table`) is converted too, except inside code elements.
 *
 * Never converted: code and inline code, raw HTML, URLs (and the text of autolinks), ids and every other
 * directive attribute (keys, labels, file names), and the labels of key directives (`:cite[key]`,
 * `:ref[id]`: the features' `roles.keyLabels`) — bibliographic data stays as published.
 *
 * Heading ids: a heading without `{#id}` gets its automatic id from the *source* text here, so ids (and
 * links written against them in the source edition) are the same in the derived edition.
 */
import type { Heading, Link, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext } from '../context/types.ts';
import type { Directive } from './directive-utils.ts';

export interface ConvertScriptOptions {
  context: EditionContext;
  /** Directives whose label is a key or an id, never prose (the features' `roles.keyLabels`). Default: none. */
  keyDirectives?: readonly string[];
  /** Directive attributes that are prose; every other attribute is left alone. Default: PROSE_ATTRIBUTES. */
  proseAttributes?: readonly string[];
}

/** Attributes printed as text: source lines, alt text, titles, index headings (`term`, `sub`, `see`). */
export const PROSE_ATTRIBUTES = ['source', 'alt', 'title', 'caption', 'note', 'unit', 'term', 'sub', 'see'] as const;

export function remarkConvertScript(options: ConvertScriptOptions) {
  const { context } = options;
  const keyDirectives = new Set<string>(options.keyDirectives ?? []);
  const prose = new Set<string>(options.proseAttributes ?? PROSE_ATTRIBUTES);
  const convert = context.locale.convert;
  return (tree: Root, file: VFile) => {
    if (!context.edition.derive) return;

    // Ids first, from the text as written in the source edition.
    visit(tree, 'heading', (heading: Heading) => {
      const props = (heading.data?.hProperties ?? {}) as Record<string, unknown>;
      if (typeof props.id === 'string') return; // explicit {#id}
      const id = context.slugger.slug(toString(heading).trim());
      heading.data = { ...heading.data, hProperties: { ...props, id, dataExplicitId: '' } };
    });

    const chapter = file.data.chapter;
    if (chapter) {
      chapter.title = convert(chapter.title);
      chapter.short = convert(chapter.short);
      chapter.authors = chapter.authors.map(convert);
    }

    visit(tree, (node) => {
      // HTML a feature built already (a ::stats-table's rows, expanded before this stage).
      const hChildren = (node.data as { hChildren?: HastNode[] } | undefined)?.hChildren;
      if (hChildren) for (const child of hChildren) convertHast(child, convert);
      switch (node.type) {
        case 'text':
          node.value = convert(node.value);
          return;
        case 'code':
        case 'inlineCode':
        case 'html':
        case 'yaml':
          return SKIP;
        case 'image':
          node.alt &&= convert(node.alt);
          node.title &&= convert(node.title);
          return;
        case 'link':
          node.title &&= convert(node.title);
          return isAutolink(node) ? SKIP : undefined;
        case 'definition':
          node.title &&= convert(node.title);
          return;
        case 'textDirective':
        case 'leafDirective':
        case 'containerDirective': {
          const directive = node as Directive;
          if (keyDirectives.has(directive.name)) return SKIP;
          const attributes = directive.attributes;
          if (attributes) {
            for (const [name, value] of Object.entries(attributes)) {
              if (prose.has(name) && typeof value === 'string') attributes[name] = convert(value);
            }
          }
          return;
        }
        default:
          return;
      }
    });
  };
}

type HastNode = import('hast').RootContent;
const LITERAL_ELEMENTS = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style']);

/** Text nodes of an HTML tree, except inside code-like elements. */
function convertHast(node: HastNode, convert: (text: string) => string): void {
  if (node.type === 'text') node.value = convert(node.value);
  else if (node.type === 'element' && !LITERAL_ELEMENTS.has(node.tagName)) for (const child of node.children) convertHast(child, convert);
}

/** A link whose text is its own address (`https://…`, `www.…`, an e-mail): the text is a URL. */
function isAutolink(link: Link): boolean {
  if (link.children.length !== 1 || link.children[0]!.type !== 'text') return false;
  const text = link.children[0]!.value;
  return link.url === text || link.url === `mailto:${text}` || link.url === `http://${text}` || link.url === `https://${text}`;
}
