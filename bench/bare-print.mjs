// One bare Chromium print, as a process of its own (bench/e2e.ts times it): launch the browser Annals
// uses, load print.html, page.pdf, close. Nothing else: no tags, no request guard, no page numbers.
//   node bench/bare-print.mjs <browser> <print.html> <out.pdf> [<Chromium arguments as JSON>] [shell|new]
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import puppeteer from 'puppeteer';

const [executablePath, html, out, args = '[]', mode = 'new'] = process.argv.slice(2);
// `shell`: the headless shell, given `--headless` (not `--headless=new`), as Annals launches it.
const browser = await puppeteer.launch({ executablePath, headless: mode === 'shell' ? 'shell' : true, pipe: true, args: JSON.parse(args) });
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 0 });
  writeFileSync(out, await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 }));
} finally {
  await browser.close();
}
