// Compile the command line into compiled/ (git-ignored; not dist/, which holds the release assets that
// .github/workflows/release.yml uploads whole) with esbuild: one ES module bundle of pipeline/ from its entry
// (pipeline/cli.ts), so a source file added anywhere is picked up by being imported. The heavy npm packages
// stay in node_modules (external): the lazily loaded ones (puppeteer, pdf-lib, echarts, exceljs, citeproc,
// katex, opencc-js) cost nothing until used, and those that read files of their own (fonts, WebAssembly)
// find them. The packages that every build or check loads are BUNDLED: a module file costs its resolution,
// read and compilation, and a cold check loaded ~600 of them (zod's ~90 ES modules took 130–180 ms, the same
// code bundled 65–85 ms; yaml's 72 CommonJS files 200–390 ms under load, bundled 20–50 ms; docs/pdf.md, Speed).
// Modules loaded with import() become chunks of their own, loaded when called.
//
//   node scripts/compile.js     (npm run compile; run by `npm install`/`npm ci` as `prepare`)
//
// compiled/build-info.json records when the build started and which source files went into it; bin/annals.js
// compares their modification times with it and compiles again when one is newer (see isStale below).
// Plain JavaScript, so it runs before anything is compiled.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const compiledDir = join(projectRoot, 'compiled');
export const entryFile = join(compiledDir, 'cli.js');
const infoFile = join(compiledDir, 'build-info.json');
const CHUNKS = 'chunks';

/**
 * Build compiled/. Every file is written under a temporary name and renamed into place, and chunks carry a
 * hash of their content in their name; a process already running from an older compiled/ keeps finding the
 * chunks it may still load (old chunks are removed an hour after they were replaced).
 * @returns {Promise<{ inputs: string[], ms: number }>}
 */
export async function compile() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    absWorkingDir: projectRoot,
    // The worker threads that build books side by side (pipeline/build/book-threads.ts) start from
    // book-worker.js; the one that drives Pagefind (pipeline/site/search-index.ts) from search-worker.js.
    entryPoints: { cli: 'pipeline/cli.ts', 'book-worker': 'pipeline/build/book-worker.ts', 'search-worker': 'pipeline/site/search-worker.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages],
    outdir: 'compiled',
    entryNames: '[name]',
    chunkNames: `${CHUNKS}/[name]-[hash]`,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.startsWith('node-global:'));
  inputs.push(relative(projectRoot, fileURLToPath(import.meta.url)));
  mkdirSync(join(compiledDir, CHUNKS), { recursive: true });
  const written = new Set();
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
    written.add(file.path);
  }
  const info = { builtAt: started, inputs: inputs.sort() };
  const tmp = `${infoFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 1) + '\n');
  renameSync(tmp, infoFile);
  // Chunks of earlier builds: kept for an hour for processes started before this build.
  for (const name of readdirSync(join(compiledDir, CHUNKS))) {
    const path = join(compiledDir, CHUNKS, name);
    if (!written.has(path) && statSync(path).mtimeMs < Date.now() - 3600_000) rmSync(path, { force: true });
  }
  return { inputs, ms: Date.now() - started };
}

/**
 * npm packages bundled into compiled/ (the others stay external): modules that read no files of their own
 * and share no objects with the external packages. Their own dependencies are bundled with them. ora (the
 * spinner, with chalk, string-width, cli-spinners …: ~25 files) and @babel/code-frame (diagnostics' code
 * frames) are loaded by every build and check; pdf-lib (with pako and its standard fonts: 173 CommonJS
 * files, 130–175 ms to load from node_modules, 24–36 ms bundled) and fonteditor-core (119 files) by every
 * PDF, on the way to its first print. They stay in chunks that only the PDF stage imports.
 */
const BUNDLED = new Set(['zod', 'yaml', 'ora', '@babel/code-frame', 'pdf-lib', 'fonteditor-core', ...MARKDOWN_PACKAGES()]);
const NODE_BUILTINS = new Set(builtinModules);

/**
 * The Markdown and HTML machinery that every build and every check of a changed book loads: the unified
 * collective (unified, remark, rehype, retext for English smart quotes, micromark, mdast, hast, xast and
 * unist utilities, vfile) and the small ES modules around it. A cold check loaded ~600 module files, ~450 of them these.
 */
function MARKDOWN_PACKAGES() {
  const own = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).dependencies;
  const collective = /^(unified|vfile.*|unist-util-.*|(remark|rehype|retext|mdast-util|hast-util|xast-util|micromark)(-.*)?|hastscript|xastscript)$/;
  return [...Object.keys(own).filter((name) => collective.test(name)), 'property-information', 'github-slugger', 'fastest-levenshtein', 'mustache', 'nzh', 'diff', 'klona'];
}

/**
 * Node's modules that a bundled CommonJS package requires (yaml: `require('process')` for its warnings,
 * `require('buffer')` for `!!binary`), given as the globals they are: an ES module bundle has no `require`.
 */
const GLOBAL_BUILTINS = { process: 'module.exports = process;', buffer: 'module.exports = { Buffer };' };

/** Every bare import (an npm package or a node: builtin) is external, except those of BUNDLED. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const bundledRequire = args.kind === 'require-call' && Object.hasOwn(GLOBAL_BUILTINS, args.path) && args.importer.includes('/node_modules/');
      if (bundledRequire) return { path: args.path, namespace: 'node-global' };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      // An import from inside node_modules comes from a bundled package: bundled with it (Node's own modules excepted).
      const fromBundled = args.importer.includes('/node_modules/') && !args.path.startsWith('node:') && !NODE_BUILTINS.has(name);
      // A bundled CommonJS package imported with import() comes back with its exports only under `default`
      // (the preview's print view failed so on pdf-lib): import it statically, in a module that is itself
      // imported dynamically when it should load late.
      if (args.kind === 'dynamic-import' && BUNDLED.has(name) && !args.importer.includes('/node_modules/')) {
        return { errors: [{ text: `import('${args.path}') of a package bundled into compiled/ (BUNDLED in scripts/compile.js): import it statically, from a module that is imported dynamically` }] };
      }
      return BUNDLED.has(name) || fromBundled ? undefined : { path: args.path, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-global' }, (args) => ({ contents: GLOBAL_BUILTINS[args.path], loader: 'js' }));
  },
};

/**
 * Whether compiled/ is missing or older than the sources it was built from: a source file changed after
 * the build started, or was removed. Only the files that went into the build are looked at (about 150
 * stat calls, ~2 ms); a new file only matters once a changed file imports it.
 * @returns {boolean}
 */
export function isStale() {
  let info;
  try {
    info = JSON.parse(readFileSync(infoFile, 'utf8'));
    statSync(entryFile);
  } catch {
    return true;
  }
  for (const rel of info.inputs) {
    try {
      if (statSync(join(projectRoot, rel)).mtimeMs >= info.builtAt) return true;
    } catch {
      return true;
    }
  }
  return false;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { inputs, ms } = await compile();
  process.stdout.write(`compiled ${inputs.length} source files into ${relative(process.cwd(), compiledDir) || 'compiled'}/ in ${ms} ms\n`);
}
