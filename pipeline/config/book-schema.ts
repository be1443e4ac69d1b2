/**
 * The schema of `manuscripts/<book>/book.yaml` and of a chapter's front matter. The schema is the type:
 * `BookConfig` is what zod returns after defaults are applied. docs/book-yaml.md describes each field.
 */
import { z } from 'zod';
import { imprintSchema, pressSchema } from './imprint-schema.ts';

const lengthRe = /^\d+(\.\d+)?(mm|cm|in|pt|px)$/;
const length = z.string().regex(lengthRe, 'expected a CSS length such as "20mm"');

/** Named page sizes. 16开 (16k) is the usual Chinese book size. */
export const PAGE_SIZES = {
  A4: { width: '210mm', height: '297mm' },
  A5: { width: '148mm', height: '210mm' },
  B5: { width: '176mm', height: '250mm' },
  '16k': { width: '185mm', height: '260mm' },
  '16开': { width: '185mm', height: '260mm' },
  letter: { width: '8.5in', height: '11in' },
} as const;

export const pageSchema = z
  .object({
    /** A named size (A4, A5, B5, 16k/16开, letter) or `{width, height}`. Default: 16k (185×260 mm). */
    size: z
      .union([z.enum(Object.keys(PAGE_SIZES) as [keyof typeof PAGE_SIZES, ...Array<keyof typeof PAGE_SIZES>]), z.strictObject({ width: length, height: length })])
      .default('16k'),
    /** Page margins (inside = binding edge). */
    margins: z
      .strictObject({ top: length.default('22mm'), bottom: length.default('22mm'), inside: length.default('22mm'), outside: length.default('18mm') })
      .prefault({}),
    /** Start every chapter on a right-hand (odd) page, inserting a blank page where needed. Default: true. */
    rectoChapters: z.boolean().default(true),
    /** Two-column body (yearbooks). Default: false. */
    columns: z.union([z.literal(1), z.literal(2)]).default(1),
    /**
     * The page make-up pass before the first print (pipeline/pdf/make-up.ts: tables split with 续表, figures
     * and boxes floated to the next page, plain tables broken with three rows on each side). Default: true;
     * false leaves tables and figures where Chromium breaks them (docs/pdf.md, "Page make-up").
     */
    makeUp: z.boolean().default(true),
  })
  .strict();

/** OpenCC targets a derived edition can be converted to (opencc-js `to` locales). */
export const OPENCC_TARGETS = ['tw', 'twp', 'hk', 'hkp'] as const;

/** `derive:` — an edition made from another one by conversion (docs/editions.md). */
export const deriveSchema = z.strictObject({
  /** Id of the edition this one is converted from (e.g. zh); its chapter files are read from that folder. */
  from: z.string().min(1),
  /** OpenCC target: tw (Taiwan characters), twp (Taiwan characters and phrases: 软件 → 軟體), hk, hkp (Hong Kong). */
  opencc: z.enum(OPENCC_TARGETS),
  /** Term overrides (simplified → traditional), relative to the book folder. Default: opencc-overrides.yaml if it exists. */
  overrides: z.string().optional(),
});

const editionObject = z
  .object({
    /** BCP 47 language tag of the edition: zh-CN, zh-TW, zh-HK, en … */
    lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag such as zh-CN or en'),
    title: z.string().min(1),
    subtitle: z.string().optional(),
    /** Author or editor line on the title page, e.g. 中国网络空间研究院 编著. */
    byline: z.string().optional(),
    publisher: z.string().optional(),
    /** Chapter files of this edition in book order, e.g. 01-overview.md. Default for a derived edition: the source's list. */
    chapters: z.array(z.string().regex(/^\d{2}-[a-z0-9-]+\.md$/, 'chapter files are named NN-slug.md')).min(1).optional(),
    /** Make this edition from another by OpenCC conversion instead of from its own folder. */
    derive: deriveSchema.optional(),
    description: z.string().optional(),
    keywords: z.array(z.string()).default([]),
    /** The 版权页 / copyright page and CIP data of this edition (docs/print-production.md). Required by `--release`. */
    imprint: imprintSchema.optional(),
    /**
     * The editorial board (编委会), printed on its own page after the imprint: groups in order, each a role
     * (主任, 副主任, 委员 …) and its members. Yearbooks have one (docs/print-production.md). Default: none.
     */
    board: z.array(z.strictObject({ role: z.string().min(1), members: z.array(z.string().min(1)).min(1) })).optional(),
  });

