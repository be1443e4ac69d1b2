/**
 * The one SVG inliner (pipeline/html/inline-svg-images.ts), on hast as the build and the PDF stage run
 * it: ids prefixed per image with their references following, alt text and classes carried over, images
 * the reader does not answer left alone, numbering from where the page is, a prefix of its own for the
 * PDF stage's pass, and a file that is not one `<svg>` left as an image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHtml } from 'hast-util-from-html';
import { stringifyHtml } from '../pipeline/html/stringify.ts';
import { svgImageSources, svgInliner } from '../pipeline/html/inline-svg-images.ts';

// As sanitize-svg.ts writes an SVG: empty elements closed with `/>`.
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="chart"><style>.a { fill: url(#g); }</style><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/><use href="#other"/></svg>';
const PAGE = '<p><img src="site/images/%E5%9B%BE.svg" alt="图 &amp; 表" class="wide"><img src="photo.png" alt=""><img src="missing.svg"></p>';
const page = () => fromHtml(PAGE, { fragment: true });

test('each SVG the reader answers replaces its image, with prefixed ids, its label and classes', () => {
  const asked: string[] = [];
  const tree = page();
  const count = svgInliner((src) => (asked.push(src), src.endsWith('图.svg') ? SVG : undefined)).inline(tree);
  assert.deepEqual(asked, ['site/images/图.svg', 'missing.svg'], 'decoded sources of .svg images only');
  assert.equal(count, 1);
  assert.equal(
    stringifyHtml(tree),
    '<p><svg xmlns="http://www.w3.org/2000/svg" class="chart inline-svg wide" role="img" aria-label="图 &#x26; 表"><style>.a { fill: url(#svg1-g); }</style><defs><linearGradient id="svg1-g"/></defs><rect fill="url(#svg1-g)"/><use href="#svg1-g"/><use href="#other"/></svg><img src="photo.png" alt=""><img src="missing.svg"></p>',
  );
});

test('the numbering goes on from `start` (a page of several articles), and the PDF stage has a prefix of its own', () => {
  const tree = page();
  assert.equal(svgInliner(() => SVG, { idPrefix: 'pdfsvg' }).inline(tree, 4), 2);
  const out = stringifyHtml(tree);
  assert.match(out, /id="pdfsvg5-g"/);
  assert.match(out, /url\(#pdfsvg5-g\)/);
  assert.match(out, /id="pdfsvg6-g"/, 'the second image gets the next number');
  assert.doesNotMatch(out, /"svg\d-/);
});

test('a text that is not one <svg> element leaves the image alone; comments and an XML declaration do not count', () => {
  const inline = (text: string) => {
    const tree = fromHtml('<img src="a.svg">', { fragment: true });
    return svgInliner(() => text).inline(tree);
  };
  assert.equal(inline('<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg><rect/></svg>\n'), 1);
  assert.equal(inline('<svg/><svg/>'), 0, 'two roots');
  assert.equal(inline('<svg/>text'), 0, 'text beside the root');
  assert.equal(inline('<!DOCTYPE svg [<!ENTITY a "b">]><svg/>'), 0, 'a DOCTYPE with an internal subset');
  assert.equal(inline('<p>no svg</p>'), 0);
});

test('the sources a reader must load first: relative .svg images only, decoded, not inside an SVG', () => {
  const tree = fromHtml('<img src="a%20b.svg"><img src="https://x.org/c.svg"><img src="d.png"><svg><image href="e.svg"/></svg>', { fragment: true });
  assert.deepEqual(svgImageSources(tree), ['a b.svg']);
});
