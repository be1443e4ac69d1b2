/**
 * Statistics tables from YAML: `::stats-table{src="data/statistics.yaml" table="provincial-gdp"}`.
 * Runs in the `expand` phase, before the built-in directives: the directive becomes a `:::table` with the
 * table's title as caption and its source as source line, so it is numbered (表10-1) and listed with the
 * chapter's other tables. Inside: the unit line (单位：亿元), the table from the shared renderer
 * (pipeline/charts/data-table.ts) and the note (注：…).
 */
import type { Paragraph, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import type { EditionContext } from '../../context/types.ts';
import type { DataFiles } from '../../config/data-files.ts';
import { checkStatsTables, statsFileSchema, type StatsTable } from '../../config/stats-schema.ts';
import { dataTable } from '../../charts/data-table.ts';
import { report } from '../../report/diagnostics.ts';
import { closest } from '../../report/closest.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

export interface StatsTableOptions {
  context: EditionContext;
  data: DataFiles;
}

export function remarkStatsTable(options: StatsTableOptions) {
  const { context, data } = options;
  const { locale } = context;
  const checked = new Map<string, StatsTable[]>();
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'stats-table', ANY_KIND, (directive, { replace }) => {
      const attrs = directive.attributes ?? {};
      const fail = (reason: string, hint?: string, rule: 'data-file' | 'directive-attribute' = 'directive-attribute') => {
        report(file, rule, reason, directive, { hint });
        replace({ type: 'paragraph', children: [{ type: 'text', value: `[stats-table ${attrs.table ?? ''}]` }] });
      };
      if (directive.type !== 'leafDirective') return fail('write a statistics table as a leaf directive: ::stats-table{src="…" table="…"}');
      if (!attrs.src) return fail('::stats-table needs `src`, the YAML file of the tables', 'Add src="data/statistics.yaml".');
      if (!attrs.table) return fail('::stats-table needs `table`, the id of a table in the file', 'Add table="<id>".');
      const loaded = data.load(attrs.src, statsFileSchema, 'stats-data');
      if (!loaded) return fail(`data file "${attrs.src}" does not exist in the book folder`, undefined, 'data-file');
      if (!loaded.value) return fail(`data file "${attrs.src}" has errors (reported there)`, 'Fix the problems reported in the data file.', 'data-file');
      let tables = checked.get(attrs.src);
      if (!tables) checked.set(attrs.src, (tables = checkStatsTables(loaded.loaded, loaded.value.tables)));
      const table = tables.find((t) => t.id === attrs.table);
      if (!table) {
        const all = loaded.value.tables.map((t) => t.id);
        if (all.includes(attrs.table)) return fail(`table "${attrs.table}" in "${attrs.src}" has errors (reported there)`, 'Fix the problems reported in the data file.', 'data-file');
        const near = closest(attrs.table, all);
        return fail(`no table "${attrs.table}" in "${attrs.src}"`, near ? `Did you mean "${near}"?` : `Tables: ${all.join(', ')}.`);
      }
      const paragraph = (className: string, value: string, extra: Record<string, unknown> = {}): Paragraph =>
        ({ type: 'paragraph', children: [{ type: 'text', value }], data: { hProperties: { className: [className], ...extra } } }) as Paragraph;
      const children: RootContent[] = [
        { type: 'paragraph', children: [{ type: 'text', value: table.title }], data: { directiveLabel: true } } as Paragraph,
        ...(table.unit ? [paragraph('table-unit', locale.t('unit') + table.unit)] : []),
        { type: 'table', align: [], children: [], data: { hName: 'table', hChildren: dataTable({ columns: table.columns, rows: table.rows, locale, missing: locale.t('missingValue') }).children } },
        ...(table.note ? [paragraph('note', locale.t('note') + table.note)] : []),
      ];
      for (const child of children) (child as { position?: unknown }).position = directive.position;
      replace({
        type: 'containerDirective',
        name: 'table',
        attributes: { ...(attrs.id ? { id: attrs.id } : {}), source: table.source },
        children: children,
        position: directive.position,
        data: {},
      });
      // The data table's own classes go on the <table>.
      (children.find((c) => c.type === 'table')!.data as { hProperties?: unknown }).hProperties = { className: ['data-table', 'stats-table'], dataTable: table.id, ...(table.licence ? { dataLicence: table.licence } : {}) };
    });
  };
}
