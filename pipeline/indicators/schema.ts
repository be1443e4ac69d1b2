/**
 * The shapes of an indicator framework (`indicators/<framework>/<edition>/framework.yaml`) and of its data
 * files (`data/*.yaml`). Each schema is also the type the rest of the pipeline uses; defaults are filled in
 * here, so the computation never has to guess. Checks that need more than one value at a time (weights that
 * sum to 1, unknown or duplicate ids, numbers in data) live in `check.ts`, where they can point at YAML
 * positions one by one.
 */
import { z } from 'zod';

/** Ids are ASCII: letters, digits, `_` and `-` (ISO codes, administrative codes, slugs). */
export const Id = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'use letters, digits, `_` and `-` only'));

/** Text per language: `{zh: 中国, en: China}`; a plain string is the same in every language. */
export const Text = z.union([z.string(), z.record(z.string(), z.string())], {
  error: 'expected text, or text per language such as {zh: 中国, en: China} (quote text that holds a comma)',
});
export type Text = z.infer<typeof Text>;

// ── Transform, normalisation, aggregation ───────────────────────────────────────────────────────────

const TransformStep = z.union([
  z
    .enum(['none', 'log', 'treat'])
    .transform((method) =>
      method === 'log' ? { method, base: 10, offset: 0 } : method === 'treat' ? { method, skew: 2, kurtosis: 3.5, winmax: 5 } : { method },
    ),
  z.strictObject({ method: z.literal('none') }),
  z.strictObject({
    method: z.literal('log'),
    /** Logarithm base. Default 10 (only fixed bounds depend on it; min–max scores do not). */
    base: z.number().positive().default(10),
    /** Added before taking the logarithm, for series that can be 0. Default 0. */
    offset: z.number().default(0),
  }),
  z.strictObject({
    method: z.literal('per-capita'),
    /** Id of the data series to divide by (population, GDP, …). */
    denominator: Id,
    /** Multiplies the ratio, e.g. 10000 for "per 10 000 people", 100 for a percentage. Default 1. */
    multiplier: z.number().positive().default(1),
  }),
  z.strictObject({
    method: z.literal('treat'),
    /** An indicator is treated when |skewness| exceeds this … Default 2. */
    skew: z.number().positive().default(2),
    /** … and its excess kurtosis exceeds this. Default 3.5. */
    kurtosis: z.number().positive().default(3.5),
    /** At most this many of the most extreme values are winsorised before falling back to a log. Default 5. */
    winmax: z.number().int().min(0).default(5),
  }),
  z.strictObject({
    method: z.literal('cap'),
    /** Values above this percentile of the year's cross-section are set to it (winsorising). */
    percentile: z.number().gt(0).lte(100).optional(),
    /** Values below this percentile are raised to it. */
    floorPercentile: z.number().gte(0).lt(100).optional(),
    /** A fixed ceiling, in the series' unit. */
    max: z.number().optional(),
    /** A fixed floor, in the series' unit. */
    min: z.number().optional(),
  }),
]);
export type TransformStep = z.infer<typeof TransformStep>;

/** One step or a list of steps applied in order, e.g. `[{method: cap, percentile: 95}, log]`. */
const Transform = z.union([TransformStep, z.array(TransformStep)]).transform((t) => (Array.isArray(t) ? t : [t]));

export const Normalise = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('minmax'),
    /** Fixed lower bound (in transformed units); default: the year's lowest value. */
    min: z.number().optional(),
    /** Fixed upper bound (in transformed units); default: the year's highest value. */
    max: z.number().optional(),
  }),
  z.strictObject({
    method: z.literal('zscore'),
    /** The z-score is mapped to `mean + sd·z`. Defaults 0 and 1; 50 and 10 give a T-score. */
    mean: z.number().default(0),
    sd: z.number().positive().default(1),
  }),
  z.strictObject({
    /** Percentile rank: s = 100 · (r − 1) / (n − 1), r the ascending rank with ties averaged. */
    method: z.literal('percentile'),
  }),
  z.strictObject({
    method: z.literal('frontier'),
    /** Best value (the frontier); default: the best value of any entity in any year of the data. */
    frontier: z.number().optional(),
    /** Worst value; default: the worst value of any entity in any year of the data. */
    worst: z.number().optional(),
  }),
]);
export type Normalise = z.infer<typeof Normalise>;

