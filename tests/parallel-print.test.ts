/**
 * Parallel printing (pipeline/pdf/parallel-print.ts). A book's body printed in runs of chapters gives the
 * same PDF on one tab (the runs one after another) as on two or three tabs at once, byte for byte; and
 * that PDF has what one print of the whole body gives — the same pages, text (contents page numbers,
 * running heads, folios, index), fonts (each run embeds its own subset, so compared by name without the
 * subset prefix), page images, outline, destinations, links (their rectangles within 0.05 pt) and tags.
 * The late parts printed alone (`lateParts: 'alone'`, pass-settle-late.ts) give the same pages as when
 * they are printed with print 2 (pass-late-with-front.ts), in one print more.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { loadBook } from '../pipeline/config/load-book.ts';
import { fontSetFor } from '../pipeline/fonts/fonts.ts';
import { createLocale, scriptOf } from '../pipeline/locale/locale.ts';
import { createBrowserSession, type BrowserSession } from '../pipeline/pdf/browser.ts';
import { pageCss, pageLayout } from '../pipeline/pdf/page-css.ts';
import { splitRuns, printRuns, printTabs } from '../pipeline/pdf/parallel-print.ts';
import { metadataDate } from '../pipeline/pdf/pdf-metadata.ts';
import { printEdition, type LatePartsStrategy, type PrintResult } from '../pipeline/pdf/print-pdf.ts';
import { build, pdfSkip, tempProject, writeBook, type TempProject } from './helpers.ts';

test('runs are contiguous, about equal in size, never empty', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  // Hand-computed: total 60 (front 0), two runs → the cut after 30.
  assert.deepEqual(splitRuns({ front: 0, parts: [10, 10, 10, 10, 10, 10] }, ids, 2), [['a', 'b', 'c'], ['d', 'e', 'f']]);
  // The front matter counts towards the first run: total 80, target 40 → a alone (20 + 10 = 30 … 40 with b).
  assert.deepEqual(splitRuns({ front: 20, parts: [10, 10, 10, 10, 10, 10] }, ids, 2), [['a', 'b'], ['c', 'd', 'e', 'f']]);
  // One big part: the others go to the second run.
  assert.deepEqual(splitRuns({ front: 0, parts: [100, 1, 1, 1, 1, 1] }, ids, 2), [['a'], ['b', 'c', 'd', 'e', 'f']]);
  // More runs than parts: one part each.
  assert.deepEqual(splitRuns({ front: 0, parts: [5, 5] }, ['a', 'b'], 4), [['a'], ['b']]);
  // Three runs of 30 each.
  assert.deepEqual(splitRuns({ front: 0, parts: [10, 10, 10, 10, 10, 10, 10, 10, 10] }, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 3), [['a', 'b', 'c'], ['d', 'e', 'f'], ['g', 'h', 'i']]);
});

test('runs: 1, 2 or 4 from the size of print.html alone; tabs: as asked, or one per core (on two cores one per two runs), never more than runs', () => {
  assert.equal(printRuns(undefined, 400_000), 1);
  assert.equal(printRuns(undefined, 999_999), 1);
  assert.equal(printRuns(undefined, 1_400_000), 2);
  assert.equal(printRuns(undefined, 2_499_999), 2);
  assert.equal(printRuns(undefined, 3_000_000), 4);
  assert.equal(printRuns(undefined, 9_000_000), 4);
  assert.equal(printRuns(3, 10), 3);
  assert.equal(printRuns(0, 9_000_000), 1);
  assert.equal(printTabs(1, 4, 8), 1);
  assert.equal(printTabs(3, 4, 1), 3);
  assert.equal(printTabs(undefined, 1, 8), 1);
  assert.equal(printTabs(undefined, 4, 2), 2);
  // Two cores: a tab for every two runs (an extra tab's preparation costs more than one run's print there).
  assert.equal(printTabs(undefined, 2, 2), 1);
  assert.equal(printTabs(undefined, 2, 3), 2);
  assert.equal(printTabs(2, 2, 2), 2);
  assert.equal(printTabs(undefined, 4, 16), 4);
  assert.equal(printTabs(undefined, 2, 16), 2);
  assert.equal(printTabs(undefined, 4, 1), 1);
});

const skip = pdfSkip();

const SENTENCES = [
  '网络基础设施持续升级，千兆光网和移动网络覆盖范围进一步扩大，农村和边远地区的接入条件明显改善。',
  '算力资源的统筹布局加快推进，数据中心向能源充足地区集聚，东西部之间的算力调度机制逐步建立。',
  '数据要素市场化配置改革深入推进，公共数据授权运营试点扩大，企业数据资源开始计入资产负债表。',
  '网络安全保障体系不断完善，关键信息基础设施保护、数据安全和个人信息保护的制度要求更加明确。',
];
const TERMS = ['算力网络', '数据要素', '网络安全'];

/** Six chapters of one to two pages, with index terms, tables and references across chapters. */
function smallBook(project: TempProject): string {
  const chapters: Record<string, string> = {};
  for (let c = 1; c <= 6; c++) {
    const body = [`---\ntitle: 第${c}部分\nshort: 部分${c}\n---\n`];
    for (let s = 1; s <= 2; s++) {
      body.push(`## 第${c}部分第${s}节 {#c${c}-s${s}}`);
      for (let p = 0; p < 3 + (c % 3); p++) body.push(`${p === 0 ? `:idx[${TERMS[(c + s) % TERMS.length]}]。` : ''}${SENTENCES.map((_, k) => SENTENCES[(c + s + p + k) % SENTENCES.length]).join('')}`);
    }
    const rows = Array.from({ length: 4 }, (_, r) => `| 指标${r + 1} | ${(c * 13 + r * 7) % 97} |`);
    body.push(`:::table[第${c}部分的指标]{#tab-${c} source="合成数据"}\n| 指标 | 数值 |\n|---|---:|\n${rows.join('\n')}\n:::`);
    body.push(`本部分的指标见:ref[tab-${c}]，第一部分的见:ref[tab-1]，第六部分的见:ref[tab-6]。`);
    chapters[`0${c}-part-${c}.md`] = body.join('\n\n') + '\n';
  }
  return writeBook(project, { id: 'parallel-book', chapters, extraYaml: 'page:\n  size: 16k\n  rectoChapters: true' });
}

