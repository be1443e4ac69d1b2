/**
 * Book-wide stage: numbers and renders `:cite` placeholders with the CSL processor, and places the list of
 * references where book.yaml says (`bibliography.placement`):
 *
 * - `book` (default): one numbering through the book; the list is a back-matter page (参考文献 /
 *   References) built by `citations.backMatter()` after the last chapter ran.
 * - `chapter`: numbering restarts in every chapter; each chapter that cites ends with its own list,
 *   after its notes.
 *
 * Each citation links to its (first) entry in the list. Unknown keys are errors at the citation, with a
 * "did you mean"; the citation then shows the key in brackets so nothing disappears.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { SKIP_CHILDREN, walkElements } from '../../html/walk-elements.ts';
import type { VFile } from 'vfile';
import type { BuildSession } from '../../base/build-session.ts';
import type { CitationEngineMemo } from '../../base/memo.ts';
import { closest } from '../../report/closest.ts';
import { report } from '../../report/diagnostics.ts';
import { placeOf } from '../../config/yaml.ts';
import type { EditionContext } from '../../context/types.ts';
import { loadBibliography, type Bibliography } from './bibliography-file.ts';
import { createCitationProcessor, type CitationProcessor } from './citation-processor.ts';
import type { MatterPage } from '../../html/render-edition.ts';

export const REFERENCES_PAGE_ID = 'references';

export interface Citations {
  context: EditionContext;
  bibliography: Bibliography | undefined;
  placement: 'book' | 'chapter';
  /** The processor of the current numbering sequence (the book, or the chapter being run). */
  processor(): CitationProcessor | undefined;
  /** Start a new sequence (called per chapter when placement is `chapter`). */
  restart(): void;
  /** The list of references as a back-matter page (placement `book`, something cited). */
  backMatter(): MatterPage | undefined;
}

/** Load the book's bibliography (its file, with its diagnostics, joins the build's session) and set up numbering for the edition (CSL engines from `engines`, a preview's BuildMemo, when kept there). */
export function createCitations(context: EditionContext, session: BuildSession, engines?: CitationEngineMemo): Citations {
  const bibliography = loadBibliography(context, session, engines);
  const placement = context.config.bibliography?.placement ?? 'book';
  const style = context.config.bibliography?.style ?? 'china-national-standard-gb-t-7714-2015-numeric';
  let styleReported = false;
  const make = () => {
    if (!bibliography) return undefined;
    try {
      return createCitationProcessor({ templatesDir: context.project.templates, style, lang: context.locale.lang, items: bibliography.items, ...(engines ? { engines } : {}) });
    } catch (error) {
      // A missing or unreadable style (or CSL locale): citations show their keys, the build fails.
      if (!styleReported) {
        const where = context.config.bibliography?.style ? ['bibliography', 'style'] : [];
        report(context.book.file, 'bibliography-style', `cannot use the citation style "${style}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, placeOf(context.book.yaml, where));
        styleReported = true;
      }
      return undefined;
    }
  };
  let current = make();
  return {
    context,
    bibliography,
    placement,
    processor: () => current,
    restart: () => {
      current = make();
    },
    backMatter() {
      if (placement !== 'book' || !current || current.cited().length === 0) return undefined;
      const html: Root = { type: 'root', children: [referenceList(current, '')] };
      return { id: REFERENCES_PAGE_ID, slug: REFERENCES_PAGE_ID, title: context.locale.t('references'), html };
    },
  };
}

export interface CitationsOptions {
  citations: Citations;
}

export function rehypeCitations(options: CitationsOptions) {
  const { citations } = options;
  const { context } = citations;
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    if (citations.placement === 'chapter') citations.restart();
    const processor = citations.processor();
    const items = citations.bibliography?.items;
    const prefix = citations.placement === 'chapter' ? `ref-${chapter.slug}-` : 'ref-';
    let cited = false;
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'svg') return SKIP_CHILDREN; // charts cite nothing
      const data = node.properties.dataCite;
      if (typeof data !== 'string') return;
      delete node.properties.dataCite;
      const locator = typeof node.properties.dataLocator === 'string' ? node.properties.dataLocator : undefined;
      delete node.properties.dataLocator;
      const keys = [...new Set(data.split(',').filter(Boolean))];
      const known: string[] = [];
      for (const key of keys) {
        if (items?.has(key)) {
          known.push(key);
          continue;
        }
        const near = items ? closest(key, [...items.keys()]) : undefined;
        report(file, 'unknown-citation', items ? `no entry "${key}" in the bibliography` : `cannot cite "${key}": the book has no bibliography file`, node, {
          hint: near ? `Did you mean "${near}"?` : items ? undefined : 'Create manuscripts/<book>/references.yaml (CSL-YAML), or set `bibliography.file` in book.yaml.',
        });
      }
      if (!processor || known.length === 0) {
        node.children = [{ type: 'text', value: `[${keys.join(', ')}]` }];
        return;
      }
      cited = true;
      const rendered = processor.cite(known, locator);
      const target = prefix + known[0];
      node.tagName = 'a';
      node.properties.href = '#' + target;
      node.properties.dataTarget = target;
      if (citations.placement === 'book') node.properties.dataChapter = REFERENCES_PAGE_ID;
      node.properties.role = 'doc-biblioref';
      node.children = rendered;
    });
    if (citations.placement === 'chapter' && cited && processor) {
      tree.children.push(
        h('section.bibliography.chapter-bibliography', { id: `${chapter.slug}-references`, role: 'doc-bibliography' }, [
          h('h2.bibliography-heading', context.locale.t('references')),
          referenceList(processor, `${chapter.slug}-`),
        ]),
      );
    }
  };
}

function referenceList(processor: CitationProcessor, idPrefix: string): Element {
  return h(
    'ol.references',
    processor.bibliography().map((entry) =>
      h('li.reference', { id: `ref-${idPrefix}${entry.key}` }, [h('span.reference-number', entry.number), ' ', h('span.reference-text', entry.content as ElementContent[])]),
    ),
  );
}

