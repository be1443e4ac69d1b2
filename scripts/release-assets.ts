/**
 * Release assets from a release build (docs/editions.md):
 *   node --import tsx scripts/release-assets.ts [--out out] [--dest dist]
 *       PDFs, zipped HTML editions, the manifest and SHA256SUMS into dist/
 *   node --import tsx scripts/release-assets.ts --sums dist
 *       only (re)write dist/SHA256SUMS (after merging the assets of several books)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeReleaseAssets, writeSums } from '../pipeline/release/assets.ts';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'out' }, dest: { type: 'string', default: 'dist' }, sums: { type: 'string' } },
});

const names = values.sums ? await writeSums(resolve(values.sums)) : await writeReleaseAssets({ outDir: resolve(values.out!), destDir: resolve(values.dest!) });
const where = values.sums ?? values.dest;
for (const name of names) process.stdout.write(`${where}/${name}\n`);
process.stdout.write(`${where}/SHA256SUMS\n`);
