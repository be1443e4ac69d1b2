/**
 * The reviewers' site (issue 19, docs/site.md), in real Chromium: the two fixture books of
 * tests/fixtures/site-books (a report in zh, en and zh-Hant with indicator tables and charts; a yearbook in
 * zh and zh-Hant) are built once as HTML and served over http; one browser visits them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AxePuppeteer } from '@axe-core/puppeteer';
import type { Browser, Page } from 'puppeteer';
import { buildAll, type BuildResult } from '../pipeline/build/build.ts';
import type { Project } from '../pipeline/config/load-book.ts';
import { browserPath, tempProject, writeBook } from './helpers.ts';
import { launchReaderBrowser, serveFolder, siteProject, type StaticServer } from './site-helpers.ts';
import { contrastRatio } from '../pipeline/site/contrast.ts';
import { palette } from '../pipeline/charts/theme.ts';

const skip = browserPath() ? false : 'needs Chromium';
const EDITIONS = ['site-report-2026/zh', 'site-report-2026/en', 'site-report-2026/zh-Hant', 'site-yearbook-2026/zh', 'site-yearbook-2026/zh-Hant'];

let project: Project;
let result: BuildResult;
let server: StaticServer;
let browser: Browser;

before(async () => {
  project = siteProject();
  result = await buildAll({ project, format: 'html' });
  server = await serveFolder(project.out);
  if (!skip) browser = await launchReaderBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const site = (edition: string, page: string) => `${server.url}${edition.replace(/\/(zh|en|zh-Hant)$/, '/$1/site')}/${page}`;
const read = (edition: string, page: string) => readFileSync(join(project.out, edition, 'site', page), 'utf8');

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: width > 600 ? 900 : 844 });
  await page.goto(path, { waitUntil: 'networkidle0' });
  return page;
}

/** The links of the search results, in order, after typing `query`. */
async function searchFor(page: Page, query: string): Promise<string[]> {
  await page.type('#search-input', query);
  await page.waitForSelector('.search-list a.search-hit', { timeout: 15000 });
  return page.$$eval('.search-list a.search-hit', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname.split('/').pop()! + new URL((a as HTMLAnchorElement).href).hash));
}

test('the fixture books build without warnings', () => {
  assert.equal(result.ok, true);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info'), []);
  for (const edition of EDITIONS) assert.ok(readdirSync(join(project.out, edition, 'site', 'pagefind')).includes('pagefind.js'), `${edition} has a search index`);
  // A normal build marks no changes.
  assert.equal(existsSync(join(project.out, 'site-report-2026/zh/site/changes.html')), false);
  assert.doesNotMatch(read('site-report-2026/zh', 'overview.html'), /diff-/);
});

