/**
 * What a command prints, as a value: its standard output, its standard error and its exit code. A command
 * returns what it did; a function beside it turns that into a `Printed`; cli.ts, the one place that
 * prints or sets the exit code, writes it.
 */
export interface Printed {
  /** 0 done, 1 errors in the input, 2 bad usage. */
  code: number;
  /** Text for standard output ('' for none), every line ending in a newline. */
  stdout: string;
  /** Text for standard error ('' for none), every line ending in a newline. */
  stderr: string;
}

/** A usage error (exit code 2): `error: <message>` on standard error. */
export function usageError(message: string): Printed {
  return { code: 2, stdout: '', stderr: `error: ${message}\n` };
}
