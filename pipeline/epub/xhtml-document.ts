/**
 * An EPUB content document: hast in, well-formed XHTML out (EPUB 3 content documents are XML). The tree
 * goes through hast-util-to-xast, which knows the HTML and SVG namespaces; MathML (KaTeX's `<math>`) gets
 * its namespace here, and the `epub:` prefix of `epub:type` is declared on the root.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import { toXast } from 'hast-util-to-xast';
import { toXml } from 'xast-util-to-xml';
import type { Element as XastElement, Nodes as XastNodes } from 'xast';

export const EPUB_NS = 'http://www.idpf.org/2007/ops';
const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

export interface XhtmlDocumentOptions {
  /** BCP 47 language of the document (lang and xml:lang). */
  lang: string;
  title: string;
  /** Stylesheets relative to the document. Default: none. */
  stylesheets?: readonly string[];
  /** Class of `<body>`. Default: none. */
  bodyClass?: string;
  /** `epub:type` of `<body>` (e.g. bodymatter). Default: none. */
  bodyType?: string;
  body: ElementContent[];
}

export function xhtmlDocument(options: XhtmlDocumentOptions): string {
  const head = h('head', [
    h('meta', { charSet: 'utf-8' }),
    h('title', options.title),
    ...(options.stylesheets ?? []).map((href) => h('link', { rel: 'stylesheet', type: 'text/css', href })),
  ]);
  const body = h('body', { className: options.bodyClass ? [options.bodyClass] : undefined, 'epub:type': options.bodyType }, options.body);
  const html = h('html', { lang: options.lang }, [head, body]);
  const tree = toXast(html) as XastElement;
  tree.attributes = { xmlns: 'http://www.w3.org/1999/xhtml', 'xmlns:epub': EPUB_NS, lang: options.lang, 'xml:lang': options.lang };
  fixNamespaces(tree);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n${toXml(tree, { closeEmptyElements: true })}\n`;
}

/** MathML elements carry their namespace; HTML-only attributes of the parsed tree are dropped. */
function fixNamespaces(node: XastNodes): void {
  if (node.type !== 'element' && node.type !== 'root') return;
  if (node.type === 'element') {
    if (node.name === 'math') node.attributes = { ...node.attributes, xmlns: MATHML_NS };
    if (node.name === 'svg') return; // SVG is namespaced by hast-util-to-xast
  }
  for (const child of node.children) fixNamespaces(child);
}
