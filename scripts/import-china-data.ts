/**
 * Writes the data files of the China Internet Development Index (indicators/cidi/<edition>/data/):
 *
 *  - `gdp.yaml`: REAL provincial GDP from the shared NBS table (china_provinces_gdp_nbs.csv), 2015–2024,
 *    printed with "数据来源：国家统计局".
 *  - every other series: ILLUSTRATIVE SAMPLE DATA, generated here deterministically (a seeded generator,
 *    never Math.random), loosely correlated with each province's GDP, marked `illustrative: true` with the
 *    source 示例数据, which every table and chart using them prints. They are not statistics.
 *
 *   npx tsx scripts/import-china-data.ts [shared-data-folder] [--edition 2026]
 *
 * Re-running on the same input gives the same bytes.
 */
import { join, resolve } from 'node:path';
import { num, readCsv, seriesYaml, writeText, type SeriesOut } from './indicator-import.ts';
import { mulberry32 } from '../pipeline/indicators/statistics.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SEED = 'annals-cidi-sample-v1';
const YEARS = [2022, 2023, 2024];
const BASE_YEAR = 2024;

const ILLUSTRATIVE_SOURCE = {
  zh: '示例数据（据各省GDP按固定种子生成，仅作演示，非官方统计）',
  en: 'Illustrative sample data (generated from provincial GDP with a fixed seed; not official statistics)',
};

/**
 * How one illustrative series is generated. With z the province's standardised log GDP (2024) and e a
 * standard normal draw, the 2024 value is
 *   level:     clamp(mean + sd·(ρ·z + √(1−ρ²)·e), lo, hi)
 *   lognormal: exp(ln(median) + σ·(ρ·z + √(1−ρ²)·e))
 *   share:     GDP × clamp(mean + sd·(…), lo, hi) / 100  (a value whose share of GDP is the "level")
 * and an earlier year is the 2024 value divided by (1 + g)^(2024 − year), g = growth + 0.02·e′ per province.
 */
interface Spec {
  id: string;
  name: { zh: string; en: string };
  unit: { zh: string; en: string };
  kind: 'level' | 'lognormal' | 'share';
  mean: number; // level/share: mean; lognormal: median
  sd: number; // level/share: standard deviation; lognormal: σ of the logarithm
  rho: number;
  growth: number;
  lo?: number;
  hi?: number;
  decimals: number;
  range?: [number, number];
}

