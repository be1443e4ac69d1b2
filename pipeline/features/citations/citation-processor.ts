/**
 * A CSL processor (citeproc-js) for one numbering sequence: the whole book, or one chapter when the
 * bibliography is placed per chapter. Items are numbered in the order they are first cited (the GB/T
 * 7714 numeric style has no bibliography sort, so the citation number is the registration order).
 * Citations come back as hast (`<sup>[1,3-5]</sup>`, with the locator after the brackets: `[2]45`), the
 * bibliography as one `<li>` per cited entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type CSL from 'citeproc';
import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { hashValue, type CitationEngineMemo } from '../../base/memo.ts';
import type { CslItem } from './bibliography-file.ts';
import { klona } from 'klona/json';

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
   * engine is used again once the sequence that used it is done (its item registry is reset). The memo
   * also keeps what the engine rendered — each citation by the keys registered before it, the list by
   * the keys cited — so a sequence that cites as before asks the engine nothing. Default: none, a new
   * engine per sequence.
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

type Bibliography = ReturnType<CitationProcessor['bibliography']>;

export function cslLocaleOf(lang: string): 'zh-CN' | 'en-US' {
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

/** citeproc-js, loaded by the first book that cites (it takes ~0.3 s to load). */
let citeprocModule: typeof CSL | undefined;
const citeproc = () => (citeprocModule ??= createRequire(import.meta.url)('citeproc') as typeof CSL);

export function createCitationProcessor(options: CitationProcessorOptions): CitationProcessor {
  const dir = join(options.templatesDir, 'csl');
  // Read per sequence (a few KB): a style or locale edited during a preview takes effect at the next build.
  const style = readFileSync(join(dir, `${options.style}.csl`), 'utf8');
  const locale = cslLocaleOf(options.lang);
  const localeXml = (lang: string) => readFileSync(join(dir, `locales-${cslLocaleOf(lang)}.xml`), 'utf8');
  const setUp = (): KeptEngine => {
    const sys = {
      items: options.items,
      retrieveLocale: localeXml,
      retrieveItem(id: string) {
        return this.items.get(id);
      },
    };
    const engine = new (citeproc()).Engine(sys, style, locale, true);
    engine.setOutputFormat('html');
    return { engine, sys };
  };
  const memo = options.engines;
  const engineKey = memo ? hashValue({ style, locale, localeXml: localeXml(locale), items: [...options.items] }) : '';
  // An engine is set up now, so a style citeproc cannot read fails here (the caller reports it); a kept
  // engine is taken from the memo only when something has to be rendered.
  let engine: InstanceType<typeof CSL.Engine> | undefined;
  if (!memo) engine = setUp().engine;
  else if (!memo.get(engineKey)) memo.set(engineKey, setUp());
  let registered = 0;
  const order: string[] = [];
  const ready = () => {
    if (!engine) {
      const kept = (memo?.get(engineKey) as KeptEngine | undefined) ?? setUp();
      memo?.set(engineKey, kept);
      kept.sys.items = options.items;
      kept.engine.updateItems([]);
      engine = kept.engine;
    }
    if (registered !== order.length) {
      engine.updateItems([...order]);
      registered = order.length;
    }
    return engine;
  };
  /** `compute()` through the memo under `parts` (and the engine's inputs), as a fresh copy. */
  const remembered = <T>(parts: unknown[], compute: () => T): T => {
    if (!memo) return compute();
    const key = hashValue(['rendered', engineKey, ...parts]);
    let value = memo.get(key) as T | undefined;
    if (value === undefined) memo.set(key, (value = compute()));
    return klona(value);
  };

  return {
    cite(keys, locator) {
      const fresh = keys.filter((k) => !order.includes(k));
      if (fresh.length) order.push(...new Set(fresh));
      const nodes = remembered(['cite', order, keys], () => fragment(ready().makeCitationCluster(keys.map((id) => ({ id })))));
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
      return remembered(['bibliography', order], () => bibliographyEntries(ready().makeBibliography()));
    },
  };
}

/** The entries of citeproc's bibliography: each key with its number (numeric styles) and its content. */
function bibliographyEntries(result: ReturnType<InstanceType<typeof CSL.Engine>['makeBibliography']>): Bibliography {
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
