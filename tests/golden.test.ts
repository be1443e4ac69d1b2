/**
 * Golden fixtures: tests/fixtures/golden/<case>/input.md is built as the only chapter of a small book and
 * the chapter page's <main> is compared with expected.html. A case's `case.yaml` may set kind (report or
 * yearbook) and edition (zh or en). Regenerate with `UPDATE_GOLDEN=1 npm test`, then review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { build, mainOf, repoRoot, tempProject, writeBook } from './helpers.ts';

const root = join(repoRoot, 'tests', 'fixtures', 'golden');

for (const name of readdirSync(root).sort()) {
  test(`golden: ${name}`, async () => {
    const dir = join(root, name);
    const settings = existsSync(join(dir, 'case.yaml')) ? parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) : {};
    const project = tempProject();
    const edition = settings.edition ?? 'zh';
    const id = writeBook(project, { kind: settings.kind, edition, chapters: { '01-case.md': readFileSync(join(dir, 'input.md'), 'utf8') } });
    if (existsSync(join(dir, 'images'))) {
      for (const f of readdirSync(join(dir, 'images'))) project.write(`manuscripts/${id}/images/${f}`, readFileSync(join(dir, 'images', f), 'utf8'));
    }
    const result = await build(project);
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], 'the fixture builds without errors');
    const actual = mainOf(project.read(`out/${id}/${edition}/site/case.html`));
    const expectedPath = join(dir, 'expected.html');
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
    assert.ok(existsSync(expectedPath), `missing ${expectedPath}: run UPDATE_GOLDEN=1 npm test and review it`);
    assert.equal(actual, readFileSync(expectedPath, 'utf8'));
  });
}
