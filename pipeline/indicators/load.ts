/**
 * Loading a framework folder (`indicators/<id>/<edition>/framework.yaml` and its `data/*.yaml`) into a
 * checked framework and dataset, with every problem reported on the file it concerns at its YAML position.
 * This module, `framework-files.ts` (where a framework's files are, and their stamp), `store.ts` and
 * `indicator-reads.ts` are the only ones in pipeline/indicators/ that touch the file system.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VFile } from 'vfile';
import { z } from 'zod';
import { loadYaml, validate, type LoadedYaml } from '../config/yaml.ts';
import { report } from '../report/diagnostics.ts';
import { checkFramework, checkSeriesValues, type SeriesPlace } from './check.ts';
import type { Dataset } from './model.ts';
import { locate } from './positions.ts';
import { Framework, Series } from './schema.ts';
import { dataPathsOf, folderStamp, geometryExists, hashFiles, stampedFiles } from './framework-files.ts';

export interface LoadedFramework {
  id: string;
  edition: number;
  /** Absolute folder of framework.yaml. */
  dir: string;
  frameworkYaml: LoadedYaml;
  dataYaml: LoadedYaml[];
  /** Every file read, for the diagnostics reporter. */
  files: VFile[];
  /** Undefined when framework.yaml does not match the schema. */
  framework: Framework | undefined;
  dataset: Dataset;
  /** Where each series is defined. */
  places: Map<string, SeriesPlace>;
  /** SHA-256 of every file's path and text: the key of the results cache. */
  hash: string;
  /** True when any file has an error: results must not be published. */
  hasErrors: boolean;
}

const DataShape = z.looseObject({ comment: z.string().optional(), series: z.array(z.unknown()).min(1) });

/**
 * What a load of `loaded.dir` read, as it is on disk now: `loaded.hash` of the current files (the data
 * folder as framework.yaml names it) and whether the map geometry exists. Equal to `loadedStamp(loaded)`
 * while nothing the load depends on changed (a preview's memo, pipeline/indicators/store.ts).
 */
export function frameworkStamp(loaded: LoadedFramework): string {
  let frameworkText: string;
  try {
    frameworkText = readFileSync(join(loaded.dir, 'framework.yaml'), 'utf8');
  } catch {
    return 'missing';
  }
  // framework.yaml as loaded: its `data` and `map` are those of the loaded framework.
  if (frameworkText !== String(loaded.frameworkYaml.file.value)) return 'changed';
  return folderStamp(stampedFiles(loaded));
}

/**
 * A cheap stand-in for `frameworkStamp`: the size, mtime and inode of every file a load of `loaded.dir`
 * reads, and whether the map geometry exists. Equal signatures mean unchanged files unless a file was
 * modified within two seconds before the signature was taken (`trusted` is false then: a later change in
 * the same mtime tick would go unseen, as with git's "racy" index entries).
 */
export function frameworkStatSignature(loaded: LoadedFramework): { signature: string; trusted: boolean } {
  const started = Date.now();
  let newest = 0;
  const paths = [join(loaded.dir, 'framework.yaml'), ...dataPathsOf(join(loaded.dir, loaded.framework?.data ?? 'data'))];
  const parts = paths.map((path) => {
    try {
      const s = statSync(path);
      newest = Math.max(newest, s.mtimeMs);
      return `${path}\u0000${s.size}\u0000${s.mtimeMs}\u0000${s.ino}`;
    } catch {
      return `${path}\u0000missing`;
    }
  });
  return { signature: `${parts.join('\n')}\n${geometryExists(loaded)}`, trusted: started - newest > 2000 };
}

export function loadFramework(dir: string): LoadedFramework {
  dir = resolve(dir);
  const frameworkPath = join(dir, 'framework.yaml');
  const frameworkFile = new VFile({ path: frameworkPath, value: readFileSync(frameworkPath, 'utf8') });
  const frameworkYaml = loadYaml(frameworkFile);
  const framework = validate(frameworkYaml, Framework, 'indicator-schema');

  const dataDir = join(dir, framework?.data ?? 'data');
  const dataPaths = dataPathsOf(dataDir);
  const dataYaml = dataPaths.map((path) => loadYaml(new VFile({ path, value: readFileSync(path, 'utf8') })));

  const hash = hashFiles([frameworkYaml, ...dataYaml].map((y) => [y.file.path, String(y.file.value)]));

  const entityIds = new Set(framework?.entities.map((e) => e.id) ?? []);
  const dataset: Dataset = new Map();
  const places = new Map<string, SeriesPlace>();
  for (const yaml of dataYaml) {
    const shape = validate(yaml, DataShape, 'indicator-schema');
    if (!shape) continue;
    shape.series.forEach((_, index) => {
      const series = validate(yaml, Series, 'indicator-schema', ['series', index]);
      if (!series) return;
      const earlier = places.get(series.id);
      if (earlier) {
        const first = locate(earlier.yaml, ['series', earlier.index, 'id']);
        report(
          yaml.file,
          'indicator-duplicate-id',
          `duplicate series id \`${series.id}\` (first defined in ${earlier.yaml.file.basename}:${first?.start.line})`,
          locate(yaml, ['series', index, 'id']),
        );
        return;
      }
      places.set(series.id, { yaml, index });
      const values = framework ? checkSeriesValues(yaml, index, series, entityIds) : new Map();
      const { values: _unchecked, ...meta } = series;
      dataset.set(series.id, { ...meta, values });
    });
  }

  const ids = dir.split(/[\\/]/);
  if (framework) {
    if (framework.id !== ids.at(-2)) {
      report(frameworkFile, 'indicator-schema', `\`id\` is "${framework.id}" but the folder is "${ids.at(-2)}"`, locate(frameworkYaml, ['id']));
    }
    if (String(framework.edition) !== ids.at(-1)) {
      report(frameworkFile, 'indicator-schema', `\`edition\` is ${framework.edition} but the folder is "${ids.at(-1)}"`, locate(frameworkYaml, ['edition']));
    }
    checkFramework(frameworkYaml, framework, new Set(dataset.keys()));
    if (framework.map && !existsSync(resolve(dir, framework.map.geometry))) {
      report(frameworkFile, 'indicator-map', `map geometry \`${framework.map.geometry}\` does not exist`, locate(frameworkYaml, ['map', 'geometry']), {
        severity: 'error',
      });
    }
  }

  const files = [frameworkFile, ...dataYaml.map((y) => y.file)];
  return {
    id: framework?.id ?? ids.at(-2)!,
    edition: framework?.edition ?? Number(ids.at(-1)),
    dir,
    frameworkYaml,
    dataYaml,
    files,
    framework,
    dataset,
    places,
    hash: hash.digest('hex'),
    hasErrors: files.some((f) => f.messages.some((m) => m.fatal === true)),
  };
}
