/**
 * The people registry (issue 16): chapters name authors by id from people.yaml, every edition prints them
 * in its own language, and the consistency check fails when two editions name different people.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, mainOf, tempProject, type TempProject } from './helpers.ts';
import { own } from './apparatus-helpers.ts';

const PEOPLE = ['zhang-wei:', '  name: {zh: 张伟, en: Zhang Wei}', 'li-na:', '  name: {zh: 李娜, en: Li Na}', ''].join('\n');

function twoEditions(project: TempProject, zhAuthors: string, enAuthors: string): void {
  project.write(
    'manuscripts/people-book/book.yaml',
    ['id: people-book', 'kind: report', 'year: 2026', 'editions:', '  zh:', '    lang: zh-CN', '    title: 书', '    chapters: [01-a.md]', '  en:', '    lang: en', '    title: Book', '    chapters: [01-a.md]', ''].join('\n'),
  );
  project.write('manuscripts/people-book/people.yaml', PEOPLE);
  project.write('manuscripts/people-book/zh/01-a.md', `---\ntitle: 一\nauthors: ${zhAuthors}\n---\n\n正文。\n`);
  project.write('manuscripts/people-book/en/01-a.md', `---\ntitle: One\nauthors: ${enAuthors}\n---\n\nText.\n`);
}

test('bylines by id print each edition its own names', async () => {
  const project = tempProject();
  twoEditions(project, '[zhang-wei, li-na]', '[zhang-wei, li-na]');
  const result = await build(project);
  assert.deepEqual(own(result), []);
  assert.match(mainOf(project.read('out/people-book/zh/site/a.html')), /<p class="chapter-authors">张伟、李娜<\/p>/);
  assert.match(mainOf(project.read('out/people-book/en/site/a.html')), /<p class="chapter-authors">Zhang Wei, Li Na<\/p>/);
});

test('a byline that differs between editions fails the check; a name that is not an id is an error with a suggestion', async () => {
  const project = tempProject();
  twoEditions(project, '[zhang-wei, li-na]', '[zhang-wei, lina]');
  const result = await build(project);
  assert.equal(result.ok, false);
  const problems = own(result);
  assert.deepEqual(problems.map((p) => p.ruleId).sort(), ['byline-mismatch', 'person-unknown']);
  for (const p of problems) {
    assert.equal(p.severity, 'error');
    assert.equal(p.file, 'manuscripts/people-book/en/01-a.md');
    assert.equal(p.line, 3); // authors:
  }
  const unknown = problems.find((d) => d.ruleId === 'person-unknown')!;
  assert.match(unknown.message, /author "lina" is not an id of people.yaml/);
  assert.match(unknown.hint ?? '', /Did you mean "li-na"\?/);
  const mismatch = problems.find((d) => d.ruleId === 'byline-mismatch')!;
  assert.match(mismatch.message, /the authors are zhang-wei, \?lina here but zhang-wei, li-na in manuscripts\/people-book\/zh\/01-a.md/);
});