/** Unknown keys of an edition are kept (and warned about by load-book.ts, with a "did you mean"). */
export const editionSchema = editionObject.passthrough();
/** The keys an edition may have. */
export const EDITION_KEYS: readonly string[] = Object.keys(editionObject.shape);

export const bibliographySchema = z
  .object({
    /** File relative to the book folder: CSL-YAML (.yaml/.yml), CSL-JSON (.json) or BibTeX (.bib). */
    file: z.string().regex(/\.(ya?ml|json|bib)$/, 'a bibliography file ends in .yaml, .yml, .json or .bib').default('references.yaml'),
    /** Where the list of references goes: one list at the end of the `book`, or one per `chapter` (numbers restart). Default: book. */
    placement: z.enum(['book', 'chapter']).default('book'),
    /** A CSL style in templates/csl/, without `.csl`. Default: GB/T 7714-2015 numeric (with the edition's locale). */
    style: z.string().regex(/^[\w.-]+$/).default('china-national-standard-gb-t-7714-2015-numeric'),
  })
  .strict();

export const indexSchema = z
  .object({
    /** Build the back-of-book index (索引) when the book has `:idx` marks. Default: true. */
    enabled: z.boolean().default(true),
    /** Also index every yearbook entry (条目) under its title. Default: true for yearbooks, false for reports. */
    entries: z.boolean().optional(),
  })
  .strict();

const bookObject = z
  .object({
    /** Folder name and id, e.g. world-report-2026. */
    id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case ASCII letters, digits and hyphens'),
    /** Report or yearbook: selects numbering and the default template. */
    kind: z.enum(['report', 'yearbook']),
    /** A folder under templates/. Default: the kind. */
    template: z.string().optional(),
    year: z.number().int().min(1990).max(2100),
    page: pageSchema.prefault({}),
    /** Number figures, tables and boxes per chapter (图2-1) or through the book (图5). Default: chapter. */
    figureNumbering: z.enum(['chapter', 'book']).default('chapter'),
    editions: z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'edition ids are folder names such as zh or en'), editionSchema),
    /** Lists printed in the front matter after the contents: `[figures, tables]`. Default: none. */
    lists: z.array(z.enum(['figures', 'tables'])).default([]),
    /** The bibliography for `:cite` (see docs/book-yaml.md). Default: references.yaml (or .json/.bib) if present, at the end of the book. */
    bibliography: bibliographySchema.optional(),
    /** The back-of-book index built from `:idx` marks (see docs/book-yaml.md). */
    index: indexSchema.prefault({}),
    /** Number formatting: `largeUnits: true` writes large numbers with 万/亿 (million/billion in English). */
    numbers: z.strictObject({ largeUnits: z.boolean().default(false) }).prefault({}),
    /** Print production: paper, bleed, PDF/X flavour, map approval number, draft (docs/print-production.md). */
    press: pressSchema.prefault({}),
    /**
     * Notes. `markers`: `circled` (①②③, so notes never look like citations [1]) or `numeric`
     * (superscript 1 2 3); default circled in Chinese editions, numeric in English ones. `placement`:
     * where the PDF prints them, `page` (页下注: at the foot of the page that holds the marker, numbered
     * from the first on each page) or `chapter` (numbered notes at the end of each chapter); default page
     * in reports, chapter in yearbooks. The HTML site keeps them at the end of the chapter either way.
     */
    notes: z
      .strictObject({
        markers: z.enum(['circled', 'numeric']).optional(),
        placement: z.enum(['page', 'chapter']).optional(),
      })
      .prefault({}),
    /**
     * Keep images whose `src` is an http(s) URL in the site (reviewers' browsers load them from that
     * server). Default: false — such an image is reported (`remote-image`) and removed.
     */
    remoteImages: z.boolean().default(false),
  });

