/**
 * The print fonts, cut ahead on a worker thread while the edition's HTML is made.
 *
 * The PDF stage cuts one font per face to the characters of print.html (print-fonts.ts), so it could only
 * start once print.html was written, and the cut (1.1–1.9 s of CPU for the world report zh, most of it
 * joining LXGW WenKai's slices) stood between the HTML stage and the first print, while the machine's
 * other core waited. A forecast cuts them from what the edition is made of instead, when the edition's
 * build starts: every character of its manuscripts (the book's files and its edition's folder, a derived
 * edition's source folder, converted to the edition's script as a whole text), of the templates and the
 * indicator data, the numerals and punctuation the build writes itself (FORECAST_RANGES, CJK_NUMERALS),
 * and what the browser draws (print-fonts.ts GENERATED_TEXT). When print.html is there, the PDF stage
 * takes the forecast's fonts if every character print.html uses is among those it was cut for
 * (print-fonts.ts `fontsForPrint`), and cuts as before otherwise, stopping the forecast.
 *
 * A forecast's fonts hold more glyphs than the print uses, so the glyph numbers in the PDF's fonts differ
 * from an exact cut's; the pages, the text and the one font per face do not. Which is taken depends only on
 * the input, so the same input makes the same bytes. One thread serves the build (started by the first
 * forecast, stopped by `close()`); with a build cache the forecast reads and stores cut fonts in the same
 * folder as the PDF stage (font-cache.ts).
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { startWorker, type StartedWorker } from '../base/worker-script.ts';
import type { FontSet } from '../fonts/fonts.ts';
import type { Script } from '../locale/locale.ts';
import type { OpenccTarget } from '../locale/convert-script.ts';
// Types only: this module is loaded by every PDF build before the print machinery (the worker loads that).
import type { PrintFontFile, PrintFonts } from './print-fonts.ts';

/** What a forecast is made from (the worker reads the files). */
export interface ForecastJob {
  /** The edition's script: its font set is `fontSetFor(script)`. */
  script: Script;
  /** Text files whose characters the print may show (the worker adds FORECAST_RANGES, CJK_NUMERALS and what the browser draws). */
  files: string[];
  /** A derived edition's OpenCC target: the files' text is converted too (its corner quotes are in FORECAST_RANGES). */
  convert?: { target: OpenccTarget };
  /** The font cache's folder (out/.cache/print-fonts), when the build has a cache. */
  cacheDir?: string;
}

export type ForecastRequest = { kind: 'forecast'; id: number; job: ForecastJob } | { kind: 'stop'; id: number } | { kind: 'close' };

/** A face's font as the worker sends it: the face by its place in the set. */
type SentFile = Omit<PrintFontFile, 'face'> & { face: number };

export type ForecastReply = { id: number; characters: number[] } | { id: number; fonts: { files: SentFile[]; sliced: number[] } } | { id: number; failed: string };

/** One edition's forecast. */
export interface FontForecast {
  /** The characters the fonts are cut for. */
  readonly characters: Promise<ReadonlySet<number>>;
  /** The fonts, faces as in `set` (the edition's font set). */
  fonts(set: FontSet): Promise<PrintFonts>;
  /** The print needs other fonts: the worker stops cutting these. */
  stop(): void;
  /** Settles when the worker is done with this forecast (cut, failed or stopped): its cache writes are over. */
  readonly done: Promise<void>;
}

export interface FontForecaster {
  forecast(job: ForecastJob): FontForecast;
  /** Stop the thread, when it was started. */
  close(): Promise<void>;
}

/**
 * Code points every forecast includes: Latin-1 and Latin Extended-A and B (names with marks in
 * references), general punctuation (dashes, the zero-width space and soft hyphen the typography inserts),
 * letterlike symbols, number forms, arrows and mathematical operators (rank changes, formulas),
 * enclosed alphanumerics (①, note markers), geometric shapes, CJK symbols and punctuation, and the
 * full-width forms. Cheap for a font to carry, and written by the build as much as by editors.
 */
export const FORECAST_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x2000, 0x22ff],
  [0x2460, 0x24ff],
  [0x25a0, 0x25ff],
  [0x3000, 0x303f],
  [0xff00, 0xffef],
];

/** The numerals of 第十二章, 一、, (三) and dates, which the build writes whether or not the manuscripts do. */
export const CJK_NUMERALS = '〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸';

/** The print fonts' cache under the build cache's folder (font-cache.ts). */
export const printFontCacheDir = (cacheDir: string) => join(cacheDir, 'print-fonts');

/** Files whose text can reach a print (the rest are images and fonts). */
const TEXT_FILES = new Set(['.md', '.markdown', '.yaml', '.yml', '.json', '.geojson', '.csl', '.xml', '.svg', '.css', '.html', '.htm', '.bib', '.txt', '.csv', '.tsv', '.ris']);

