import { rmSync } from 'node:fs';
import { buildAll } from '../pipeline/build.ts';
import { createBuildCache } from '../pipeline/cache/build-cache.ts';
import { createBuildMemo } from '../pipeline/cache/memo.ts';
import { ResultsCache } from '../pipeline/indicators/store.ts';
import { copyProject } from '../tests/preview-helpers.ts';
const book = process.argv[2]!; const ch = process.argv[3]!;
const project = copyProject({ books: [book], indicators: true });
const cache = createBuildCache(project, { memory: true }); const memo = createBuildMemo(); const indicatorCache = new ResultsCache();
const opts = { project, books: [book], edition: 'zh', format: 'html' as const, cache, indicatorCache, memo };
await buildAll(opts);
for (let i = 0; i < 4; i++) {
  project.edit(`manuscripts/${book}/zh/${ch}`, (s) => s.replace(/PROF-\d+|(?=\n## )/, `PROF-${i}`));
  const t = performance.now(); const r = await buildAll(opts); console.log(book, Math.round(performance.now() - t), 'ms', r.ok, 'charts hits', memo.charts.hits, 'cit hits', memo.citations.hits);
}
rmSync(project.root, { recursive: true, force: true });
