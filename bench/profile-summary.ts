/**
 * Where a CPU profile's time went: `node --cpu-prof --cpu-prof-dir /tmp/prof bin/annals.js check`, then
 *
 *   node --import tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 40] [--self | --inclusive]
 *
 * prints the time by module (an npm package, a file of compiled/ or pipeline/, a part of Node) and by
 * function, self time (the samples taken in it) and inclusive time (the samples taken in it or in what it
 * called, each sample counted once per function however deep the recursion). Self times are the steadier
 * figure on a loaded machine; the total includes garbage collection and idle time (both listed).
 * Figures are printed, never asserted.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds per key. */
type Totals = Map<string, number>;

export interface Summary {
  totalUs: number;
  selfByModule: Totals;
  selfByFunction: Totals;
  inclusiveByModule: Totals;
  inclusiveByFunction: Totals;
}

/** The module a frame belongs to: `npm:<package>`, a path of this checkout, a `node:` module or `(native)`. */
export function moduleOf(url: string): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const own = /\/(compiled|pipeline|bin|scripts)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function functionOf(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${moduleOf(frame.url)}:${frame.lineNumber + 1}`;
}

function add(totals: Totals, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

export function summarise(profile: CpuProfile): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  });
  const summary: Summary = { totalUs, selfByModule: new Map(), selfByFunction: new Map(), inclusiveByModule: new Map(), inclusiveByFunction: new Map() };
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    add(summary.selfByModule, moduleOf(frame.url), us);
    add(summary.selfByFunction, functionOf(frame), us);
    // Up the stack, each function and module once: recursion does not count a sample twice.
    const functions = new Set<string>();
    const modules = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      functions.add(functionOf(f));
      modules.add(moduleOf(f.url));
    }
    for (const f of functions) add(summary.inclusiveByFunction, f, us);
    for (const m of modules) add(summary.inclusiveByModule, m, us);
  }
  return summary;
}

function table(title: string, totals: Totals, totalUs: number, top: number): string {
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = rows.map(([key, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${key}`);
  return [`\n## ${title}`, ...lines].join('\n');
}

function main(argv: string[]): void {
  const file = argv.find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--self | --inclusive]\n');
    process.exitCode = 2;
    return;
  }
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 30;
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const out = [`total ${(s.totalUs / 1000).toFixed(0)} ms (samples, garbage collection and idle included)`];
  if (!argv.includes('--inclusive')) out.push(table('self time by module', s.selfByModule, s.totalUs, top), table('self time by function', s.selfByFunction, s.totalUs, top));
  if (!argv.includes('--self')) out.push(table('inclusive time by module', s.inclusiveByModule, s.totalUs, top), table('inclusive time by function', s.inclusiveByFunction, s.totalUs, top));
  process.stdout.write(out.join('\n') + '\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main(process.argv.slice(2));
