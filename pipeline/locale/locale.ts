/**
 * The edition's locale: generated words (from templates/locales/<language>.yaml), heading numbers,
 * number, percent, large-number (万/亿) and date formatting through Intl, collation, and — in a derived
 * edition — the conversion of source text into the edition's script. Built once per edition and passed to
 * every stage that prints a word: the single entry point for anything that depends on the language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import nzh from 'nzh/cn';
import { createScriptConverter } from './convert-script.ts';
import { digest } from '../base/hash.ts';
import type { HashMemo } from '../base/memo.ts';

export type Script = 'zh-Hans' | 'zh-Hant' | 'en';

export interface LocaleStrings {
  [key: string]: string;
}

/** Text given per language (`{zh: 中国, en: China}`, as in indicator frameworks), or the same in all. */
export type LocalText = string | Readonly<Record<string, string>>;

export interface LocaleOptions {
  /** Source text → this edition's script (derived editions; see derive-edition.ts). Default: unchanged. */
  convert?: (text: string) => string;
  /** Language of a derived edition's source (zh-CN): per-language text is taken in it and converted. */
  sourceLang?: string;
  /** Write large numbers with the locale's units (万/亿, million/billion): `numbers.largeUnits`. Default: false. */
  largeUnits?: boolean;
  /** Locale files parsed before, by text (a preview's BuildMemo); the strings are only read. Default: none. */
  parsed?: HashMemo<unknown>;
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
  /** A share as a percentage through Intl: percent(0.674) → 67.4%. Default: at most one decimal. */
  percent(ratio: number, fractionDigits?: number): string;
  /**
   * A large number: 1.23亿 / 4567万 / 1.23 billion when the book sets `numbers.largeUnits` (units from the
   * locale file's `largeUnit1e…` keys), else 123,000,000. Default: at most two decimals.
   */
  largeNumber(value: number, fractionDigits?: number): string;
  /** A date (a Date, or ISO 2025-03-05 / 2025-03 / 2025): 2025年3月5日 / March 5, 2025. Default precision: the ISO string's. */
  date(value: Date | string, precision?: 'day' | 'month' | 'year'): string;
  /** Orders strings as the locale does (pinyin for Chinese, alphabetical for English): `list.sort(locale.compare)`. */
  compare(a: string, b: string): number;
  collator: Intl.Collator;
  /** Source-edition text (prose, data labels) in this edition's script: OpenCC in a derived edition, else unchanged. */
  convert(text: string): string;
  /** Text given per language or plain, in this edition's language and script (converted when derived). */
  text(value: LocalText | null | undefined): string;
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

export function createLocale(lang: string, templatesDir: string, options: LocaleOptions = {}): Locale {
  const script = scriptOf(lang);
  const readStrings = stringsReader(templatesDir, options);
  const strings = readStrings(script);
  const cjk = script !== 'en';
  const convert = options.convert ?? ((text: string) => text);
  const t = translator(script, strings, readStrings);
  const format = numberFormatter(lang);
  const units = largeUnitsOf(strings);
  const collator = new Intl.Collator(strings.collation ? `${lang}-u-co-${strings.collation}` : lang, { numeric: true });
  return {
    lang,
    script,
    cjk,
    strings,
    t,
    chapterLabel: (n) => t('chapter', { n: cjk ? chineseNumeral(n) : n }),
    sectionLabel: (path) => sectionLabelOf(path, cjk, t),
    itemNumber: (chapter, n) => t('figureNumber', { chapter, n }),
    number: (value, o) => format(value, o),
    percent: (ratio, fractionDigits = 1) => format(ratio, { style: 'percent', maximumFractionDigits: fractionDigits }),
    largeNumber(value, fractionDigits = 2) {
      if (options.largeUnits) {
        for (const [size, key] of units) {
          const scaled = Number((value / size).toFixed(fractionDigits));
          // Chinese writes four-digit counts of 万 without a separator (4567万).
          if (Math.abs(scaled) >= 1) return t(key, { n: format(scaled, { maximumFractionDigits: fractionDigits, useGrouping: !cjk }) });
        }
      }
      return format(value, { maximumFractionDigits: fractionDigits });
    },
    date: (value, precision) => dateText(lang, value, precision),
    compare: (a, b) => collator.compare(a, b),
    collator,
    convert,
    text: (value) => localText(value, { lang, script, convert, sourceLang: options.sourceLang }),
  };
}

type Translate = Locale['t'];

/** Reads (and parses, once per text when `options.parsed` is given) a strings file of templates/locales/. */
function stringsReader(templatesDir: string, options: LocaleOptions): (name: Script) => LocaleStrings {
  return (name) => {
    const text = readFileSync(join(templatesDir, 'locales', `${name}.yaml`), 'utf8');
    if (!options.parsed) return parse(text) as LocaleStrings;
    const key = digest('locale', text);
    let strings = options.parsed.get(key) as LocaleStrings | undefined;
    if (!strings) options.parsed.set(key, (strings = parse(text) as LocaleStrings));
    return strings;
  };
}

/** `t`: a string of the script with its `{name}` placeholders filled in; throws for an unknown key. */
function translator(script: Script, strings: LocaleStrings, readStrings: (name: Script) => LocaleStrings): Translate {
  const fill = (template: string, vars: Record<string, string | number> = {}) =>
    template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  // A key not yet reviewed for Traditional Chinese falls back to the Simplified word through OpenCC
  // (characters only); tests/editions-locale.test.ts fails until the zh-Hant file has it.
  let hantFallback: ((key: string) => string | undefined) | undefined;
  const fallback = (key: string) => {
    if (script !== 'zh-Hant') return undefined;
    if (!hantFallback) {
      const hans = readStrings('zh-Hans');
      const opencc = createScriptConverter({ target: 'tw' });
      hantFallback = (k) => (hans[k] === undefined ? undefined : opencc(hans[k]!));
    }
    return hantFallback(key);
  };
  return (key, vars) => {
    const template = strings[key] ?? fallback(key);
    if (template === undefined) throw new Error(`locale ${script} has no string "${key}"`);
    return fill(template, vars);
  };
}

/**
 * Intl number formatting, with formatters kept by options: making an Intl.NumberFormat costs far more than
 * using one (tables format hundreds of cells with a handful of option sets).
 */
function numberFormatter(lang: string): (value: number, o?: Intl.NumberFormatOptions) => string {
  const formats = new Map<string, Intl.NumberFormat>();
  return (value, o) => {
    const key = o ? JSON.stringify(o) : '';
    let formatter = formats.get(key);
    if (!formatter) formats.set(key, (formatter = new Intl.NumberFormat(lang, o)));
    return formatter.format(value);
  };
}

/** Large-number units, largest first: largeUnit1e8: "{n}亿" → [1e8, key]. */
function largeUnitsOf(strings: LocaleStrings): Array<readonly [number, string]> {
  return Object.keys(strings)
    .flatMap((key) => {
      const m = /^largeUnit1e(\d+)$/.exec(key);
      return m ? [[10 ** Number(m[1]), key] as const] : [];
    })
    .sort((a, b) => b[0] - a[0]);
}

/** See `Locale.sectionLabel`: 一、/（一）/ 1. in Chinese, 2.1 in English. */
function sectionLabelOf(path: readonly number[], cjk: boolean, t: Translate): string {
  const depth = path.length - 1; // 1 for ##, 2 for ###, …
  const last = path[path.length - 1]!;
  if (cjk) {
    if (depth === 1) return t('section1', { n: chineseNumeral(last) });
    if (depth === 2) return t('section2', { n: chineseNumeral(last) });
    return t('section3', { n: last });
  }
  return path.join('.');
}

/** See `Locale.date`. */
function dateText(lang: string, value: Date | string, precision?: 'day' | 'month' | 'year'): string {
  const iso = typeof value === 'string' ? /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value) : null;
  if (typeof value === 'string' && !iso) return value;
  const date = iso ? new Date(Date.UTC(Number(iso[1]), Number(iso[2] ?? 1) - 1, Number(iso[3] ?? 1))) : (value as Date);
  const p = precision ?? (iso ? (iso[3] ? 'day' : iso[2] ? 'month' : 'year') : 'day');
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric', ...(p !== 'year' ? { month: 'long' } : {}), ...(p === 'day' ? { day: 'numeric' } : {}) }).format(date);
}

/** See `Locale.text`: the edition's own language or script, else the source edition's (converted), else any. */
function localText(value: LocalText | null | undefined, edition: { lang: string; script: Script; convert: (text: string) => string; sourceLang?: string }): string {
  const { lang, script, convert } = edition;
  if (value == null) return '';
  if (typeof value === 'string') return convert(value);
  const own = value[lang] ?? value[script];
  if (own !== undefined) return own;
  const source = edition.sourceLang;
  const fromSource = source ? (value[source] ?? value[source.split('-')[0]!]) : undefined;
  return convert(fromSource ?? value[lang.split('-')[0]!] ?? value.zh ?? value.en ?? Object.values(value)[0] ?? '');
}
