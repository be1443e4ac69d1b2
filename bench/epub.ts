/**
 * `npm run bench -- epub`: what the EPUB adds to a build — the EPUB stage's time per edition (font
 * subsetting is most of it) and the size of each EPUB. Printed, never asserted.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { epubName } from '../pipeline/epub/epub-edition.ts';
import { repoRoot } from '../tests/helpers.ts';
import { line, type BenchSection } from './run.ts';

const epub: BenchSection = {
  name: 'epub',
  async run() {
    const out = mkdtempSync(join(tmpdir(), 'annals-bench-epub-'));
    const project = projectAt(repoRoot, out);
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    const result = await buildAll({ project, format: 'epub', timings });
    const ms = performance.now() - t0;
    line('HTML + EPUB build, all sample books', `${ms.toFixed(0)} ms, ${result.editions.length} editions`);
    line('EPUB stage (all editions)', `${(timings.epub ?? 0).toFixed(0)} ms, ${((timings.epub ?? 0) / result.editions.length).toFixed(0)} ms/edition`);
    for (const e of result.editions) {
      const size = statSync(join(out, e.book, e.edition, epubName(e.book, e.edition))).size;
      line(`  ${e.book}/${e.edition}`, `${(size / 1024).toFixed(0)} KB`);
    }
    rmSync(out, { recursive: true, force: true });
  },
};

export const epubSections: BenchSection[] = [epub];