export const Aggregation = z.enum(['arithmetic', 'geometric']);
export type Aggregation = z.infer<typeof Aggregation>;

export const ImputeMethod = z.enum(['previous-year', 'group-median', 'median']);
export type ImputeMethod = z.infer<typeof ImputeMethod>;

export const MissingPolicy = z.strictObject({
  /** fail: an error per missing value; impute: fill by `methods` in order and warn; drop: leave the entity out. */
  policy: z.enum(['fail', 'impute', 'drop']).default('impute'),
  /** Tried in order until one gives a value. Default: previous-year, then group-median. */
  methods: z.array(ImputeMethod).min(1).default(['previous-year', 'group-median']),
  /** How many earlier years `previous-year` may look back. Default 2. */
  lookback: z.number().int().min(1).default(2),
  /**
   * Report median imputations as warnings (true) or, once an editor has reviewed them for the edition, as
   * information (false), so a release build (warnings are errors) can go ahead. Imputed values are still
   * marked in tables. Default true.
   */
  warn: z.boolean().default(true),
});
export type MissingPolicy = z.infer<typeof MissingPolicy>;

/** An indicator's own missing-value settings: only what it sets overrides the framework's (no defaults). */
const MissingOverride = z.strictObject({
  policy: z.enum(['fail', 'impute', 'drop']).optional(),
  methods: z.array(ImputeMethod).min(1).optional(),
  lookback: z.number().int().min(1).optional(),
  warn: z.boolean().optional(),
});

// ── The tree ────────────────────────────────────────────────────────────────────────────────────────

/**
 * A node of the indicator tree. A node with `children` is a dimension (or sub-dimension); a node without is
 * an indicator, computed from the data series `series` (default: its own id).
 */
export const Node = z.strictObject({
  id: Id,
  name: Text,
  /** Share of the parent; siblings sum to 1. */
  weight: z.number().nonnegative(),
  description: Text.optional(),
  /** Dimensions: how children combine. Default: the framework's `aggregation`. */
  aggregation: Aggregation.optional(),
  /** Indicators: the data series (default: the indicator id). */
  series: Id.optional(),
  /** Indicators: is a higher value better? Default higher. */
  direction: z.enum(['higher', 'lower']).default('higher'),
  /** Indicators: transform(s) before normalising. Default none. */
  transform: Transform.optional(),
  /** Indicators: normalisation. Default: the framework's `normalise`. */
  normalise: Normalise.optional(),
  /** Indicators: missing-value policy. Default: the framework's `missing`. */
  missing: MissingOverride.optional(),
  get children() {
    return z.array(Node).min(1).optional();
  },
});
export type Node = z.infer<typeof Node>;

// ── Entities, tiers, maps ───────────────────────────────────────────────────────────────────────────

export const Group = z.strictObject({ id: Id, name: Text });
export type Group = z.infer<typeof Group>;

export const Entity = z.strictObject({
  /** ISO 3166-1 alpha-3 for countries, the administrative code for provinces. */
  id: Id,
  name: Text,
  /** A short name for charts (北京 for 北京市). Default: `name`. */
  short: Text.optional(),
  group: Id,
  /** Other codes (iso2, numeric …), kept for exports. */
  codes: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
});
export type Entity = z.infer<typeof Entity>;

const TierLevel = z.strictObject({ id: Id, name: Text, /** Lowest score of the tier (thresholds). */ min: z.number().optional() });

