/**
 * What raw HTML in a chapter may keep: GitHub's sanitising schema (hast-util-sanitize's `defaultSchema`,
 * the one github.com applies to READMEs) with a few more harmless text-level and figure tags, and with
 * every element whose content is code or an embedded document removed together with its content.
 * docs/writing-chapters.md ("Raw HTML") lists the result for authors.
 */
import { defaultSchema, type Schema } from 'hast-util-sanitize';

/** Tags allowed besides GitHub's (all presentational or structural, none loads anything). */
const EXTRA_TAGS = ['u', 'figure', 'figcaption', 'caption', 'colgroup', 'col', 'abbr', 'mark', 'small', 'cite', 'dfn', 'time', 'wbr', 'center'];

/**
 * Removed with everything inside them: scripts and styles, embedded documents and plug-ins, and the tags
 * GFM's tag filter disallows (their content would otherwise show as raw text). SVG and MathML in raw HTML
 * are removed too: put an SVG in a file and use it as an image (it is sanitised there).
 */
export const STRIPPED_TAGS = ['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript', 'template', 'object', 'embed', 'frame', 'frameset', 'applet', 'svg', 'math', 'link', 'meta', 'base', 'form', 'select', 'button'];

export const rawHtmlSchema: Schema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), ...EXTRA_TAGS],
  strip: STRIPPED_TAGS,
  attributes: {
    ...defaultSchema.attributes,
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    time: ['dateTime'],
  },
};