let session: BrowserSession;
let project: TempProject;
let dir: string;
let work: string;
const results = new Map<string, PrintResult>();

async function printWith(runs: number, tabs: number, lateParts?: LatePartsStrategy): Promise<string> {
  const bookId = 'parallel-book';
  const config = loadBook(project, bookId).config!;
  const ed = config.editions.zh!;
  const layout = pageLayout(config.page);
  const fonts = fontSetFor(scriptOf(ed.lang));
  const file = new VFile({ path: join(dir, 'print.html') });
  const key = `${runs}/${tabs}${lateParts ? `/${lateParts}` : ''}`;
  const output = `runs-${key.replaceAll('/', '-')}.pdf`;
  const result = await printEdition({
    session,
    dir,
    output,
    file,
    layout,
    pageCss: (parts, sections) => pageCss({ layout, bookTitle: ed.title, parts, sections, fonts }, 'pdf'),
    fonts,
    metadata: { title: ed.title, keywords: [], lang: ed.lang, creator: 'test', producer: 'test', date: metadataDate(config.year, undefined) },
    contentsTitle: createLocale(ed.lang, project.templates).t('contents'),
    printTabs: tabs,
    printRuns: runs,
    lateParts,
  });
  assert.ok(result.ok, file.messages.map((m) => m.reason).join('; '));
  results.set(key, result);
  return join(dir, output);
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function openPdf(path: string): Promise<any> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
}

/** Outline, destinations, links and tags of every page, with page objects replaced by page numbers. */
async function structureOf(path: string) {
  const doc = await openPdf(path);
  const pageOf = async (dest: unknown) => (Array.isArray(dest) ? await doc.getPageIndex(dest[0]) : dest);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const outline = async (items: any[] | null): Promise<unknown[]> => Promise.all((items ?? []).map(async (o) => ({ title: o.title, page: await pageOf(typeof o.dest === 'string' ? (await doc.getDestination(o.dest)) : o.dest), items: await outline(o.items) })));
  const dests: Record<string, unknown> = {};
  for (const [name, dest] of Object.entries(await doc.getDestinations())) dests[name] = [await pageOf(dest), ...(dest as unknown[]).slice(1)];
  const pages: unknown[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const links = (await page.getAnnotations()).filter((a: any) => a.subtype === 'Link').map((a: any) => ({ rect: a.rect as number[], dest: a.dest ?? null, url: a.url ?? null }));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const tags = (node: any): unknown => (node?.type === 'content' ? `mc${String(node.id).replace(/^.*_mc/, '')}` : { role: node?.role, alt: node?.alt, children: (node?.children ?? []).map(tags) });
    pages.push({ links, tags: tags(await page.getStructTree()) });
  }
  const result = { outline: await outline(await doc.getOutline()), dests, pages, labels: await doc.getPageLabels() };
  await doc.destroy();
  return result;
}

/** pdffonts rows without the subset prefix and object numbers: name, type, encoding, emb, sub, uni. */
function fontsOf(path: string): string[] {
  const rows = run('pdffonts', [path]).split('\n').slice(2).filter(Boolean);
  return [...new Set(rows.map((r) => r.replace(/^[A-Z]{6}\+/, '').replace(/\s+\d+\s+\d+\s*$/, '').replace(/\s+/g, ' ')))].sort();
}

/** Every page rendered in grey at 30 dpi. */
function imagesOf(path: string, prefix: string): Buffer[] {
  run('pdftoppm', ['-gray', '-r', '30', path, join(work, prefix)]);
  return readdirSync(work).filter((f) => f.startsWith(prefix + '-')).sort().map((f) => readFileSync(join(work, f)));
}