/** Text files under `dir`, in name order, leaving out the subfolders `skip` names (other editions' chapters). */
export function textFilesUnder(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (e.name.startsWith('.') || e.name === 'node_modules') return [];
    if (e.isDirectory()) return skip.has(e.name) ? [] : textFilesUnder(join(dir, e.name));
    return e.isFile() && TEXT_FILES.has(extname(e.name).toLowerCase()) ? [join(dir, e.name)] : [];
  });
}

/** What an edition is made of, as `editionJob` reads it. */
export interface EditionSources {
  /** manuscripts/<book>/ */
  bookDir: string;
  /** The book's editions: a derived one (`derive.from`) has no folder of its own. */
  editions: Readonly<Record<string, { derive?: { from: string; opencc: OpenccTarget } | undefined }>>;
  editionId: string;
  /** templates/ and indicators/ */
  templates: string;
  indicators: string;
  script: Script;
  cacheDir?: string | undefined;
}

/**
 * The forecast of one edition: the book's files but other editions' chapter folders (an English
 * edition's fonts are not cut for the Chinese chapters), the templates and the indicators.
 */
export function editionJob(sources: EditionSources): ForecastJob {
  const { editions, editionId } = sources;
  const folderOf = (id: string) => editions[id]?.derive?.from ?? id;
  const own = folderOf(editionId);
  const others = new Set(Object.keys(editions).flatMap((id) => [id, folderOf(id)]).filter((name) => name !== own));
  const target = editions[editionId]?.derive?.opencc;
  return {
    script: sources.script,
    files: [...textFilesUnder(sources.bookDir, others), ...textFilesUnder(sources.templates), ...textFilesUnder(sources.indicators)],
    ...(target ? { convert: { target } } : {}),
    ...(sources.cacheDir ? { cacheDir: sources.cacheDir } : {}),
  };
}

interface Waiting {
  characters: { resolve(value: ReadonlySet<number>): void; reject(error: Error): void };
  fonts: { resolve(value: { files: SentFile[]; sliced: number[] }): void; reject(error: Error): void };
  done(): void;
  finished: Promise<void>;
}

export function createFontForecaster(): FontForecaster {
  let thread: StartedWorker | undefined;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  const settle = (id: number, error?: Error) => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if (error) {
      w.characters.reject(error);
      w.fonts.reject(error);
    }
    w.done();
  };
  const onReply = (reply: ForecastReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    if ('characters' in reply) w.characters.resolve(new Set(reply.characters));
    else if ('fonts' in reply) {
      w.fonts.resolve(reply.fonts);
      settle(reply.id);
    } else settle(reply.id, new Error(`the font forecast failed: ${reply.failed}`));
  };
  const failAll = (error: Error) => {
    for (const id of [...waiting.keys()]) settle(id, error);
  };
  return {
    forecast(job) {
      const id = nextId++;
      const characters = promised<ReadonlySet<number>>();
      const fonts = promised<{ files: SentFile[]; sliced: number[] }>();
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      // Unhandled until asked for: a forecast that is never used must not fail the process.
      characters.promise.catch(() => undefined);
      fonts.promise.catch(() => undefined);
      waiting.set(id, { characters, fonts, done, finished });
      if (!thread) {
        const started = startWorker('font-forecast-worker', 'pipeline/pdf/font-forecast-worker.ts', onReply, failAll, 'the font forecast thread stopped before it answered');
        // A thread that crashed is not asked again: the next forecast starts another.
        void started.ended.then(() => thread === started && (thread = undefined));
        thread = started;
      }
      thread.worker.postMessage({ kind: 'forecast', id, job } satisfies ForecastRequest);
      return {
        characters: characters.promise,
        async fonts(set) {
          const got = await fonts.promise;
          const face = (i: number) => {
            const f = set.faces[i];
            if (!f) throw new Error(`the font forecast named face ${i} of a set of ${set.faces.length}`);
            return f;
          };
          return { files: got.files.map((f) => ({ ...f, face: face(f.face), data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength) })), sliced: got.sliced.map(face) };
        },
        stop() {
          if (waiting.has(id)) thread?.worker.postMessage({ kind: 'stop', id } satisfies ForecastRequest);
        },
        done: finished,
      };
    },
    async close() {
      if (!thread) return;
      const running = thread;
      thread = undefined;
      // Whatever is still being cut is no longer wanted: stopped at its next face, so that no cache write
      // is cut short; then the thread ends.
      const unfinished = [...waiting].map(([id, w]) => {
        running.worker.postMessage({ kind: 'stop', id } satisfies ForecastRequest);
        return w.finished;
      });
      await Promise.all(unfinished);
      running.worker.postMessage({ kind: 'close' } satisfies ForecastRequest);
      await running.ended;
    },
  };
}

function promised<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
