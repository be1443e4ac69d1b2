/**
 * Runs the W3C's EPUBCheck (the Debian package `epubcheck`, installed by scripts/setup.sh) on EPUB files,
 * two at a time (it is Java: the start-up is most of its time on small books), and returns its messages.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const JAR = '/usr/share/java/epubcheck.jar';

export interface EpubcheckResult {
  file: string;
  /** ERROR, FATAL and WARNING lines (0 for a valid EPUB). */
  problems: string[];
  /** The summary line: "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos". */
  summary: string;
}

export async function epubcheck(files: readonly string[]): Promise<EpubcheckResult[]> {
  // C1 compilation only and the serial collector: half the CPU time of the defaults on a run this short.
  const command = existsSync(JAR) ? ['java', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR] : ['epubcheck'];
  const one = (file: string) =>
    new Promise<EpubcheckResult>((resolve, reject) => {
      execFile(command[0]!, [...command.slice(1), file], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const lines = `${stdout}\n${stderr}`.split('\n');
        const summary = lines.find((l) => l.startsWith('Messages:'));
        if (!summary) return reject(new Error(`epubcheck did not run on ${file} (install the Debian package epubcheck): ${error?.message ?? stderr}`));
        resolve({ file, problems: lines.filter((l) => /^(ERROR|FATAL|WARNING)/.test(l)), summary });
      });
    });
  const results: EpubcheckResult[] = [];
  for (let i = 0; i < files.length; i += 2) results.push(...(await Promise.all(files.slice(i, i + 2).map(one))));
  return results;
}
