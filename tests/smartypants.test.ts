/**
 * remarkSmartypants (pipeline/markdown/remark-smartypants.ts) must give the text the remark-smartypants
 * package gives — it skips that package's second parse of a text node only where the parse cannot change
 * it. Both run on every English chapter of the sample books and on text made to hit each rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkSmartypantsPackage from 'remark-smartypants';
import { unified } from 'unified';
import { remarkSmartypants } from '../pipeline/markdown/remark-smartypants.ts';

const parse = (markdown: string) => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).parse(markdown) as Root;

function both(markdown: string): { ours: string; theirs: string } {
  const ours = parse(markdown);
  const theirs = parse(markdown);
  unified().use(remarkSmartypants, { dashes: 'oldschool' }).runSync(ours);
  unified().use(remarkSmartypantsPackage, { dashes: 'oldschool' }).runSync(theirs);
  return { ours: JSON.stringify(ours), theirs: JSON.stringify(theirs) };
}

const root = join(import.meta.dirname, '..');
const englishChapters = ['manuscripts', 'tests/fixtures/site-books/manuscripts'].flatMap((base) =>
  readdirSync(join(root, base), { withFileTypes: true })
    .filter((book) => book.isDirectory())
    .flatMap((book) => {
      const dir = join(root, base, book.name, 'en');
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => join(dir, f));
      } catch {
        return [];
      }
    }),
);

test('every English chapter of the sample books comes out as remark-smartypants makes it', () => {
  assert.ok(englishChapters.length >= 5, `English chapters found: ${englishChapters.length}`);
  for (const file of englishChapters) {
    const { ours, theirs } = both(readFileSync(file, 'utf8'));
    assert.equal(ours, theirs, file);
  }
});

test('quotes across emphasis and links, dashes, ellipses, backticks and code come out the same', () => {
  const cases = [
    '"Quoted *across* emphasis" and \'single\' ones; it\'s the \'90s.',
    'An en dash 1990--2000, an em dash --- here, and a hyphen-ated word.',
    'Three dots... four.... spaced . . . and Inc. . done. U.S. policy.',
    '``Backticked\'\' text and \'\'doubled\'\' apostrophes.',
    'A typed en dash –- then a hyphen; `code "stays" -- as is` after.',
    '# "Heading" -- with quotes\n\n| "a" | b--c |\n|---|---|\n| \'x\' | y... |',
    '[A "link" title](https://example.org "t") and "a quote around [a link](https://e.org)".',
    ':cite[key] "after a directive" --- and :::box\n"inside" a box...\n:::',
  ];
  for (const markdown of cases) {
    const { ours, theirs } = both(markdown);
    assert.equal(ours, theirs, markdown);
  }
  // The cases do change the text (the comparison is not between two untouched trees).
  assert.match(both(cases[1]!).ours, /1990–2000/);
  assert.match(both(cases[2]!).ours, /dots…/);
});
