/**
 * Where a worker thread's code is: compiled/<name>.js when running compiled (scripts/compile.js makes one
 * entry point per worker); from source, a two-line script that registers tsx in the worker (a worker
 * inherits neither `--import tsx` for its entry nor bin/annals.js's registration) and imports the source.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { toolRoot } from './tool-root.ts';

export interface WorkerScript {
  /** A file path, or the code itself (`eval`). */
  code: string;
  eval: boolean;
}

/**
 * @param name the compiled entry point's name (compiled/<name>.js)
 * @param source the worker's source file, relative to the tool's root (pipeline/…/<name>.ts)
 */
export function workerScript(name: string, source: string): WorkerScript {
  if (fileURLToPath(import.meta.url).endsWith('.js')) return { code: join(toolRoot, 'compiled', `${name}.js`), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(join(toolRoot, source)).href;
  return { code: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}

/** A started worker thread and its exit. */
export interface StartedWorker {
  worker: Worker;
  /** Settles when the thread has stopped (closed, terminated or crashed). */
  ended: Promise<void>;
}

/**
 * Start the worker `name` (see `workerScript`) with its answers going to `onReply`; `onFailure` hears of a
 * crash, and of the thread stopping (with the error `stopped`), so that whoever waits for an answer is
 * told instead of waiting for ever. The thread is spawned in the call, and messages posted to it at once
 * wait for it: a caller that goes on with synchronous work (a build's HTML stage) does not hold it back.
 */
export function startWorker<Reply>(name: string, source: string, onReply: (reply: Reply) => void, onFailure: (error: Error) => void, stopped: string): StartedWorker {
  const script = workerScript(name, source);
  const worker = new Worker(script.code, { eval: script.eval });
  worker.on('message', onReply);
  worker.on('error', onFailure);
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void ended.then(() => onFailure(new Error(stopped)));
  return { worker, ended };
}
