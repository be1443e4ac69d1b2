/** The parts of citeproc-js and Citation.js that Annals uses (neither ships its own types). */
declare module 'citeproc' {
  interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
  }
  interface BibliographyMeta {
    entry_ids: string[][];
    bibliography_errors: unknown[];
    bibstart: string;
    bibend: string;
  }
  class Engine {
    constructor(sys: { retrieveLocale(lang: string): string | false; retrieveItem(id: string): unknown }, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'html' | 'text' | 'rtf'): void;
    updateItems(ids: string[]): void;
    makeCitationCluster(items: CitationItem[]): string;
    makeBibliography(): [BibliographyMeta, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}

declare module '@citation-js/core' {
  export const plugins: {
    input: { chain(data: unknown, options?: { target?: string; generateGraph?: boolean }): unknown };
  };
}

declare module '@citation-js/plugin-bibtex';
