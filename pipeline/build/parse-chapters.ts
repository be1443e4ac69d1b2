/**
 * Stage 2 of an edition (build-edition.ts): read every chapter, cap its nesting, read its front matter
 * and number it. All chapters are numbered before any per-chapter stage runs: a chapter's number depends
 * on which chapters before it are numbered, and every later stage needs it. The whole tree is parsed
 * only when the front matter needs it (a cache answers the front matter alone, parse-cache.ts); otherwise
 * it is parsed when the per-chapter stages ask for it.
 */
import type { VFile } from 'vfile';
import type { BuildSession } from '../base/build-session.ts';
import type { Root as MdastRoot, Yaml } from 'mdast';
import type { ChapterProcessor } from '../chapter/processor.ts';
import type { ChapterInfo, EditionContext } from '../context/types.ts';
import type { ChapterSource } from '../config/load-book.ts';
import type { HashMemo } from '../base/memo.ts';
import { readChapter } from '../markdown/read-chapter.ts';
import { limitNesting } from '../markdown/nesting-depth.ts';
import { readFrontMatter } from '../markdown/front-matter.ts';
import type { FrontMatter } from '../config/book-schema.ts';
import { authorsPlace, resolveAuthors, type People } from '../locale/people.ts';

export interface ParseChaptersInput {
  context: EditionContext;
  processor: ChapterProcessor;
  /** The book's people (people.yaml): bylines by id, printed in the edition's language. Default: none. */
  people: People | undefined;
  /** The build's session: every chapter file joins it, so its problems are reported. */
  session: BuildSession;
  /** Parsed front matter kept between builds. Default: none. */
  parsed?: HashMemo<unknown> | undefined;
}

/** A chapter read and numbered (`file.data.chapter`), and its tree, parsed on first use. */
export interface ParsedChapter {
  file: VFile;
  tree: () => MdastRoot;
}

export function parseChapters(input: ParseChaptersInput): ParsedChapter[] {
  const { context, processor } = input;
  let number = 0;
  return context.chapters.map((source) => {
    const file = readChapter(source.path); // invalid UTF-8 and NUL bytes are reported at their line
    input.session.add(file);
    // Before anything recursive sees the text: a chapter nested thousands of levels deep is cut and reported.
    limitNesting(file);
    // The front matter is all this step needs: a cache answers it without the whole tree (parse-cache.ts).
    const head = processor.head?.(file);
    const whole = head ? undefined : processor.parse(file);
    const tree = () => whole ?? processor.parse(file);
    const start = (head ?? whole)!;
    const matter = readFrontMatter(start, file, input.parsed);
    const numbered = matter?.numbered ?? true;
    if (numbered) number += 1;
    const yamlNode = start.children[0];
    const frontYaml = yamlNode?.type === 'yaml' ? yamlNode : undefined;
    file.data.chapter = chapterInfo({ context, source, file, matter, frontYaml, people: input.people, number: numbered ? number : undefined });
    return { file, tree };
  });
}

interface ChapterInfoInput {
  context: EditionContext;
  source: ChapterSource;
  file: VFile;
  matter: FrontMatter | undefined;
  frontYaml: Yaml | undefined;
  people: People | undefined;
  /** The chapter's number; undefined when it is not numbered. */
  number: number | undefined;
}

/** What the later stages know of a chapter from its place in the book and its front matter. */
function chapterInfo(input: ChapterInfoInput): ChapterInfo {
  const { context, source, matter, number } = input;
  const byline = resolveAuthors(matter?.authors ?? [], input.people, context.locale, input.file, input.frontYaml);
  const authorsAt = authorsPlace(input.frontYaml);
  return {
    slug: source.slug,
    name: source.name,
    id: matter?.id ?? `ch-${source.slug}`,
    title: matter?.title ?? source.slug,
    short: matter?.short ?? matter?.title ?? source.slug,
    authors: byline.names,
    ...(byline.ids ? { authorIds: byline.ids } : {}),
    ...(authorsAt ? { authorsAt } : {}),
    number,
    label: number !== undefined && context.config.kind === 'report' ? context.locale.chapterLabel(number) : '',
    headings: [],
    labels: [],
  };
}
