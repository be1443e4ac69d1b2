/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): the one time a release build may write. `--release` requires
 * it; when it is not set, it is taken from the last commit (`git log -1 --format=%ct`), so CI and an
 * editor's checkout of the same tag produce the same bytes. The environment is read once per build
 * (build.ts `buildAll`); the stages get the time from the build's session (base/build-session.ts).
 */
import { execFileSync } from 'node:child_process';

export interface SourceDateEpoch {
  /** Seconds since 1970-01-01 UTC. */
  seconds: number;
  /** Where it came from. */
  from: 'environment' | 'git';
}

/** The epoch from the environment, else from git; undefined when neither gives one (or the variable is not a number). */
export function resolveSourceDateEpoch(root: string, env: NodeJS.ProcessEnv = process.env): SourceDateEpoch | undefined {
  const value = env.SOURCE_DATE_EPOCH?.trim();
  if (value) return /^\d+$/.test(value) ? { seconds: Number(value), from: 'environment' } : undefined;
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^\d+$/.test(out) ? { seconds: Number(out), from: 'git' } : undefined;
  } catch {
    return undefined;
  }
}

/** SOURCE_DATE_EPOCH in seconds when the environment sets it to a whole number; else undefined. */
export function environmentEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.SOURCE_DATE_EPOCH?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The build's one time (`epochSeconds`, seconds since 1970) when there is one, else 1 January of `year`, 00:00 UTC. */
export function metadataDate(year: number, epochSeconds: number | undefined): Date {
  return epochSeconds !== undefined ? new Date(epochSeconds * 1000) : new Date(Date.UTC(year, 0, 1));
}