/** The keys book.yaml may have at its top level (others are warned about by load-book.ts). */
export const BOOK_KEYS: readonly string[] = Object.keys(bookObject.shape);

export const bookSchema = bookObject
  .passthrough()
  .superRefine(checkDerivedEditions)
  .transform(resolveDerivedEditions);

export type BookConfig = z.output<typeof bookSchema>;
/** An edition after defaults: a derived edition without `chapters:` has its source's list. */
export type EditionConfig = BookConfig['editions'][string];

type RawEdition = z.output<typeof editionSchema>;

/** A derived edition names an existing, non-derived Chinese source; every other edition lists its chapters. */
function checkDerivedEditions(book: { editions: Record<string, RawEdition> }, ctx: z.RefinementCtx): void {
  for (const [id, edition] of Object.entries(book.editions)) {
    const path = ['editions', id];
    if (!edition.derive) {
      if (!edition.chapters) ctx.addIssue({ code: 'custom', path: [...path, 'chapters'], message: 'an edition needs `chapters:` (or `derive:` to be made from another edition)' });
      continue;
    }
    const source = book.editions[edition.derive.from];
    const sources = Object.keys(book.editions).filter((e) => e !== id && !book.editions[e]!.derive);
    if (!source || edition.derive.from === id) {
      ctx.addIssue({ code: 'custom', path: [...path, 'derive', 'from'], message: `\`derive.from\` must name another edition of this book (${sources.join(', ') || 'none'})` });
    } else if (source.derive) {
      ctx.addIssue({ code: 'custom', path: [...path, 'derive', 'from'], message: `edition "${edition.derive.from}" is itself derived; derive from ${sources.join(' or ')}` });
    } else if (!source.lang.toLowerCase().startsWith('zh')) {
      ctx.addIssue({ code: 'custom', path: [...path, 'derive', 'from'], message: `OpenCC converts Chinese; edition "${edition.derive.from}" is in ${source.lang}` });
    }
    if (!/^zh-(hant|tw|hk|mo)/i.test(edition.lang)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'lang'], message: `a derived edition is Traditional Chinese: use zh-TW, zh-HK or zh-Hant, not ${edition.lang}` });
    }
    // One variant per edition: Taiwan's terms for zh-TW, Hong Kong's for zh-HK (docs/editions.md).
    const variant = /^zh-(?:hant-)?(tw|hk|mo)\b/i.exec(edition.lang)?.[1]?.toLowerCase();
    const opencc = edition.derive.opencc;
    if ((variant === 'tw' && !opencc.startsWith('tw')) || ((variant === 'hk' || variant === 'mo') && !opencc.startsWith('hk'))) {
      ctx.addIssue({ code: 'custom', path: [...path, 'derive', 'opencc'], message: `edition lang ${edition.lang} takes the ${variant === 'tw' ? 'Taiwan (twp or tw)' : 'Hong Kong (hkp or hk)'} conversion, not ${opencc}` });
    }
  }
}

/** Derived editions without `chapters:` take their source's list. */
function resolveDerivedEditions<B extends { editions: Record<string, RawEdition> }>(book: B) {
  const editions: Record<string, Omit<RawEdition, 'chapters'> & { chapters: string[] }> = {};
  for (const [id, edition] of Object.entries(book.editions)) {
    editions[id] = { ...edition, chapters: edition.chapters ?? book.editions[edition.derive?.from ?? '']?.chapters ?? [] };
  }
  return { ...book, editions };
}

export const frontMatterSchema = z
  .object({
    title: z.string().min(1, 'a chapter needs a title'),
    /** Shorter title for running heads. */
    short: z.string().optional(),
    authors: z.array(z.string()).default([]),
    /** Numbered chapters get 第N章 / Chapter N. Default: true. */
    numbered: z.boolean().default(true),
    /** Work in progress: builds print it, `--release` refuses it (docs/print-production.md). Default: false. */
    draft: z.boolean().default(false),
    /** Explicit chapter id; default `ch-<slug>`. */
    id: z.string().regex(/^[A-Za-z][\w-]*$/).optional(),
  })
  .strict();

export type FrontMatter = z.output<typeof frontMatterSchema>;