export const Tiers = z.strictObject({
  /** thresholds: each level's `min`, highest first; natural-breaks: Jenks breaks into as many classes as levels. */
  method: z.enum(['thresholds', 'natural-breaks']),
  /** The node whose score is tiered. Default `composite`. */
  of: Id.default('composite'),
  levels: z.array(TierLevel).min(1),
});
export type Tiers = z.infer<typeof Tiers>;

export const MapConfig = z.strictObject({
  /** GeoJSON file, relative to the framework folder: swap in an approved standard map here. */
  geometry: z.string(),
  /** Feature property holding the entity id (iso_a3, adcode …). */
  idProperty: z.string(),
  /** Printed with every map. Default: the edition's words (locale key `mapNote`: 示意图，不作为国界或行政区划依据). */
  note: Text.optional(),
  /** Geometry attribution, printed with the source line. */
  attribution: Text.optional(),
  /** Map projection: none (plain lon/lat) or a centre and zoom for the view. */
  center: z.tuple([z.number(), z.number()]).optional(),
  zoom: z.number().positive().optional(),
  /** Feature ids left out of the drawing (e.g. ATA, Antarctica). */
  exclude: z.array(z.string()).default([]),
  /** Aspect scale (ECharts `aspectScale`); default 0.75. */
  aspectScale: z.number().positive().default(0.75),
  /**
   * An inset (附图) in the lower right: the South China Sea islands with the dashed boundary on a China
   * map. `boundary` is a GeoJSON file relative to the framework folder; `bounds` [[west, north], [east,
   * south]] in degrees. Default: none.
   */
  inset: z
    .strictObject({
      boundary: z.string(),
      bounds: z.tuple([z.tuple([z.number(), z.number()]), z.tuple([z.number(), z.number()])]).default([[106, 25], [123, 3]]),
      /** Default: the edition's words (locale key `mapInsetLabel`: 南海诸岛). */
      label: Text.optional(),
    })
    .optional(),
  /** 审图号 of this base map, printed under every map drawn from it (a book or a directive can set another). */
  approval: z.string().min(1).optional(),
});
export type MapConfig = z.infer<typeof MapConfig>;

// ── Coverage, comparability, uncertainty ────────────────────────────────────────────────────────────

export const Coverage = z.strictObject({
  /**
   * Lowest share (0–1) of the indicators for which an entity has data of its own (observed in the year, or
   * carried forward when `carried` is true); an entity below it is not ranked (`indicator-coverage`).
   * Default 0: only an entity with no data of its own at all is left out, as an error (`indicator-no-data`).
   */
  min: z.number().min(0).max(1).default(0),
  /** Values carried forward from an earlier year count as the entity's own data. Default true. */
  carried: z.boolean().default(true),
  /** Severity of `indicator-coverage`. Default warning. */
  severity: z.enum(['error', 'warning']).default('warning'),
});
export type Coverage = z.infer<typeof Coverage>;

export const Goalposts = z.strictObject({
  /**
   * Base data year: every min–max indicator without fixed bounds is normalised with the lowest and highest
   * transformed values of this year, in every year computed, so scores of different years are on one scale.
   */
  year: z.number().int(),
  /** Clamp scores to 0–100 (values beyond the base year's range). Default false: progress beyond it shows. */
  clamp: z.boolean().default(false),
});
export type Goalposts = z.infer<typeof Goalposts>;

