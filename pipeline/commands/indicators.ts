/**
 * `annals indicators <framework> [--year <edition>]`: checks and computes a framework, prints its ranking
 * in the terminal and writes the scores for the data appendix and for reviewers:
 *
 *   out/indicators/<framework>-<edition>.csv    the ranking (UTF-8 with BOM, so spreadsheet programs read Chinese)
 *   out/indicators/<framework>-<edition>.xlsx   sheets: ranking, every node's score, raw values used, sources
 *
 * Same input, same bytes: the workbook's created/modified dates and the dates inside its zip are fixed
 * (SOURCE_DATE_EPOCH when set, otherwise 1 January of the edition year, UTC).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import { collect, hasErrors } from '../report/diagnostics.ts';
import { formatJson, formatSummary, formatText } from '../report/format.ts';
import { COMPOSITE, indicators, seriesOf, textIn, walkTree, type IndexResult } from '../indicators/model.ts';
import { entityName, rankingRows, signed } from '../indicators/present.ts';
import { createIndicatorStore } from '../indicators/store.ts';
import { auditOf, type Audit } from '../indicators/audit.ts';
import type { Dataset } from '../indicators/model.ts';

export interface IndicatorsOptions {
  /** Framework id (a folder under indicators/). */
  framework: string;
  /** Edition year (a folder under indicators/<framework>/). Default: the latest. */
  year?: number;
  /** Project folder holding indicators/. Default: the current folder. */
  root?: string;
  /** Output folder. Default: <root>/out. */
  out?: string;
  /** Folder of frameworks. Default: <root>/indicators. */
  indicators?: string;
  /** Language of names and headers: zh or en. Default zh. */
  lang?: string;
  /** Print diagnostics as JSON instead of text. Default false. */
  json?: boolean;
  /**
   * Also print the audit (coverage, coherence, uncertainty) and write it to
   * out/indicators/<framework>-<edition>-audit.json and .xlsx. Default false.
   */
  audit?: boolean;
  /** Where the table and diagnostics go. Default: process.stdout / process.stderr. */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Fixed time for the files (seconds since 1970). Default: SOURCE_DATE_EPOCH, else 1 January of the edition. */
  sourceDateEpoch?: number;
}

/** Exit code: 0 written, 1 errors in the framework or data (nothing written), 2 no such framework. */
export async function runIndicators(options: IndicatorsOptions): Promise<number> {
  const root = resolve(options.root ?? process.cwd());
  const out = resolve(options.out ?? join(root, 'out'));
  const lang = options.lang ?? 'zh';
  const print = options.stdout ?? ((t: string) => process.stdout.write(t));
  const printErr = options.stderr ?? ((t: string) => process.stderr.write(t));

  const store = createIndicatorStore(resolve(options.indicators ?? join(root, 'indicators')));
  const entry = store.get(options.framework, options.year);
  if (!entry) {
    const which = options.year != null ? `${options.framework}/${options.year}` : options.framework;
    printErr(`error: no framework indicators/${which}/framework.yaml [indicator-unknown-framework]\n`);
    return 2;
  }
  const diagnostics = collect(store.files(), root).filter((d) => d.severity !== 'info');
  if (diagnostics.length) printErr((options.json ? formatJson(diagnostics) : formatText(diagnostics, { cwd: root })) + '\n');
  if (hasErrors(diagnostics) || !entry.result) {
    printErr(`${formatSummary(diagnostics)}: nothing written\n`);
    return 1;
  }
  const result = entry.result;
  const { framework } = result;
  const table = rankingTable(result, lang);
  print(`${textIn(framework.title, lang)} ${framework.edition} (${lang === 'zh' ? '数据年份' : 'data year'} ${result.current.year})\n`);
  print(terminalTable(table.header, table.rows) + '\n');
  print(coverageLine(result, lang) + '\n');

  const epoch = options.sourceDateEpoch ?? (process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) : Date.UTC(framework.edition, 0, 1) / 1000);
  const base = join(out, 'indicators', `${framework.id}-${framework.edition}`);
  await mkdir(join(out, 'indicators'), { recursive: true });
  await writeAtomically(`${base}.csv`, '\uFEFF' + toCsv([table.header, ...table.rows]));
  await writeAtomically(`${base}.xlsx`, await workbook(result, entry.loaded.dataset, lang, new Date(epoch * 1000)));
  print(`wrote ${rel(root, base)}.csv and ${rel(root, base)}.xlsx\n`);
  if (options.audit) {
    const audit = auditOf(result, entry.coherence()!, entry.uncertainty());
    print('\n' + auditText(audit, result, lang) + '\n');
    await writeAtomically(`${base}-audit.json`, JSON.stringify(audit, null, 2) + '\n');
    await writeAtomically(`${base}-audit.xlsx`, await auditWorkbook(audit, result, lang, new Date(epoch * 1000)));
    print(`wrote ${rel(root, base)}-audit.json and ${rel(root, base)}-audit.xlsx\n`);
  }
  return 0;
}

