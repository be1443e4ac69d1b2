/**
 * Pass 6, audit and write: the font audit of the finished book (font-audit.ts: every font embedded, none
 * Type 3, each a declared family), then the file saved with its document id and written into the staging
 * folder (build.ts discards it when anything failed). Any error reported while printing (a blocked
 * request, the font audit …) fails the edition.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import { report } from '../report/diagnostics.ts';
import { auditFonts, describeProblem } from './font-audit.ts';
import { stampDocumentId } from './pdf-metadata.ts';
import type { PrintResult } from './print-options.ts';
import type { PrintRun } from './print-run.ts';
import type { MakeUpResult } from './make-up.ts';
import type { SpanKeepResult } from './span-keeps.ts';

export async function auditAndWrite(run: PrintRun, doc: PDFDocument, madeUp?: MakeUpResult, spanKeeps?: SpanKeepResult): Promise<PrintResult> {
  const { options, file } = run;
  const audit = auditFonts(doc, options.fonts);
  for (const problem of audit.problems) {
    const rule = problem.kind === 'type3' ? 'pdf-font-type3' : problem.kind === 'not-embedded' ? 'pdf-font-not-embedded' : 'pdf-font-undeclared';
    report(file, rule, describeProblem(problem, audit.declared));
  }
  run.lap('audit');
  const bytes = stampDocumentId(await doc.save({ useObjectStreams: false, objectsPerTick: Infinity, addDefaultPage: false, updateFieldAppearances: false }));
  await writeFile(join(options.dir, options.output), bytes);
  run.lap('write');
  const pages = doc.getPageCount();
  options.onPages?.(pages, pages);
  const ok = !file.messages.some((m) => m.fatal === true) && run.blockedElsewhere === 0;
  return { ok, pages, timings: run.timings, bytes: bytes.length, ...run.counts, makeUp: madeUp, spanKeeps };
}
