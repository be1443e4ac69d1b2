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

  const epoch = options.sourceDateEpoch ?? (process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) : Date.UTC(framework.edition, 0, 1) / 1000);
  const base = join(out, 'indicators', `${framework.id}-${framework.edition}`);
  await mkdir(join(out, 'indicators'), { recursive: true });
  await writeAtomically(`${base}.csv`, '\uFEFF' + toCsv([table.header, ...table.rows]));
  await writeAtomically(`${base}.xlsx`, await workbook(result, entry.loaded.dataset, lang, new Date(epoch * 1000)));
  print(`wrote ${rel(root, base)}.csv and ${rel(root, base)}.xlsx\n`);
  return 0;
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
  sheet3.addRow([zh ? '代码' : 'Code', zh ? '名称' : 'Name', ...leaves.map((l) => textIn(l.name, lang)), zh ? '说明' : 'Notes']).font = { bold: true };
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

  // ExcelJS stamps every zip entry with the current time; repack with the fixed date.
  const packed = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
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
