// Puppeteer cannot download its own browser on machines without general internet access.
// Where a system Chromium or Chrome exists (or ANNALS_BROWSER / PUPPETEER_EXECUTABLE_PATH names one),
// skip the download; pipeline/pdf/find-browser.ts looks the browser up at run time.
const fs = require('node:fs');
const candidates = [
  process.env.ANNALS_BROWSER,
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
].filter(Boolean);
const systemBrowser = candidates.some((p) => { try { return fs.statSync(p).isFile(); } catch { return false; } });
/** @type {import('puppeteer').Configuration} */
module.exports = { skipDownload: systemBrowser };
