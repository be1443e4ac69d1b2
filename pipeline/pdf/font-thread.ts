/**
 * The worker thread that shares the print fonts' work (print-fonts.ts `runFaceJobs`): it is handed one
 * face at a time and makes it as this thread would (font-worker.ts runs `makeFace`). Started per print
 * when there are at least two joins, stopped when the faces are made.
 */
import type { Worker } from 'node:worker_threads';
import { workerScript } from '../base/worker-script.ts';
import type { FaceJob, PrintFontFile } from './print-fonts.ts';

/** A job for the worker, and its answer. */
export type FontRequest = { id: number; job: FaceJob };
export type FontReply = { id: number; file: PrintFontFile | undefined } | { id: number; failed: string };

export interface FontWorker {
  /** The face's print font, made in the worker. */
  make(job: FaceJob): Promise<PrintFontFile | undefined>;
  /** Stop the worker (once its answers are in). */
  stop(): Promise<void>;
}

export async function startFontWorker(): Promise<FontWorker> {
  const { Worker } = await import('node:worker_threads');
  const script = workerScript('font-worker', 'pipeline/pdf/font-worker.ts');
  const worker: Worker = new Worker(script.code, { eval: script.eval });
  const pending = new Map<number, { job: FaceJob; resolve(file: PrintFontFile | undefined): void; reject(error: Error): void }>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: FontReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiting) return;
    if ('failed' in reply) waiting.reject(new Error(reply.failed));
    // The face object the job was made with (the worker's is a copy), and the bytes as a Buffer, as made here.
    else waiting.resolve(reply.file && { ...reply.file, face: waiting.job.face, data: Buffer.from(reply.file.data.buffer, reply.file.data.byteOffset, reply.file.data.byteLength) });
  });
  worker.on('error', failAll);
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void ended.then(() => failAll(new Error('the font worker thread stopped before it answered')));
  let nextId = 0;
  return {
    make(job) {
      const id = nextId++;
      const answer = new Promise<PrintFontFile | undefined>((resolve, reject) => pending.set(id, { job, resolve, reject }));
      worker.postMessage({ id, job } satisfies FontRequest);
      return answer;
    },
    async stop() {
      await worker.terminate();
      await ended;
    },
  };
}
