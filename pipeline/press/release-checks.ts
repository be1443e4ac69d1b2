/**
 * What a release refuses before anything is built (docs/print-production.md): an edition without the
 * imprint fields its language needs, data marked as placeholders (`imprint.sample`, `press.draft`, a
 * chapter's `draft: true`) and sample or demo text (SAMPLE_MARKERS) in book.yaml or a chapter. Each problem
 * is reported at its position in book.yaml or the chapter. Maps without an approval number are refused by
 * the map stage (charts/choropleth.ts), which knows which figures are maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isScalar, visit, type Scalar } from 'yaml';
import { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { LoadedBook } from '../config/load-book.ts';
import { editionChapters } from '../config/load-book.ts';
import { placeOf } from '../config/yaml.ts';
import { report } from '../report/diagnostics.ts';
import type { Imprint } from '../config/imprint-schema.ts';

/** Phrases that mark text as sample or demo material; a release refuses any of them. */
export const SAMPLE_MARKERS = ['示例数据', '示例版', '示例出版社', '示範數據', '示例資料', '樣書', '演示版', '演示数据', 'sample data', 'sample edition', 'sample press', 'demo edition', 'demo data', 'lorem ipsum'];

type Path = ReadonlyArray<string>;

/** Imprint fields a release needs, by the edition's language (paths under `imprint:`). */
export const REQUIRED_IMPRINT: { cjk: Path[]; other: Path[] } = {
  cjk: [['isbn'], ['cip', 'place'], ['cip', 'subjects'], ['cip', 'classification'], ['cip', 'number'], ['editors'], ['coverDesign'], ['address'], ['printer'], ['edition'], ['printing'], ['price']],
  other: [['isbn'], ['copyright'], ['edition'], ['printing'], ['printedIn']],
};

export interface ReleaseCheckOptions {
  /**
   * Sample books (`--allow-sample`): placeholder data and sample text are reported as information, not
   * refused, so the sample books can show the whole release. Missing fields are still refused. Default: false.
   */
  allowSample?: boolean;
}

/** Report every reason the book cannot be released. Chapter problems go on new files added to the build's session. */
export function checkRelease(book: LoadedBook, editionIds: readonly string[], session: BuildSession, options: ReleaseCheckOptions = {}): void {
  const config = book.config;
  if (!config) return;
  const severity = options.allowSample ? ({ severity: 'info' } as const) : {};
  const yaml = book.yaml;
  if (config.press.draft) report(book.file, 'release-sample', 'the book is marked `draft: true`', placeOf(yaml, ['press', 'draft']));
  for (const id of editionIds) {
    const edition = config.editions[id]!;
    const at = ['editions', id];
    if (!edition.publisher && !edition.derive) report(book.file, 'release-imprint-missing', `edition "${id}" has no \`publisher\``, placeOf(yaml, at));
    const imprint = edition.imprint;
    if (!imprint) {
      report(book.file, 'release-imprint-missing', `edition "${id}" has no \`imprint:\` (版权页 and CIP data)`, placeOf(yaml, at));
      continue;
    }
    if (imprint.sample) report(book.file, 'release-sample', `the imprint of edition "${id}" is marked \`sample: true\` (placeholder ISBN, CIP number, price)`, placeOf(yaml, [...at, 'imprint', 'sample']), severity);
    const cjk = /^zh/i.test(edition.lang);
    for (const path of REQUIRED_IMPRINT[cjk ? 'cjk' : 'other']) {
      if (valueAt(imprint, path) === undefined) {
        report(book.file, 'release-imprint-missing', `edition "${id}": \`imprint.${path.join('.')}\` is missing`, placeOf(yaml, [...at, 'imprint', ...path]));
      }
    }
  }
  // Sample or demo phrases in any value of book.yaml.
  visit(yaml.doc, {
    Scalar(_, node: Scalar) {
      if (typeof node.value !== 'string' || !node.range) return;
      const marker = markerIn(node.value);
      if (marker === undefined) return;
      const start = yaml.lines.linePos(node.range[0]);
      report(book.file, 'release-sample', `"${marker}" marks sample text: "${node.value}"`, { line: start.line, column: start.col }, severity);
    },
  });
  // …and in the chapters of the editions built (a derived edition reads its source's files: once).
  const seen = new Set<string>();
  for (const id of editionIds) {
    for (const source of editionChapters(book, id, config.editions[id]!)) {
      if (seen.has(source.path) || !existsSync(source.path)) continue;
      seen.add(source.path);
      const text = readFileSync(source.path, 'utf8');
      const file = new VFile({ path: source.path, value: text });
      checkChapterText(file, text, options.allowSample ?? false);
      if (file.messages.length) session.add(file);
    }
  }
}

/** Sample markers anywhere in a chapter, and `draft: true` in its front matter. */
export function checkChapterText(file: VFile, text: string, allowSample = false): void {
  const severity = allowSample ? ({ severity: 'info' } as const) : {};
  const lines = text.split('\n');
  const matter = /^---\r?\n/.test(text) ? lines.indexOf('---', 1) : -1;
  lines.forEach((line, i) => {
    if (i > 0 && i < matter && /^draft:\s*true\s*$/.test(line)) {
      report(file, 'release-sample', 'the chapter is marked `draft: true`', { line: i + 1, column: 1 });
    }
    const lower = line.toLowerCase();
    for (const marker of SAMPLE_MARKERS) {
      const at = lower.indexOf(marker.toLowerCase());
      if (at >= 0) report(file, 'release-sample', `"${marker}" marks sample text`, { line: i + 1, column: at + 1 }, severity);
    }
  });
}

function markerIn(text: string): string | undefined {
  const lower = text.toLowerCase();
  return SAMPLE_MARKERS.find((m) => lower.includes(m.toLowerCase()));
}

function valueAt(imprint: Imprint, path: Path): unknown {
  let v: unknown = imprint;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}
