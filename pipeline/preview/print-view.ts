/**
 * The print view (`annals preview --print`): one chapter laid out the way the PDF lays it out, by the same
 * engine. The edition's print.html is opened in headless Chromium (the PDF stage's browser session and
 * request guard: nothing outside the edition folder loads), every other chapter, the cover and the
 * contents are removed, the book's page rules (pdf/page-css.ts, from book.yaml) are applied, and the
 * chapter is printed to PDF, kept until print.html changes. Routes, under /__annals/print/:
 *
 *   /__annals/print/            the chapters, with links
 *   /__annals/print/<slug>      a page that shows the chapter's PDF and reloads after a build
 *   /__annals/print/<slug>.pdf  the PDF itself
 *
 * Chromium starts on the first request and is closed with the preview.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BookConfig } from '../config/book-schema.ts';
import { createBrowserSession, type BrowserSession } from '../pdf/browser.ts';
import { pageLayout } from '../pdf/page-css.ts';
import { guardPage } from '../pdf/request-guard.ts';
import { PREVIEW_PREFIX, injectClient } from './client.ts';
import type { ExtraRoute } from './server.ts';

export const PRINT_PREFIX = `${PREVIEW_PREFIX}print/`;

export interface PrintViewOptions {
  /** out/<book>/<edition>: holds print.html and site/. */
  editionDir: string;
  /** The book's config as of the last build. */
  config: () => BookConfig | undefined;
  /** Counts the preview's builds (a new number in the PDF's URL makes the browser fetch it again). */
  generation: () => number;
  log?: (line: string) => void;
}

export interface PrintView {
  route: ExtraRoute;
  close(): Promise<void>;
}

interface ChapterEntry {
  slug: string;
  title: string;
}

export function createPrintView(options: PrintViewOptions): PrintView {
  let session: BrowserSession | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const made = new Map<string, { version: string; pdf: Uint8Array }>();
  /** One chapter as PDF. Requests are served one at a time: the session has one tab. */
  const print = (slug: string): Promise<Uint8Array> => {
    const run = async () => {
      // print.html is rewritten only when its bytes change: its mtime says whether the PDF is still good.
      const version = await stat(join(options.editionDir, 'print.html')).then((s) => `${s.size}-${s.mtimeMs}`, () => '');
      const held = made.get(slug);
      if (held && held.version === version) return held.pdf;
      session ??= createBrowserSession();
      const pdf = await printChapter(session, options, slug);
      made.set(slug, { version, pdf });
      return pdf;
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    route: printViewRoute(options, print),
    async close() {
      await session?.close();
      session = undefined;
    },
  };
}

/** The chapters of print.html, with their titles; undefined before the first build succeeded. */
async function printedChapters(editionDir: string): Promise<ChapterEntry[] | undefined> {
  const html = await readFile(join(editionDir, 'print.html'), 'utf8').catch(() => undefined);
  if (html === undefined) return undefined;
  const list: ChapterEntry[] = [];
  const re = /<section\b[^>]*\bdata-chapter="([a-z0-9-]+)"[^>]*>[\s\S]*?<h1 class="chapter-title">([\s\S]*?)<\/h1>/g;
  for (const m of html.matchAll(re)) list.push({ slug: m[1]!, title: m[2]!.replace(/<[^>]+>/g, '') });
  return list;
}

/** print.html with every part but the chapter `slug` removed, printed by the session's tab. */
async function printChapter(session: BrowserSession, options: PrintViewOptions, slug: string): Promise<Uint8Array> {
  const config = options.config();
  const page = await session.page();
  const guard = await guardPage(page);
  guard.begin({ root: options.editionDir, onEvent: (e) => options.log?.(`print view: ${e.kind} ${'url' in e ? e.url : e.message}`) });
  try {
    await page.goto(pathToFileURL(join(options.editionDir, 'print.html')).href, { waitUntil: 'load' });
    const hasPageRules = await page.evaluate((keep: string) => {
      document.querySelectorAll('section.chapter').forEach((section) => {
        if ((section as HTMLElement).dataset.chapter !== keep) section.remove();
      });
      document.querySelectorAll('.cover, .toc, .title-page, .imprint').forEach((el) => el.remove());
      return Array.from(document.querySelectorAll('style')).some((s) => (s.textContent ?? '').includes('@page'));
    }, slug);
    // print.html carries the book's page rules once the PDF stage writes them; until then (or if it
    // does not) the page size and margins come from book.yaml here.
    if (config && !hasPageRules) {
      const l = pageLayout(config.page);
      await page.addStyleTag({ content: `@page { size: ${l.width.css} ${l.height.css}; margin: ${l.top.css} ${l.outside.css} ${l.bottom.css} ${l.inside.css}; }` });
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    guard.end();
  }
}

/** The routes under /__annals/print/: the list of chapters, a chapter's page, its PDF. */
function printViewRoute(options: PrintViewOptions, print: (slug: string) => Promise<Uint8Array>): ExtraRoute {
  return async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!path.startsWith(PRINT_PREFIX)) return false;
    const rest = path.slice(PRINT_PREFIX.length);
    const list = await printedChapters(options.editionDir);
    if (!list) {
      sendHtml(res, 404, page('Print view', '<p>No print.html yet: the first build has not succeeded.</p>'));
      return true;
    }
    if (rest === '') {
      const items = list.map((c) => `<li><a href="${c.slug}">${escapeHtml(c.title)}</a></li>`).join('');
      sendHtml(res, 200, page('Print view', `<h1>Print view</h1><p>Each chapter as the PDF lays it out.</p><ol>${items}</ol>`));
      return true;
    }
    const match = /^([a-z0-9-]+)(\.pdf)?$/.exec(rest);
    const chapter = match ? list.find((c) => c.slug === match[1]) : undefined;
    if (!match || !chapter) return false;
    if (!match[2]) {
      const src = `${chapter.slug}.pdf?generation=${options.generation()}`;
      const frame = `<iframe src="${src}" title="${escapeHtml(chapter.title)}" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>`;
      sendHtml(res, 200, page(`${chapter.title} — print view`, frame));
      return true;
    }
    try {
      const pdf = await print(chapter.slug);
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(pdf));
    } catch (error) {
      sendHtml(res, 500, page('Print view', `<h1>The print view failed</h1><pre>${escapeHtml(String(error))}</pre>`));
    }
    return true;
  };
}

function page(title: string, body: string): string {
  return injectClient(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  const bytes = Buffer.from(html, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': bytes.length, 'Cache-Control': 'no-store' });
  res.end(bytes);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