/** One line on how the year's values were obtained, printed with every ranking. */
function coverageLine(result: IndexResult, lang: string): string {
  const t = { observed: 0, carried: 0, imputed: 0 };
  for (const e of result.current.entities) {
    const c = result.current.coverage[e]!;
    t.observed += c.observed;
    t.carried += c.carried;
    t.imputed += c.imputed;
  }
  const all = t.observed + t.carried + t.imputed;
  const empty = Object.entries(result.current.indicatorCoverage).filter(([, c]) => c.observed === 0).map(([id]) => id);
  const notRanked = result.current.dropped;
  const zh = lang === 'zh';
  return (
    (zh
      ? `${result.current.year}年的${all}项指标值中，本年观测${t.observed}项，沿用此前年份${t.carried}项，以中位数插补${t.imputed}项`
      : `Of ${all} indicator values for ${result.current.year}: ${t.observed} observed, ${t.carried} carried forward, ${t.imputed} imputed by a median`) +
    (empty.length ? (zh ? `；无本年观测值：${empty.join('、')}` : `; no observation of the year: ${empty.join(', ')}`) : '') +
    (notRanked.length ? (zh ? `；未排名：${notRanked.join('、')}` : `; not ranked: ${notRanked.join(', ')}`) : '') +
    (zh ? '（详见 --audit）' : ' (see --audit)')
  );
}

// ── The audit ───────────────────────────────────────────────────────────────────────────────────────