const SPECS: Spec[] = [
  // 信息基础设施
  { id: 'broadband_households', name: { zh: '每百户固定宽带用户数', en: 'Fixed broadband subscriptions per 100 households' }, unit: { zh: '户/百户', en: 'per 100 households' }, kind: 'level', mean: 100, sd: 12, rho: 0.5, growth: 0.03, lo: 70, hi: 135, decimals: 1, range: [0, 200] },
  { id: 'base_stations_5g', name: { zh: '每万人拥有5G基站数', en: '5G base stations per 10,000 people' }, unit: { zh: '个/万人', en: 'per 10,000 people' }, kind: 'level', mean: 30, sd: 7, rho: 0.6, growth: 0.25, lo: 12, hi: 60, decimals: 1 },
  { id: 'data_centre_racks', name: { zh: '数据中心标准机架数', en: 'Data-centre racks (standard)' }, unit: { zh: '万架', en: '10,000 racks' }, kind: 'lognormal', mean: 25, sd: 0.8, rho: 0.7, growth: 0.15, decimals: 1 },
  // 创新能力
  { id: 'rd_intensity', name: { zh: 'R&D经费投入强度', en: 'R&D intensity' }, unit: { zh: '%', en: '% of GDP' }, kind: 'level', mean: 2.2, sd: 0.9, rho: 0.7, growth: 0.03, lo: 0.3, hi: 6.5, decimals: 2, range: [0, 10] },
  { id: 'invention_patents', name: { zh: '每万人口高价值发明专利拥有量', en: 'High-value invention patents per 10,000 people' }, unit: { zh: '件/万人', en: 'per 10,000 people' }, kind: 'lognormal', mean: 10, sd: 0.7, rho: 0.7, growth: 0.15, decimals: 2 },
  { id: 'high_tech_enterprises', name: { zh: '高新技术企业数', en: 'High-tech enterprises' }, unit: { zh: '家', en: 'enterprises' }, kind: 'lognormal', mean: 8000, sd: 1.0, rho: 0.85, growth: 0.1, decimals: 0 },
  // 数字经济
  { id: 'digital_core_value', name: { zh: '数字经济核心产业增加值', en: 'Value added of core digital-economy industries' }, unit: { zh: '亿元', en: '100 million CNY' }, kind: 'share', mean: 9, sd: 3, rho: 0.6, growth: 0.04, lo: 3, hi: 20, decimals: 1 },
  { id: 'software_revenue', name: { zh: '软件业务收入', en: 'Software business revenue' }, unit: { zh: '亿元', en: '100 million CNY' }, kind: 'lognormal', mean: 1500, sd: 1.3, rho: 0.85, growth: 0.12, decimals: 1 },
  { id: 'online_retail', name: { zh: '网上零售额', en: 'Online retail sales' }, unit: { zh: '亿元', en: '100 million CNY' }, kind: 'lognormal', mean: 3500, sd: 1.1, rho: 0.9, growth: 0.09, decimals: 1 },
  // 互联网应用
  { id: 'internet_penetration', name: { zh: '互联网普及率', en: 'Internet penetration' }, unit: { zh: '%', en: '% of population' }, kind: 'level', mean: 78, sd: 5, rho: 0.6, growth: 0.02, lo: 65, hi: 92, decimals: 1, range: [0, 100] },
  { id: 'gov_services_index', name: { zh: '一体化政务服务能力指数', en: 'Integrated online government services index' }, unit: { zh: '分', en: 'points' }, kind: 'level', mean: 85, sd: 5, rho: 0.5, growth: 0.01, lo: 70, hi: 97, decimals: 1, range: [0, 100] },
  { id: 'mobile_traffic', name: { zh: '移动互联网户均月流量', en: 'Mobile data per subscriber per month' }, unit: { zh: 'GB/户·月', en: 'GB per subscriber per month' }, kind: 'level', mean: 20, sd: 3, rho: 0.3, growth: 0.12, lo: 12, hi: 30, decimals: 2 },
  // 网络安全
  { id: 'security_incidents', name: { zh: '每千个网站安全事件数', en: 'Security incidents per 1,000 websites' }, unit: { zh: '起/千个网站', en: 'per 1,000 websites' }, kind: 'level', mean: 4, sd: 1.2, rho: -0.4, growth: -0.08, lo: 1, hi: 9, decimals: 2 },
  { id: 'security_revenue', name: { zh: '网络安全产业收入', en: 'Cybersecurity industry revenue' }, unit: { zh: '亿元', en: '100 million CNY' }, kind: 'lognormal', mean: 60, sd: 1.2, rho: 0.85, growth: 0.1, decimals: 1 },
  // 网络治理
  { id: 'governance_evaluation', name: { zh: '网络综合治理评价得分', en: 'Cyberspace governance evaluation' }, unit: { zh: '分', en: 'points' }, kind: 'level', mean: 80, sd: 6, rho: 0.5, growth: 0.015, lo: 60, hi: 96, decimals: 1, range: [0, 100] },
  { id: 'local_regulations', name: { zh: '数字领域地方性法规规章数', en: 'Local digital-domain regulations' }, unit: { zh: '件', en: 'regulations' }, kind: 'lognormal', mean: 12, sd: 0.5, rho: 0.4, growth: 0.08, decimals: 0 },
];



/** FNV-1a hash of a string: the seed of each series' generator. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (const c of text) {
    h ^= c.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Standard normal draws (Box–Muller) from a uniform generator. */
