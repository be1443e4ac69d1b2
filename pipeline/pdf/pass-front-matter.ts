/**
 * Pass 4, front matter and running heads (print 2): the front matter again, now with its page numbers
 * (they sit in fixed-width slots, so nothing moves), then one near-empty page per distinct running head
 * and side and the folio sample (running-heads.ts), printed with the real mirrored margins and no page
 * background: assemble-pdf.ts draws them over the body pages. When the settle-late pass printed it
 * together with the late parts (pass-late-with-front.ts), that print is taken as it is.
 *
 * `startFrontMatter` starts the print and returns while Chromium prints (the assemble pass splices the
 * late pages in meanwhile); `finishFrontMatter` waits for it and checks it.
 */
import type { PDFDocument } from 'pdf-lib';
import { report } from '../report/diagnostics.ts';
import { runningHeadCss } from './page-css.ts';
import { ADD_FURNITURE, FILL_PAGE_NUMBERS, SHOW, runInPage } from './page-scripts.ts';
import type { PreparedPrint } from './pass-prepare.ts';
import type { BodyPrint } from './pass-print-body.ts';
import type { SettledPages } from './pass-settle-late.ts';
import { SECOND_OPTIONS, TRANSPARENT_CSS } from './print-options.ts';
import { parsePrint, type PrintRun } from './print-run.ts';
import { headPrint, type HeadPrint } from './running-heads.ts';

export interface FrontPrint {
  /** The running-head pages after the front matter, and which final page takes which. */
  heads: HeadPrint;
  /** Print 2's bytes (still being printed when `startFrontMatter` returns). */
  bytes: Promise<Uint8Array>;
  /** Print 2 also holds the late parts (the settle-late pass made it). */
  withLate: boolean;
}

/** The page CSS of print 2: the furniture print's, no background, the running heads' folio boxes emptied. */
export function furniturePrintCss(run: PrintRun, prepared: PreparedPrint, heads: HeadPrint): string {
  return `${prepared.furnitureCss}${TRANSPARENT_CSS}${runningHeadCss(run.options.layout, heads.heads)}`;
}

export async function startFrontMatter(run: PrintRun, prepared: PreparedPrint, body: BodyPrint, settled: SettledPages): Promise<FrontPrint> {
  const { combined } = settled;
  if (combined) return { heads: combined.heads, bytes: Promise.resolve(combined.bytes), withLate: true };
  const { page } = run;
  await runInPage<number>(page, FILL_PAGE_NUMBERS, { values: settled.values, scope: 'front' });
  await runInPage<boolean>(page, SHOW, { show: 'front' });
  const heads = headPrint(settled.plan, body.frontPages);
  await runInPage<number>(page, ADD_FURNITURE, { css: furniturePrintCss(run, prepared, heads), pages: heads.pages });
  const bytes = run.print(SECOND_OPTIONS);
  bytes.catch(() => undefined); // awaited by finishFrontMatter
  // While Chromium prints, print 1 is parsed and the late parts spliced in. page.pdf makes a few quick
  // calls before it asks for the print; let them go out before that synchronous work.
  await new Promise((resolve) => setTimeout(resolve, 15));
  return { heads, bytes, withLate: false };
}

/** Print 2, parsed; undefined (reported) when the front matter took other pages than in print 1. */
export async function finishFrontMatter(run: PrintRun, front: FrontPrint, body: BodyPrint): Promise<PDFDocument | undefined> {
  const second = await parsePrint(await front.bytes);
  run.lap('print-front');
  const frontPages = second.getPageCount() - front.heads.pages.length;
  if (frontPages === body.frontPages) return second;
  report(run.file, 'pdf-layout-unstable', `the front matter took ${frontPages} pages with page numbers and ${body.frontPages} with placeholders`);
  return undefined;
}
