#!/usr/bin/env node
// The `annals` command. It runs the compiled pipeline in compiled/ (scripts/compile.js, made by `npm install`
// / `npm ci` and by scripts/setup.sh): no TypeScript is transpiled at run time.
// In a checkout whose sources changed since compiled/ was built (an edit, a pull, a branch switch), compiled/ is
// compiled again first (~0.5 s, once). If it cannot be (esbuild missing), the TypeScript sources are run
// through tsx instead, as they are with ANNALS_FROM_SOURCE=1.
import { pathToFileURL } from 'node:url';
import { compile, entryFile, isStale } from '../scripts/compile.js';

async function loadCli() {
  if (process.env.ANNALS_FROM_SOURCE !== '1') {
    try {
      if (isStale()) await compile();
      return await import(pathToFileURL(entryFile).href);
    } catch (error) {
      process.stderr.write(`annals: cannot use the compiled pipeline in compiled/ (${error instanceof Error ? error.message.split('\n')[0] : error}); running the TypeScript sources\n`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../pipeline/cli.ts');
}

const { main } = await loadCli();
process.exitCode = await main(process.argv);