/**
 * Outline, destinations, links and tags equal; link rectangles within 0.05 pt (a run and one print of the
 * whole body may round a link's edge differently in the last digit).
 */
function sameStructure(actual: Awaited<ReturnType<typeof structureOf>>, expected: Awaited<ReturnType<typeof structureOf>>): void {
  const withoutRects = (s: unknown) => JSON.parse(JSON.stringify(s, (k, v) => (k === 'rect' ? undefined : v)));
  assert.deepEqual(withoutRects(actual), withoutRects(expected), 'outline, destinations, links, tags');
  const rects = (s: Awaited<ReturnType<typeof structureOf>>) => (s.pages as Array<{ links: Array<{ rect: number[] }> }>).flatMap((p, n) => p.links.map((l) => ({ n, rect: l.rect })));
  const a = rects(actual);
  const b = rects(expected);
  assert.equal(a.length, b.length);
  a.forEach((l, i) => l.rect.forEach((v, k) => assert.ok(Math.abs(v - b[i]!.rect[k]!) < 0.05, `page ${l.n + 1}, link ${i}: ${l.rect} against ${b[i]!.rect}`)));
}

/** Two greyscale images (PGM) of the same size whose pixels differ by at most `levels` grey levels. */
const nearlySame = (a: Buffer, b: Buffer, levels: number) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= levels);

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('a body printed in 3 runs gives the same bytes on 1, 2 and 3 tabs, and the PDF of one print', { skip }, async (t) => {
  project = tempProject();
  smallBook(project);
  const built = await build(project, { format: 'html' });
  assert.ok(built.ok, built.diagnostics.map((d) => d.message).join('\n'));
  dir = join(project.out, 'parallel-book', 'zh');
  work = mkdtempSync(join(tmpdir(), 'annals-parallel-'));
  session = createBrowserSession();
  t.after(async () => {
    await session.close();
    rmSync(project.root, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  const one = await printWith(1, 1);
  const sequential = await printWith(3, 1);
  const two = await printWith(3, 2);
  const three = await printWith(3, 3);
  assert.deepEqual([results.get('1/1')!.runs, results.get('1/1')!.tabs], [1, 1]);
  assert.deepEqual([results.get('3/1')!.runs, results.get('3/1')!.tabs], [3, 1]);
  assert.deepEqual([results.get('3/2')!.runs, results.get('3/2')!.tabs], [3, 2]);
  assert.deepEqual([results.get('3/3')!.runs, results.get('3/3')!.tabs], [3, 3]);

  // Byte identity: the tabs change when a run is printed, not what is printed.
  assert.equal(sha256(two), sha256(sequential), 'two tabs against the runs one after another');
  assert.equal(sha256(three), sha256(sequential), 'three tabs against the runs one after another');
  // … and the runs are really cut: their own font subsets make a file other than one print's.
  assert.notEqual(sha256(sequential), sha256(one));

  const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [one]))![1]);
  assert.ok(pages >= 14, `${pages} pages`);
  const text = run('pdftotext', ['-layout', one, '-']);
  assert.match(text, /索引/); // the late part (index) is there, with page numbers filled in
  const reference = { text, fonts: fontsOf(one), structure: await structureOf(one), images: imagesOf(one, 'one') };
  assert.ok(reference.images.length === pages);
  const path = sequential;
  assert.equal(Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [path]))![1]), pages);
  assert.equal(run('pdftotext', ['-layout', path, '-']), reference.text, 'text');
  assert.deepEqual(fontsOf(path), reference.fonts, 'fonts');
  sameStructure(await structureOf(path), reference.structure);
  const images = imagesOf(path, 'runs');
  assert.equal(images.length, pages);
  images.forEach((image, i) => assert.ok(image.equals(reference.images[i]!), `page ${i + 1} looks different`));
  assert.match(run('pdfinfo', [path]), /Tagged:\s+yes/);

  // The late parts' strategies: by default the index is printed with print 2 (two prints); on the plain
  // path (`lateParts: 'alone'`) it is printed alone, then print 2 (three prints). The pages are the same.
  const alone = await printWith(1, 1, 'alone');
  assert.deepEqual([results.get('1/1')!.prints, results.get('1/1')!.lateWithFront], [2, true]);
  assert.deepEqual([results.get('1/1/alone')!.prints, results.get('1/1/alone')!.lateWithFront], [3, false]);
  assert.equal(run('pdftotext', ['-layout', alone, '-']), reference.text, 'text on the plain path');
  const aloneImages = imagesOf(alone, 'alone');
  assert.equal(aloneImages.length, pages);
  // Printed with print 2, the late pages have no page background: their anti-aliasing may differ by a
  // grey level or two (measured: 254 pixels of the index page at 30 dpi, by at most 2 of 255).
  aloneImages.forEach((image, i) => assert.ok(nearlySame(image, reference.images[i]!, 4), `page ${i + 1} looks different on the plain path`));
});
