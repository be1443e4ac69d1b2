/**
 * readPlainYaml (pipeline/config/plain-yaml.ts) must give the yaml package's value for every text it
 * reads, and decline (NOT_PLAIN) every text outside its subset, so that loadYaml (config/yaml.ts) reads
 * the same values and reports the same problems at the same places whichever reader took the file (a
 * problem in a plain file is placed from its lines, plainRange, as the document would place it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { LineCounter, parseDocument } from 'yaml';
import { NOT_PLAIN, readPlainYaml } from '../pipeline/config/plain-yaml.ts';
import { loadYaml, placeOf, type LoadedYaml, type YamlPath } from '../pipeline/config/yaml.ts';
import { locate } from '../pipeline/indicators/positions.ts';

const root = join(import.meta.dirname, '..');
const yamlValue = (text: string) => parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: 100 });

test('every YAML file of the project that it reads has the value the yaml package gives; the data files are all read', () => {
  const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  let read = 0;
  let data = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const plain = readPlainYaml(text);
    if (/^indicators\/[^/]+\/\d{4}\/data\//.test(file)) {
      assert.notEqual(plain, NOT_PLAIN, `a generated data file is read: ${file}`);
      data++;
    }
    if (plain === NOT_PLAIN) continue;
    assert.deepStrictEqual(plain, yamlValue(text), file);
    read++;
  }
  assert.ok(data >= 20 && read >= data, `read ${read} files, ${data} of them data files`);
});

test('the subset: block maps and sequences, flow maps and sequences, numbers, identifiers, quoted text', () => {
  const texts = [
    'a: 1\nb: -2.50\nc: "text: with, commas 和中文"\nd: word-with_dash\n',
    '# comment\nseries:\n  - id: x\n    values:\n      CHN: {2015: 50.3, 2016: -0, 2017: 0.5}\n      USA: {}\n  - id: y\n    range: [0, 100]\n',
    'list:\n  - one\n  - 2\n  - "three"\nempty: []\nkeys: {zh: "甲", en: "A"}\nint: 123456789012345\n',
    'nested:\n    deeper:\n        deepest: [a, b]\n    back: 1\n',
    "flags: {a: true, b: False, c: TRUE}\nquoted: {'110000': 'it, \"is\": here', en: 'Base map: x'}\n'220000': [\"a, b\", 'c']\n",
  ];
  for (const text of texts) {
    const plain = readPlainYaml(text);
    assert.notEqual(plain, NOT_PLAIN, text);
    assert.deepStrictEqual(plain, yamlValue(text), text);
  }
});

test('anything else is left to the yaml package', () => {
  const texts = [
    '',
    '# only a comment\n',
    'a: 1\na: 2\n', // duplicate key (the yaml package reports it)
    'a: {x: 1, x: 2}\n',
    'a: null\n',
    'true: 1\n',
    'a: ~\n',
    'a: 1e5\n',
    'a: 0x1F\n',
    'a: .inf\n',
    'a: 1234567890123456\n',
    'a: 007\n',
    'a: plain text with spaces\n',
    "a: 'it''s'\n",
    'a: "esc\\"aped"\n',
    'a: 1 # trailing comment\n',
    'a: &anchor 1\nb: *anchor\n',
    'a: !!str 1\n',
    'a: |\n  block\n',
    'a:\n- same-indent item\n',
    'a:\nb: 1\n',
    '---\na: 1\n',
    '%YAML 1.1\n---\na: yes\n',
    'a:\t1\n',
    'a: 1\r\nb: 2\r\n',
    '\uFEFFa: 1\n',
    'a: {x: [1]}\n',
    'a: {x: 1,\n  y: 2}\n',
    'a: [1, , 2]\n',
    '"quoted key": 1\n',
    '__proto__: 1\n',
    '  a: 1\n',
    'a: 1\n  b: 2\n',
    '-  two spaces\n',
    'just a scalar\n',
  ];
  for (const text of texts) assert.equal(readPlainYaml(text), NOT_PLAIN, JSON.stringify(text));
});

test('a file read by the fast reader still places a problem where the yaml package places it', () => {
  const text = '# data\nseries:\n  - id: x\n    values:\n      CHN: {2015: 50.3, 2016: 53.2}\n';
  assert.notEqual(readPlainYaml(text), NOT_PLAIN);
  const loaded = loadYaml(new VFile({ path: 'x.yaml', value: text }));
  assert.deepEqual(loaded.value, yamlValue(text));
  assert.equal(loaded.failed, false);
  // The same text with a comment after a value on a last line is left to the yaml package.
  const other = `${text}z: 1 # not plain\n`;
  assert.equal(readPlainYaml(other), NOT_PLAIN);
  const full = loadYaml(new VFile({ path: 'y.yaml', value: other }));
  for (const path of [['series', 0, 'id'], ['series', 0, 'values', 'CHN'], ['series', 0, 'nothing']]) {
    assert.deepEqual(placeOf(loaded, path), placeOf(full, path), path.join('.'));
  }
  assert.deepEqual(placeOf(loaded, ['series', 0, 'id'])?.start, { line: 3, column: 9, offset: text.indexOf('x\n') });
});

test('a problem in a data file is placed from its lines exactly where the document places it', () => {
  const files = execFileSync('git', ['ls-files', 'indicators/*/*/data/*.yaml'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  let compared = 0;
  let fromLines = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const plain = loadYaml(new VFile({ path: file, value: text }));
    assert.ok(plain.rangeOf, file);
    const lines = new LineCounter();
    const full: LoadedYaml = { file: plain.file, value: plain.value, lineOffset: 0, failed: false, doc: parseDocument(text, { lineCounter: lines, uniqueKeys: true }), lines };
    const series = (plain.value as { series: Array<{ values?: Record<string, Record<string, number>> }> }).series;
    const paths: YamlPath[] = [['nothing'], ['series'], ['series', 99], ['series', 'x'], ['series', 0, 'id', 'deeper']];
    series.forEach((s, i) => {
      paths.push(['series', i], ['series', i, 'id'], ['series', i, 'name'], ['series', i, 'name', 'zh'], ['series', i, 'range', 1], ['series', i, 'values'], ['series', i, 'values', 'NOPE']);
      for (const [entity, years] of Object.entries(s.values ?? {})) {
        paths.push(['series', i, 'values', entity], ['series', i, 'values', entity, '1900']);
        for (const year of Object.keys(years)) paths.push(['series', i, 'values', entity, year]);
      }
    });
    for (const path of paths) {
      for (const key of [false, true]) {
        assert.deepEqual(locate(plain, path, { key }), locate(full, path, { key }), `${file} ${path.join('.')} key=${key}`);
        if (plain.rangeOf!(path, key)) fromLines++;
        compared++;
      }
    }
  }
  assert.ok(compared > 1000 && fromLines > compared / 2, `${fromLines} of ${compared} places from the lines`);
});
