/**
 * `annals indicators <framework> [--year <edition>]`: checks and computes a framework, prints its ranking
 * in the terminal and writes the scores for the data appendix and for reviewers:
 *
 *   out/indicators/<framework>-<edition>.csv    the ranking (UTF-8 with BOM, so spreadsheet programs read Chinese)
 *   out/indicators/<framework>-<edition>.xlsx   sheets: ranking, every node's score, raw values used, sources
 *
 * Same input, same bytes: the workbook's created/modified dates and the dates inside its zip are fixed
 * (SOURCE_DATE_EPOCH when set, otherwise 1 January of the edition year, UTC).
 *
 * This module prints nothing and sets no exit code: it returns what happened (`IndicatorsOutcome`), and
 * cli.ts prints it. Its words come from the locale files (templates/locales/*.yaml, keys `cli…`).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import { collect, hasErrors, type Diagnostic } from '../report/diagnostics.ts';
import { COMPOSITE, indicators, seriesOf, textIn, walkTree, type IndexResult } from '../indicators/model.ts';
import { entityName, rankingRows, signed } from '../indicators/present.ts';
import { createIndicatorStore } from '../indicators/store.ts';
import { auditOf, type Audit } from '../indicators/audit.ts';
import type { Dataset } from '../indicators/model.ts';
import { createLocale, type Locale } from '../locale/locale.ts';
import { environmentEpoch } from '../release/source-date-epoch.ts';

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
  /** Folder holding locales/ (the words of tables and sheets). Default: <root>/templates. */
  templates?: string;
  /** Language of names and headers: zh or en. Default zh. */
  lang?: string;
  /**
   * Also the audit (coverage, coherence, uncertainty), written to
   * out/indicators/<framework>-<edition>-audit.json and .xlsx. Default false.
   */
  audit?: boolean;
  /** Fixed time for the files (seconds since 1970). Default: SOURCE_DATE_EPOCH, else 1 January of the edition. */
  sourceDateEpoch?: number;
}

/** What `runIndicators` did; cli.ts prints it (exit 2, 1 and 0 in this order). */
export type IndicatorsOutcome =
  /** No framework.yaml for the framework (and year) asked for: nothing done. */
  | { status: 'unknown-framework'; which: string }
  /** Errors in the framework or its data: nothing written. */
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | {
      status: 'written';
      /** Warnings about the framework or its data (information left out). */
      diagnostics: Diagnostic[];
      /** The heading, the ranking as a text table and the coverage line. */
      ranking: string;
      /** The CSV and the workbook, relative to the root. */
      files: [string, string];
      /** With `audit`: the audit as text, and its JSON and workbook. */
      audit?: { text: string; files: [string, string] };
    };

export async function runIndicators(options: IndicatorsOptions): Promise<IndicatorsOutcome> {
  const root = resolve(options.root ?? process.cwd());
  const out = resolve(options.out ?? join(root, 'out'));
  const lang = options.lang ?? 'zh';
  const store = createIndicatorStore(resolve(options.indicators ?? join(root, 'indicators')));
  const entry = store.get(options.framework, options.year);
  if (!entry) return { status: 'unknown-framework', which: options.year != null ? `${options.framework}/${options.year}` : options.framework };
  const diagnostics = collect(store.files(), root).filter((d) => d.severity !== 'info');
  if (hasErrors(diagnostics) || !entry.result) return { status: 'invalid', diagnostics };
  const result = entry.result;
  const { framework } = result;
  const words: Words = { lang, locale: createLocale(lang === 'zh' ? 'zh-CN' : 'en', resolve(options.templates ?? join(root, 'templates'))) };
  const table = rankingTable(result, words);
  const heading = words.locale.t('cliRankingHeading', { title: textIn(framework.title, lang), edition: framework.edition, year: result.current.year });
  const ranking = [heading, terminalTable(table.header, table.rows), coverageLine(result, words)].join('\n');

  const epoch = options.sourceDateEpoch ?? environmentEpoch() ?? Date.UTC(framework.edition, 0, 1) / 1000;
  const date = new Date(epoch * 1000);
  const base = join(out, 'indicators', `${framework.id}-${framework.edition}`);
  await mkdir(join(out, 'indicators'), { recursive: true });
  await writeAtomically(`${base}.csv`, '\uFEFF' + toCsv([table.header, ...table.rows]));
  await writeAtomically(`${base}.xlsx`, await workbook(result, entry.loaded.dataset, words, date));
  const written = { status: 'written' as const, diagnostics, ranking, files: [`${rel(root, base)}.csv`, `${rel(root, base)}.xlsx`] as [string, string] };
  if (!options.audit) return written;
  const audit = auditOf(result, entry.coherence()!, entry.uncertainty());
  await writeAtomically(`${base}-audit.json`, JSON.stringify(audit, null, 2) + '\n');
  await writeAtomically(`${base}-audit.xlsx`, await auditWorkbook(audit, result, words, date));
  return { ...written, audit: { text: auditText(audit, result, words), files: [`${rel(root, base)}-audit.json`, `${rel(root, base)}-audit.xlsx`] } };
}

