/**
 * Stage 1 of an edition (build-edition.ts): its context — the edition's strings (a derived edition's
 * converted from its source's), its locale, its chapter list (missing and unlisted files are reported on
 * book.yaml) and the per-edition slugger and counters.
 */
import GithubSlugger from 'github-slugger';
import type { BuildSession } from '../base/build-session.ts';
import { editionChapters, type LoadedBook, type Project } from '../config/load-book.ts';
import { createEditionCounters, type EditionContext } from '../context/types.ts';
import { deriveEdition, type DerivedEdition } from '../locale/derive-edition.ts';
import { createLocale, scriptOf } from '../locale/locale.ts';
import { curlyQuotes } from '../html/rehype-english-quotes.ts';
import type { BuildMemo } from '../base/memo.ts';

export interface EditionContextInput {
  project: Project;
  book: LoadedBook;
  editionId: string;
  /** The build's session (its one time; a derived edition's glossary reports its problems on its own file). */
  session: BuildSession;
  /** OpenCC converters and parsed locale files kept between builds. Default: none. */
  memo?: BuildMemo | undefined;
}

/** The edition's context, and for a derived edition (zh-Hant from zh) its converter and glossary. */
export interface EditionStart {
  context: EditionContext;
  convert?: DerivedEdition['convert'];
  glossary?: DerivedEdition['glossary'];
}

export function editionContext(input: EditionContextInput): EditionStart {
  const { project, book, editionId, memo } = input;
  const config = book.config!;
  const derived = deriveEdition(book, editionId, input.session, memo?.opencc);
  const { convert, sourceLang, glossary } = derived;
  // English book-level strings (cover, imprint) get the typographic quotes the chapters get.
  const edition = scriptOf(derived.edition.lang) === 'en' ? bookStringsQuoted(derived.edition) : derived.edition;
  const locale = createLocale(edition.lang, project.templates, { convert, sourceLang, largeUnits: config.numbers.largeUnits, ...(memo ? { parsed: memo.parsed } : {}) });
  const chapters = editionChapters(book, editionId, edition);
  const context: EditionContext = { project, book, config, editionId, edition, locale, chapters, slugger: new GithubSlugger(), counters: createEditionCounters(), sourceDateEpoch: input.session.sourceDateEpoch };
  return { context, ...(convert ? { convert } : {}), ...(glossary ? { glossary } : {}) };
}

/** An English edition's title, subtitle, byline, publisher and description with curly quotes (world's → world’s). */
function bookStringsQuoted<E extends { title: string; subtitle?: string | undefined; byline?: string | undefined; publisher?: string | undefined; description?: string | undefined }>(edition: E): E {
  const q = (s: string | undefined) => (s === undefined ? s : curlyQuotes(s));
  return { ...edition, title: curlyQuotes(edition.title), subtitle: q(edition.subtitle), byline: q(edition.byline), publisher: q(edition.publisher), description: q(edition.description) };
}
