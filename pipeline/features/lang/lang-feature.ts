/** Text in another language than the chapter's (docs/directives.md `:lang`): a `<span lang>`. */
import type { Feature } from '../feature.ts';
import { remarkLangSpans } from './remark-lang-spans.ts';

export const langFeature: Feature = {
  name: 'lang',
  directives: ['lang'],
  parts: () => ({ remark: [remarkLangSpans] }),
};