test('--compare <git-ref> marks exactly the changed chapter and paragraph, with a summary page', async () => {
  const repo = siteProject();
  const git = (...args: string[]) => execFileSync('git', ['-C', repo.root, '-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'draft');
  const chapter = join(repo.manuscripts, 'site-report-2026/zh/01-overview.md');
  writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('数字经济规模继续扩大', '数字经济规模较上年增长约一成'));
  const compared = await buildAll({ project: repo, books: ['site-report'], edition: 'zh', format: 'html', search: false, compare: { ref: 'HEAD' } });
  assert.equal(compared.ok, true);
  const page = (name: string) => readFileSync(join(repo.out, 'site-report-2026/zh/site', name), 'utf8');
  // The contents mark the one changed chapter, on every page.
  for (const name of ['index.html', 'overview.html', 'development-index.html']) {
    assert.deepEqual([...page(name).matchAll(/class="sidebar-page diff-chapter" href="([^"]+)"/g)].map((m) => m[1]), ['overview.html'], name);
  }
  // Inside it, the one paragraph, with the words deleted and inserted.
  const overview = page('overview.html');
  assert.deepEqual([...overview.matchAll(/class="diff-(changed|inserted|deleted)"/g)].map((m) => m[1]), ['changed']);
  assert.match(overview, /<p id="change-1" class="diff-changed"><span id="idx-2"><\/span>数字经济规模<del>继续扩大<\/del><ins>较上年增长约一成<\/ins>，数据要素市场建设/);
  assert.doesNotMatch(page('development-index.html').split('<main')[1]!, /class="[^"]*diff-/, 'the unchanged chapter has no marks');
  assert.match(page('changes.html'), /<li><a href="overview.html#change-1"><span class="compare-kind">修改<\/span> 数字经济规模较上年增长约一成/);
  assert.match(page('index.html'), /<p class="compare-banner"><a href="changes.html">本版与HEAD相比有1章修改/);
});

test('--compare with a ref that is not a commit is an error on the command line', async () => {
  const repo = siteProject();
  execFileSync('git', ['-C', repo.root, 'init', '-q']);
  const failed = await buildAll({ project: repo, format: 'html', search: false, compare: { ref: 'no-such-ref' } });
  assert.equal(failed.ok, false);
  assert.deepEqual(failed.diagnostics.map((d) => [d.ruleId, d.file]), [['compare-failed', '<command line>']]);
  assert.match(failed.diagnostics[0]!.message, /--compare no-such-ref: not a commit/);
  assert.equal(existsSync(repo.out), false, 'nothing written');
});

test('pager words follow the kind of page, breadcrumbs name 类目 › 分目, search words come from the locale', () => {
  // Report: the cover is followed by 图目录 (a generated page: 下一页), the last chapter by 索引.
  assert.match(read('site-report-2026/zh', 'index.html'), /<a class="pager-next" rel="next" href="list-of-figures.html"><span class="pager-dir">下一页<\/span> 图目录<\/a>/);
  assert.match(read('site-report-2026/zh', 'list-of-tables.html'), /<span class="pager-dir">下一章<\/span> 第一章 总论/);
  assert.match(read('site-report-2026/zh', 'development-index.html'), /<a class="pager-next" rel="next" href="book-index.html"><span class="pager-dir">下一页<\/span> 索引<\/a>/);
  assert.match(read('site-report-2026/en', 'overview.html'), /<span class="pager-dir">Previous page<\/span> List of Tables/);
  // Yearbook: every entry under its 类目 (the chapter) and 分目 (the ## above it).
  const content = read('site-yearbook-2026/zh', 'content.html');
  assert.match(
    content,
    /<section class="entry" id="entry-qinglang"[^>]*><div class="breadcrumbs" data-pagefind-ignore="all"><span class="visually-hidden">所在位置：<\/span><a href="content.html">网络内容建设与管理<\/a><span class="breadcrumb-separator" aria-hidden="true"> › <\/span><a href="#sec-ecology">网络生态治理<\/a><\/div><h4 class="entry-title" id="entry-qinglang-title" data-pagefind-weight="10" aria-level="3">/,
  );
  assert.match(read('site-yearbook-2026/zh-Hant', 'content.html'), /<a href="#sec-ecology">網絡生態治理<\/a>/);
  assert.match(read('site-report-2026/en', 'overview.html'), /placeholder="Search the book"/);
  assert.match(read('site-report-2026/zh-Hant', 'overview.html'), /placeholder="搜尋全書"/);
});

test('a CSV beside the page for each data table and chart: its cells, source and licence, linked from the figure', () => {
  const page = read('site-yearbook-2026/zh', 'statistics.html');
  assert.match(page, /<p class="data-link"><a href="data\/statistics-gdp.csv" download type="text\/csv">下载数据（CSV）<\/a><\/p>/);
  const csv = readFileSync(join(project.out, 'site-yearbook-2026/zh/site/data/statistics-gdp.csv'), 'utf8');
  assert.equal(csv, '\uFEFF地区,2023年,2024年\r\n北京市,47353.7,49670.2\r\n天津市,17211.8,17931.3\r\n上海市,51404.5,53759.5\r\n\r\n来源,国家统计局，分省年度数据\r\n许可,官方统计数据\r\n');
  // The ranking table: as many rows as the table shows (header + 10), the same cells, and the data's licences.
  const html = read('site-report-2026/en', 'development-index.html');
  const table = /<table class="data-table ranking-table"[^>]*>([\s\S]*?)<\/table>/.exec(html)![1]!;
  const firstRow = [.../<tbody><tr>([\s\S]*?)<\/tr>/.exec(table)![1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]);
  const lines = readFileSync(join(project.out, 'site-report-2026/en/site/data/development-index-tab-overall.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(lines.indexOf(''), 11);
  assert.equal(lines[1], firstRow.join(','));
  assert.match(lines[12]!, /^Source,"?ITU/);
  assert.match(lines[13]!, /^Licence,.*CC BY 4.0/);
  // A chart: the numbers it draws, in a table under the drawing (site only) and in its CSV.
  assert.match(html, /<figure class="figure" id="fig-radar"><div class="chart-scroll"[^]*?<\/svg><\/div><details class="chart-data" data-pagefind-ignore="all"><summary>The numbers in this chart<\/summary>/);
  const radar = readFileSync(join(project.out, 'site-report-2026/en/site/data/development-index-fig-radar.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(radar[0], 'Name,Information infrastructure,Innovation capacity,Digital economy,Internet application,Cybersecurity,Cyberspace governance');
  assert.deepEqual(radar.slice(1, 4).map((l) => l.split(',')[0]), ['China', 'US', 'Germany']);
  assert.ok(radar.slice(1, 4).every((l) => l.split(',').slice(1).every((v) => /^\d+\.\d$/.test(v))), 'one decimal, as the chart');
  assert.match(html, /<a href="data\/development-index-fig-radar.csv" download type="text\/csv">Data \(CSV\)<\/a>/);
  assert.doesNotMatch(readFileSync(join(project.out, 'site-report-2026/en/print.html'), 'utf8'), /<details/);
});

test('search: an entry title finds its entry first, an index term its place, in every edition', { skip }, async () => {
  const page = await open(site('site-yearbook-2026/zh', 'index.html'));
  // The term is also in the text of another entry; the entry with that title comes first.
  assert.equal((await searchFor(page, '清朗系列专项行动'))[0], 'content.html#entry-qinglang-title');
  await page.goto(site('site-yearbook-2026/zh-Hant', 'content.html'), { waitUntil: 'networkidle0' });
  assert.equal((await searchFor(page, '未成年人網絡環境整治'))[0], 'content.html#entry-minors-title');
  await page.goto(site('site-report-2026/en', 'index.html'), { waitUntil: 'networkidle0' });
  assert.equal((await searchFor(page, 'personal information protection'))[0], 'overview.html#sec-governance');
  assert.equal(await page.$eval('.search-count', (p) => p.textContent), '1 result', 'one result: the singular');
  // Keyboard: arrow down from the box reaches the first result link, Escape goes back to the box.
  await page.focus('#search-input');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('#search-results') !== null && document.activeElement?.tagName === 'A'), true);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await page.close();
});

test('search from file:// says why it cannot work instead of failing silently', { skip }, async () => {
  const page = await open(`file://${join(project.out, 'site-report-2026/zh/site/overview.html')}`);
  await page.type('#search-input', '数据');
  await page.waitForSelector('.search-message');
  assert.match(await page.$eval('.search-message', (p) => p.textContent ?? ''), /annals preview/);
  await page.close();
});

test('the sidebar marks the current page and, as the reader scrolls, the current section', { skip }, async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 480 }); // low enough that the short chapter scrolls
  await page.goto(site('site-report-2026/zh', 'overview.html'), { waitUntil: 'networkidle0' });
  assert.equal(await page.$eval('.sidebar a[aria-current="page"]', (a) => a.getAttribute('href')), 'overview.html');
  await page.evaluate(() => document.getElementById('sec-economy')!.scrollIntoView());
  await page.waitForFunction(() => document.querySelector('.sidebar a.is-current')?.getAttribute('data-section') === 'sec-economy');
  assert.equal(await page.$eval('.sidebar a.is-current', (a) => a.getAttribute('aria-current')), 'location');
  // On a phone the sidebar is closed behind the header button, opens with it and closes with Escape.
  await page.setViewport({ width: 390, height: 844 });
  assert.equal(await page.$eval('#sidebar', (n) => getComputedStyle(n).display), 'none');
  await page.click('.sidebar-toggle');
  assert.equal(await page.$eval('#sidebar', (n) => getComputedStyle(n).display), 'block');
  assert.equal(await page.$eval('.sidebar-toggle', (b) => b.getAttribute('aria-expanded')), 'true');
  await page.keyboard.press('Escape');
  assert.equal(await page.$eval('#sidebar', (n) => getComputedStyle(n).display), 'none');
  await page.close();
});

test('at 390 px no page scrolls sideways, no data table cell wraps, no chart label is under 9 px, English is ragged-right', { skip }, async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844 });
  let charts = 0;
  for (const edition of EDITIONS) {
    for (const name of readdirSync(join(project.out, edition, 'site')).filter((f) => f.endsWith('.html'))) {
      await page.goto(site(edition, name), { waitUntil: 'load' });
      const m = await page.evaluate(() => {
        const sizes = Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
          const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
          return Math.min(...Array.from(svg.querySelectorAll('text')).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
        });
        // A data table's cell on more than one line is a squeezed word (第二梯/队).
        const wrapped = Array.from(document.querySelectorAll('.data-table th, .data-table td')).filter((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1;
        }).length;
        return { overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, sizes, wrapped };
      });
      assert.equal(m.overflow, 0, `${edition}/${name} scrolls sideways`);
      assert.equal(m.wrapped, 0, `${edition}/${name}: data table cells on two lines`);
      for (const size of m.sizes) assert.ok(size >= 9, `${edition}/${name}: a chart label at ${size.toFixed(1)} px`);
      charts += m.sizes.length;
    }
  }
  assert.equal(charts, 6, 'two charts in each report edition');
  await page.goto(site('site-report-2026/en', 'overview.html'), { waitUntil: 'load' });
  assert.equal(await page.$eval('.site-main p', (p) => getComputedStyle(p).textAlign), 'left');
  await page.setViewport({ width: 1280, height: 900 });
  assert.equal(await page.$eval('.site-main p', (p) => getComputedStyle(p).textAlign), 'justify');
  await page.close();
});

