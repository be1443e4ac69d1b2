/**
 * The worker thread of font-thread.ts: makes the print font of each face it is handed (print-fonts.ts
 * `makeFace`, the same code and bytes as in the build's thread) and sends it back. Compiled into
 * compiled/font-worker.js (scripts/compile.js).
 */
import { parentPort } from 'node:worker_threads';
import { makeFace } from './print-fonts.ts';
import type { FontReply, FontRequest } from './font-thread.ts';

const port = parentPort!;
port.on('message', ({ id, job }: FontRequest) => {
  makeFace(job).then(
    (file) => port.postMessage({ id, file } satisfies FontReply),
    (error: unknown) => port.postMessage({ id, failed: error instanceof Error ? error.message : String(error) } satisfies FontReply),
  );
});
