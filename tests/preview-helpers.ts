/**
 * Helpers of the preview tests and the preview bench: a temporary project made from a fixture book (or a
 * sample book) with its own copy of the templates, so tests can edit anything; and a headless Chromium.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { projectAt, type Project } from '../pipeline/config/load-book.ts';
import { findBrowser } from '../pipeline/pdf/find-browser.ts';
import { QUIET_ARGS } from '../pipeline/pdf/browser.ts';
import assert from 'node:assert/strict';
import { listTree } from '../pipeline/base/hash.ts';
import { repoRoot } from './helpers.ts';

export const PREVIEW_FIXTURE = join(repoRoot, 'tests', 'fixtures', 'preview-book');
export const PREVIEW_BOOK = 'preview-book-2026';

export interface EditableProject extends Project {
  edit(path: string, change: (text: string) => string): void;
  read(path: string): string;
}

/**
 * A project in a temp folder: the given books (from the fixture folder or from manuscripts/), a copy of
 * templates/ and, when `indicators`, a copy of indicators/.
 */
export function copyProject(options: { fixture?: string; books?: string[]; indicators?: boolean } = {}): EditableProject {
  const root = mkdtempSync(join(tmpdir(), 'annals-preview-'));
  if (options.fixture) cpSync(join(options.fixture, 'manuscripts'), join(root, 'manuscripts'), { recursive: true });
  for (const book of options.books ?? []) cpSync(join(repoRoot, 'manuscripts', book), join(root, 'manuscripts', book), { recursive: true });
  cpSync(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
  if (options.indicators && existsSync(join(repoRoot, 'indicators'))) cpSync(join(repoRoot, 'indicators'), join(root, 'indicators'), { recursive: true });
  const project = projectAt(root);
  return {
    ...project,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    edit(path, change) {
      const full = join(root, path);
      writeFileSync(full, change(readFileSync(full, 'utf8')));
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: findBrowser().path,
    headless: true,
    pipe: true,
    args: [...QUIET_ARGS], // the preview is served on loopback: not the print browser's offline flags
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** Every file under `a` equals the one under `b`, and neither has a file the other lacks. */
export function assertSameTree(a: string, b: string): void {
  const left = listTree(a);
  const right = listTree(b);
  assert.deepEqual(left, right, 'the same files');
  const differing = left.filter((rel) => !readFileSync(join(a, rel)).equals(readFileSync(join(b, rel))));
  assert.deepEqual(differing, [], 'the same bytes');
}
