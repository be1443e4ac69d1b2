/**
 * ECharts, loaded the first time a chart is drawn (it takes about a second to load, and most commands
 * draw no chart). Its CommonJS build is one file and loads several times faster than the ES module tree;
 * every chart module goes through here so that maps registered by one are seen by the others.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

let loaded: typeof Echarts | undefined;

export function echartsModule(): typeof Echarts {
  loaded ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return loaded;
}
