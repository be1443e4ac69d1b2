/**
 * Checks that a schema cannot express, each reported at the YAML position it is about: duplicate ids,
 * weights that do not sum to 1, unknown groups / series / entities / nodes, missing denominators, and every
 * data value one by one. Also turns the computation's `Problem`s into diagnostics.
 */
import type { LoadedYaml, YamlPath } from '../config/yaml.ts';
import { report } from '../report/diagnostics.ts';
import type { RuleId } from '../report/rules.ts';
import { COMPOSITE, isIndicator, seriesOf, walkTree, type Problem } from './model.ts';
import { locate } from './positions.ts';
import type { Framework, Series } from './schema.ts';

/** Entities listed in one imputation summary before "and N more". */
const LIST_LIMIT = 12;

/** Tolerance for weights summing to 1. */
export const WEIGHT_TOLERANCE = 1e-6;

/** Where each series was defined: its data file and index in `series:`. */
export interface SeriesPlace {
  yaml: LoadedYaml;
  index: number;
}

function at(yaml: LoadedYaml, ruleId: RuleId, reason: string, path: YamlPath, key = false, severity?: 'error' | 'warning' | 'info') {
  report(yaml.file, ruleId, reason, locate(yaml, path, { key }), severity ? { severity } : {});
}

/** Checks of framework.yaml on its own and against the series ids of its data. */
export function checkFramework(yaml: LoadedYaml, framework: Framework, seriesIds: ReadonlySet<string>): void {
  duplicates(yaml, framework.groups, ['groups'], 'group');
  duplicates(yaml, framework.entities, ['entities'], 'entity');
  if (framework.tiers) duplicates(yaml, framework.tiers.levels, ['tiers', 'levels'], 'tier level');

  const groups = new Set(framework.groups.map((g) => g.id));
  framework.entities.forEach((e, i) => {
    if (!groups.has(e.group)) at(yaml, 'indicator-unknown-group', `entity \`${e.id}\` has unknown group \`${e.group}\``, ['entities', i, 'group']);
  });

  const tree = walkTree(framework);
  const seen = new Map<string, YamlPath>();
  for (const { node, path } of tree) {
    if (node.id === COMPOSITE) at(yaml, 'indicator-duplicate-id', `\`${COMPOSITE}\` is reserved for the composite index`, [...path, 'id']);
    else if (seen.has(node.id)) {
      const first = locate(yaml, [...seen.get(node.id)!, 'id']);
      at(yaml, 'indicator-duplicate-id', `duplicate node id \`${node.id}\` (first used on line ${first?.start.line})`, [...path, 'id']);
    } else seen.set(node.id, path);
  }

  // Weights of every sibling list: the dimensions, and the children of each dimension.
  checkWeights(yaml, framework.dimensions, ['dimensions'], 'the dimensions');
  for (const { node, path } of tree) {
    if (node.children) checkWeights(yaml, node.children, [...path, 'children'], `the children of \`${node.id}\``);
  }

  for (const { node, path } of tree) {
    if (!isIndicator(node)) continue;
    const series = seriesOf(node);
    if (!seriesIds.has(series)) {
      at(yaml, 'indicator-unknown-series', `indicator \`${node.id}\` uses series \`${series}\`, which no data file defines`, [...path, node.series ? 'series' : 'id']);
    }
    (node.transform ?? []).forEach((step, i) => {
      if (step.method !== 'per-capita' || seriesIds.has(step.denominator)) return;
      const tpath = Array.isArray(rawAt(yaml, [...path, 'transform'])) ? [...path, 'transform', i, 'denominator'] : [...path, 'transform', 'denominator'];
      at(yaml, 'indicator-denominator', `denominator \`${step.denominator}\` of indicator \`${node.id}\` is not a series in the data`, tpath);
    });
  }

  if (framework.tiers && framework.tiers.of !== COMPOSITE && !seen.has(framework.tiers.of)) {
    at(yaml, 'indicator-unknown-node', `tiers are of \`${framework.tiers.of}\`, which is not a node of the tree`, ['tiers', 'of']);
  }
  if (framework.tiers?.method === 'thresholds') {
    const withoutMin = framework.tiers.levels.filter((l) => l.min == null);
    if (withoutMin.length > 1 || (withoutMin.length === 1 && framework.tiers.levels.at(-1)!.min != null)) {
      at(yaml, 'indicator-schema', 'threshold tiers need a `min` on every level but the last', ['tiers', 'levels']);
    }
    // Levels are read highest first; a list out of order would label scores by a tier the reader does not expect.
    const levels = framework.tiers.levels;
    for (let i = 1; i < levels.length; i++) {
      const prev = levels[i - 1]!;
      const here = levels[i]!;
      if (prev.min != null && here.min != null && here.min >= prev.min) {
        at(
          yaml,
          'indicator-tiers',
          `tier \`${here.id}\` (min ${here.min}) is listed after tier \`${prev.id}\` (min ${prev.min}): threshold tiers go from the highest \`min\` down`,
          ['tiers', 'levels', i, 'min'],
        );
        break;
      }
    }
  }
  // Declared alternatives that cannot vary anything would make the analysis look broader than it is.
  const u = framework.uncertainty;
  if (u) {
    const medianOwn = framework.missing.methods.filter((m) => m !== 'previous-year');
    u.imputations.forEach((m, i) => {
      if (medianOwn.length === 0) at(yaml, 'indicator-uncertainty', `\`uncertainty.imputations\` lists \`${m}\`, but \`missing.methods\` has no median method to replace`, ['uncertainty', 'imputations', i]);
      else if (medianOwn.includes(m)) at(yaml, 'indicator-uncertainty', `\`uncertainty.imputations\` lists \`${m}\`, the framework's own method: it varies nothing`, ['uncertainty', 'imputations', i]);
    });
    u.aggregations.forEach((a, i) => {
      if (a === framework.aggregation) at(yaml, 'indicator-uncertainty', `\`uncertainty.aggregations\` lists \`${a}\`, the framework's own aggregation: it varies nothing`, ['uncertainty', 'aggregations', i]);
    });
  }
  if (framework.years.previous != null && framework.years.previous >= framework.years.current) {
    at(yaml, 'indicator-schema', '`years.previous` must be earlier than `years.current`', ['years', 'previous']);
  }
}

