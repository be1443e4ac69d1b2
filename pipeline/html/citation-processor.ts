/**
 * A CSL processor (citeproc-js) for one numbering sequence: the whole book, or one chapter when the
 * bibliography is placed per chapter. Items are numbered in the order they are first cited (the GB/T
 * 7714 numeric style has no bibliography sort, so the citation number is the registration order).
 * Citations come back as hast (`<sup>[1,3-5]</sup>`, with the locator after the brackets: `[2]45`), the
 * bibliography as one `<li>` per cited entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import CSL from 'citeproc';
import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { hashValue, type CitationEngineMemo } from '../cache/memo.ts';
import type { CslItem } from './bibliography-file.ts';

export interface CitationProcessorOptions {
  /** templates/ of the project (the style and locales are in templates/csl/). */
  templatesDir: string;
  /** Style file name in templates/csl/ without `.csl`. */
  style: string;
  /** Edition language (zh-CN, en …): selects the CSL locale. */
  lang: string;
  items: ReadonlyMap<string, CslItem>;
  /**
   * CSL engines set up before (a preview's BuildMemo), by hash of the items, style and locale. A kept
   * engine is used again once the sequence that used it is done (its item registry is reset). Default:
   * none, a new engine per sequence.
   */
  engines?: CitationEngineMemo;
}

/** A kept engine and the `sys` it reads items through (pointed at the current build's items on reuse). */
interface KeptEngine {
  engine: InstanceType<typeof CSL.Engine>;
  sys: { items: ReadonlyMap<string, CslItem> };
}

export interface CitationProcessor {
  /** Render one citation of known keys (registering new ones in order of first citation). */
  cite(keys: readonly string[], locator?: string): ElementContent[];
  /** Keys in citation order. */
  cited(): readonly string[];
  /** One entry per cited key, in citation order: `{ key, number, content }`. */
  bibliography(): Array<{ key: string; number: string; content: ElementContent[] }>;
}

/** Read once per process: the style and locale files do not change during a build. */
const fileCache = new Map<string, string>();
function readCached(path: string): string {
  let text = fileCache.get(path);
  if (text === undefined) fileCache.set(path, (text = readFileSync(path, 'utf8')));
  return text;
}

export function cslLocaleOf(lang: string): 'zh-CN' | 'en-US' {
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

export function createCitationProcessor(options: CitationProcessorOptions): CitationProcessor {
  const dir = join(options.templatesDir, 'csl');
  const style = readCached(join(dir, `${options.style}.csl`));
  const locale = cslLocaleOf(options.lang);
  const setUp = (): KeptEngine => {
    const sys = {
      items: options.items,
      retrieveLocale: (lang: string) => readCached(join(dir, `locales-${cslLocaleOf(lang)}.xml`)),
      retrieveItem(id: string) {
        return this.items.get(id);
      },
    };
    const engine = new CSL.Engine(sys, style, locale, true);
    engine.setOutputFormat('html');
    return { engine, sys };
  };
  let engine: InstanceType<typeof CSL.Engine>;
  if (options.engines) {
    const key = hashValue({ style, locale, localeXml: readCached(join(dir, `locales-${locale}.xml`)), items: [...options.items] });
    const kept = options.engines.get(key) as KeptEngine | undefined;
    if (kept) {
      kept.sys.items = options.items;
      kept.engine.updateItems([]);
      engine = kept.engine;
    } else {
      const made = setUp();
      options.engines.set(key, made);
      engine = made.engine;
    }
  } else {
    engine = setUp().engine;
  }
  const order: string[] = [];

  return {
    cite(keys, locator) {
      const fresh = keys.filter((k) => !order.includes(k));
      if (fresh.length) {
        order.push(...new Set(fresh));
        engine.updateItems([...order]);
      }
      const html = engine.makeCitationCluster(keys.map((id) => ({ id })));
      const nodes = fragment(html);
      if (locator) {
        const last = nodes[nodes.length - 1];
        const locatorText: ElementContent = { type: 'text', value: locator };
        if (last?.type === 'element' && last.tagName === 'sup') last.children.push(locatorText);
        else nodes.push({ type: 'element', tagName: 'sup', properties: {}, children: [locatorText] });
      }
      return nodes;
    },
    cited: () => order,
    bibliography() {
      if (order.length === 0) return [];
      const result = engine.makeBibliography();
      if (!result) return [];
      const [meta, entries] = result;
      return entries.map((html, i) => {
        const key = meta.entry_ids[i]![0]!;
        const root = fragment(html);
        const div = root.find((n): n is Element => n.type === 'element');
        const margin = div ? findByClass(div, 'csl-left-margin') : undefined;
        const body = div ? findByClass(div, 'csl-right-inline') : undefined;
        return {
          key,
          number: margin ? textOf(margin) : String(i + 1),
          content: linkUrls(body ? body.children : div ? div.children : root),
        };
      });
    },
  };
}

function fragment(html: string): ElementContent[] {
  return fromHtml(html.trim(), { fragment: true }).children.filter((n) => !(n.type === 'text' && n.value.trim() === '')) as ElementContent[];
}

/** URLs and DOIs in an entry become links (the CSL processor prints them as text). */
function linkUrls(nodes: ElementContent[]): ElementContent[] {
  return nodes.flatMap((node): ElementContent[] => {
    if (node.type === 'element') return [{ ...node, children: node.tagName === 'a' ? node.children : linkUrls(node.children) }];
    if (node.type !== 'text') return [node];
    const parts: ElementContent[] = [];
    let last = 0;
    for (const match of node.value.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:)]/g)) {
      if (match.index > last) parts.push({ type: 'text', value: node.value.slice(last, match.index) });
      parts.push({ type: 'element', tagName: 'a', properties: { href: match[0], className: ['reference-url'] }, children: [{ type: 'text', value: match[0] }] });
      last = match.index + match[0].length;
    }
    if (last < node.value.length) parts.push({ type: 'text', value: node.value.slice(last) });
    return parts;
  });
}

function findByClass(node: Element, name: string): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const c = child.properties.className;
    if (Array.isArray(c) && c.includes(name)) return child;
    const deeper = findByClass(child, name);
    if (deeper) return deeper;
  }
  return undefined;
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}
