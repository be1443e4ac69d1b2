/**
 * Mathematics and numbered equations: KaTeX output (HTML + MathML) at build time, equation numbers per
 * chapter in both scripts, `:ref` text, unknown / duplicate / unreferenced labels, invalid LaTeX as a
 * `math-syntax` diagnostic at its Markdown position, and the KaTeX stylesheet and fonts only with math.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, mainOf, tempProject, writeBook } from './helpers.ts';
import { own } from './apparatus-helpers.ts';
import { createBuildMemo } from '../pipeline/base/memo.ts';

const front = (title: string) => `---\ntitle: ${title}\n---\n\n`;
const equation = (id: string, tex: string) => `:::equation{#${id}}\n$$\n${tex}\n$$\n:::\n\n`;

const show = (result: Awaited<ReturnType<typeof build>>) =>
  own(result).map((d) => `${d.file.split('/').pop()}:${d.line}:${d.column} ${d.severity} ${d.ruleId} ${d.message}`);

test('equations are numbered per chapter and :ref prints 式n-m in a Chinese edition', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      '01-one.md':
        front('总论') +
        '综合得分见:ref[eq-a]，另见:ref[eq-b]与:ref[eq-c]，行内公式 $w_i$。\n\n' +
        equation('eq-a', 'S_j = \\frac{\\sum_i w_i s_{ij}}{\\sum_i w_i}') +
        equation('eq-b', 'x^2'),
      '02-two.md': front('分论') + '回看:ref[eq-a]。\n\n' + equation('eq-c', 'y = ax + b'),
    },
  });
  const result = await build(project);
  assert.deepEqual(show(result).filter((d) => / (error|warning) /.test(d)), []);
  const one = mainOf(project.read(`out/${id}/zh/site/one.html`));
  assert.match(one, /<a class="xref" href="#eq-a" data-kind="equation">式1-1<\/a>/);
  assert.match(one, /<a class="xref" href="#eq-b" data-kind="equation">式1-2<\/a>/);
  assert.match(one, /<a class="xref" href="two.html#eq-c" data-kind="equation">式2-1<\/a>/);
  // Golden-style: the numbered block with MathML inside and the number at the right.
  assert.match(one, /<div class="equation" id="eq-a"><div class="equation-body"><div class="math-display"><span class="katex-display"><span class="katex"><span class="katex-mathml"><math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML" display="block">/);
  assert.match(one, /<\/div><\/div><span class="equation-number">（1-1）<\/span><\/div>/);
  assert.match(one, /<mfrac>/);
  assert.match(one, /<span class="math-inline"><span class="katex"><span class="katex-mathml"><math /);
  const two = mainOf(project.read(`out/${id}/zh/site/two.html`));
  assert.match(two, /<span class="equation-number">（2-1）<\/span>/);
  assert.match(two, /href="one.html#eq-a" data-kind="equation">式1-1<\/a>/);
  // Stylesheet linked and the woff2 fonts shipped, in the site and in print.
  assert.match(project.read(`out/${id}/zh/site/one.html`), /<link rel="stylesheet" href="assets\/katex.css">/);
  assert.match(project.read(`out/${id}/zh/print.html`), /<link rel="stylesheet" href="site\/assets\/katex.css">/);
  const css = project.read(`out/${id}/zh/site/assets/katex.css`);
  assert.match(css, /src:url\(fonts\/KaTeX_Main-Regular\.woff2\) format\("woff2"\)[;}]/);
  assert.doesNotMatch(css, /\.ttf|\.woff\)/);
  assert.ok(existsSync(join(project.root, `out/${id}/zh/site/assets/fonts/KaTeX_Main-Regular.woff2`)));
  // Deterministic: a second build writes the same page.
  const again = await build(project);
  assert.deepEqual(show(again).filter((d) => / error /.test(d)), []);
  assert.equal(mainOf(project.read(`out/${id}/zh/site/one.html`)), one);
});

test('English numbering: (2.1) and Equation 2.1', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    edition: 'en',
    chapters: {
      '01-one.md': front('One') + 'See :ref[eq-x].\n',
      '02-two.md': front('Two') + 'As :ref[eq-x] shows:\n\n' + equation('eq-x', 'a + b = c'),
    },
  });
  const result = await build(project);
  assert.deepEqual(show(result).filter((d) => / error /.test(d)), []);
  assert.match(mainOf(project.read(`out/${id}/en/site/one.html`)), /<a class="xref" href="two.html#eq-x" data-kind="equation">Equation 2\.1<\/a>/);
  assert.match(mainOf(project.read(`out/${id}/en/site/two.html`)), /<span class="equation-number">\(2\.1\)<\/span>/);
});

test('an edition without math ships no KaTeX stylesheet or fonts', async () => {
  const project = tempProject();
  const id = writeBook(project, { chapters: { '01-one.md': front('总论') + '没有公式，价格为5元。\n' } });
  const result = await build(project);
  assert.deepEqual(show(result).filter((d) => / error /.test(d)), []);
  assert.ok(!existsSync(join(project.root, `out/${id}/zh/site/assets/katex.css`)));
  assert.ok(!existsSync(join(project.root, `out/${id}/zh/site/assets/fonts/KaTeX_Main-Regular.woff2`)));
  assert.doesNotMatch(project.read(`out/${id}/zh/site/one.html`), /katex/);
});

test('invalid LaTeX, unknown, duplicate and unreferenced equation labels are diagnostics with positions', async () => {
  const project = tempProject();
  const id = writeBook(project, {
    chapters: {
      // line 5: text; 7–11: eq-a; 13–17: an unreferenced equation with bad TeX on line 15.
      '01-one.md': front('总论') + '见:ref[eq-aa]与 $\\frac{1}{$。\n\n' + equation('eq-a', 'x^2') + equation('eq-lonely', 'a + \\badmacro{b}'),
      '02-two.md': front('分论') + '见:ref[eq-a]。\n\n' + equation('eq-a', 'y'),
    },
  });
  const result = await build(project, { checkOnly: true });
  const found = show(result);
  void id;
  assert.ok(found.includes('01-one.md:5:2 error unknown-label :ref[eq-aa] points at no label of this edition'), found.join('\n'));
  // The TeX error is placed inside the formula: `\badmacro` starts at column 5 of line 15.
  assert.ok(found.some((f) => f.startsWith('01-one.md:15:5 error math-syntax invalid LaTeX: Undefined control sequence: \\badmacro')), found.join('\n'));
  // Inline math: the error is reported within line 5 (after the opening $ at column 14).
  assert.ok(found.some((f) => /^01-one\.md:5:(1[5-9]|2\d) error math-syntax invalid LaTeX/.test(f)), found.join('\n'));
  assert.ok(found.some((f) => f.startsWith('02-two.md:7:1 error duplicate-id the id "eq-a" is already used in chapter "one"')), found.join('\n'));
  assert.ok(found.includes('01-one.md:13:1 warning unreferenced-label 式1-2 (eq-lonely) is never referred to'), found.join('\n'));
});

test(':::equation without exactly one display formula is a directive error, not a crash', async () => {
  const project = tempProject();
  writeBook(project, { chapters: { '01-one.md': front('总论') + '见:ref[eq-e]。\n\n:::equation{#eq-e}\n只有文字\n:::\n' } });
  const result = await build(project, { checkOnly: true });
  const found = show(result);
  assert.ok(found.some((f) => f.startsWith('01-one.md:7:1 error directive-attribute :::equation must contain exactly one display formula')), found.join('\n'));
});

test('with a memo a formula is rendered once per run: the same pages, and the same errors at each use', async () => {
  // The same display formula twice and an inline one twice; then (checked only: an error writes no pages)
  // one bad formula twice, on lines 5 and 7.
  const good = { '01-one.md': front('总论') + '行内 $w_i$ 公式。\n\n' + equation('eq-a', 'S = \\sum_i w_i') + equation('eq-b', 'S = \\sum_i w_i') + '又一 $w_i$ 处。\n' };
  const bad = { '01-one.md': front('总论') + '行内 $\\frac{1}{$ 公式。\n\n又一 $\\frac{1}{$ 处。\n' };
  const run = async (chapters: Record<string, string>, checkOnly: boolean) => {
    const plain = tempProject();
    const id = writeBook(plain, { chapters });
    const memoized = tempProject();
    writeBook(memoized, { chapters });
    const memo = createBuildMemo();
    const a = await build(plain, { checkOnly });
    const b = await build(memoized, { memo, checkOnly });
    assert.deepEqual(show(b), show(a));
    return { id, plain, memoized, memo, found: show(b) };
  };
  const built = await run(good, false);
  // Two formulas, each rendered once; their second uses came from the memo.
  assert.equal(built.memo.tex.size, 2);
  assert.equal(built.memo.tex.hits, 2);
  for (const page of ['site/one.html', 'print.html']) assert.equal(built.memoized.read(`out/${built.id}/zh/${page}`), built.plain.read(`out/${built.id}/zh/${page}`), page);
  const checked = await run(bad, true);
  assert.equal(checked.memo.tex.hits, 1);
  const errors = checked.found.filter((d) => d.includes('math-syntax'));
  assert.ok(errors.length === 2 && errors[0]!.startsWith('01-one.md:5:') && errors[1]!.startsWith('01-one.md:7:'), checked.found.join('\n'));
});