function duplicates(yaml: LoadedYaml, items: ReadonlyArray<{ id: string }>, path: YamlPath, what: string) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      const first = locate(yaml, [...path, seen.get(item.id)!, 'id']);
      at(yaml, 'indicator-duplicate-id', `duplicate ${what} id \`${item.id}\` (first used on line ${first?.start.line})`, [...path, i, 'id']);
    } else seen.set(item.id, i);
  });
}

function checkWeights(yaml: LoadedYaml, nodes: ReadonlyArray<{ id: string; weight: number }>, path: YamlPath, what: string) {
  const sum = nodes.reduce((a, n) => a + n.weight, 0);
  if (Math.abs(sum - 1) <= WEIGHT_TOLERANCE) return;
  const list = nodes.map((n) => `${n.id} ${n.weight}`).join(', ');
  at(yaml, 'indicator-weights', `weights of ${what} sum to ${round(sum)}, not 1 (${list})`, path, true);
}

function round(x: number): string {
  return String(Math.round(x * 1e9) / 1e9);
}

function rawAt(yaml: LoadedYaml, path: YamlPath): unknown {
  let v: any = yaml.value;
  for (const k of path) v = v?.[k as any];
  return v;
}

// ── Data ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Check the values of one series and return the usable ones (finite numbers of known entities in
 * integer years). Every other value is reported where it stands.
 */
export function checkSeriesValues(
  yaml: LoadedYaml,
  index: number,
  series: Series,
  entities: ReadonlySet<string>,
): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  const base = ['series', index, 'values'];
  for (const [entity, byYear] of Object.entries(series.values)) {
    if (!entities.has(entity)) {
      at(yaml, 'indicator-unknown-entity', `unknown entity \`${entity}\` in series \`${series.id}\``, [...base, entity], true);
      continue;
    }
    const row = new Map<number, number>();
    for (const [yearText, value] of Object.entries(byYear ?? {})) {
      const where = [...base, entity, yearText];
      if (!/^\d{4}$/.test(yearText)) {
        const split = commaSplit(yaml, where, byYear ?? {}, yearText);
        if (split) {
          at(
            yaml,
            'indicator-value',
            `\`${split}\` (series \`${series.id}\`, entity \`${entity}\`) was split by YAML at the comma into the value ${split.split(',')[0]} and a key \`${yearText}\`: write a decimal point (${split.replace(',', '.')}), or quote the text`,
            where,
            true,
          );
        } else at(yaml, 'indicator-schema', `\`${yearText}\` is not a year (series \`${series.id}\`, entity \`${entity}\`)`, where, true);
        continue;
      }
      if (value === null || value === undefined) continue; // missing, handled by the policy
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const shown = typeof value === 'string' ? `the text "${value}"` : typeof value === 'number' ? yamlNumber(value) : JSON.stringify(value);
        at(yaml, 'indicator-value', `\`${series.id}\` of \`${entity}\` in ${yearText} is not a number: ${shown}`, where);
        continue;
      }
      if (series.range && (value < series.range[0] || value > series.range[1])) {
        at(yaml, 'indicator-value', `\`${series.id}\` of \`${entity}\` in ${yearText} is ${value}, outside the range ${series.range[0]}–${series.range[1]}`, where);
        continue;
      }
      row.set(Number(yearText), value);
    }
    out.set(entity, row);
  }
  return out;
}

