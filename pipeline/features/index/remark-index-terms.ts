/**
 * Index terms (索引词): `:idx[数字经济]`, `:idx[东数西算]{term="算力网络" sub="东数西算工程"}`,
 * `:idx{term="网络安全" sort="wangluo anquan"}`, `:idx{term="网信" see="网络安全和信息化"}`. The shown text stays in the sentence inside an anchor
 * `<span class="idx-mark" id="idx-N">`; the mark is recorded on `file.data.indexMarks` for the index page.
 */
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';
import { addIndexMark, type IndexMarkCounter } from '../../context/index-marks.ts';

export interface IndexTermsOptions {
  /** The edition's anchor counter (shared with the chronicle, which also indexes its events). */
  counter: IndexMarkCounter;
}

const ATTRIBUTES = new Set(['term', 'sub', 'sort', 'see']);

export function remarkIndexTerms(options: IndexTermsOptions) {
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'idx', ANY_KIND, (directive) => {
      const attrs = directive.attributes ?? {};
      if (directive.type !== 'textDirective') {
        report(file, 'index-term', 'write an index term inline: :idx[term]', directive);
      }
      for (const name of Object.keys(attrs)) {
        if (!ATTRIBUTES.has(name)) {
          report(file, 'index-term', `:idx has no attribute \`${name}\` (use term, sub, sort or see)`, directive);
        }
      }
      const shown = toString(directive).trim();
      const term = (attrs.term ?? shown).trim();
      const sub = attrs.sub?.trim() || undefined;
      const sort = attrs.sort?.trim() || undefined;
      const see = attrs.see?.trim() || undefined;
      if (!term) {
        report(file, 'index-term', 'an index mark needs a term: :idx[term] or :idx{term="…"}', directive);
        directive.data = { hName: 'span', hProperties: {} };
        return;
      }
      if (attrs.sort !== undefined && !sort) report(file, 'index-term', '`sort` is empty', directive);
      if (attrs.sub !== undefined && !sub) report(file, 'index-term', '`sub` is empty', directive);
      if (attrs.see !== undefined && !see) report(file, 'index-term', '`see` is empty', directive);
      const id = addIndexMark(file, options.counter, { term, sub, sort, see, kind: 'term', position: directive.position });
      directive.data = { hName: 'span', hProperties: { className: ['idx-mark'], id } };
    });
  };
}
