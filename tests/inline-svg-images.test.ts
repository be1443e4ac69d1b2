/**
 * The one SVG inliner (pipeline/html/inline-svg-images.ts), as the build and the PDF stage run it: ids
 * prefixed per image with their references following, alt text and classes carried over, images the
 * reader does not answer left alone, and a prefix of its own for the PDF stage's pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineSvgImages } from '../pipeline/html/inline-svg-images.ts';

const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" class="chart"><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/><use href="#other"/></svg>\n';
const PAGE = '<p><img src="site/images/%E5%9B%BE.svg" alt="图 &amp; 表" class="wide"><img src="photo.png" alt=""><img src="missing.svg"></p>';

test('each SVG the reader answers replaces its image, with prefixed ids, its label and classes', async () => {
  const asked: string[] = [];
  const out = await inlineSvgImages(PAGE, (src) => (asked.push(src), src.endsWith('图.svg') ? SVG : undefined));
  assert.deepEqual(asked, ['site/images/图.svg', 'missing.svg'], 'decoded sources of .svg images only');
  assert.equal(
    out,
    '<p><svg xmlns="http://www.w3.org/2000/svg" class="chart inline-svg wide" role="img" aria-label="图 &amp; 表"><defs><linearGradient id="svg1-g"/></defs><rect fill="url(#svg1-g)"/><use href="#svg1-g"/><use href="#other"/></svg><img src="photo.png" alt=""><img src="missing.svg"></p>',
  );
});

test('the PDF stage gives its SVGs a prefix of their own, so they never share an id with the build\'s', async () => {
  const out = await inlineSvgImages(PAGE, () => SVG, { idPrefix: 'pdfsvg' });
  assert.match(out, /id="pdfsvg1-g"/);
  assert.match(out, /url\(#pdfsvg1-g\)/);
  assert.match(out, /id="pdfsvg2-g"/, 'the second image gets the next number');
  assert.doesNotMatch(out, /"svg1-/);
});