/** The language of names (`lang`, for the framework's texts) and the locale whose words the tables use. */
interface Words {
  lang: string;
  locale: Locale;
}

/** One line on how the year's values were obtained, printed with every ranking. */
function coverageLine(result: IndexResult, { locale }: Words): string {
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
  const list = (ids: readonly string[]) => ids.join(locale.t('listSeparator'));
  return (
    locale.t('cliCoverage', { year: result.current.year, all, ...t }) +
    (empty.length ? locale.t('cliCoverageEmpty', { ids: list(empty) }) : '') +
    (notRanked.length ? locale.t('cliCoverageNotRanked', { ids: list(notRanked) }) : '') +
    locale.t('cliCoverageSeeAudit')
  );
}

// ── The audit ───────────────────────────────────────────────────────────────────────────────────────

interface AuditSheet {
  /** Which table it is (the terminal shows some of them). */
  id: string;
  name: string;
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/** A number rounded to `d` decimals for a sheet; null when it is not finite. */
const num = (x: number | undefined, d = 3) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** The audit as tables, shared by the terminal and the workbook. */
function auditTables(audit: Audit, result: IndexResult, words: Words): AuditSheet[] {
  const w = (...keys: string[]) => keys.map((k) => words.locale.t(k));
  const { lang } = words;
  const { framework } = result;
  const leafName = new Map(indicators(framework).map((l) => [l.id, textIn(l.name, lang)]));
  const name = new Map(framework.entities.map((e) => [e.id, entityName(e, lang)]));
  const sheets: AuditSheet[] = [
    {
      id: 'indicator-coverage',
      name: w('cliSheetIndicatorCoverage')[0]!,
      header: w('cliIndicator', 'cliName', 'cliObserved', 'cliCarried', 'cliImputed', 'cliMissing', 'cliCoverageShare'),
      rows: Object.entries(audit.coverage.indicators).map(([id, c]) => [id, leafName.get(id) ?? id, c.observed, c.carried, c.imputed, c.missing, num(c.share)]),
    },
    {
      id: 'entity-coverage',
      name: w('cliSheetEntityCoverage')[0]!,
      header: w('cliCode', 'cliName', 'cliRanked', 'cliObserved', 'cliCarried', 'cliImputed', 'cliCoverageShare', 'cliCarriedFrom', 'cliImputedBy'),
      rows: audit.coverage.entities.map((e) => [
        e.entity,
        name.get(e.entity) ?? e.entity,
        w(e.ranked ? 'cliYes' : 'cliNo')[0]!,
        e.observed,
        e.carried,
        e.imputed,
        num(e.share),
        Object.entries(e.carriedFrom).map(([l, y]) => `${l} ${y}`).join('; '),
        Object.entries(e.imputedBy).map(([l, m]) => `${l} ${m}`).join('; '),
      ]),
    },
    ...coherenceSheets(audit.coherence, result, words),
  ];
  const u = audit.uncertainty;
  if (u) {
    sheets.push({
      id: 'rank-intervals',
      name: w('cliSheetRankIntervals')[0]!,
      header: w('cliCode', 'cliName', 'cliRank', 'cliMedianRank', 'cliLowest', 'cliHighest', 'cliShareFirst'),
      rows: Object.entries(u.entities)
        .sort((a, b) => a[1].nominal - b[1].nominal)
        .map(([e, x]) => [e, name.get(e) ?? e, x.nominal, x.median, x.lo, x.hi, num(x.first)]),
    });
    sheets.push({
      id: 'sensitivity',
      name: w('cliSheetSensitivity')[0]!,
      header: w('cliAssumption', 'cliMeanShift', 'cliMaxShift'),
      rows: u.sensitivity.map((s) => [s.assumption, num(s.meanShift), s.maxShift]),
    });
  }
  return sheets;
}

/** The coherence part of the audit: dimensions, effective weights, correlations, skew and kurtosis. */
function coherenceSheets(c: Audit['coherence'], result: IndexResult, words: Words): AuditSheet[] {
  const w = (...keys: string[]) => keys.map((k) => words.locale.t(k));
  const { framework } = result;
  const nodeName = new Map(walkTree(framework).map((t) => [t.node.id, textIn(t.node.name, words.lang)]));
  const nodeLabel = (id: string) => (id === COMPOSITE ? textIn(framework.title, words.lang) : (nodeName.get(id) ?? id));
  return [
    {
      id: 'dimensions',
      name: w('cliSheetDimensions')[0]!,
      header: w('cliNode', 'cliName', 'cliChildren', 'cliAlpha', 'cliEigenvalues', 'cliFirstComponent', 'cliNegativePairs'),
      rows: c.dimensions.map((d) => [d.id, nodeLabel(d.id), d.children.length, num(d.alpha), d.eigenvalues.map((x) => num(x)).join(' '), num(d.explained[0]), d.negative.map(([a, b, r]) => `${a}~${b} ${num(r)}`).join('; ')]),
    },
    {
      id: 'weights',
      name: w('cliSheetWeights')[0]!,
      header: w('cliNode', 'cliParent', 'cliNominalWeight', 'cliR2', 'cliEffectiveWeight'),
      rows: c.weights.map((x) => [x.id, x.parent, num(x.nominal), num(x.r2), num(x.effective)]),
    },
    {
      id: 'correlations',
      name: w('cliSheetCorrelations')[0]!,
      header: ['', ...c.indicators],
      rows: c.indicators.map((id, i) => [id, ...c.correlations[i]!.map((x) => num(x))]),
    },
    {
      id: 'skew',
      name: w('cliSheetSkew')[0]!,
      header: w('cliIndicator', 'cliRawSkew', 'cliRawKurtosis', 'cliRawFlagged', 'cliSkew', 'cliKurtosis', 'cliFlagged'),
      rows: c.screening.map((s) => [s.indicator, num(s.raw.skew), num(s.raw.kurtosis), s.raw.flagged ? 1 : 0, num(s.transformed.skew), num(s.transformed.kurtosis), s.transformed.flagged ? 1 : 0]),
    },
  ];
}

/** The tables of the audit the terminal shows (the workbook has all of them). */
const SHOWN = new Set(['indicator-coverage', 'dimensions', 'weights', 'skew', 'rank-intervals', 'sensitivity']);

function auditText(audit: Audit, result: IndexResult, words: Words): string {
  const t = audit.coverage.totals;
  const all = t.observed + t.carried + t.imputed + t.missing;
  const pct = (x: number) => `${Math.round((1000 * x) / (all || 1)) / 10}%`;
  const lines = [words.locale.t('cliAuditCoverage', { year: audit.year, ...t, all, observedShare: pct(t.observed), carriedShare: pct(t.carried), imputedShare: pct(t.imputed) })];
  for (const sheet of auditTables(audit, result, words)) {
    if (!SHOWN.has(sheet.id)) continue;
    lines.push('', sheet.name, terminalTable(sheet.header, sheet.rows.map((r) => r.map((c) => (c == null ? '' : String(c))))));
  }
  return lines.join('\n');
}

async function auditWorkbook(audit: Audit, result: IndexResult, words: Words, date: Date): Promise<Buffer> {
  const wb = await newWorkbook(words.locale.t('cliAuditTitle', { title: textIn(result.framework.title, words.lang), edition: result.framework.edition }), date);
  for (const sheet of auditTables(audit, result, words)) {
    const ws = wb.addWorksheet(sheet.name);
    ws.addRow(sheet.header).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return repack(Buffer.from(await wb.xlsx.writeBuffer()), date);
}

/** An empty workbook with the fixed date and the title (ExcelJS is loaded only to write one). */
async function newWorkbook(title: string, date: Date) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Annals';
  wb.lastModifiedBy = 'Annals';
  wb.created = date;
  wb.modified = date;
  wb.title = title;
  return wb;
}

// ── The ranking as rows of text ─────────────────────────────────────────────────────────────────────

interface TextTable {
  header: string[];
  rows: string[][];
}

function rankingTable(result: IndexResult, words: Words): TextTable {
  const { framework } = result;
  const { lang, locale } = words;
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(framework.decimals) : '');
  const header = [
    ...['cliRank', 'cliCode', 'cliName', 'cliScore'].map((k) => locale.t(k)),
    ...(framework.tiers ? [locale.t('cliTier')] : []),
    ...(result.previous ? [locale.t('cliScoreChange'), locale.t('cliRankChange')] : []),
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

async function workbook(result: IndexResult, data: Dataset, words: Words, date: Date): Promise<Buffer> {
  const { framework, current } = result;
  const { lang, locale } = words;
  const w = (...keys: string[]) => keys.map((k) => locale.t(k));
  const wb = await newWorkbook(`${textIn(framework.title, lang)} ${framework.edition}`, date);
  const ranking = rankingTable(result, words);
  const sheet1 = wb.addWorksheet(locale.t('cliSheetRanking'));
  sheet1.addRow(ranking.header).font = { bold: true };
  for (const row of ranking.rows) sheet1.addRow(row.map((c, i) => (i === 0 || (i >= 3 && /^[\d.]+$/.test(c)) ? Number(c) : c)));

  const tree = walkTree(framework);
  const entities = framework.entities.filter((e) => current.entities.includes(e.id));
  const sheet2 = wb.addWorksheet(locale.t('cliSheetScores'));
  sheet2.addRow([...w('cliCode', 'cliName'), textIn(framework.title, lang), ...tree.map((t) => textIn(t.node.name, lang))]).font = { bold: true };
  for (const e of entities) {
    sheet2.addRow([e.id, entityName(e, lang), round(current.scores[COMPOSITE]![e.id]!), ...tree.map((t) => round(current.scores[t.node.id]?.[e.id]))]);
  }

  const leaves = indicators(framework);
  const sheet3 = wb.addWorksheet(locale.t('cliSheetRaw'));
  // The raw values are the series' own (before per-capita division, logarithm or cap), so the headings are
  // the series' names and units, not the indicators' (which may say "per capita" or "(log)").
  const rawHeading = (l: (typeof leaves)[number]) => {
    const s = data.get(seriesOf(l));
    if (!s) return textIn(l.name, lang);
    const unit = textIn(s.unit, lang);
    return `${textIn(s.name, lang)}${unit ? locale.t('cliUnitSuffix', { unit }) : ''}`;
  };
  sheet3.addRow([...w('cliCode', 'cliName'), ...leaves.map(rawHeading), locale.t('cliNotes')]).font = { bold: true };
  for (const e of entities) {
    const notes = leaves
      .map((l) => ({ l, o: current.origin[l.id]?.[e.id] }))
      .filter((x) => x.o)
      .map(({ l, o }) => `${l.id}: ${o!.method === 'previous-year' ? o!.year : o!.method}`);
    sheet3.addRow([e.id, entityName(e, lang), ...leaves.map((l) => current.raw[l.id]?.[e.id] ?? null), notes.join('; ')]);
  }

  const sheet4 = wb.addWorksheet(locale.t('cliSheetSources'));
  sheet4.addRow([...w('cliSeries', 'cliName', 'cliUnit', 'cliSource', 'cliLicence'), 'URL', locale.t('cliIllustrative')]).font = { bold: true };
  const used = new Set(leaves.flatMap((l) => [seriesOf(l), ...(l.transform ?? []).flatMap((t) => (t.method === 'per-capita' ? [t.denominator] : []))]));
  for (const id of used) {
    const s = data.get(id);
    if (s) sheet4.addRow([id, textIn(s.name, lang), textIn(s.unit, lang), textIn(s.source, lang), s.licence, s.url ?? '', s.illustrative ? locale.t('cliYes') : '']);
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
