/**
 * Switches of the PDF stage for measuring and comparing (docs/pdf.md): each defaults to the normal print,
 * and none changes what a normal build makes. The command line reads them once from the environment
 * (`printSwitchesFrom(process.env)` in cli.ts) into the build's options (`BuildOptions.print`); the PDF
 * stage takes them from there (pdf-edition.ts), never from the environment.
 */

export interface PrintSwitches {
  /** Tabs that print the body's runs at once (parallel-print.ts). Default: automatic (one per core, at most 4). */
  printTabs?: number;
  /** The page make-up pass, where book.yaml's `page.makeUp` asks for it (make-up.ts). Default: true. */
  makeUp?: boolean;
  /** The make-up pass lays out only the rest of a part again after a change (make-up.ts `tail`). Default: true. */
  makeUpTail?: boolean;
  /** A heading spanning a multi-column part's columns is kept with what follows it (span-keeps.ts). Default: true. */
  spanKeeps?: boolean;
}

/**
 * The switches the environment sets: `ANNALS_PRINT_TABS=n` (a positive whole number; anything else
 * leaves the default), `ANNALS_MAKE_UP=0`, `ANNALS_MAKE_UP_TAIL=0` and `ANNALS_SPAN_KEEPS=0` (any other
 * value leaves the default, on). Only the switches set are present.
 */
export function printSwitchesFrom(env: Readonly<Record<string, string | undefined>>): PrintSwitches {
  const tabs = Number(env.ANNALS_PRINT_TABS);
  const off = (name: string) => env[name] === '0';
  return {
    ...(Number.isInteger(tabs) && tabs > 0 ? { printTabs: tabs } : {}),
    ...(off('ANNALS_MAKE_UP') ? { makeUp: false } : {}),
    ...(off('ANNALS_MAKE_UP_TAIL') ? { makeUpTail: false } : {}),
    ...(off('ANNALS_SPAN_KEEPS') ? { spanKeeps: false } : {}),
  };
}
