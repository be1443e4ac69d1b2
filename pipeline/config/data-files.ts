/**
 * YAML data files next to a book (the yearbook's chronicle and statistics), loaded once per edition even
 * when several directives name the same file, validated once against their schema, and registered with
 * the build so their diagnostics are printed at the YAML line and column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { z } from 'zod';
import { loadYaml, validate, type LoadedYaml } from './yaml.ts';
import type { RuleId } from '../report/rules.ts';

export interface DataFile<T> {
  loaded: LoadedYaml;
  /** The validated value; undefined when the file has errors (reported on `loaded.file`). */
  value: T | undefined;
}

export interface DataFiles {
  /**
   * Load `src` (relative to the book folder) and validate it with `schema`. Returns undefined when the
   * file does not exist or lies outside the book folder (the caller reports that at the directive).
   */
  load<S extends z.ZodType>(src: string, schema: S, ruleId: RuleId): DataFile<z.output<S>> | undefined;
}

export interface DataFilesOptions {
  /** The book folder that `src` paths are relative to. */
  bookDir: string;
  /** The build's session: every loaded file joins it, so its messages are reported. */
  session: BuildSession;
}

export function createDataFiles(options: DataFilesOptions): DataFiles {
  const cache = new Map<string, DataFile<unknown>>();
  return {
    load(src, schema, ruleId) {
      const relative = normalize(src).replace(/^(\.\/)+/, '');
      if (relative.startsWith('..') || relative.startsWith('/')) return undefined;
      const path = join(options.bookDir, relative);
      const key = `${path}\u0000${ruleId}`;
      const cached = cache.get(key);
      if (cached) return cached as DataFile<z.output<typeof schema>>;
      if (!existsSync(path)) return undefined;
      const file = new VFile({ path, value: readFileSync(path, 'utf8') });
      options.session.add(file);
      const loaded = loadYaml(file);
      const value = validate(loaded, schema, ruleId);
      const result = { loaded, value };
      cache.set(key, result);
      return result;
    },
  };
}
