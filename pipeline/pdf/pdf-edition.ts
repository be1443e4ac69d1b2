/**
 * The PDF stage as build.ts calls it: what an edition's book.yaml and chapters mean for the page CSS
 * (both the standalone rules written into print.html and the rules the PDF is printed with), the PDF
 * metadata, and the print itself. Keeps build.ts to two calls.
 */
import { join } from 'node:path';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import { fontSetFor } from '../fonts/fonts.ts';
import type { MatterPage } from '../html/render-edition.ts';
import type { PrintPart } from '../html/print-parts.ts';
import type { PrintCopy } from '../html/print-copy.ts';
import type { ChapterInfo, EditionContext } from '../context/types.ts';
import type { BrowserSession } from './browser.ts';
import { pageCss, pageLayout, type PageCssInput, type PageCssMode } from './page-css.ts';
import type { PdfMetadata } from './pdf-metadata.ts';
import type { PrintEditionOptions, PrintResult } from './print-options.ts';
import type { PrintSwitches } from './print-switches.ts';
import { IMPRINT_FACT_IDS } from '../imprint/imprint-page.ts';
import { BODY_TYPE, COVER_PAGES, printedSheets, sheetFormat, wordCountThousands } from '../imprint/print-figures.ts';
import { ANNALS_VERSION } from '../base/version.ts';


/** The body parts of print.html in order: chapters, then back matter, with their running heads. */
export function bodyParts(chapters: readonly ChapterInfo[], backMatter: readonly Pick<MatterPage, 'id' | 'title'>[] = []) {
  return [
    ...chapters.map((c) => ({ id: c.id, runningHead: c.label ? `${c.label} ${c.short}` : c.short })),
    ...backMatter.map((m) => ({ id: m.id, runningHead: m.title })),
  ];
}

/** The `@page` rules of an edition (`standalone` for print.html, `pdf` for printing). */
export function editionPageCss(context: EditionContext, parts: ReadonlyArray<{ id: string; runningHead: string }>, mode: PageCssMode, sections?: PageCssInput['sections']): string {
  return pageCss({ layout: pageLayout(context.config.page), bookTitle: context.edition.title, parts, sections, fonts: fontSetFor(context.locale.script) }, mode);
}

export function editionMetadata(context: EditionContext, metadataDate: (year: number) => Date): PdfMetadata {
  const { edition, config, locale } = context;
  return {
    title: edition.title,
    subtitle: edition.subtitle,
    author: edition.byline,
    subject: edition.description ?? edition.subtitle,
    keywords: edition.keywords,
    publisher: edition.publisher,
    lang: locale.lang,
    creator: `Annals ${ANNALS_VERSION}`,
    producer: 'Annals (pdf-lib)',
    date: metadataDate(config.year),
  };
}

/** The edition's chapter files among the build's files. */
function editionSources(context: EditionContext, files: readonly VFile[]): VFile[] {
  const paths = new Set(context.chapters.map((c) => c.path));
  return files.filter((f) => f.data.chapter !== undefined && paths.has(f.path));
}

/** File name of an edition's PDF inside its output folder. */
export const pdfName = (book: string, edition: string) => `${book}-${edition}.pdf`;

export interface EditionPdfOptions {
  session: BrowserSession;
  context: EditionContext;
  /** Staging folder with print.html. */
  dir: string;
  /** Final output folder (diagnostics name print.html there). */
  outDir: string;
  /** The build's session: the PDF stage's diagnostics file joins it. */
  build: BuildSession;
  /** The body parts of print.html as rendered (build/render-site.ts); default: read from print.html. */
  parts?: readonly PrintPart[];
  /** What print.html was rendered from, for the PDF copy (build/render-site.ts); default: print.html parsed. */
  copy?: PrintCopy;
  onPages?: (pages: number, total?: number) => void;
  /** The print fonts are cut and a core is free (print-options.ts `onSpareCore`). */
  onSpareCore?: () => void;
  /**
   * The build cache's folder (out/.cache): cut print fonts are kept in its print-fonts/ (font-cache.ts).
   * Default: none (`--no-cache`, a release, a press build: every font is cut again).
   */
  cacheDir?: string;
  /** Switches for measuring and comparing (print-switches.ts). Default: none set, the normal print. */
  switches?: PrintSwitches;
  /** How the copy the page loads is written into `dir` (the build's OutputIo in tests). Default: node:fs. */
  writeFile?: PrintEditionOptions['writeFile'];
}

