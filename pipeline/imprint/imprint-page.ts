/**
 * The 版权页 (imprint) of print.html, from an edition's `imprint:` in book.yaml. Chinese editions get the
 * CIP block laid out as GB/T 12451 (图书在版编目（CIP）数据: title / responsibility. —place: publisher,
 * year.month; ISBN; I–IV access points (Latin capitals: the CJK fonts' slices lack Ⅰ–Ⅳ); the 核字 number) and the production facts (责任编辑 … 定价);
 * English editions the ©, ISBN, publisher, printing line. Every word comes from the locale.
 *
 * 印张 and 字数 depend on the page count, known only after the first print: they are elements with the ids
 * IMPRINT_FACT_IDS whose text the PDF stage fills in with the page numbers (pdf-edition.ts `pageFacts`).
 */
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent } from 'hast';
import type { EditionContext } from '../context/types.ts';
import type { Imprint } from '../config/imprint-schema.ts';
import { formatText, sheetFormat } from './print-figures.ts';

/** Ids of the imprint's computed figures (filled in by the PDF stage). */
export const IMPRINT_FACT_IDS = { sheets: 'imprint-sheets', words: 'imprint-words' } as const;

/** The imprint section of print.html. Without `imprint:` in book.yaml: title, byline, publisher and year. */
export function imprintHtml(context: EditionContext): string {
  return toHtml(imprintSection(context));
}

export function imprintSection(context: EditionContext): Element {
  const { edition, config, locale } = context;
  const imprint = edition.imprint;
  const children: ElementContent[] = [];
  if (!imprint) {
    children.push(h('p.imprint-title', edition.title));
    if (edition.subtitle) children.push(h('p', edition.subtitle));
    if (edition.byline) children.push(h('p', edition.byline));
    children.push(h('p', `${edition.publisher ? edition.publisher + ' · ' : ''}${config.year}`));
    if (edition.description) children.push(h('p.imprint-description', edition.description));
    return h('section.imprint#imprint', children);
  }
  children.push(...(locale.cjk ? chineseImprint(context, imprint) : englishImprint(context, imprint)));
  if (imprint.sample) children.push(h('p.imprint-sample', locale.t('imprintSample')));
  return h('section.imprint#imprint', { className: ['imprint', locale.cjk ? 'imprint-cip' : 'imprint-en'] }, children);
}

function chineseImprint(context: EditionContext, imprint: Imprint): ElementContent[] {
  const { edition, config, locale } = context;
  const out: ElementContent[] = [];
  const published = imprint.edition ?? imprint.printing;
  const responsibility = edition.byline?.replace(/\s+/g, '') ?? '';
  if (imprint.cip) {
    const { place, subjects = [], classification, number } = imprint.cip;
    const date = published ? published.date.replace('-', '.').replace(/\.0/, '.') : String(config.year);
    const titleLine = `${edition.title}${edition.subtitle ? `：${edition.subtitle}` : ''}${responsibility ? ` / ${responsibility}` : ''}. —${place ?? ''}：${edition.publisher ?? ''}，${date}`;
    const points = [
      `I.①${firstChar(edition.title)}…`,
      responsibility ? `II.①${firstChar(responsibility)}…` : '',
      subjects.length ? `III.${subjects.map((s, i) => `${circled(i)}${s}`).join(' ')}` : '',
      classification ? `IV.①${classification}` : '',
    ].filter(Boolean);
    out.push(
      h('div.cip', [
        h('p.cip-heading', locale.t('cipHeading')),
        h('p', titleLine),
        imprint.isbn ? h('p', `ISBN ${imprint.isbn}`) : null,
        h('p', points.join(' ')),
        number ? h('p.cip-number', locale.t('cipNumber', { number })) : null,
      ].filter((e): e is Element => e !== null)),
    );
  }
  const format = sheetFormat(config.page, imprint);
  const rows: Array<[string, ElementContent | string | undefined]> = [
    [locale.t('imprintTitle'), edition.title],
    [locale.t('imprintEditors'), imprint.editors?.join(locale.t('listSeparator'))],
    [locale.t('imprintCoverDesign'), imprint.coverDesign],
    [locale.t('imprintPublisher'), edition.publisher],
    [locale.t('imprintAddress'), imprint.address],
    [locale.t('imprintDistributor'), imprint.distributor],
    [locale.t('imprintPrinter'), imprint.printer],
    [locale.t('imprintFormat'), format ? formatText(format) : undefined],
    [locale.t('imprintSheets'), format ? fact(IMPRINT_FACT_IDS.sheets) : undefined],
    [locale.t('imprintWords'), format ? h('span', [fact(IMPRINT_FACT_IDS.words), locale.t('imprintWordsUnit')]) : undefined],
    [locale.t('imprintEdition'), imprint.edition ? locale.t('imprintEditionValue', dateVars(imprint.edition)) : undefined],
    [locale.t('imprintPrinting'), imprint.printing ? locale.t('imprintPrintingValue', dateVars(imprint.printing)) : undefined],
    [locale.t('imprintIsbn'), imprint.isbn ? `ISBN ${imprint.isbn}` : undefined],
    [locale.t('imprintPrice'), imprint.price !== undefined ? locale.t('imprintPriceValue', { price: priceText(imprint.price) }) : undefined],
  ];
  out.push(h('dl.imprint-facts', rows.filter(([, v]) => v !== undefined).flatMap(([k, v]) => [h('dt', k), h('dd', [v!])])));
  return out;
}

