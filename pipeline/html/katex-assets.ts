/**
 * The KaTeX stylesheet and fonts for editions that contain mathematics (pipeline/features/equations/remark-equations.ts
 * sets `file.data.math`). Both come from npm (`katex/dist`), never from the machine: the stylesheet is
 * written as site/assets/katex.css with its @font-face sources reduced to the woff2 files, which are
 * copied to site/assets/fonts/ next to the edition's other fonts. An edition without math ships neither.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface KatexAssets {
  /** The stylesheet, for site/assets/katex.css. */
  css: string;
  /** woff2 files to copy: absolute path in node_modules → name under site/assets/fonts/. */
  fonts: Array<{ file: string; name: string }>;
}

const require = createRequire(import.meta.url);

export function katexAssets(): KatexAssets {
  const dist = join(dirname(require.resolve('katex/package.json')), 'dist');
  const original = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  const fonts = new Map<string, { file: string; name: string }>();
  // src:url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(fonts/X.ttf) format("truetype")
  const css = original.replace(/src:([^;}]+)/g, (whole, sources: string) => {
    const woff2 = /url\(fonts\/([^)]+\.woff2)\)/.exec(sources)?.[1];
    if (!woff2) return whole;
    fonts.set(woff2, { file: join(dist, 'fonts', woff2), name: woff2 });
    return `src:url(fonts/${woff2}) format("woff2")`;
  });
  return { css: `/* KaTeX ${katexVersion(dist)} (MIT), from npm; fonts reduced to woff2. */\n${css}`, fonts: [...fonts.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

function katexVersion(dist: string): string {
  return (JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
}
