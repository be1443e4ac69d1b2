/**
 * `imprint:` under an edition of book.yaml (the 版权页 and, for Chinese editions, its CIP block per
 * GB/T 12451) and the book-level `press:` settings (paper, PDF/X flavour, map approval number). Every field
 * is optional here so that a working draft builds; `--release` requires the fields its language needs
 * (release-checks.ts, REQUIRED_IMPRINT). docs/print-production.md describes each field.
 */
import { z } from 'zod';
import { isbnProblem } from './isbn.ts';

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a year and month such as 2026-06');

/** 版次 or 印次: which one, and when. */
const impression = z.strictObject({
  /** 1 for the first edition (第1版) or first printing (第1次印刷). */
  number: z.number().int().min(1),
  /** Year and month, e.g. 2026-06. */
  date: yearMonth,
});

export const isbnField = z.string().superRefine((value, ctx) => {
  const problem = isbnProblem(value);
  if (problem?.kind === 'shape') ctx.addIssue({ code: 'custom', message: `"${value}" is not an ISBN-13 (13 digits starting 978 or 979, hyphens allowed)` });
  else if (problem?.kind === 'check-digit') ctx.addIssue({ code: 'custom', message: `ISBN ${value}: the check digit is ${problem.found}, but the first twelve digits call for ${problem.expected}` });
});

export const imprintSchema = z.strictObject({
  /**
   * The data are placeholders (a sample book: ISBN, CIP number, price are made up). Builds print them;
   * `--release` refuses them. Default: false.
   */
  sample: z.boolean().default(false),
  /** ISBN-13 with hyphens, e.g. 978-7-5012-3456-2; the check digit is verified. */
  isbn: isbnField.optional(),
  /** The CIP block (图书在版编目（CIP）数据), Chinese editions. */
  cip: z
    .strictObject({
      /** 出版地, e.g. 北京. */
      place: z.string().min(1).optional(),
      /** 主题词 (subject terms), printed as Ⅰ.①… in the CIP block. */
      subjects: z.array(z.string().min(1)).min(1).optional(),
      /** 中图分类号, e.g. TP393.4. */
      classification: z.string().min(1).optional(),
      /** 中国版本图书馆CIP数据核字 number, e.g. 2026第012345号. */
      number: z.string().min(1).optional(),
    })
    .optional(),
  /** 责任编辑, one or more names. */
  editors: z.array(z.string().min(1)).min(1).optional(),
  /** 封面设计. */
  coverDesign: z.string().min(1).optional(),
  /** Publisher's address (and postcode), printed under the publisher. */
  address: z.string().min(1).optional(),
  /** 印刷 (the printing house). */
  printer: z.string().min(1).optional(),
  /** 发行 (distributor). Optional in a release too. */
  distributor: z.string().min(1).optional(),
  /** 开本 as printed, e.g. "787mm×1092mm 1/16". Default: from `page.size` (16k/16开, A4, A5, B5). */
  format: z.strictObject({ sheet: z.string().regex(/^\d{3,4}mm×\d{3,4}mm$/, 'expected a full sheet such as 787mm×1092mm'), division: z.number().int().min(2).max(128) }).optional(),
  /** 版次: edition number and date. */
  edition: impression.optional(),
  /** 印次: printing number and date. */
  printing: impression.optional(),
  /** 定价 in yuan (Chinese editions) or the price line as printed (English), e.g. 128.00. */
  price: z.union([z.number().positive(), z.string().min(1)]).optional(),
  /** English editions: the copyright line after ©, e.g. "2026 Cyberspace Development Institute". */
  copyright: z.string().min(1).optional(),
  /** English editions: where the book is printed ("Printed in China"). */
  printedIn: z.string().min(1).optional(),
});

export type Imprint = z.output<typeof imprintSchema>;

/** Paper stocks whose caliper (thickness per leaf) the spine width is computed from (docs/print-production.md). */
export const PAPERS = {
  /** 胶版纸 (offset) 70 g/m². */
  'offset-70': 0.09,
  /** 胶版纸 80 g/m². */
  'offset-80': 0.1,
  /** 胶版纸 100 g/m². */
  'offset-100': 0.125,
  /** 轻型纸 (bulky book paper) 70 g/m². */
  'bulky-70': 0.13,
  /** 铜版纸 (coated) 105 g/m². */
  'coated-105': 0.09,
  /** 铜版纸 128 g/m². */
  'coated-128': 0.11,
} as const;

export type Paper = keyof typeof PAPERS;

export const pressSchema = z.strictObject({
  /** Interior paper, for the spine width (PAPERS). Default: offset-70 (70 g 胶版纸, 0.09 mm a leaf). */
  paper: z.enum(Object.keys(PAPERS) as [Paper, ...Paper[]]).default('offset-70'),
  /** Cover board thickness added to the spine, in mm (both covers together). Default: 0.5. */
  coverBoard: z.number().min(0).max(5).default(0.5),
  /** Bleed around the trimmed page, in mm. Default: 3. */
  bleed: z.number().min(0).max(10).default(3),
  /**
   * PDF/X flavour of the press files: x3 (PDF/X-3:2002, what Debian's Ghostscript 10.0 writes), x1a
   * (PDF/X-1a:2001, PDF 1.3, for printers that ask for it) or x4 (needs Ghostscript 10.04 or later).
   * Default: x3.
   */
  pdfx: z.enum(['x3', 'x4', 'x1a']).default('x3'),
  /** 审图号 for every map of the book that does not carry its own (`approval=` on the directive). */
  mapApproval: z.string().min(1).optional(),
  /**
   * The publisher's standard base maps (标准地图), by framework id: GeoJSON files relative to the book folder
   * that replace the framework's geometry unchanged, with the inset's boundary and their 审图号.
   */
  baseMaps: z.record(z.string(), z.strictObject({ geometry: z.string().min(1), boundary: z.string().min(1).optional(), approval: z.string().min(1).optional() })).default({}),
  /** The book is a draft: a release refuses it. Default: false. */
  draft: z.boolean().default(false),
});

