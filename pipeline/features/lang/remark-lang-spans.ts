/**
 * Text in another language than the chapter's: `:lang[World Internet Conference]{en}` (or `{lang=en}`)
 * becomes `<span lang="en">`, so screen readers switch voice and the browser hyphenates and shapes it as
 * that language (WCAG 2.1, 3.1.2 Language of Parts). The tag must be a valid BCP 47 tag (en, zh-CN, fr …).
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

export function remarkLangSpans() {
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'lang', ANY_KIND, (directive) => {
      const attrs = directive.attributes ?? {};
      const keys = Object.keys(attrs);
      const tag = attrs.lang ?? (keys.length === 1 && attrs[keys[0]!] === '' ? keys[0] : undefined);
      directive.data = { hName: 'span', hProperties: {} };
      if (directive.type !== 'textDirective') {
        report(file, 'directive-attribute', 'write a language span inline: :lang[text]{en}', directive);
        return;
      }
      if (!tag) {
        report(file, 'directive-attribute', ':lang needs the language of its text: :lang[text]{en} or :lang[text]{lang=en}', directive);
        return;
      }
      let canonical: string;
      try {
        canonical = Intl.getCanonicalLocales(tag)[0]!;
      } catch {
        report(file, 'directive-attribute', `:lang: "${tag}" is not a language tag (BCP 47: en, zh-CN, fr …)`, directive);
        return;
      }
      directive.data = { hName: 'span', hProperties: { lang: canonical } };
    });
  };
}
