/**
 * Converts the shared world data (World Bank WDI / ITU / WIPO / WGI series, CC BY 4.0) into the data files
 * of the World Internet Development Index: one YAML file per series under indicators/widi/<edition>/data/,
 * for the entities listed in that edition's framework.yaml, years 2015–2024, values exactly as in the CSV.
 *
 *   npx tsx scripts/import-world-data.ts [shared-data-folder] [--edition 2026]
 *   npx tsx scripts/import-world-data.ts --print-entities ARG,AUS,…   (entity YAML for framework.yaml)
 *
 * Default data folder: ../shared/data (beside the repository). Re-running on the same input gives the same
 * bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readCsv, seriesYaml, writeText, type SeriesOut } from './indicator-import.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIRST_YEAR = 2015;
const LAST_YEAR = 2024;

/** Corrections to countries.csv, applied on import (each is a known error or an awkward WDI form). */
const NAME_FIXES: Record<string, { zh?: string; en?: string }> = {
  AUS: { zh: '澳大利亚' }, // countries.csv has 阿什莫尔和卡捷群岛 (Ashmore and Cartier Islands)
  KOR: { en: 'Republic of Korea' }, // "Korea, Rep."
  EGY: { en: 'Egypt' }, // "Egypt, Arab Rep."
  RUS: { en: 'Russia' }, // "Russian Federation"
  TUR: { en: 'Türkiye' }, // "Turkiye"
};

const SHORT_NAMES: Record<string, { zh?: string; en?: string }> = {
  ARE: { en: 'UAE' },
  GBR: { en: 'UK' },
  USA: { en: 'US' },
  KOR: { en: 'Korea' },
};

/** Chinese names and units of the catalog's series, and how to cite the upstream source in each language. */
const SERIES_ZH: Record<string, { name: string; unit: string; unitEn?: string; source: { zh: string; en: string }; range?: [number, number]; note?: { zh: string; en: string } }> = {
  internet_users_pct: {
    name: '互联网用户占人口比例',
    unit: '%',
    source: { zh: '国际电信联盟（ITU），经世界银行《世界发展指标》', en: 'ITU, via World Bank, World Development Indicators' },
    range: [0, 100],
    note: {
      zh: '中国2023年数值（90.6%）较2022年（75.6%）跳升，源于ITU对该序列的修订。',
      en: 'China’s jump from 75.6% (2022) to 90.6% (2023) reflects a revision of the ITU series.',
    },
  },
  fixed_broadband_per_100: {
    name: '每百人固定宽带订阅数',
    unit: '户/百人',
    unitEn: 'per 100 people',
    source: { zh: '国际电信联盟（ITU），经世界银行《世界发展指标》', en: 'ITU, via World Bank, World Development Indicators' },
    range: [0, 100],
  },
  mobile_subscriptions_per_100: {
    name: '每百人移动电话订阅数',
    unit: '户/百人',
    unitEn: 'per 100 people',
    source: { zh: '国际电信联盟（ITU），经世界银行《世界发展指标》', en: 'ITU, via World Bank, World Development Indicators' },
    range: [0, 400],
  },
  fixed_telephone_per_100: {
    name: '每百人固定电话订阅数',
    unit: '户/百人',
    unitEn: 'per 100 people',
    source: { zh: '国际电信联盟（ITU），经世界银行《世界发展指标》', en: 'ITU, via World Bank, World Development Indicators' },
    range: [0, 200],
  },
  secure_internet_servers_per_million: {
    name: '每百万人安全互联网服务器数',
    unit: '台/百万人',
    unitEn: 'per million people',
    source: { zh: 'Netcraft，经世界银行《世界发展指标》', en: 'Netcraft, via World Bank, World Development Indicators' },
  },
  ict_service_exports_pct_service_exports: {
    name: 'ICT服务出口占服务出口比重',
    unit: '%',
    source: { zh: '国际货币基金组织国际收支统计，经世界银行《世界发展指标》', en: 'IMF Balance of Payments, via World Bank, World Development Indicators' },
    range: [0, 100],
  },
  high_tech_exports_pct_manuf_exports: {
    name: '高技术产品出口占制成品出口比重',
    unit: '%',
    source: { zh: '联合国商品贸易统计数据库，经世界银行《世界发展指标》', en: 'UN Comtrade, via World Bank, World Development Indicators' },
    range: [0, 100],
  },
  patent_applications_total: {
    name: '专利申请总量',
    unit: '件',
    unitEn: 'applications',
    source: { zh: '世界知识产权组织（WIPO），经Gapminder', en: 'WIPO, via Gapminder' },
  },
  rd_expenditure_pct_gdp: {
    name: '研发支出占GDP比重',
    unit: '%',
    source: { zh: '联合国教科文组织统计研究所，经世界银行《世界发展指标》', en: 'UNESCO Institute for Statistics, via World Bank, World Development Indicators' },
    range: [0, 10],
  },
  gov_effectiveness_estimate: {
    name: '政府效能（全球治理指标）',
    unit: '估计值（−2.5～2.5）',
    unitEn: 'estimate (−2.5 to 2.5)',
    source: { zh: '世界银行《全球治理指标》', en: 'World Bank, Worldwide Governance Indicators' },
    range: [-2.5, 2.5],
  },
  gdp_per_capita_ppp_current_intl_usd: {
    name: '人均GDP（购买力平价）',
    unit: '现价国际元',
    unitEn: 'current international $',
    source: { zh: '世界银行国际比较项目，经世界银行《世界发展指标》', en: 'World Bank ICP, via World Bank, World Development Indicators' },
  },
};