export const Uncertainty = z.strictObject({
  /** Number of Monte Carlo draws. Default 1000. */
  draws: z.number().int().min(10).max(100000).default(1000),
  /** Seed of the pseudo-random generator (mulberry32): the same seed gives the same intervals. Default 1. */
  seed: z.number().int().nonnegative().default(1),
  /** Each varied weight is multiplied by a uniform factor in [1 − weights, 1 + weights]. Default 0.25. */
  weights: z.number().min(0).lt(1).default(0.25),
  /** Which weights vary: the dimensions' (top level) or every node's. Default dimensions. */
  weightLevel: z.enum(['dimensions', 'all']).default('dimensions'),
  /** Alternative normalisations drawn with equal probability besides each indicator's own. Default none. */
  normalisations: z.array(z.enum(['minmax', 'zscore', 'percentile'])).default([]),
  /** Alternative aggregations of the dimensions into the composite. Default none. */
  aggregations: z.array(Aggregation).default([]),
  /** Alternative median imputations (replacing the framework's median method). Default none. */
  imputations: z.array(z.enum(['group-median', 'median'])).default([]),
  /** Width of the rank interval: 0.9 gives the 5th–95th percentiles. Default 0.9. */
  interval: z.number().gt(0).lt(1).default(0.9),
  /** A rank change smaller than the uncertainty prints as "—" (dash), is marked † (flag), or prints as is (show). Default flag. */
  changes: z.enum(['dash', 'flag', 'show']).default('flag'),
});
export type Uncertainty = z.infer<typeof Uncertainty>;

// ── The framework ───────────────────────────────────────────────────────────────────────────────────

export const Framework = z.strictObject({
  id: Id,
  /** The edition year (the folder name). */
  edition: z.number().int(),
  title: Text,
  /** The data years: `current` is ranked, `previous` gives the change; `series` the years of time-series charts. */
  years: z.strictObject({
    current: z.number().int(),
    previous: z.number().int().optional(),
    from: z.number().int().optional(),
  }),
  /** Folder of data files relative to the framework file. Default `data`. */
  data: z.string().default('data'),
  /** Column heading of entity names in tables: {zh: 国家, en: Country}. Default: 名称 / Name. */
  entityLabel: Text.optional(),
  groups: z.array(Group).min(1),
  entities: z.array(Entity).min(1),
  missing: MissingPolicy.default({ policy: 'impute', methods: ['previous-year', 'group-median'], lookback: 2, warn: true }),
  normalise: Normalise.default({ method: 'minmax' }),
  aggregation: Aggregation.default('arithmetic'),
  /** Scores closer than this share a rank (standard competition ranking, "1224"). Default 1e-9. */
  tieTolerance: z.number().nonnegative().default(1e-9),
  /** Decimal places printed for scores. Default 2. */
  decimals: z.number().int().min(0).max(6).default(2),
  tiers: Tiers.optional(),
  /** Data coverage required to rank an entity. */
  coverage: Coverage.default({ min: 0, carried: true, severity: 'warning' }),
  /** Fixed goalposts for min–max normalisation (comparable years). Default none: bounds of each year. */
  goalposts: Goalposts.optional(),
  /** Uncertainty and sensitivity analysis (Monte Carlo). Default none. */
  uncertainty: Uncertainty.optional(),
  map: MapConfig.optional(),
  /** Extra methodology text printed by `::methodology` under the formula. */
  notes: Text.optional(),
  dimensions: z.array(Node).min(1),
});
export type Framework = z.infer<typeof Framework>;

// ── Data files ──────────────────────────────────────────────────────────────────────────────────────

export const Series = z.strictObject({
  id: Id,
  name: Text,
  unit: Text,
  /** Printed in every table and chart that uses the series (数据来源：…). */
  source: Text,
  licence: z.string(),
  /** Upstream code (a WDI code) and address. */
  code: z.string().optional(),
  url: z.string().optional(),
  /** Illustrative sample data: printed as 示例数据 wherever it is used. */
  illustrative: z.boolean().default(false),
  note: Text.optional(),
  /** Allowed range of values, checked on load. */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** entity id → year → value. Checked value by value in check.ts, so each bad value has a position. */
  values: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
});
export type Series = z.infer<typeof Series>;

export const DataFile = z.strictObject({
  /** Free text for the reader of the file (how it was made). */
  comment: z.string().optional(),
  series: z.array(Series).min(1),
});
export type DataFile = z.infer<typeof DataFile>;
