/**
 * Indicator figures: load + check, compute, cached compute and chart rendering for every framework.
 * Printed, never asserted. Add `...indicatorSections` to the list in bench/run.ts, or run alone:
 * `node --import tsx bench/indicators.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indicatorChart, type ChartType } from '../pipeline/charts/indicator-charts.ts';
import type { GeoJson } from '../pipeline/charts/choropleth.ts';
import { coherenceOf } from '../pipeline/indicators/coherence.ts';
import { computeIndex } from '../pipeline/indicators/compute.ts';
import { uncertaintyOf } from '../pipeline/indicators/uncertainty.ts';
import { loadFramework } from '../pipeline/indicators/load.ts';
import { listFrameworks } from '../pipeline/indicators/framework-files.ts';
import { textIn } from '../pipeline/indicators/model.ts';
import { createIndicatorStore, ResultsCache } from '../pipeline/indicators/store.ts';
import { repoRoot } from '../tests/helpers.ts';
import type { BenchSection } from './run.ts';

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(48)} ${value}\n`);
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

export const indicatorSections: BenchSection[] = [
  {
    name: 'indicators',
    async run() {
      const root = join(repoRoot, 'indicators');
      for (const ref of listFrameworks(root)) {
        const label = `${ref.id}/${ref.edition}`;
        loadFramework(ref.dir); // warm up the YAML parser and schemas
        const [loaded, load] = time(() => loadFramework(ref.dir));
        const framework = loaded.framework!;
        const [result, compute] = time(() => computeIndex(framework, loaded.dataset));
        const runs = 20;
        const [, many] = time(() => {
          for (let i = 0; i < runs; i++) computeIndex(framework, loaded.dataset);
        });
        const cache = new ResultsCache();
        createIndicatorStore(root, cache).get(ref.id, ref.edition);
        const [, cached] = time(() => createIndicatorStore(root, cache).get(ref.id, ref.edition));
        line(`${label}: entities × indicators`, `${framework.entities.length} × ${Object.keys(result.current.raw).length}`);
        line(`${label}: load + check (files, YAML, schema)`, `${load.toFixed(1)} ms`);
        line(`${label}: compute (current + previous year)`, `${compute.toFixed(1)} ms first, ${(many / runs).toFixed(1)} ms mean of ${runs}`);
        line(`${label}: store.get with a warm results cache`, `${cached.toFixed(1)} ms (load only, computed ${cache.computed}×)`);
        if (framework.uncertainty) {
          const [u, mc] = time(() => uncertaintyOf(framework, loaded.dataset));
          const [, mc2] = time(() => uncertaintyOf(framework, loaded.dataset));
          line(`${label}: Monte Carlo (${u.settings.draws} draws + sensitivity)`, `${mc.toFixed(0)} ms first, ${mc2.toFixed(0)} ms again`);
          const [, coh] = time(() => coherenceOf(framework, result.current));
          line(`${label}: coherence report`, `${coh.toFixed(1)} ms`);
        }
        const entry = createIndicatorStore(root, cache).get(ref.id, ref.edition)!;
        const geometry = framework.map ? (JSON.parse(readFileSync(join(ref.dir, framework.map.geometry), 'utf8')) as GeoJson) : undefined;
        for (const type of ['bar', 'radar', 'timeseries', 'map'] as ChartType[]) {
          if (type === 'map' && !geometry) continue;
          const [svg, ms] = time(() =>
            indicatorChart({
              type,
              entry,
              result: entry.result!,
              node: 'composite',
              entities: framework.entities.slice(0, 3).map((e) => e.id),
              highlight: [],
              of: 'score',
              lang: 'zh-CN',
              text: (t) => textIn(t, 'zh-CN'),
              t: (k) => k,
              idPrefix: 'bench',
              title: 'bench',
              ...(geometry ? { geometry } : {}),
            }),
          );
          line(`${label}: chart ${type}`, `${ms.toFixed(0)} ms, ${(svg.length / 1024).toFixed(0)} KB`);
        }
      }
    },
  },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const s of indicatorSections) await s.run();
}
