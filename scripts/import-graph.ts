/**
 * The import graph of pipeline/, folder by folder (issue 13). Prints each folder's imports of other
 * folders and every cycle between folders (strongly connected groups of more than one folder, and a
 * folder pair importing each other), and exits 1 when there is a cycle. Reads the import specifiers with
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

/** The folder of a file under pipeline/ (`.` for pipeline/ itself), e.g. `pdf` or `features/index`. */
const folderOf = (file: string) => relative(root, dirname(file)).split(sep).join('/') || '.';

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
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      edges.get(from)!.add(to);
      const key = `${from} → ${to}`;
      witnesses.set(key, [...(witnesses.get(key) ?? []), relative(root, file)]);
    }
  }
  return { edges, witnesses };
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
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ edges: Object.fromEntries([...edges].map(([k, v]) => [k, [...v].sort()])), cycles: groups }, null, 2));
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
  process.exitCode = groups.length > 0 ? 1 : 0;
}
