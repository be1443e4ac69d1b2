/**
 * Runs the W3C's EPUBCheck (the Debian package `epubcheck`, installed by scripts/setup.sh) on EPUB files
 * and returns its messages. All files are checked in one Java process when the JDK's compiler is there
 * to run tests/EpubcheckBatch.java (the start-up and schema compilation are most of EPUBCheck's time on
 * small books: seven sample EPUBs take a third of the CPU time of seven processes); otherwise one
 * process per file, two at a time.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.ts';

const JAR = '/usr/share/java/epubcheck.jar';
/** C1 compilation only and the serial collector: half the CPU time of the defaults on a run this short. */
const JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const BATCH = join(repoRoot, 'tests', 'EpubcheckBatch.java');
const MARK = '@@annals-epubcheck';

export interface EpubcheckResult {
  file: string;
  /** ERROR, FATAL and WARNING lines (0 for a valid EPUB). */
  problems: string[];
  /** The summary line: "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos". */
  summary: string;
}

function run(command: string, args: string[]): Promise<{ error: Error | null; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ error, output: `${stdout}\n${stderr}` }));
  });
}

function resultOf(file: string, lines: readonly string[]): EpubcheckResult | undefined {
  const summary = lines.find((l) => l.startsWith('Messages:'));
  return summary ? { file, problems: lines.filter((l) => /^(ERROR|FATAL|WARNING)/.test(l)), summary } : undefined;
}

/** Every file in one JVM; undefined when that cannot run here (no JDK compiler) or did not check them all. */
async function batch(files: readonly string[]): Promise<EpubcheckResult[] | undefined> {
  if (!existsSync(JAR)) return undefined;
  const { output } = await run('java', [...JVM, '-cp', JAR, BATCH, ...files]);
  const sections = output.split(`${MARK} begin `).slice(1);
  const results = files.map((file, i) => {
    const section = sections[i];
    if (!section?.startsWith(`${file}\n`) || !section.includes(`${MARK} end `)) return undefined;
    return resultOf(file, section.split('\n'));
  });
  return results.every((r) => r !== undefined) ? (results as EpubcheckResult[]) : undefined;
}

/** One JVM per file (the Debian package's command, or the jar), two at a time. */
async function oneByOne(files: readonly string[]): Promise<EpubcheckResult[]> {
  const command = existsSync(JAR) ? ['java', ...JVM, '-jar', JAR] : ['epubcheck'];
  const one = async (file: string) => {
    const { error, output } = await run(command[0]!, [...command.slice(1), file]);
    const result = resultOf(file, output.split('\n'));
    if (!result) throw new Error(`epubcheck did not run on ${file} (install the Debian package epubcheck): ${error?.message ?? output}`);
    return result;
  };
  const results: EpubcheckResult[] = [];
  for (let i = 0; i < files.length; i += 2) results.push(...(await Promise.all(files.slice(i, i + 2).map(one))));
  return results;
}

export async function epubcheck(files: readonly string[]): Promise<EpubcheckResult[]> {
  return (await batch(files)) ?? oneByOne(files);
}