function normals(uniform: () => number): () => number {
  return () => {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

function main(argv: string[]): void {
  const args = [...argv];
  const i = args.indexOf('--edition');
  const edition = i >= 0 ? args.splice(i, 2)[1]! : '2026';
  const dataDir = resolve(args[0] ?? join(ROOT, '..', 'shared', 'data'));
  const out = join(ROOT, 'indicators', 'cidi', edition, 'data');

  // Real GDP, as published.
  const rows = readCsv(join(dataDir, 'china_provinces_gdp_nbs.csv'));
  const gdp = new Map<string, Map<number, number>>();
  const gdpText = new Map<string, Map<number, string>>();
  for (const r of rows) {
    const code = r.adcode!;
    if (!gdp.has(code)) {
      gdp.set(code, new Map());
      gdpText.set(code, new Map());
    }
    gdp.get(code)!.set(Number(r.year), Number(r.gdp_100m_cny));
    gdpText.get(code)!.set(Number(r.year), String(Number(r.gdp_100m_cny)));
  }
  const provinces = [...gdp.keys()].sort();
  const gdpSeries: SeriesOut = {
    id: 'gdp',
    name: { zh: '地区生产总值', en: 'Gross regional product' },
    unit: { zh: '亿元', en: '100 million CNY' },
    source: { zh: '国家统计局', en: 'National Bureau of Statistics of China' },
    licence: 'Official statistics (National Bureau of Statistics of China), cited as the source',
    url: 'https://data.stats.gov.cn/',
    values: gdpText,
  };
  writeText(
    join(out, 'gdp.yaml'),
    seriesYaml(
      [
        'Gross regional product by province (100 million CNY), National Bureau of Statistics of China, 分省年度数据.',
        'Generated by scripts/import-china-data.ts from china_provinces_gdp_nbs.csv (shared data); do not edit by hand.',
      ],
      [gdpSeries],
    ),
  );
  console.log(`gdp.yaml: ${provinces.length} provinces, real data`);

  // z: standardised log GDP of the base year.
  const logs = provinces.map((p) => Math.log(gdp.get(p)!.get(BASE_YEAR)!));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / logs.length);
  const z = new Map(provinces.map((p, k) => [p, (logs[k]! - mean) / sd]));

  for (const spec of SPECS) {
    const normal = normals(mulberry32(hashSeed(`${SEED}:${spec.id}`)));
    const values = new Map<string, Map<number, string>>();
    const clamp = (x: number) => Math.min(spec.hi ?? Infinity, Math.max(spec.lo ?? -Infinity, x));
    for (const p of provinces) {
      const e = normal();
      const mix = spec.rho * z.get(p)! + Math.sqrt(1 - spec.rho ** 2) * e;
      const g = spec.growth + 0.02 * normal();
      const byYear = new Map<number, string>();
      for (const year of YEARS) {
        const back = (1 + g) ** (BASE_YEAR - year);
        let v: number;
        if (spec.kind === 'level') v = clamp((spec.mean + spec.sd * mix) / back);
        else if (spec.kind === 'lognormal') v = Math.exp(Math.log(spec.mean) + spec.sd * mix) / back;
        else v = (gdp.get(p)!.get(year)! * clamp((spec.mean + spec.sd * mix) / back)) / 100;
        byYear.set(year, num(v, spec.decimals));
      }
      values.set(p, byYear);
    }
    const series: SeriesOut = {
      id: spec.id,
      name: spec.name,
      unit: spec.unit,
      source: ILLUSTRATIVE_SOURCE,
      licence: 'CC0-1.0 (generated sample data)',
      illustrative: true,
      ...(spec.range ? { range: spec.range } : {}),
      values,
    };
    writeText(
      join(out, `${spec.id}.yaml`),
      seriesYaml(
        [
          `ILLUSTRATIVE SAMPLE DATA (示例数据), not statistics: ${spec.name.en}.`,
          `Generated by scripts/import-china-data.ts (seed "${SEED}:${spec.id}", ${spec.kind}, correlation with log GDP ${spec.rho}); do not edit by hand.`,
        ],
        [series],
      ),
    );
    console.log(`${spec.id}.yaml: ${provinces.length} provinces, illustrative`);
  }
}

main(process.argv.slice(2));
