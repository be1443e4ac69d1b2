/** Helpers of the apparatus tests (tests/apparatus-*.test.ts). */
import type { BuildResult } from '../pipeline/build/build.ts';
import type { Diagnostic } from '../pipeline/report/diagnostics.ts';

/**
 * The diagnostics about the test book itself (files under manuscripts/ of the temporary project), without
 * the info-level notes that shared inputs such as the repository's indicator data may add.
 */
export function own(result: BuildResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.file.startsWith('manuscripts/') && d.severity !== 'info');
}
