import { loadFramework } from './pipeline/indicators/load.ts';
import { computeIndex } from './pipeline/indicators/compute.ts';
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const l = loadFramework('indicators/widi/2026');
  const t1 = performance.now();
  const r = computeIndex(l.framework!, l.dataset);
  const t2 = performance.now();
  console.log('load', (t1 - t0).toFixed(1), 'compute', (t2 - t1).toFixed(1));
}