interface AuditSheet {
  name: string;
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/** The audit as tables, shared by the terminal and the workbook. */
function auditTables(audit: Audit, result: IndexResult, lang: string): AuditSheet[] {
  const zh = lang === 'zh';
  const { framework } = result;
  const leafName = new Map(indicators(framework).map((l) => [l.id, textIn(l.name, lang)]));
  const nodeLabel = (id: string) => (id === COMPOSITE ? textIn(framework.title, lang) : (walkTree(framework).find((t) => t.node.id === id) ? textIn(walkTree(framework).find((t) => t.node.id === id)!.node.name, lang) : id));
  const name = new Map(framework.entities.map((e) => [e.id, entityName(e, lang)]));
  const num = (x: number | undefined, d = 3) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
  const sheets: AuditSheet[] = [];
  sheets.push({
    name: zh ? '指标覆盖' : 'Indicator coverage',
    header: zh ? ['指标', '名称', '本年观测', '沿用', '插补', '缺失', '覆盖率'] : ['Indicator', 'Name', 'Observed', 'Carried', 'Imputed', 'Missing', 'Coverage'],
    rows: Object.entries(audit.coverage.indicators).map(([id, c]) => [id, leafName.get(id) ?? id, c.observed, c.carried, c.imputed, c.missing, num(c.share)]),
  });
  sheets.push({
    name: zh ? '对象覆盖' : 'Entity coverage',
    header: zh ? ['代码', '名称', '排名', '本年观测', '沿用', '插补', '覆盖率', '沿用年份', '插补方法'] : ['Code', 'Name', 'Ranked', 'Observed', 'Carried', 'Imputed', 'Coverage', 'Carried from', 'Imputed by'],
    rows: audit.coverage.entities.map((e) => [
      e.entity,
      name.get(e.entity) ?? e.entity,
      e.ranked ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
      e.observed,
      e.carried,
      e.imputed,
      num(e.share),
      Object.entries(e.carriedFrom).map(([l, y]) => `${l} ${y}`).join('; '),
      Object.entries(e.imputedBy).map(([l, m]) => `${l} ${m}`).join('; '),
    ]),
  });
  const c = audit.coherence;
  sheets.push({
    name: zh ? '维度一致性' : 'Dimensions',
    header: zh ? ['节点', '名称', '子项数', 'α系数', '特征值', '第一主成分解释方差', '负相关'] : ['Node', 'Name', 'Children', 'Alpha', 'Eigenvalues', 'First component', 'Negative pairs'],
    rows: c.dimensions.map((d) => [
      d.id,
      nodeLabel(d.id),
      d.children.length,
      num(d.alpha),
      d.eigenvalues.map((x) => num(x)).join(' '),
      num(d.explained[0]),
      d.negative.map(([a, b, r]) => `${a}~${b} ${num(r)}`).join('; '),
    ]),
  });
  sheets.push({
    name: zh ? '有效权重' : 'Weights',
    header: zh ? ['节点', '上级', '名义权重', '与综合得分相关系数平方', '有效权重'] : ['Node', 'Parent', 'Nominal weight', 'r² with composite', 'Effective weight'],
    rows: c.weights.map((w) => [w.id, w.parent, num(w.nominal), num(w.r2), num(w.effective)]),
  });
  sheets.push({
    name: zh ? '相关系数' : 'Correlations',
    header: ['', ...c.indicators],
    rows: c.indicators.map((id, i) => [id, ...c.correlations[i]!.map((x) => num(x))]),
  });
  sheets.push({
    name: zh ? '偏度峰度' : 'Skew and kurtosis',
    header: zh ? ['指标', '原值偏度', '原值峰度', '原值超限', '处理后偏度', '处理后峰度', '处理后超限'] : ['Indicator', 'Raw skew', 'Raw kurtosis', 'Raw flagged', 'Skew', 'Kurtosis', 'Flagged'],
    rows: c.screening.map((s) => [s.indicator, num(s.raw.skew), num(s.raw.kurtosis), s.raw.flagged ? 1 : 0, num(s.transformed.skew), num(s.transformed.kurtosis), s.transformed.flagged ? 1 : 0]),
  });
  const u = audit.uncertainty;
  if (u) {
    sheets.push({
      name: zh ? '排名区间' : 'Rank intervals',
      header: zh ? ['代码', '名称', '排名', '排名中位数', '区间下限', '区间上限', '排名第一的比例'] : ['Code', 'Name', 'Rank', 'Median rank', 'Lowest', 'Highest', 'Share first'],
      rows: Object.entries(u.entities)
        .sort((a, b) => a[1].nominal - b[1].nominal)
        .map(([e, x]) => [e, name.get(e) ?? e, x.nominal, x.median, x.lo, x.hi, num(x.first)]),
    });
    sheets.push({
      name: zh ? '敏感性' : 'Sensitivity',
      header: zh ? ['假设', '平均位次变动', '最大位次变动'] : ['Assumption', 'Mean rank shift', 'Largest rank shift'],
      rows: u.sensitivity.map((s) => [s.assumption, num(s.meanShift), s.maxShift]),
    });
  }
  return sheets;
}

function auditText(audit: Audit, result: IndexResult, lang: string): string {
  const zh = lang === 'zh';
  const t = audit.coverage.totals;
  const all = t.observed + t.carried + t.imputed + t.missing;
  const pct = (x: number) => `${Math.round((1000 * x) / (all || 1)) / 10}%`;
  const lines = [
    zh
      ? `数据覆盖（${audit.year}年，已排名对象）：本年观测 ${t.observed}（${pct(t.observed)}），沿用 ${t.carried}（${pct(t.carried)}），插补 ${t.imputed}（${pct(t.imputed)}），共 ${all}`
      : `Coverage (${audit.year}, ranked entities): observed ${t.observed} (${pct(t.observed)}), carried forward ${t.carried} (${pct(t.carried)}), imputed ${t.imputed} (${pct(t.imputed)}), of ${all}`,
  ];
  const shown = zh ? ['指标覆盖', '维度一致性', '有效权重', '偏度峰度', '排名区间', '敏感性'] : ['Indicator coverage', 'Dimensions', 'Weights', 'Skew and kurtosis', 'Rank intervals', 'Sensitivity'];
  for (const sheet of auditTables(audit, result, lang)) {
    if (!shown.includes(sheet.name)) continue;
    lines.push('', sheet.name, terminalTable(sheet.header, sheet.rows.map((r) => r.map((c) => (c == null ? '' : String(c))))));
  }
  return lines.join('\n');
}

async function auditWorkbook(audit: Audit, result: IndexResult, lang: string, date: Date): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs'); // loaded only to write a workbook
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Annals';
  wb.lastModifiedBy = 'Annals';
  wb.created = date;
  wb.modified = date;
  wb.title = `${textIn(result.framework.title, lang)} ${result.framework.edition} audit`;
  for (const sheet of auditTables(audit, result, lang)) {
    const ws = wb.addWorksheet(sheet.name);
    ws.addRow(sheet.header).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return repack(Buffer.from(await wb.xlsx.writeBuffer()), date);
}

// ── The ranking as rows of text ─────────────────────────────────────────────────────────────────────

interface TextTable {
  header: string[];
  rows: string[][];
}

function rankingTable(result: IndexResult, lang: string): TextTable {
  const { framework } = result;
  const zh = lang === 'zh';
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(framework.decimals) : '');
  const header = [
    zh ? '排名' : 'Rank',
    zh ? '代码' : 'Code',
    zh ? '名称' : 'Name',
    zh ? '综合得分' : 'Score',
    ...(framework.tiers ? [zh ? '梯队' : 'Tier'] : []),
    ...(result.previous ? [zh ? '得分变化' : 'Score change', zh ? '位次变化' : 'Rank change'] : []),
    ...framework.dimensions.map((d) => textIn(d.name, lang)),
  ];
  const rows = rankingRows(result, { lang }).map((r) => [
    String(r.rank),
    r.entity.id,
    entityName(r.entity, lang),
    fmt(r.score),
    ...(framework.tiers ? [r.tier?.name ?? ''] : []),
    ...(result.previous ? [r.change ? signed(r.change.score, fmt) : '', r.change ? (r.change.rank > 0 ? `+${r.change.rank}` : r.change.rank < 0 ? `−${-r.change.rank}` : '0') : ''] : []),
    ...framework.dimensions.map((d) => fmt(r.parts[d.id]!)),
  ]);
  return { header, rows };
}

