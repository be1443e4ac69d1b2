/**
 * PDF figures (`npm run bench -- pdf`): for the sample books and for a synthetic 300-page and 1,000-page
 * book, the seconds of every stage of the PDF print (pipeline/pdf/print-pdf.ts), pages per second, and
 * the peak memory of this process and of Chromium (all its processes, sampled every 50 ms); then one bare
 * Chromium print of the same print.html (page.goto + page.pdf, nothing else) for comparison.
 * Figures only: nothing here asserts.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VFile } from 'vfile';
import { buildAll } from '../pipeline/build.ts';
import { loadBook, projectAt, type Project } from '../pipeline/config/load-book.ts';
import { fontSetFor } from '../pipeline/html/fonts.ts';
import { scriptOf } from '../pipeline/locale/locale.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pageCss, pageLayout } from '../pipeline/pdf/page-css.ts';
import { metadataDate } from '../pipeline/pdf/pdf-metadata.ts';
import { printEdition } from '../pipeline/pdf/print-pdf.ts';
import { repoRoot } from '../tests/helpers.ts';
import { line, mb, type BenchSection } from './run.ts';

export const pdfSections: BenchSection[] = [{ name: 'pdf', run }];

async function run(): Promise<void> {
  const session = createBrowserSession();
  try {
    // The sample books: HTML first (not timed here), then each edition's PDF.
    const samples = projectAt(repoRoot, mkdtempSync(join(tmpdir(), 'annals-bench-pdf-')));
    await buildAll({ project: samples, format: 'html' });
    for (const book of readdirSync(samples.out).filter((d) => !d.startsWith('.')).sort()) {
      for (const edition of readdirSync(join(samples.out, book)).sort()) {
        await printAndCompare(session, samples, book, edition, `${book}/${edition}`);
      }
    }
    rmSync(samples.out, { recursive: true, force: true });

    // Synthetic books.
    for (const pages of [300, 1000]) {
      const project = syntheticProject(pages);
      const t0 = performance.now();
      await buildAll({ project, format: 'html' });
      line(`synthetic ${pages}: HTML build (for reference)`, `${((performance.now() - t0) / 1000).toFixed(2)} s`);
      await printAndCompare(session, project, 'synthetic', 'zh', `synthetic ~${pages} pages`);
      rmSync(project.root, { recursive: true, force: true });
    }
  } finally {
    await session.close();
  }
}

async function printAndCompare(session: BrowserSession, project: Project, bookId: string, edition: string, label: string): Promise<void> {
  const book = loadBook(project, bookId);
  const config = book.config!;
  const ed = config.editions[edition]!;
  const dir = join(project.out, bookId, edition);
  const layout = pageLayout(config.page);
  const fonts = fontSetFor(scriptOf(ed.lang));
  await session.page(); // launch outside the timings
  const memory = sampleMemory(session);
  const file = new VFile({ path: join(dir, 'print.html') });
  const t0 = performance.now();
  const result = await printEdition({
    session,
    dir,
    output: 'bench.pdf',
    file,
    layout,
    pageCss: (parts) => pageCss({ layout, bookTitle: ed.title, parts, fonts }, 'pdf'),
    fonts,
    metadata: { title: ed.title, keywords: ed.keywords, lang: ed.lang, creator: 'Annals bench', producer: 'Annals bench', date: metadataDate(config.year) },
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = memory.stop();
  process.stdout.write(`\n${label}\n`);
  if (!result.ok) line('  (print reported problems)', file.messages.map((m) => m.reason).join('; ').slice(0, 200));
  for (const [stage, ms] of Object.entries(result.timings)) if (stage !== 'launch') line(`  ${stage}`, `${(ms / 1000).toFixed(2)} s`);
  line('  total', `${seconds.toFixed(2)} s, ${result.pages} pages, ${(result.pages / seconds).toFixed(1)} pages/s, ${mb(result.bytes)}`);
  line('  peak memory: node / Chromium (all processes)', `${mb(peak.node)} / ${mb(peak.chromium)}`);

  // One bare Chromium print of the same HTML, in a fresh tab.
  const browser = (await session.page()).browser();
  const tab = await browser.newPage();
  const bare = sampleMemory(session);
  const t1 = performance.now();
  await tab.goto(pathToFileURL(join(dir, 'print.html')).href, { waitUntil: 'load' });
  const bytes = await tab.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
  const bareSeconds = (performance.now() - t1) / 1000;
  const barePeak = bare.stop();
  await tab.close();
  const barePages = (Buffer.from(bytes).toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  line('  bare Chromium print (goto + pdf)', `${bareSeconds.toFixed(2)} s, ${barePages} pages, Chromium ${mb(barePeak.chromium)}`);
  line('  Annals PDF / bare print', `${(seconds / bareSeconds).toFixed(2)}×`);
  rmSync(join(dir, 'bench.pdf'), { force: true });
}

/** Peak RSS of this process and of the browser's process group, sampled until `stop()`. */
function sampleMemory(session: BrowserSession): { stop(): { node: number; chromium: number } } {
  let node = 0;
  let chromium = 0;
  const sample = () => {
    node = Math.max(node, process.memoryUsage().rss);
    const pid = session.pid();
    if (pid) chromium = Math.max(chromium, groupRss(pid));
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { node, chromium };
    },
  };
}

