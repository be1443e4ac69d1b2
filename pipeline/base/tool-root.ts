/**
 * The folder holding Annals' own package.json (and its pipeline/, templates and node_modules/). Found by
 * walking up from this module, so it is the same whether the code runs from pipeline/ (tests, tsx) or
 * from the compiled bundle in compiled/ (bin/annals.js), where `import.meta.url` is one of compiled/'s files.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findToolRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'pipeline'))) return dir;
    if (dirname(dir) === dir) return join(dirname(fileURLToPath(import.meta.url)), '..');
  }
}

export const toolRoot = findToolRoot(dirname(fileURLToPath(import.meta.url)));
