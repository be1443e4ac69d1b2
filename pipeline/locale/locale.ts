/**
 * The edition's locale: generated words (from templates/locales/<language>.yaml), heading numbers,
 * number formatting and collation. Built once per edition and passed to every stage that prints a word.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import nzh from 'nzh/cn';

export type Script = 'zh-Hans' | 'zh-Hant' | 'en';

export interface LocaleStrings {
  [key: string]: string;
}

export interface Locale {
  /** BCP 47 tag of the edition, e.g. `zh-CN`, `zh-TW`, `en`. */
  lang: string;
  /** Which strings file and numbering conventions apply. */
  script: Script;
  /** True for Chinese scripts: 第一章 / 一、/（一）numbering, CJK typography. */
  cjk: boolean;
  strings: LocaleStrings;
  /** A generated word, with `{name}` placeholders filled in. */
  t(key: string, vars?: Record<string, string | number>): string;
  /** The label of chapter `n` (1-based): 第一章 / Chapter 1. */
  chapterLabel(n: number): string;
  /**
   * The number shown before a section heading. `path` is the heading's position among numbered headings,
   * starting with the chapter number: [2, 1] is the first `##` of chapter 2 (一、 / 2.1).
   */
  sectionLabel(path: readonly number[]): string;
  /** Figure/table/box number within a chapter: 2-1 / 2.1. */
  itemNumber(chapter: number | string, n: number): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  collator: Intl.Collator;
}

export function scriptOf(lang: string): Script {
  const l = lang.toLowerCase();
  if (l.startsWith('zh')) {
    return /hant|tw|hk|mo/.test(l) ? 'zh-Hant' : 'zh-Hans';
  }
  return 'en';
}

export function chineseNumeral(n: number): string {
  return nzh.encodeS(n);
}

export function createLocale(lang: string, templatesDir: string): Locale {
  const script = scriptOf(lang);
  const strings = parse(readFileSync(join(templatesDir, 'locales', `${script}.yaml`), 'utf8')) as LocaleStrings;
  const cjk = script !== 'en';
  const fill = (template: string, vars: Record<string, string | number> = {}) =>
    template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  const t = (key: string, vars?: Record<string, string | number>) => {
    const template = strings[key];
    if (template === undefined) throw new Error(`locale ${script} has no string "${key}"`);
    return fill(template, vars);
  };
  const numberFormat = new Intl.NumberFormat(lang);
  return {
    lang,
    script,
    cjk,
    strings,
    t,
    chapterLabel: (n) => t('chapter', { n: cjk ? chineseNumeral(n) : n }),
    sectionLabel(path) {
      const depth = path.length - 1; // 1 for ##, 2 for ###, …
      const last = path[path.length - 1]!;
      if (cjk) {
        if (depth === 1) return t('section1', { n: chineseNumeral(last) });
        if (depth === 2) return t('section2', { n: chineseNumeral(last) });
        return t('section3', { n: last });
      }
      return path.join('.');
    },
    itemNumber: (chapter, n) => t('figureNumber', { chapter, n }),
    number: (value, options) => (options ? new Intl.NumberFormat(lang, options) : numberFormat).format(value),
    collator: new Intl.Collator(lang, { numeric: true }),
  };
}
