/**
 * The import graph of pipeline/, folder by folder (issue 13). Prints each folder's imports of other
 * folders and every cycle between folders (strongly connected groups of more than one folder, and a
 * folder pair importing each other) and every import from one feature's folder into another's
 * (pipeline/features/), and exits 1 when there is either. Reads the import specifiers with
 * the TypeScript compiler's pre-processor, so static imports, `export … from` and `import()` all count.
 *
 *   node --import tsx scripts/import-graph.ts [--json]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'pipeline');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** A file's folder under pipeline/ (`.` for pipeline/ itself), e.g. `pdf` or `features/citations`. */
const subfolderOf = (file: string) => relative(root, dirname(file)).split(sep).join('/') || '.';

/**
 * The folder of a file in the graph: its folder under pipeline/, except that a feature's folder
 * (`features/citations`) counts as `features`, one layer; how feature folders may import each other is
 * `featureImports`' concern.
 */
const folderOf = (file: string) => subfolderOf(file).replace(/^features\/.*/, 'features');

/** The pipeline/ files a file imports (relative specifiers only), as absolute paths. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return []; // a package
    const target = resolve(dirname(file), fileName);
    return target.startsWith(root + sep) ? [target] : [];
  });
}

export interface ImportGraph {
  /** folder → folders it imports from (never itself). */
  edges: Map<string, Set<string>>;
  /** `from → to` → the files that make that edge. */
  witnesses: Map<string, string[]>;
}

export function importGraph(): ImportGraph {
  const edges = new Map<string, Set<string>>();
  const witnesses = new Map<string, string[]>();
  for (const file of filesUnder(root)) {
    const from = folderOf(file);
    if (!edges.has(from)) edges.set(from, new Set());
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to === from) continue;
      edges.get(from)!.add(to);
      const key = `${from} → ${to}`;
      witnesses.set(key, [...(witnesses.get(key) ?? []), relative(root, file)]);
    }
  }
  return { edges, witnesses };
}

/**
 * Imports that break the independence of features (pipeline/features/): a file in a feature's folder may
 * import its own folder, `features/feature.ts` (the interface) and lower layers, never another feature's
 * folder nor the list of features (`features/index.ts`), which is the only file that imports the folders.
 * Returned as `file → imported file`, paths relative to pipeline/.
 */
export function featureImports(): string[] {
  const features = join(root, 'features');
  const wrong: string[] = [];
  for (const file of filesUnder(features)) {
    const own = subfolderOf(file);
    for (const target of importsOf(file)) {
      const inFeatures = target.startsWith(features + sep);
      const allowed = !inFeatures || subfolderOf(target) === own || target === join(features, 'feature.ts') || (own === 'features' && file === join(features, 'index.ts'));
      if (!allowed) wrong.push(`${relative(root, file)} → ${relative(root, target)}`);
    }
  }
  return wrong;
}

/** Strongly connected groups of folders with more than one member (Tarjan). */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!indices.has(v)) visit(v);
  return groups;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { edges, witnesses } = importGraph();
  const groups = cycles(edges);
  const crossFeature = featureImports();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ edges: Object.fromEntries([...edges].map(([k, v]) => [k, [...v].sort()])), cycles: groups, featureImports: crossFeature }, null, 2));
  } else {
    for (const [from, to] of [...edges].sort()) console.log(`${from} → ${[...to].sort().join(', ') || '(nothing)'}`);
    for (const group of groups) {
      console.log(`\ncycle: ${group.join(' ⇄ ')}`);
      for (const a of group) for (const b of group) {
        const files = witnesses.get(`${a} → ${b}`);
        if (files) console.log(`  ${a} → ${b}: ${[...new Set(files)].join(', ')}`);
      }
    }
  }
  if (!process.argv.includes('--json')) for (const edge of crossFeature) console.log(`\none feature imports another: ${edge}`);
  process.exitCode = groups.length > 0 || crossFeature.length > 0 ? 1 : 0;
}
