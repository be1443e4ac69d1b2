/**
 * The worker thread of font-forecast.ts: the characters an edition's print can show, read from what the
 * edition is made of, and the print fonts cut for them (print-fonts.ts, the same code as the PDF stage),
 * while the build's thread is still making the edition's HTML. The characters are sent first, so that the
 * PDF stage can tell at once whether the fonts will do; the fonts follow. Compiled into
 * compiled/font-forecast-worker.js (scripts/compile.js).
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { codePointsOf, fontSetFor } from '../fonts/fonts.ts';
import { createScriptConverter } from '../locale/convert-script.ts';
import { createFontCache } from './font-cache.ts';
import { COUNTER_GLYPHS } from './page-css.ts';
import { GENERATED_TEXT, printFonts } from './print-fonts.ts';
import { CJK_NUMERALS, FORECAST_RANGES, type ForecastReply, type ForecastRequest, type ForecastJob } from './font-forecast.ts';

const port = parentPort!;
/** Forecasts the build's thread no longer needs (their print uses a character they lack). */
const stopped = new Set<number>();

/** Every character of the files and the text, and of both converted to the edition's script. */
async function charactersOf(job: ForecastJob): Promise<Set<number>> {
  const texts = [GENERATED_TEXT, COUNTER_GLYPHS, CJK_NUMERALS, ...(await Promise.all(job.files.map((f) => readFile(f, 'utf8').catch(() => ''))))];
  if (job.convert) {
    const convert = createScriptConverter({ target: job.convert.target });
    texts.push(...texts.map(convert));
  }
  const used = codePointsOf(texts);
  for (const [from, to] of FORECAST_RANGES) for (let c = from; c <= to; c++) used.add(c);
  return used;
}

async function forecast(id: number, job: ForecastJob): Promise<void> {
  const used = await charactersOf(job);
  port.postMessage({ id, characters: [...used] } satisfies ForecastReply);
  const set = fontSetFor(job.script);
  const made = await printFonts({ set, used, ...(job.cacheDir ? { cache: createFontCache({ dir: job.cacheDir }) } : {}), stop: () => stopped.has(id) });
  const faceOf = (face: (typeof set.faces)[number]) => set.faces.indexOf(face);
  const files = made.files.map((f) => ({ face: faceOf(f.face), postScriptName: f.postScriptName, name: f.name, data: new Uint8Array(f.data), source: f.source }));
  port.postMessage({ id, fonts: { files, sliced: made.sliced.map(faceOf) } } satisfies ForecastReply, files.map((f) => f.data.buffer as ArrayBuffer));
}

port.on('message', (request: ForecastRequest) => {
  if (request.kind === 'stop') {
    stopped.add(request.id);
    return;
  }
  if (request.kind === 'close') {
    port.close();
    return;
  }
  forecast(request.id, request.job).then(
    () => stopped.delete(request.id),
    (error: unknown) => {
      stopped.delete(request.id);
      port.postMessage({ id: request.id, failed: error instanceof Error ? error.message : String(error) } satisfies ForecastReply);
    },
  );
});
