/**
 * The EPUB's cover image, drawn as SVG from the edition's title page data (title, subtitle, year, byline,
 * publisher): no raster file to keep, and the same text as the printed cover. Lines are broken by a rough
 * width per character (a CJK character counts as two Latin ones), since SVG text does not wrap.
 */
import { toXml } from 'xast-util-to-xml';
import { x } from 'xastscript';

export interface CoverText {
  title: string;
  subtitle?: string;
  year: string;
  byline?: string;
  publisher?: string;
  lang: string;
}

/** Width and height of the cover in SVG units (a 2:3 page, as e-book stores ask for). */
export const COVER_SIZE = { width: 1200, height: 1800 } as const;

export function coverImage(text: CoverText): string {
  const { width, height } = COVER_SIZE;
  const lines: Array<{ text: string; size: number; y: number; weight?: string; fill: string }> = [];
  let y = 420;
  for (const line of wrap(text.title, 20)) {
    lines.push({ text: line, size: 96, y, weight: 'bold', fill: '#ffffff' });
    y += 124;
  }
  if (text.subtitle) {
    y += 40;
    for (const line of wrap(text.subtitle, 30)) {
      lines.push({ text: line, size: 56, y, fill: '#dfe7f2' });
      y += 76;
    }
  }
  if (!text.title.includes(text.year)) lines.push({ text: text.year, size: 72, y: 1180, weight: 'bold', fill: '#f2c14e' });
  if (text.byline) lines.push({ text: text.byline, size: 48, y: 1560, fill: '#ffffff' });
  if (text.publisher) lines.push({ text: text.publisher, size: 44, y: 1660, fill: '#dfe7f2' });
  const svg = x('svg', { xmlns: 'http://www.w3.org/2000/svg', version: '1.1', viewBox: `0 0 ${width} ${height}`, width: String(width), height: String(height), 'xml:lang': text.lang }, [
    x('title', text.title),
    x('rect', { x: '0', y: '0', width: String(width), height: String(height), fill: '#1d3557' }),
    x('rect', { x: '100', y: '1240', width: String(width - 200), height: '6', fill: '#f2c14e' }),
    ...lines.map((l) =>
      x('text', { x: String(width / 2), y: String(l.y), 'text-anchor': 'middle', 'font-family': 'serif', 'font-size': String(l.size), 'font-weight': l.weight, fill: l.fill }, l.text),
    ),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(svg, { closeEmptyElements: true })}\n`;
}

/**
 * Break `text` into lines of at most `columns` Latin-width columns: between words, or between two CJK
 * characters; a run of Latin letters or digits (2026, Internet) is never split.
 */
export function wrap(text: string, columns: number): string[] {
  const width = (s: string) => [...s].reduce((n, c) => n + (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
  const tokens = text.match(/[A-Za-z0-9.,:'’&-]+|\s+|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (line.trim() && width(line + token) > columns) {
      lines.push(line.trim());
      line = token;
    } else {
      line += token;
    }
  }
  if (line.trim()) lines.push(line.trim());
  return lines;
}