test('a code line longer than the column scrolls inside its box, at 1280 and 390 px: it spills over no margin', { skip }, async () => {
  const own = tempProject();
  try {
    const line = `const example = ${JSON.stringify('汉语拼音'.repeat(12))}; // ${'a comment that runs on '.repeat(6)}`;
    const id = writeBook(own, { chapters: { '01-a.md': `---\ntitle: 代码\n---\n\n## 例子\n\n\`\`\`js\n${line}\n\`\`\`\n` } });
    const built = await buildAll({ project: own, format: 'html' });
    assert.ok(built.editions.every((e) => e.ok));
    const served = await serveFolder(own.out);
    try {
      for (const width of [1280, 390]) {
        const page = await open(`${served.url}${id}/zh/site/a.html`, width);
        const m = await page.$eval('.site-main pre', (pre) => {
          const box = pre.getBoundingClientRect();
          const main = pre.closest('.site-main')!.getBoundingClientRect();
          return { scrolls: pre.scrollWidth > pre.clientWidth, right: box.right, mainRight: main.right, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
        });
        await page.close();
        assert.ok(m.scrolls, `${width} px: the line is longer than the box, which scrolls`);
        assert.ok(m.right <= m.mainRight + 0.5, `${width} px: the box stays in the column (${m.right} > ${m.mainRight})`);
        assert.equal(m.overflow, 0, `${width} px: the page does not scroll sideways`);
      }
    } finally {
      await served.close();
    }
  } finally {
    rmSync(own.root, { recursive: true, force: true });
  }
});

test('index locators name their place and land on the term', { skip }, async () => {
  const page = await open(site('site-yearbook-2026/zh', 'book-index.html'));
  // 网络暴力 is marked inside the entry 清朗系列专项行动: the locator says so and leads there.
  const locator = await page.evaluateHandle(() => Array.from(document.querySelectorAll('.index-heading')).find((li) => li.querySelector('.index-term')?.textContent === '网络暴力')!.querySelector('a.locator')!);
  assert.equal(await locator.evaluate((a) => a.textContent), '清朗系列专项行动');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  const target = await page.evaluate(() => {
    const t = document.querySelector(':target')!;
    const box = t.getBoundingClientRect();
    return { text: t.textContent, entry: t.closest('section.entry')?.id, visible: box.top >= 0 && box.bottom <= innerHeight };
  });
  assert.deepEqual(target, { text: '网络暴力', entry: 'entry-qinglang', visible: true });
  await page.close();
});

test('axe-core finds no serious or critical WCAG 2.1 AA problem on the home, a chapter, the index chapter with charts and the index', { skip }, async () => {
  // Report: the home, a chapter and the index chapter with its charts; yearbook: the home, a chapter of
  // entries and the index.
  const pages: Record<string, string[]> = {
    'site-report-2026': ['index.html', 'overview.html', 'development-index.html'],
    'site-yearbook-2026': ['index.html', 'content.html', 'book-index.html'],
  };
  const page = await browser.newPage();
  const problems: string[] = [];
  for (const edition of EDITIONS) {
    for (const name of pages[edition.split('/')[0]!]!) {
      await page.goto(site(edition, name), { waitUntil: 'load' });
      const results = await new AxePuppeteer(page).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      for (const v of results.violations) {
        // Serious and critical problems, and (a best practice) headings that skip a level or landmarks
        // that cannot be told apart.
        if (v.impact === 'serious' || v.impact === 'critical' || ['heading-order', 'landmark-unique'].includes(v.id)) problems.push(`${edition}/${name}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('an image without alt text is a warning at its line; a figure with one is not', async () => {
  const temp = tempProject();
  const id = writeBook(temp, { chapters: { '01-one.md': '---\ntitle: 图\n---\n\n正文。\n\n![](images/a.svg)\n\n![网络示意](images/a.svg)\n' } });
  temp.write(`manuscripts/${id}/images/a.svg`, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>');
  const built = await buildAll({ project: temp, format: 'html', search: false });
  const found = built.diagnostics.filter((d) => d.ruleId === 'image-alt-missing');
  assert.deepEqual(
    found.map((d) => [d.file, d.line, d.column, d.severity, d.message]),
    [[`manuscripts/${id}/zh/01-one.md`, 7, 1, 'warning', 'image "images/a.svg" has no alt text']],
  );
});

test('colour contrast: chart colours stand out from the page (3:1), chart and theme text is readable (4.5:1)', () => {
  // Hand-checked values: black on white is 21:1, #767676 on white the classic 4.54:1.
  assert.equal(contrastRatio('#000000', '#ffffff').toFixed(2), '21.00');
  assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
  const page = ['#ffffff', '#fbfaf7']; // the chart's page and the site's background
  for (const bg of page) {
    for (const c of [palette.bar, palette.highlight, ...palette.series]) assert.ok(contrastRatio(c, bg) >= 3, `${c} on ${bg}: ${contrastRatio(c, bg).toFixed(2)}`);
    for (const c of [palette.text, palette.muted]) assert.ok(contrastRatio(c, bg) >= 4.5, `${c} on ${bg}`);
  }
  // The theme's text colours (templates/base/base.css) on white.
  const css = readFileSync(join(project.templates, 'base', 'base.css'), 'utf8');
  for (const name of ['text', 'muted', 'accent']) {
    const colour = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)![1]!;
    assert.ok(contrastRatio(colour, '#ffffff') >= 4.5, `--${name} ${colour}`);
  }
});

test(':lang marks text in another language; a bad tag is an error at the directive', async () => {
  const temp = tempProject();
  const id = writeBook(temp, { chapters: { '01-one.md': '---\ntitle: 语言\n---\n\n会议由:lang[World Internet Conference]{en}主办，:lang[Bonjour]{lang=FR-fr}。\n\n坏的:lang[x]{lang=not_a_tag!}。\n' } });
  const built = await buildAll({ project: temp, format: 'html', search: false });
  assert.deepEqual(
    built.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.column, d.ruleId, d.message]),
    [[7, 3, 'directive-attribute', ':lang: "not_a_tag!" is not a language tag (BCP 47: en, zh-CN, fr …)']],
  );
  const fixed = temp.read(`manuscripts/${id}/zh/01-one.md`).replace('坏的:lang[x]{lang=not_a_tag!}。\n', '');
  temp.write(`manuscripts/${id}/zh/01-one.md`, fixed);
  await buildAll({ project: temp, format: 'html', search: false });
  assert.match(temp.read(`out/${id}/zh/site/one.html`), /会议由<span lang="en">World Internet Conference<\/span>主办，<span lang="fr-FR">Bonjour<\/span>。/);
});
