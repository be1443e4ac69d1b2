/**
 * The earlier version a `--compare` build is compared with, as a project in a temporary folder: the
 * manuscripts (and indicator data, when the repository has them) of a git ref, or a folder given with
 * `--compare-dir`. The templates are this build's: only the text and data differ, so the comparison shows
 * changes of content, not of layout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Project } from '../config/load-book.ts';

export type CompareWith = { ref: string } | { dir: string };

export type CompareSource = { ok: true; project: Project; label: string } | { ok: false; error: string };

/** The old version's project: its manuscripts (and indicators), this project's templates. */
export function compareSource(project: Project, against: CompareWith): CompareSource {
  const root = mkdtempSync(join(tmpdir(), 'annals-compare-'));
  if ('dir' in against) {
    const dir = resolve(project.root, against.dir);
    // A copy of the project (with manuscripts/), or a manuscripts folder itself.
    const manuscripts = existsSync(join(dir, 'manuscripts')) ? join(dir, 'manuscripts') : dir;
    if (!existsSync(manuscripts)) return { ok: false, error: `--compare-dir: no folder ${dir}` };
    const indicators = existsSync(join(dir, 'indicators')) ? join(dir, 'indicators') : project.indicators;
    return { ok: true, label: against.dir, project: { root, manuscripts, templates: project.templates, indicators, out: join(root, 'out') } };
  }
  const git = (args: string[]) => execFileSync('git', ['-C', project.root, ...args], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  let names: string[];
  try {
    git(['rev-parse', '--verify', '--quiet', `${against.ref}^{commit}`]);
    names = git(['ls-tree', '-r', '-z', '--name-only', against.ref, '--', 'manuscripts', 'indicators']).toString('utf8').split('\0').filter(Boolean);
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, error: `--compare ${against.ref}: not a commit of the repository at ${project.root}${detail ? ` (${detail})` : ''}` };
  }
  if (!names.some((n) => n.startsWith('manuscripts/'))) return { ok: false, error: `--compare ${against.ref}: that version has no manuscripts/ folder` };
  for (const name of names) {
    const target = join(root, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, git(['show', `${against.ref}:./${name}`]));
  }
  const indicators = names.some((n) => n.startsWith('indicators/')) ? join(root, 'indicators') : project.indicators;
  return { ok: true, label: against.ref, project: { root, manuscripts: join(root, 'manuscripts'), templates: project.templates, indicators, out: join(root, 'out') } };
}