/**
 * A number written with a decimal comma inside a flow map, `{2024: 12,3}`, reads as the value 12 and a key
 * `3` with no value. When the key `yearText` has no value and the text just before it is a number and a
 * comma, return the number as written (`12,3`), else undefined.
 */
function commaSplit(yaml: LoadedYaml, path: YamlPath, row: Record<string, unknown>, yearText: string): string | undefined {
  if (row[yearText] != null) return undefined;
  const place = locate(yaml, path, { key: true });
  const offset = place?.start.offset;
  if (offset == null) return undefined;
  const before = String(yaml.file.value).slice(Math.max(0, offset - 40), offset);
  const m = /(-?\d+(?:\.\d+)?)\s*,\s*$/.exec(before);
  return m ? `${m[1]},${yearText}` : undefined;
}

// ── Problems from the computation ───────────────────────────────────────────────────────────────────

/**
 * Report the computation's problems. Single failures are reported at the value (or the entity's row) in
 * the data file; imputations are summarised per series and year, at the series id, to keep builds quiet.
 */
export function reportProblems(problems: readonly Problem[], places: ReadonlyMap<string, SeriesPlace>, frameworkYaml: LoadedYaml): void {
  const where = problemPlaces(places, frameworkYaml);
  const summaries = new Map<string, Summarised[]>();
  const seen = new Set<string>();
  for (const problem of problems) {
    // A denominator shared by several indicators yields the same problem more than once.
    // An entity without (enough) data is reported once, for the first year (the current one) it concerns.
    const key =
      problem.kind === 'no-data' || problem.kind === 'low-coverage' ? `${problem.kind}\u0000${problem.entity}` : JSON.stringify({ ...problem, indicator: undefined });
    if (seen.has(key)) continue;
    seen.add(key);
    if (problem.kind === 'imputed' || problem.kind === 'fallback-year') {
      const k = `${problem.kind}\u0000${problem.series}\u0000${problem.year}`;
      if (!summaries.has(k)) summaries.set(k, []);
      summaries.get(k)!.push(problem);
    } else reportSingle(problem, where);
  }
  for (const group of summaries.values()) reportSummary(group, where);
}

/** The problems summarised per series and year. */
type Summarised = Extract<Problem, { kind: 'imputed' | 'fallback-year' }>;

/** Where a problem is reported: in a series' data file, or in framework.yaml. */
interface ProblemPlaces {
  frameworkYaml: LoadedYaml;
  /** framework.yaml's `years`. */
  years: Record<string, unknown>;
  /** The value (or the entity's row, or the series id) in the series' data file; framework.yaml when the series is unknown. */
  seriesPlace: (series: string, entity?: string, year?: number) => { yaml: LoadedYaml; path: YamlPath };
  /** The entity's id in framework.yaml's `entities`. */
  entityPath: (entity: string) => YamlPath;
}

