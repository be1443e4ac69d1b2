/**
 * Pages of known geometry for the page-side passes' tests (make-up, page targets): 600 × 800 px pages
 * without margins, body type of 16 px on 30 px lines, in a font from npm, so that where Chromium breaks
 * can be computed by hand.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers.ts';

const font = pathToFileURL(join(repoRoot, 'node_modules/@fontsource/source-sans-3/files/source-sans-3-latin-400-normal.woff2')).href;

/** The page, the body's type and unspaced paragraphs; a test adds its own rules after these. */
export const KNOWN_PAGE_CSS = `
@font-face { font-family: T; src: url(${font}) format('woff2'); }
@page { size: 600px 800px; margin: 0; }
body { margin: 0; font: 16px/30px T; }
p { margin: 0; }`;
