/**
 * The one lap timer of the build and the print: each `lap(stage)` adds the milliseconds since the last
 * lap (or since the watch was made) to `timings[stage]`. bench/ prints the figures; nothing asserts them.
 */
export interface Stopwatch {
  readonly timings: Record<string, number>;
  /** Adds the time since the last lap to `stage`. */
  lap(stage: string): void;
}

/** A stopwatch adding into `timings` (default: a new record). */
export function createStopwatch(timings: Record<string, number> = {}): Stopwatch {
  let mark = performance.now();
  return {
    timings,
    lap(stage) {
      const now = performance.now();
      timings[stage] = (timings[stage] ?? 0) + (now - mark);
      mark = now;
    },
  };
}