function problemPlaces(places: ReadonlyMap<string, SeriesPlace>, frameworkYaml: LoadedYaml): ProblemPlaces {
  const fw = (frameworkYaml.value ?? {}) as { entities?: Array<{ id?: unknown }>; years?: Record<string, unknown> };
  return {
    frameworkYaml,
    years: fw.years ?? {},
    seriesPlace: (series, entity, year) => {
      const p = places.get(series);
      if (!p) return { yaml: frameworkYaml, path: [] };
      const values = (p.yaml.value as any)?.series?.[p.index]?.values ?? {};
      if (entity != null && entity in values) {
        return { yaml: p.yaml, path: year != null && values[entity] && String(year) in values[entity] ? ['series', p.index, 'values', entity, String(year)] : ['series', p.index, 'values', entity] };
      }
      return { yaml: p.yaml, path: ['series', p.index, 'id'] };
    },
    entityPath: (entity) => {
      const i = (fw.entities ?? []).findIndex((e) => String(e?.id) === entity);
      return i >= 0 ? ['entities', i, 'id'] : ['entities'];
    },
  };
}

/** A failure reported on its own, at the value (or the entity's row) or in framework.yaml. */
function reportSingle(problem: Exclude<Problem, Summarised>, where: ProblemPlaces): void {
  const { frameworkYaml, seriesPlace, entityPath } = where;
  switch (problem.kind) {
    case 'missing': {
      const { yaml, path } = seriesPlace(problem.series, problem.entity);
      const how = problem.policy === 'fail' ? 'the policy is `fail`' : 'no imputation method gave a value';
      at(yaml, 'indicator-missing-value', `no value of \`${problem.series}\` for \`${problem.entity}\` in ${problem.year} (${how}); the entity is left out`, path);
      break;
    }
    case 'dropped': {
      const { yaml, path } = seriesPlace(problem.series, problem.entity);
      at(yaml, 'indicator-entity-dropped', `\`${problem.entity}\` dropped from the ${problem.year} ranking: no value of \`${problem.series}\``, path);
      break;
    }
    case 'bad-transform': {
      const { yaml, path } = seriesPlace(problem.series, problem.entity, problem.year);
      const rule = /denominator/.test(problem.reason) ? 'indicator-denominator' : 'indicator-value';
      at(yaml, rule, `\`${problem.indicator}\` of \`${problem.entity}\` in ${problem.year}: ${problem.reason}; the entity is left out`, path);
      break;
    }
    case 'empty-year': {
      const which = Object.entries(where.years).find(([, y]) => Number(y) === problem.year)?.[0];
      at(
        frameworkYaml,
        'indicator-empty-year',
        `the data has no observation at all in ${problem.year}: its ranking would be made of carried-forward and imputed values only; nothing is ranked`,
        which ? ['years', which] : ['years'],
      );
      break;
    }
    case 'no-data':
      at(
        frameworkYaml,
        'indicator-no-data',
        `\`${problem.entity}\` has no data of its own in ${problem.year} (every indicator would be imputed); the entity is not ranked`,
        entityPath(problem.entity),
      );
      break;
    case 'low-coverage': {
      const pc = (x: number) => `${Math.round(x * 1000) / 10} %`;
      at(
        frameworkYaml,
        'indicator-coverage',
        `\`${problem.entity}\` has data of its own for ${pc(problem.coverage)} of the indicators in ${problem.year}, under \`coverage.min\` ${pc(problem.min)}; the entity is not ranked`,
        entityPath(problem.entity),
        false,
        problem.severity,
      );
      break;
    }
  }
}

/** One message for the imputations (or fallback years) of one series and year, at the series id. */
function reportSummary(group: Summarised[], where: ProblemPlaces): void {
  const first = group[0]!;
  const { yaml, path } = where.seriesPlace(first.series);
  const shown = group
    .slice(0, LIST_LIMIT)
    .map((p) => (p.kind === 'fallback-year' ? `${p.entity} (${p.fromYear})` : `${p.entity} (${p.method})`));
  const list = shown.join(', ') + (group.length > LIST_LIMIT ? ` and ${group.length - LIST_LIMIT} more` : '');
  const n = group.length;
  if (first.kind === 'fallback-year') {
    at(yaml, 'indicator-fallback-year', `${n} value${n === 1 ? '' : 's'} of \`${first.series}\` for ${first.year} taken from an earlier year: ${list}`, path);
  } else {
    const reviewed = group.every((p) => p.kind === 'imputed' && !p.warn);
    at(yaml, 'indicator-imputed', `${n} value${n === 1 ? '' : 's'} of \`${first.series}\` for ${first.year} imputed: ${list}`, path, false, reviewed ? 'info' : undefined);
  }
}

/** How YAML spells a number that is not finite (`.nan`, `.inf`, `-.inf`): JSON would print `null`. */
function yamlNumber(value: number): string {
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}
