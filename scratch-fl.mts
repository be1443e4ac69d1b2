import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codePointsOf, fontSetFor } from './pipeline/html/fonts.ts';
import { printFonts, printFontsCss } from './pipeline/pdf/print-fonts.ts';
import { createBrowserSession } from './pipeline/pdf/browser.ts';
import { preparePrintHtml } from './pipeline/pdf/print-html.ts';
import { loadPrintFonts } from './pipeline/pdf/font-loading.ts';
const dir = process.argv[2]!;
const script = process.argv[3] as 'zh-Hans' | 'en';
const html = readFileSync(join(dir, 'print.html'), 'utf8');
const set = fontSetFor(script);
const used = codePointsOf([html, readFileSync(join(dir, 'site/assets/base.css'), 'utf8')]);
const t0 = performance.now();
const pf = await printFonts({ set, used });
console.log('subset ms', Math.round(performance.now() - t0));
mkdirSync(join(dir, '.pf'), { recursive: true });
for (const f of pf.files) writeFileSync(join(dir, '.pf', f.name), f.data);
writeFileSync(join(dir, '.pf/fonts.css'), printFontsCss(set, pf, used, { fileUrl: '', sliceUrl: '../site/assets/fonts/' }));
writeFileSync(join(dir, '.a.html'), preparePrintHtml(html, { css: '', placeholder: '…' }));
writeFileSync(join(dir, '.b.html'), preparePrintHtml(html, { css: '', placeholder: '…', fontsHref: '.pf/fonts.css' }));
const session = createBrowserSession();
try {
  for (let round = 0; round < 3; round++) {
    for (const v of ['.a.html', '.b.html']) {
      const page = await (await session.page()).browser().newPage();
      await page.goto(pathToFileURL(join(dir, v)).href, { waitUntil: 'load' });
      const t = performance.now();
      const r = await loadPrintFonts(page, []);
      console.log(v, 'load fonts ms', Math.round(performance.now() - t), 'loaded', r.loaded, 'of', r.faces);
      await page.close();
    }
  }
} finally { await session.close(); }