export async function printEditionPdf(options: EditionPdfOptions): Promise<PrintResult> {
  const { context, switches = {} } = options;
  // pdf-lib and the print passes are loaded only when a PDF is printed.
  const [{ printEdition }, { metadataDate }, { createFontCache }] = await Promise.all([import('./print-pdf.ts'), import('./pdf-metadata.ts'), import('./font-cache.ts')]);
  const file = new VFile({ path: join(options.outDir, 'print.html') });
  options.build.add(file);
  return printEdition({
    session: options.session,
    dir: options.dir,
    output: pdfName(context.book.id, context.editionId),
    file,
    layout: pageLayout(context.config.page),
    pageCss: (parts, sections) => editionPageCss(context, parts, 'pdf', sections),
    parts: options.parts,
    copy: options.copy,
    fonts: fontSetFor(context.locale.script),
    metadata: editionMetadata(context, (year) => metadataDate(year, context.sourceDateEpoch)),
    contentsTitle: context.locale.t('contents'),
    pageFacts: imprintFacts(context),
    onPages: options.onPages,
    ...(options.onSpareCore ? { onSpareCore: options.onSpareCore } : {}),
    sources: editionSources(context, options.build.files),
    // The tabs that print the body at once (ANNALS_PRINT_TABS=n; docs/pdf.md, Speed); default automatic.
    printTabs: switches.printTabs,
    // book.yaml `page.makeUp` turns the page make-up pass on (docs/pdf.md, "Page make-up"); the switches
    // (ANNALS_MAKE_UP=0, ANNALS_MAKE_UP_TAIL=0) turn it, or its tail layout, off for a comparison.
    makeUp: context.config.page.makeUp && switches.makeUp !== false ? { tableLabel: context.locale.t('table'), continuedLabel: context.locale.t('tableContinued'), tail: switches.makeUpTail ?? true } : undefined,
    spanKeeps: switches.spanKeeps ?? true,
    pageNotes: notesPlacement(context) === 'page' ? { markers: context.config.notes?.markers ?? (context.locale.cjk ? 'circled' : 'numeric') } : undefined,
    fontCache: options.cacheDir ? createFontCache({ dir: join(options.cacheDir, 'print-fonts') }) : undefined,
    ...(options.writeFile ? { writeFile: options.writeFile } : {}),
  });
}

/** Where the PDF prints notes: book.yaml `notes.placement`, by default at the page foot in reports, at the chapter's end in yearbooks. */
export function notesPlacement(context: EditionContext): 'page' | 'chapter' {
  return context.config.notes?.placement ?? (context.config.kind === 'yearbook' ? 'chapter' : 'page');
}

/**
 * The imprint's 印张 and 字数 from the final page count (imprint/print-figures.ts): interior pages are the
 * PDF's pages after the cover and its verso. None when the edition has no imprint or no known 开本.
 */
export function imprintFacts(context: EditionContext): ((pages: number) => Record<string, string>) | undefined {
  const { config, edition } = context;
  const format = edition.imprint ? sheetFormat(config.page, edition.imprint) : undefined;
  if (!format) return undefined;
  const layout = pageLayout(config.page);
  const type = BODY_TYPE[config.kind];
  const area = { width: layout.width.pt - layout.inside.pt - layout.outside.pt, height: layout.height.pt - layout.top.pt - layout.bottom.pt, ...type };
  return (pages) => {
    const interior = Math.max(0, pages - COVER_PAGES);
    return {
      [IMPRINT_FACT_IDS.sheets]: String(printedSheets(interior, format.division)),
      [IMPRINT_FACT_IDS.words]: String(wordCountThousands(area, interior)),
    };
  };
}
