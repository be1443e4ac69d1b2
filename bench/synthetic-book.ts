/**
 * A synthetic report for benchmarks: about `pages` pages on a 16k page, chapters of ~20 pages with
 * sections, subsections, a table, cross-references and index marks (so it has an index, like the sample
 * books). The text is made from a small pool of sentences.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectAt, type Project } from '../pipeline/config/load-book.ts';
import { repoRoot } from '../tests/helpers.ts';

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

/** A report of about `pages` pages on a 16k page. */
export function syntheticProject(pages: number): Project {
  const root = mkdtempSync(join(tmpdir(), `annals-bench-${pages}-`));
  const project: Project = { ...projectAt(repoRoot, join(root, 'out')), root, manuscripts: join(root, 'manuscripts') };
  // Chapters of about 20 pages (4 sections of 3 subsections of 8 paragraphs, a table), like the sample
  // reports; chapter files are NN-slug.md, so at most 99 chapters.
  const chapters = Math.max(1, Math.min(99, Math.round(pages / 20.5)));
  const sections = 4;
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
    for (let s = 0; s < sections; s++) {
      body.push(`## 第${c + 1}部分的第${s + 1}节`);
      for (let u = 0; u < 3; u++) {
        body.push(`### 小节${s + 1}.${u + 1}`);
        for (let p = 0; p < 8; p++) {
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
