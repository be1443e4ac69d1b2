/** Small helpers that build.ts and build-edition.ts share: lap timers, error counts, output failures. */
import type { VFile } from 'vfile';
import { outputErrorOf } from '../html/output-folder.ts';
import { report } from '../report/diagnostics.ts';
import { createStopwatch } from '../base/stopwatch.ts';

/** Report a file-system failure of the output as `output-failed`; false for any other error. */
export function reportOutputError(file: VFile, error: unknown): boolean {
  const failure = outputErrorOf(error);
  if (!failure) return false;
  report(file, 'output-failed', failure.message);
  return true;
}

/** A lap timer adding into `timings` (base/stopwatch.ts; a no-op without it). */
export function stopwatch(timings: Record<string, number> | undefined): (stage: string) => void {
  return timings ? createStopwatch(timings).lap : () => {};
}

/** Errors so far; in a release, warnings count too (an edition with warnings is not written). */
export function countErrors(files: readonly VFile[], release = false): number {
  return files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === true || (release && m.fatal === false)).length, 0);
}

/** The build writes this format as well as the site (`format` is the format itself or all; default: all). */
export function writesFormat(options: { format?: 'html' | 'pdf' | 'epub' | 'all' | undefined }, kind: 'pdf' | 'epub'): boolean {
  const format = options.format ?? 'all';
  return format === kind || format === 'all';
}
