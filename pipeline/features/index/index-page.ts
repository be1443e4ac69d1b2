/**
 * The back-of-book index (索引): every index mark of the edition, merged by heading and sub-entry, sorted
 * (pinyin for Chinese, alphabetical for English; see index-collation.ts) and grouped by initial letter.
 *
 * Each locator links to the marked place. In the site it names that place (pipeline/site/index-places.ts):
 * the yearbook entry that holds the mark, else its section (网络安全：一、概述; 2.1 Broadband), one link
 * per place; in print it is a page number filled by the PDF page pass: `<a data-page-of="idx-N">` (with
 * `data-page-format="column"` in two-column books: 57a), and the page-range script (index-ranges.ts)
 * merges repeated and consecutive pages into ranges once the numbers are in.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';
import type { EditionContext } from '../../context/types.ts';
import type { IndexMark } from '../../context/index-marks.ts';
import { createIndexCollation, type IndexSortKey } from './index-collation.ts';
import type { CollationMemo } from '../../base/memo.ts';
import type { MatterPage } from '../../html/render-edition.ts';
import { INDEX_RANGES_SCRIPT } from '../../html/index-ranges.ts';
import { distinctPlaces, indexPlaces, type IndexPlace } from '../../site/index-places.ts';

export const INDEX_PAGE_ID = 'book-index';

interface Locators {
  marks: IndexMark[];
}

interface SubEntry extends Locators {
  sub: string;
  key: IndexSortKey;
}

export interface IndexHeading extends Locators {
  term: string;
  key: IndexSortKey;
  subs: Map<string, SubEntry>;
  /** Headings this one refers to (见 / see), in order of first mention. */
  see: string[];
}

export interface IndexGroup {
  /** "A" … "Z", or "#" for digits and symbols. */
  letter: string;
  headings: IndexHeading[];
}

/** Every mark of the edition (in book order), with yearbook entries added under their titles when asked. */
export function collectIndexMarks(context: EditionContext, files: readonly VFile[]): IndexMark[] {
  const withEntries = context.config.index.entries ?? context.config.kind === 'yearbook';
  const marks: IndexMark[] = [];
  for (const file of files) {
    const chapter = file.data.chapter!;
    if (withEntries) {
      for (const label of chapter.labels) {
        if (label.kind === 'entry') marks.push({ id: label.place ?? label.id, term: label.title, kind: 'entry', chapter: chapter.slug });
      }
    }
    marks.push(...(file.data.indexMarks ?? []));
  }
  return marks;
}

/** Merge marks into headings and sub-entries, sort them and group them by initial letter. */
export function groupIndex(marks: readonly IndexMark[], lang: string, memo?: CollationMemo): IndexGroup[] {
  const collation = createIndexCollation(lang, memo);
  const headings = new Map<string, IndexHeading>();
  const explicit = new Set<string>();
  // English headings that differ only in case are one heading (a term marked at the start of a sentence):
  // it is printed in lower case when any of its marks has it so (common nouns), else as first written.
  const chinese = lang.toLowerCase().startsWith('zh');
  const norm = (term: string) => (chinese ? term : term.toLowerCase());
  for (const mark of marks) {
    const name = norm(mark.term);
    let heading = headings.get(name);
    if (!heading) {
      heading = { term: mark.term, key: collation.key(mark.term, mark.sort), marks: [], subs: new Map(), see: [] };
      headings.set(name, heading);
      if (mark.sort) explicit.add(name);
    } else {
      if (!chinese && heading.term !== mark.term && /^\p{Ll}/u.test(mark.term) && !/^\p{Ll}/u.test(heading.term)) {
        heading.term = mark.term;
        if (!explicit.has(name)) heading.key = collation.key(mark.term);
      }
      if (mark.sort && !explicit.has(name)) {
        heading.key = collation.key(heading.term, mark.sort); // an explicit sort key on any mark of the heading wins
        explicit.add(name);
      }
    }
    if (mark.see) {
      if (!heading.see.includes(mark.see)) heading.see.push(mark.see);
    } else if (mark.sub) {
      let sub = heading.subs.get(mark.sub);
      if (!sub) heading.subs.set(mark.sub, (sub = { sub: mark.sub, key: collation.key(mark.sub), marks: [] }));
      sub.marks.push(mark);
    } else {
      heading.marks.push(mark);
    }
  }
  const sorted = [...headings.values()].sort((a, b) => collation.compare(a.key, b.key));
  const groups: IndexGroup[] = [];
  for (const heading of sorted) {
    heading.subs = new Map([...heading.subs].sort(([, a], [, b]) => collation.compare(a.key, b.key)));
    const letter = collation.group(heading.key);
    let group = groups[groups.length - 1];
    if (!group || group.letter !== letter) groups.push((group = { letter, headings: [] }));
    group.headings.push(heading);
  }
  return groups;
}

