/**
 * Where a worker thread's code is: compiled/<name>.js when running compiled (scripts/compile.js makes one
 * entry point per worker); from source, a two-line script that registers tsx in the worker (a worker
 * inherits neither `--import tsx` for its entry nor bin/annals.js's registration) and imports the source.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toolRoot } from './tool-root.ts';

export interface WorkerScript {
  /** A file path, or the code itself (`eval`). */
  code: string;
  eval: boolean;
}

/**
 * @param name the compiled entry point's name (compiled/<name>.js)
 * @param source the worker's source file, relative to the tool's root (pipeline/…/<name>.ts)
 */
export function workerScript(name: string, source: string): WorkerScript {
  if (fileURLToPath(import.meta.url).endsWith('.js')) return { code: join(toolRoot, 'compiled', `${name}.js`), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(join(toolRoot, source)).href;
  return { code: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}
