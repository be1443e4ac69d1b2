/**
 * The print view (`annals preview --print`): one chapter as the PDF prints it. The edition's PDF is made
 * as `annals build` makes it — the same passes (pdf/print-pdf.ts): page make-up, late parts, running
 * heads, folios — by a build the session runs between its HTML builds (`buildPdf`), and the chapter's
 * pages are cut out of it (from the page of the chapter's named destination to the page before the next
 * part's). The PDF is made again on the first request after a build, and a chapter's cut is kept until
 * then. Routes, under /__annals/print/:
 *
 *   /__annals/print/            the chapters, with links
 *   /__annals/print/<slug>      a page that shows the chapter's PDF and reloads after a build
 *   /__annals/print/<slug>.pdf  the PDF itself
 *
 * Chromium starts on the first request and is closed with the preview.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromHtml } from 'hast-util-from-html';
import { printChaptersOfTree, printPartsOfTree, type PrintChapter } from '../html/print-parts.ts';
import { createBrowserSession, type BrowserSession } from '../pdf/browser.ts';
import { PREVIEW_PREFIX, injectClient } from './client.ts';
import type { ExtraRoute } from './server.ts';

export const PRINT_PREFIX = `${PREVIEW_PREFIX}print/`;

export interface PrintViewOptions {
  /** out/<book>/<edition>: holds print.html and site/. */
  editionDir: string;
  /**
   * Make the edition's PDF as `annals build` does, with this browser, after any build under way (the
   * session runs it between its HTML builds: both write out/). Resolves to the PDF's path, or to the
   * problems that stopped it.
   */
  buildPdf: (browser: BrowserSession) => Promise<{ pdf: string } | { problems: string[] }>;
  /** Counts the preview's builds (a new number in the PDF's URL makes the browser fetch it again). */
  generation: () => number;
  log?: (line: string) => void;
}

export interface PrintView {
  route: ExtraRoute;
  close(): Promise<void>;
}

/** A chapter of print.html; its section id is its named destination in the PDF. */
type ChapterEntry = PrintChapter;

/** The edition's PDF as of one build generation, and the chapters cut from it so far. */
interface PrintedBook {
  generation: number;
  bytes: Uint8Array;
  chapters: Map<string, Uint8Array>;
}

export function createPrintView(options: PrintViewOptions): PrintView {
  let session: BrowserSession | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let book: PrintedBook | undefined;

  const chapters = () => readChapters(options.editionDir);

  /** One chapter as PDF. Requests are served one at a time: the book is printed once per build. */
  const print = (chapter: ChapterEntry, parts: readonly string[]): Promise<Uint8Array> => {
    const run = async () => {
      const generation = options.generation();
      if (book?.generation !== generation) {
        session ??= createBrowserSession();
        const built = await options.buildPdf(session);
        if ('problems' in built) throw new Error(built.problems.join('\n'));
        book = { generation, bytes: await readFile(built.pdf), chapters: new Map() };
      }
      const held = book.chapters.get(chapter.slug);
      if (held) return held;
      // pdf-lib is loaded with it, only when a chapter's PDF is asked for.
      const { partPages } = await import('../pdf/part-pages.ts');
      const pdf = await partPages(book.bytes, chapter.id, parts);
      book.chapters.set(chapter.slug, pdf);
      return pdf;
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  const route: ExtraRoute = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!path.startsWith(PRINT_PREFIX)) return false;
    const rest = path.slice(PRINT_PREFIX.length);
    const found = await chapters();
    if (!found) {
      sendHtml(res, 404, page('Print view', '<p>No print.html yet: the first build has not succeeded.</p>'));
      return true;
    }
    if (rest === '') {
      const items = found.list.map((c) => `<li><a href="${c.slug}">${escapeHtml(c.title)}</a></li>`).join('');
      sendHtml(res, 200, page('Print view', `<h1>Print view</h1><p>Each chapter as the PDF lays it out.</p><ol>${items}</ol>`));
      return true;
    }
    const match = /^([a-z0-9-]+)(\.pdf)?$/.exec(rest);
    const chapter = match ? found.list.find((c) => c.slug === match[1]) : undefined;
    if (!match || !chapter) return false;
    if (!match[2]) {
      const src = `${chapter.slug}.pdf?generation=${options.generation()}`;
      sendHtml(
        res,
        200,
        page(
          `${chapter.title} — print view`,
          `<iframe src="${src}" title="${escapeHtml(chapter.title)}" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>`,
        ),
      );
      return true;
    }
    try {
      const pdf = await print(chapter, found.parts);
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(pdf));
    } catch (error) {
      sendHtml(res, 500, page('Print view', `<h1>The print view failed</h1><pre>${escapeHtml(String(error))}</pre>`));
    }
    return true;
  };

  return {
    route,
    async close() {
      await session?.close();
      session = undefined;
    },
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

/** print.html parsed: its chapters (slug, section id, title) and body parts; undefined before the first build. */
async function readChapters(editionDir: string): Promise<{ list: ChapterEntry[]; parts: string[] } | undefined> {
  const html = await readFile(join(editionDir, 'print.html'), 'utf8').catch(() => undefined);
  if (html === undefined) return undefined;
  const tree = fromHtml(html);
  return { list: printChaptersOfTree(tree), parts: printPartsOfTree(tree).map((p) => p.id) };
}
