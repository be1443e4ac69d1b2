/**
 * Citations (docs/directives.md `:cite`): the remark part turns `:cite[key]` into a placeholder; the
 * book-wide part loads the bibliography and numbers the placeholders in book order with the CSL processor
 * (rehype-citations.ts); with `bibliography.placement: book`, the list of references is a back-matter page.
 */
import type { Feature } from '../feature.ts';
import { remarkCitations } from './remark-citations.ts';
import { createCitations, rehypeCitations, type Citations } from './rehype-citations.ts';

export const citationsFeature: Feature = {
  name: 'citations',
  directives: ['cite'],
  roles: { keyLabels: ['cite'] },
  parts(edition) {
    // The numbering of one edition, started by the book-wide stage (it reads the bibliography then).
    let citations: Citations | undefined;
    return {
      remark: [remarkCitations],
      bookWide() {
        const started = createCitations(edition.context, edition.session, edition.memo?.citations);
        citations = started;
        return {
          rehype: [[rehypeCitations, { citations: started }]],
          // A chapter's numbers depend on what was cited before it (placement book).
          key: () => started.placement + JSON.stringify(started.processor()?.cited() ?? []),
        };
      },
      pages: () => {
        const references = citations?.backMatter();
        return references ? { back: [references] } : {};
      },
    };
  },
};