/** Columns padded by display width (a CJK character takes two columns). */
export function terminalTable(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.every((r) => /^[+−-]?[\d.]*$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - width(c));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function toCsv(rows: string[][]): string {
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

// ── The workbook ────────────────────────────────────────────────────────────────────────────────────

async function workbook(result: IndexResult, data: Dataset, lang: string, date: Date): Promise<Buffer> {
  const { framework, current } = result;
  const zh = lang === 'zh';
  const { default: ExcelJS } = await import('exceljs'); // loaded only to write a workbook
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Annals';
  wb.lastModifiedBy = 'Annals';
  wb.created = date;
  wb.modified = date;
  wb.title = `${textIn(framework.title, lang)} ${framework.edition}`;

  const ranking = rankingTable(result, lang);
  const sheet1 = wb.addWorksheet(zh ? '排名' : 'Ranking');
  sheet1.addRow(ranking.header).font = { bold: true };
  for (const row of ranking.rows) sheet1.addRow(row.map((c, i) => (i === 0 || (i >= 3 && /^[\d.]+$/.test(c)) ? Number(c) : c)));

  const tree = walkTree(framework);
  const entities = framework.entities.filter((e) => current.entities.includes(e.id));
  const sheet2 = wb.addWorksheet(zh ? '各级得分' : 'Scores');
  sheet2.addRow([zh ? '代码' : 'Code', zh ? '名称' : 'Name', textIn(framework.title, lang), ...tree.map((t) => textIn(t.node.name, lang))]).font = { bold: true };
  for (const e of entities) {
    sheet2.addRow([e.id, entityName(e, lang), round(current.scores[COMPOSITE]![e.id]!), ...tree.map((t) => round(current.scores[t.node.id]?.[e.id]))]);
  }

  const leaves = indicators(framework);
  const sheet3 = wb.addWorksheet(zh ? '原始数据' : 'Raw values');
  // The raw values are the series' own (before per-capita division, logarithm or cap), so the headings are
  // the series' names and units, not the indicators' (which may say "per capita" or "(log)").
  const rawHeading = (l: (typeof leaves)[number]) => {
    const s = data.get(seriesOf(l));
    if (!s) return textIn(l.name, lang);
    const unit = textIn(s.unit, lang);
    return `${textIn(s.name, lang)}${unit ? (zh ? `（${unit}）` : ` (${unit})`) : ''}`;
  };
  sheet3.addRow([zh ? '代码' : 'Code', zh ? '名称' : 'Name', ...leaves.map(rawHeading), zh ? '说明' : 'Notes']).font = { bold: true };
  for (const e of entities) {
    const notes = leaves
      .map((l) => ({ l, o: current.origin[l.id]?.[e.id] }))
      .filter((x) => x.o)
      .map(({ l, o }) => `${l.id}: ${o!.method === 'previous-year' ? o!.year : o!.method}`);
    sheet3.addRow([e.id, entityName(e, lang), ...leaves.map((l) => current.raw[l.id]?.[e.id] ?? null), notes.join('; ')]);
  }

  const sheet4 = wb.addWorksheet(zh ? '数据来源' : 'Sources');
  sheet4.addRow([zh ? '序列' : 'Series', zh ? '名称' : 'Name', zh ? '单位' : 'Unit', zh ? '来源' : 'Source', zh ? '许可' : 'Licence', 'URL', zh ? '示例数据' : 'Illustrative']).font = { bold: true };
  const used = new Set(leaves.flatMap((l) => [seriesOf(l), ...(l.transform ?? []).flatMap((t) => (t.method === 'per-capita' ? [t.denominator] : []))]));
  for (const id of used) {
    const s = data.get(id);
    if (s) sheet4.addRow([id, textIn(s.name, lang), textIn(s.unit, lang), textIn(s.source, lang), s.licence, s.url ?? '', s.illustrative ? (zh ? '是' : 'yes') : '']);
  }
  for (const ws of [sheet1, sheet2, sheet3, sheet4]) ws.views = [{ state: 'frozen', ySplit: 1 }];

  return repack(Buffer.from(await wb.xlsx.writeBuffer()), date);
}

/** ExcelJS stamps every zip entry with the current time; repack with the fixed date. */
async function repack(xlsx: Buffer, date: Date): Promise<Buffer> {
  const packed = await JSZip.loadAsync(xlsx);
  const repacked = new JSZip();
  for (const [name, file] of Object.entries(packed.files)) {
    if (!file.dir) repacked.file(name, await file.async('uint8array'), { date: date, createFolders: false });
  }
  return repacked.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}

function round(x: number | undefined): number | null {
  return x == null || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6;
}

async function writeAtomically(path: string, content: string | Buffer): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, content);
  await rename(temp, path);
}

function rel(root: string, path: string): string {
  return path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
}
