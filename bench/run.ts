/**
 * `npm run bench`: speed and memory figures, printed, never asserted. Each section is a function in the
 * list below; run one with `npm run bench -- <section>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../pipeline/build/build.ts';
import { projectAt } from '../pipeline/config/load-book.ts';
import { indicatorSections } from './indicators.ts';
import { repoRoot } from '../tests/helpers.ts';
import { previewSections } from './preview.ts';
import { pdfSections } from './pdf.ts';
import { epubSections } from './epub.ts';
import { e2eSections } from './e2e.ts';

export interface BenchSection {
  name: string;
  run(): Promise<void>;
}

export function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(48)} ${value}\n`);
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

const htmlCold: BenchSection = {
  name: 'html',
  async run() {
    const out = mkdtempSync(join(tmpdir(), 'annals-bench-'));
    const project = projectAt(repoRoot, out);
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const result = await buildAll({ project, format: 'html', timings });
    const ms = performance.now() - t0;
    const chapters = result.editions.reduce((n, e) => n + e.chapters, 0);
    line('HTML build, all sample books (cold process)', `${ms.toFixed(0)} ms, ${result.editions.length} editions, ${chapters} chapters, ${(ms / chapters).toFixed(1)} ms/chapter`);
    // The site's search index (Pagefind, pipeline/site/search-index.ts) is part of every HTML build; it
    // runs in its own process while fonts are chosen and files staged: this is the time the build waits.
    line('  of which waiting for the Pagefind search index', `${(timings['search index (waiting and writing)'] ?? 0).toFixed(0)} ms`);
    const t1 = performance.now();
    await buildAll({ project, format: 'html' });
    line('HTML build again (warm process)', `${(performance.now() - t1).toFixed(0)} ms`);
    line('peak RSS', mb(process.resourceUsage().maxRSS * 1024));
    rmSync(out, { recursive: true, force: true });
  },
};

/** Sections in the order they run. Other sections (PDF, preview) are added here. */
const sections: BenchSection[] = [htmlCold, ...indicatorSections, ...pdfSections, ...epubSections, ...previewSections, ...e2eSections];

const only = process.argv[2];
for (const section of sections) {
  if (only && section.name !== only) continue;
  process.stdout.write(`\n## ${section.name}\n`);
  await section.run();
}