function main(argv: string[]): void {
  const args = [...argv];
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const printEntities = flag('--print-entities');
  const edition = flag('--edition') ?? '2026';
  const dataDir = resolve(args[0] ?? join(ROOT, '..', 'shared', 'data'));
  const countries = new Map(readCsv(join(dataDir, 'countries.csv')).map((r) => [r.iso3!, r]));

  if (printEntities) {
    for (const iso3 of printEntities.split(',')) {
      const c = countries.get(iso3);
      if (!c) throw new Error(`unknown ISO3 code ${iso3}`);
      const zh = NAME_FIXES[iso3]?.zh ?? c.name_zh!;
      const en = NAME_FIXES[iso3]?.en ?? c.name_en!;
      const short = SHORT_NAMES[iso3];
      const shortYaml = short ? `, short: {${Object.entries(short).map(([k, v]) => `${k}: ${v}`).join(', ')}}` : '';
      console.log(`  - {id: ${iso3}, name: {zh: ${zh}, en: ${JSON.stringify(en)}}${shortYaml}, group: ${c.region_6}, codes: {iso2: ${c.iso2}, numeric: '${c.iso_numeric}'}}`);
    }
    return;
  }

  const frameworkDir = join(ROOT, 'indicators', 'widi', edition);
  const framework = parse(readFileSync(join(frameworkDir, 'framework.yaml'), 'utf8')) as { entities: Array<{ id: string }> };
  const entities = framework.entities.map((e) => e.id);
  const missing = entities.filter((e) => !countries.has(e));
  if (missing.length) throw new Error(`framework entities not in countries.csv: ${missing.join(', ')}`);

  const catalog = readCsv(join(dataDir, 'world_indicator_catalog.csv'));
  const rows = readCsv(join(dataDir, 'world_ict_indicators_wide.csv'));
  for (const entry of catalog) {
    const id = entry.column!;
    const zh = SERIES_ZH[id];
    if (!zh) throw new Error(`no Chinese metadata for catalog series ${id}`);
    const values = new Map<string, Map<number, string>>();
    for (const entity of entities) values.set(entity, new Map());
    for (const row of rows) {
      const year = Number(row.year);
      if (!values.has(row.iso3!) || year < FIRST_YEAR || year > LAST_YEAR) continue;
      const v = row[id]!;
      if (v !== '') values.get(row.iso3!)!.set(year, String(Number(v)));
    }
    const code = entry.wdi_or_source_code!;
    const isWdiCode = /^[A-Z]{2}(\.[A-Z0-9]+)+$/.test(code);
    const series: SeriesOut = {
      id,
      name: { zh: zh.name, en: entry.name! },
      unit: { zh: zh.unit, en: zh.unitEn ?? entry.unit! },
      source: zh.source,
      licence: 'CC BY 4.0',
      code,
      ...(isWdiCode ? { url: `https://data.worldbank.org/indicator/${code}` } : {}),
      ...(zh.note ? { note: zh.note } : {}),
      ...(zh.range ? { range: zh.range } : {}),
      values,
    };
    const header = [
      `${entry.name} (${entry.unit}). Upstream: ${entry.upstream_source}; licence ${entry.license}.`,
      `Generated by scripts/import-world-data.ts from world_ict_indicators_wide.csv (shared data); do not edit by hand.`,
      `Entities: those of indicators/widi/${edition}/framework.yaml; years ${FIRST_YEAR}–${LAST_YEAR}; a missing year is left out.`,
    ];
    const path = join(frameworkDir, 'data', `${id}.yaml`);
    writeText(path, seriesYaml(header, [series]));
    const filled = [...values.values()].filter((m) => m.has(LAST_YEAR)).length;
    console.log(`${path.slice(ROOT.length + 1)}: ${entities.length} entities, ${filled} with ${LAST_YEAR}`);
  }
  if (!existsSync(join(frameworkDir, 'data'))) throw new Error('nothing written');
}

main(process.argv.slice(2));