/** The index as a back-matter page, or undefined when the edition has no marks or the book turns it off. */
export function buildIndexPage(context: EditionContext, files: readonly VFile[], memo?: CollationMemo): MatterPage | undefined {
  if (!context.config.index.enabled) return undefined;
  const marks = collectIndexMarks(context, files);
  if (marks.length === 0) return undefined;
  const { locale } = context;
  const groups = groupIndex(marks, locale.lang, memo);
  const chapters = new Map(files.map((f) => [f.data.chapter!.slug, f.data.chapter!]));
  const columnFormat = context.config.page.columns === 2;

  const link = (mark: IndexMark, children: ElementContent[], extra: Record<string, unknown> = {}): Element =>
    h('a', { href: '#' + mark.id, dataTarget: mark.id, dataChapter: mark.chapter, className: mark.kind === 'entry' ? ['locator', 'locator-entry'] : ['locator'], ...extra }, children);

  // Site: one link per place the heading is marked in, named after the place (entry, section, chapter).
  const places = indexPlaces(files);
  const placeName = (mark: IndexMark, place: IndexPlace | undefined): string => {
    const chapter = chapters.get(mark.chapter);
    const short = chapter?.short ?? mark.chapter;
    if (!place || place.kind === 'chapter') return short;
    if (place.kind === 'entry') return place.name;
    // A section numbered with its chapter (2.1) says where it is; 一、 does not, so the chapter goes first.
    return chapter?.number != null && place.label?.startsWith(`${chapter.number}.`) ? place.name : `${short}${locale.t('colon')}${place.name}`;
  };
  const siteLocators = (marks: readonly IndexMark[]): Element => {
    const parts: ElementContent[] = [];
    for (const { mark, place } of distinctPlaces(marks, places)) {
      if (parts.length) parts.push({ type: 'text', value: locale.t('listSeparator') });
      parts.push(link(mark, [{ type: 'text', value: placeName(mark, place) }]));
    }
    return h('span.index-locators', { dataOnly: 'site' }, parts);
  };

  // Print: one page number per mark (filled by the PDF stage), merged into ranges by index-ranges.ts into
  // the second span once the numbers are in; until then the raw list is what shows.
  const printLocators = (marks: readonly IndexMark[]): Element => {
    const parts: ElementContent[] = [];
    marks.forEach((m, i) => {
      if (i) parts.push({ type: 'text', value: ', ' });
      parts.push(link(m, [{ type: 'text', value: '?' }], { dataPageOf: m.id, ...(columnFormat ? { dataPageFormat: 'column' } : {}) }));
    });
    return h('span.index-locators.index-pages', { dataOnly: 'print', dataPageRanges: '' }, [h('span.index-pages-raw', parts), h('span.index-pages-merged')]);
  };

  const locators = (marks: readonly IndexMark[]): ElementContent[] =>
    marks.length ? [{ type: 'text', value: ' ' }, siteLocators(marks), printLocators(marks)] : [];

  const groupId = (letter: string) => (letter === '#' ? 'index-other' : `index-${letter}`);
  const groupTitle = (letter: string) => (letter === '#' ? locale.t('indexGroupOther') : letter);

  const entry = (heading: IndexHeading): Element => {
    const subs = [...heading.subs.values()];
    const see: ElementContent[] = heading.see.length
      ? [{ type: 'text', value: heading.marks.length ? locale.t('listSeparator') : ' ' }, h('span.index-see', [h('em', locale.t('indexSee')), ' ', heading.see.join(locale.t('listSeparator'))])]
      : [];
    return h('li.index-heading', [
      h('span.index-term', heading.term),
      ...locators(heading.marks),
      ...see,
      subs.length ? h('ul.index-subentries', subs.map((s) => h('li.index-subentry', [h('span.index-term', s.sub), ...locators(s.marks)]))) : null,
    ]);
  };
  const letters = groups.flatMap((g, i): ElementContent[] => [...(i ? [{ type: 'text' as const, value: ' ' }] : []), h('a', { href: '#' + groupId(g.letter) }, groupTitle(g.letter))]);
  const body: ElementContent[] = [
    h('nav.index-letters', { ariaLabel: locale.t('index') }, letters),
    h(
      'div.index-body',
      groups.map((g) => h('section.index-group', { id: groupId(g.letter) }, [h('h2.index-letter', groupTitle(g.letter)), h('ul.index-entries', g.headings.map(entry))])),
    ),
  ];
  body.push(h('script', { dataOnly: 'print' }, INDEX_RANGES_SCRIPT));
  const html: Root = { type: 'root', children: body as Root['children'] };
  return { id: INDEX_PAGE_ID, slug: INDEX_PAGE_ID, title: locale.t('index'), html };
}