/** RSS in bytes of every process in the process group `pgid` (Linux /proc). */
function groupRss(pgid: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}

// ── A synthetic book ───────────────────────────────────────────────────────────────────────────────

const SENTENCES = [
  '网络基础设施持续升级，千兆光网和5G网络覆盖范围进一步扩大，农村和边远地区的接入条件明显改善。',
  '算力资源的统筹布局加快推进，数据中心向能源充足地区集聚，东西部之间的算力调度机制逐步建立。',
  '数据要素市场化配置改革深入推进，公共数据授权运营试点扩大，企业数据资源开始计入资产负债表。',
  '人工智能大模型在政务、金融、制造和医疗等领域加快落地，应用场景从试点示范走向规模化推广。',
  '网络安全保障体系不断完善，关键信息基础设施保护、数据安全和个人信息保护的制度要求更加明确。',
  '数字政府建设从“能办”走向“好办”，高频政务服务事项实现跨地区、跨部门、跨层级协同办理。',
  '平台经济规范健康发展，平台规则更加透明，中小商户和灵活就业人员的权益保障得到加强。',
  '国际交流合作持续深化，在数字贸易、跨境数据流动和网络空间治理等议题上的对话更加务实。',
  '集成电路、基础软件和关键元器件的攻关取得阶段性进展，但高端环节对外依存度仍然较高。',
  '数字乡村建设稳步推进，电商进村和农产品上行带动农民增收，乡村治理的数字化水平有所提高。',
  '未成年人网络保护机制逐步健全，防沉迷系统和内容分级管理在主要平台得到普遍应用。',
  '绿色低碳成为数据中心建设的硬约束，新建大型数据中心的能效水平持续提升，可再生能源使用比例提高。',
];
const TERMS = ['算力网络', '数据要素', '人工智能', '网络安全', '数字政府', '平台经济', '数字乡村', '集成电路'];

function paragraph(seed: number): string {
  let out = '';
  for (let k = 0; k < 4; k++) out += SENTENCES[(seed * 7 + k * 5) % SENTENCES.length];
  return out;
}

/** A report of about `pages` pages on a 16k page: chapters of ~11 pages with sections, a table and index marks. */
function syntheticProject(pages: number): Project {
  const root = mkdtempSync(join(tmpdir(), `annals-bench-${pages}-`));
  const project: Project = { ...projectAt(repoRoot, join(root, 'out')), root, manuscripts: join(root, 'manuscripts') };
  const chapters = Math.max(1, Math.round(pages / 11.5));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const names = Array.from({ length: chapters }, (_, i) => `${String(i + 1).padStart(2, '0')}-part-${i + 1}.md`);
  write(
    'manuscripts/synthetic/book.yaml',
    [
      'id: synthetic',
      'kind: report',
      'year: 2026',
      'page:',
      '  size: 16k',
      '  rectoChapters: true',
      'editions:',
      '  zh:',
      '    lang: zh-CN',
      `    title: 合成测试报告（约${pages}页）`,
      '    byline: 基准测试 编',
      '    chapters:',
      ...names.map((n) => `      - ${n}`),
    ].join('\n'),
  );
  names.forEach((name, c) => {
    const body: string[] = [`---\ntitle: 第${c + 1}部分的标题\nshort: 第${c + 1}部分\n---\n`];
    for (let s = 0; s < 4; s++) {
      body.push(`## 第${c + 1}部分的第${s + 1}节`);
      for (let u = 0; u < 2; u++) {
        body.push(`### 小节${s + 1}.${u + 1}`);
        for (let p = 0; p < 4; p++) {
          const text = paragraph(c * 31 + s * 7 + u * 3 + p);
          body.push(p === 0 ? `:idx[${TERMS[(c + s) % TERMS.length]}]。${text}` : text);
        }
      }
      if (s === 1) {
        const rows = Array.from({ length: 8 }, (_, r) => `| 指标${r + 1} | ${(c * 13 + r * 7) % 97} | ${((c + r) % 9) + 1}.${r} | 示例数据 |`);
        body.push(`:::table[第${c + 1}部分的主要指标]{#tab-${c + 1} source="合成数据"}\n| 指标 | 数值 | 增速 | 说明 |\n|---|---:|---:|---|\n${rows.join('\n')}\n:::`, `各项指标见:ref[tab-${c + 1}]。`);
      }
    }
    write(`manuscripts/synthetic/zh/${name}`, body.join('\n\n') + '\n');
  });
  return project;
}
