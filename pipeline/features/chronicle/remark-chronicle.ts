/**
 * The chronicle (大事记): `::chronicle{src="data/chronicle.yaml"}` → the events of the YAML file, checked
 * (dates with their YAML positions, see config/chronicle-schema.ts), sorted by date — events known only
 * to the month go at the end of their month (是月) — and grouped under month headings (1月 … / January …)
 * that serve as the chronicle's 分目. Each event's `terms:` become index marks pointing at the event.
 */
import type { Root } from 'mdast';
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';
import type { EditionContext } from '../../context/types.ts';
import type { DataFiles } from '../../config/data-files.ts';
import { validate, placeOf } from '../../config/yaml.ts';
import { chronicleEventSchema, chronicleFileSchema, dateParts, type ChronicleEvent } from '../../config/chronicle-schema.ts';
import { report } from '../../report/diagnostics.ts';
import { addIndexMark, type IndexMarkCounter } from '../../context/index-marks.ts';
import { ANY_KIND, visitDirective } from '../../markdown/directive-utils.ts';

export interface ChronicleOptions {
  context: EditionContext;
  data: DataFiles;
  /** The edition's index-mark counter: event terms become index marks. */
  counter: IndexMarkCounter;
}

export interface DatedEvent extends ChronicleEvent {
  month: number;
  day?: number;
  /** Position in the file, to keep the file's order among events of the same date. */
  order: number;
}

/** Events in chronicle order: by month, then day; events without a day last in their month. */
export function sortEvents(events: readonly DatedEvent[]): DatedEvent[] {
  return [...events].sort((a, b) => a.month - b.month || (a.day ?? 99) - (b.day ?? 99) || a.order - b.order);
}

export function remarkChronicle(options: ChronicleOptions) {
  const { context, data, counter } = options;
  const { locale } = context;
  const monthNames = locale.t('monthNames').split(',');
  const checked = new Map<string, { events: DatedEvent[]; source?: string; year?: number }>();
  return (tree: Root, file: VFile) => {
    visitDirective(tree, 'chronicle', ANY_KIND, (directive, { replace }) => {
      const src = directive.attributes?.src;
      const fail = (rule: 'directive-attribute' | 'data-file', reason: string, hint?: string) => {
        report(file, rule, reason, directive, { hint });
        replace({ type: 'paragraph', children: [{ type: 'text', value: '[chronicle]' }] });
      };
      if (directive.type !== 'leafDirective') return fail('directive-attribute', 'write the chronicle as a leaf directive: ::chronicle{src="…"}');
      if (!src) return fail('directive-attribute', '::chronicle needs `src`, the YAML file of events', 'Add src="data/chronicle.yaml".');
      const loaded = data.load(src, chronicleFileSchema, 'chronicle-data');
      if (!loaded) return fail('data-file', `data file "${src}" does not exist in the book folder`);
      if (!loaded.value) return fail('data-file', `data file "${src}" has errors (reported there)`, 'Fix the problems reported in the data file.');
      let chronicle = checked.get(src);
      if (!chronicle) {
        const { year, source } = loaded.value;
        const events: DatedEvent[] = [];
        loaded.value.events.forEach((_, i) => {
          const event = validate(loaded.loaded, chronicleEventSchema, 'chronicle-data', ['events', i]);
          if (!event) return;
          const parts = dateParts(event.date);
          if (year !== undefined && parts.year !== year) {
            report(loaded.loaded.file, 'chronicle-date', `the event of ${event.date} is not in the chronicle's year ${year}`, placeOf(loaded.loaded, ['events', i, 'date']));
          }
          // Event text and terms are prose: a derived edition (zh-Hant) prints them converted.
          events.push({ ...event, text: locale.convert(event.text), terms: event.terms.map((t) => locale.convert(t)), month: parts.month, day: parts.day, order: i });
        });
        checked.set(src, (chronicle = { events: sortEvents(events), source: source === undefined ? undefined : locale.convert(source), year }));
      }

      const children: ElementContent[] = [];
      let month = 0;
      let list: Element | undefined;
      for (const event of chronicle.events) {
        if (event.month !== month) {
          month = event.month;
          const year = chronicle.year ?? dateParts(event.date).year;
          children.push(h('h2.chronicle-month', { id: `chronicle-${year}-${String(month).padStart(2, '0')}`, dataExplicitId: '' }, monthNames[month - 1] ?? String(month)));
          children.push((list = h('dl.chronicle-events')));
        }
        const anchors = event.terms.map((term) => h('span.idx-mark', { id: addIndexMark(file, counter, { term: locale.convert(term), kind: 'term', position: directive.position }) }));
        list!.children.push(
          h('div.chronicle-event', { dataDate: event.date }, [
            h('dt.chronicle-date', event.day ? locale.t('chronicleDate', { day: event.day }) : locale.t('monthOnly')),
            h('dd.chronicle-text', [...anchors, locale.convert(event.text)]),
          ]),
        );
      }
      if (chronicle.source) children.push(h('p.source', locale.t('source') + locale.convert(chronicle.source)));
      replace({
        type: 'annalsElement',
        position: directive.position,
        data: { hName: 'section', hProperties: { className: ['chronicle'] }, hChildren: children },
        children: [],
      });
    });
  };
}
