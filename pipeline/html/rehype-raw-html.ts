/**
 * Raw HTML in a chapter (`<div align="center">`, `<table>`, `<del>`, `<sup>`, `<br>`, `<a>` …) is parsed
 * (hast-util-raw, as rehype-raw does) and sanitised (hast-util-sanitize, as rehype-sanitize does) with
 * `rawHtmlSchema`; everything the sanitiser removes — a tag, an attribute, a link target — is reported at
 * its line under `raw-html-removed` (or `unsafe-url` for a `javascript:`/`vbscript:`/`data:` target).
 *
 * Only the raw HTML is sanitised, never the elements Annals made from Markdown and directives (KaTeX,
 * charts, figures): in each parent that has raw HTML, those elements are set aside behind placeholders
 * while the raw HTML around them is parsed and cleaned, then put back where the parse placed them (so
 * `<div align="center">` + a blank line + `![…](…)` + `</div>` still wraps the image).
 */
import type { Element, ElementContent, Nodes, Parents, Root, RootContent } from 'hast';
import { raw } from 'hast-util-raw';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { find, html } from 'property-information';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { rawHtmlSchema } from './raw-html-schema.ts';
import { unsafeScheme } from './unsafe-url.ts';

export interface RawHtmlOptions {
  /** What raw HTML may keep. Default: `rawHtmlSchema` (docs/writing-chapters.md). */
  schema?: Schema;
  /**
   * Converts the text inside raw HTML elements to the edition's script (a derived zh-Hant edition:
   * remarkConvertScript leaves raw HTML alone, since its attributes name files). Default: unchanged.
   */
  convert?: (text: string) => string;
}

const PLACEHOLDER = 'annals-kept';

export function rehypeRawHtml(options: RawHtmlOptions = {}) {
  const base = options.schema ?? rawHtmlSchema;
  // The placeholders must survive sanitising.
  const schema: Schema = { ...base, tagNames: [...(base.tagNames ?? []), PLACEHOLDER], attributes: { ...base.attributes, [PLACEHOLDER]: ['dataKept'] } };
  return (tree: Root, file: VFile) => {
    const parents: Parents[] = [];
    visit(tree, (node) => {
      if ((node.type === 'root' || node.type === 'element') && node.children.some((c) => c.type === 'raw')) parents.push(node);
    });
    // `id` and `name` in raw HTML are prefixed per chapter (html-<slug>-foo), so two chapters' `<div id="foo">`
    // cannot clash with each other or with the ids the book generates.
    const slug = file.data.chapter?.slug;
    const own: Schema = slug ? { ...schema, clobberPrefix: `html-${slug}-` } : schema;
    for (const parent of parents) cleanChildren(parent, own, file, options.convert);
  };
}

function cleanChildren(parent: Parents, schema: Schema, file: VFile, convert?: (text: string) => string): void {
  const kept: Element[] = [];
  const children = parent.children.map((child): RootContent => {
    if (child.type !== 'element') return child;
    kept.push(child);
    return { type: 'element', tagName: PLACEHOLDER, properties: { dataKept: String(kept.length - 1) }, children: [] };
  });
  const parsed = raw({ type: 'root', children }, { file }) as Root;
  reportRemovals(parsed, schema, file);
  const clean = sanitize(parsed, schema) as Root;
  if (convert) {
    // Text inside raw HTML elements (the Markdown text around them was converted already).
    visit(clean, 'text', (node, _index, into) => {
      if (into?.type === 'element') node.value = convert(node.value);
    });
  }
  visit(clean, 'element', (node, index, into) => {
    if (node.tagName !== PLACEHOLDER || !into || index == null) return;
    into.children[index] = kept[Number(node.properties.dataKept)]!;
  });
  parent.children = clean.children as ElementContent[];
}

/** Report each element and attribute of the parsed raw HTML that sanitising will remove. */
function reportRemovals(tree: Root, schema: Schema, file: VFile): void {
  const tags = new Set(schema.tagNames ?? []);
  const strip = new Set(schema.strip ?? []);
  visit(tree, 'element', (node, _index, parent) => {
    if (node.tagName === PLACEHOLDER) return;
    if (!tags.has(node.tagName)) {
      if (strip.has(node.tagName)) {
        report(file, 'raw-html-removed', `removed <${node.tagName}> and its content from the raw HTML`, node);
        return 'skip';
      }
      report(file, 'raw-html-removed', `removed the <${node.tagName}> tag from the raw HTML (its content is kept)`, node);
    } else if (!hasRequiredAncestor(node, parent, schema)) {
      return; // e.g. a stray <td>: dropped by the parser's rules too, nothing an author typed is lost
    }
    for (const [key, value] of Object.entries(node.properties)) {
      if (value == null || value === false) continue;
      const attribute = find(html, key).attribute;
      if (!attributeAllowed(schema, node.tagName, key)) {
        report(file, 'raw-html-removed', `removed the attribute ${attribute} of <${node.tagName}>`, node);
        continue;
      }
      const protocols = schema.protocols?.[key];
      if (protocols && typeof value === 'string') {
        const scheme = /^\s*([a-z][a-z\d+.-]*):/i.exec(value)?.[1]?.toLowerCase();
        if (scheme && !protocols.includes(scheme)) {
          const unsafe = unsafeScheme(value);
          report(file, unsafe ? 'unsafe-url' : 'raw-html-removed', `removed the ${attribute} "${shorten(value)}" of <${node.tagName}>${unsafe ? `: a ${unsafe} URL runs code when followed` : ''}`, node);
        }
      }
    }
    return undefined;
  });
}

function attributeAllowed(schema: Schema, tagName: string, key: string): boolean {
  const lists = [schema.attributes?.[tagName] ?? [], schema.attributes?.['*'] ?? []];
  if (key.startsWith('data') && key.length > 4 && lists.some((l) => l.includes('data*'))) return true;
  return lists.some((list) => list.some((entry) => (Array.isArray(entry) ? entry[0] : entry) === key));
}

function hasRequiredAncestor(node: Element, parent: Nodes | undefined, schema: Schema): boolean {
  const required = schema.ancestors?.[node.tagName];
  if (!required) return true;
  return parent?.type === 'element' ? true : false; // the parser already put table parts inside a table
}

function shorten(value: string): string {
  return value.length > 60 ? value.slice(0, 57) + '…' : value;
}