function englishImprint(context: EditionContext, imprint: Imprint): ElementContent[] {
  const { edition, locale } = context;
  const lines: Array<string | undefined> = [
    edition.publisher ? locale.t('imprintPublishedBy', { publisher: edition.publisher }) : undefined,
    imprint.address,
    imprint.copyright ? `© ${imprint.copyright}` : undefined,
    locale.t('imprintRights'),
    imprint.isbn ? `ISBN ${imprint.isbn}` : undefined,
    imprint.edition ? locale.t('imprintFirstPublished', { date: monthYear(imprint.edition.date, edition.lang) }) : undefined,
    imprint.printedIn,
    imprint.printing ? printingLine(imprint.printing.number) : undefined,
    imprint.price !== undefined ? locale.t('imprintPriceValue', { price: priceText(imprint.price) }) : undefined,
  ];
  return lines.filter((l): l is string => l !== undefined).map((l) => h('p', l));
}

/**
 * The editorial board page (编委会) after the imprint, from the edition's `board:`; empty without one.
 * Roles in one column, members in rows beside them, in the order given.
 */
export function boardHtml(context: EditionContext): string {
  const board = context.edition.board;
  if (!board?.length) return '';
  const { locale } = context;
  return toHtml(
    h('section.editorial-board#editorial-board', [
      h('h1.board-title', locale.t('editorialBoard')),
      h('dl.board', board.flatMap((group) => [h('dt', group.role), h('dd', group.members.map((m) => h('span.board-member', m)))])),
    ]),
  );
}

/** Words on the cover (their glyphs must be in the edition's font slices, build.ts; cover-sheet.ts sets them). */
export function coverWords(context: EditionContext): string {
  const { edition, locale } = context;
  const price = edition.imprint?.price;
  return [edition.title, edition.subtitle, edition.byline, edition.publisher, edition.imprint?.isbn, price === undefined ? '' : locale.t('coverPrice', { price: priceText(price) }), 'ISBN0123456789-.'].filter(Boolean).join(' ');
}

/** A computed figure: a placeholder the PDF stage replaces. */
function fact(id: string): Element {
  return h('span.imprint-fact', { id, dataPageOf: id }, '…');
}

/** The printer's number line: 10 9 8 … down to this printing. */
export function printingLine(printing: number): string {
  const top = Math.max(10, printing);
  return Array.from({ length: top - printing + 1 }, (_, i) => String(top - i)).join(' ');
}

function dateVars(value: { number: number; date: string }) {
  const [year, month] = value.date.split('-');
  return { year: year!, month: String(Number(month)), n: value.number };
}

function monthYear(date: string, lang: string): string {
  const [year, month] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(year!, month! - 1, 1));
}

function priceText(price: number | string): string {
  return typeof price === 'number' ? price.toFixed(2) : price;
}

function firstChar(text: string): string {
  return [...text][0] ?? '';
}

function circled(i: number): string {
  return String.fromCodePoint(0x2460 + i);
}
