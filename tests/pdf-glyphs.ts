/**
 * Where each glyph of a PDF page is printed, read with pdfjs-dist's operator list: the text state
 * (font size, text and line matrices, character spacing) and the graphics transform are followed through
 * the page's operators, so every glyph gets its position and its em (font size) in page units. Chromium
 * (Skia) writes one positioned run per glyph or group; this reads any of them.
 */
import { readFileSync } from 'node:fs';

export interface Glyph {
  char: string;
  /** Left edge of the glyph's box, in PDF points from the page's left edge. */
  x: number;
  /** Baseline, in PDF points from the page's bottom (rounded to 0.1 so glyphs of one line compare equal). */
  y: number;
  /** The font size (one em) in PDF points. */
  em: number;
  /** Advance width in PDF points. */
  advance: number;
  /** The font's PostScript name without its subset tag (LXGWWenKai-Regular), when pdfjs loaded it. */
  font?: string;
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number) => ({ x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] });

/** Every glyph of each page (1-based page numbers), in the order the page draws them. */
export async function pdfGlyphs(path: string): Promise<Glyph[][]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const { OPS } = pdfjs;
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
  const pages: Glyph[][] = [];
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const list = await page.getOperatorList();
      const glyphs: Glyph[] = [];
      const stack: Matrix[] = [];
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      let tm: Matrix = [1, 0, 0, 1, 0, 0];
      let line: Matrix = tm;
      let size = 0;
      let font: string | undefined;
      let charSpacing = 0;
      let wordSpacing = 0;
      let scale = 1;
      let tx = 0; // advance along the current text line since the last positioning
      for (let i = 0; i < list.fnArray.length; i++) {
        const fn = list.fnArray[i];
        const args = list.argsArray[i] as unknown[];
        if (fn === OPS.save) stack.push(ctm);
        else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
        else if (fn === OPS.transform) ctm = multiply(args as Matrix, ctm);
        else if (fn === OPS.beginText) {
          tm = line = [1, 0, 0, 1, 0, 0];
          tx = 0;
        } else if (fn === OPS.setFont) {
          size = args[1] as number;
          font = fontName(page.commonObjs, args[0] as string);
        }
        else if (fn === OPS.setCharSpacing) charSpacing = args[0] as number;
        else if (fn === OPS.setWordSpacing) wordSpacing = args[0] as number;
        else if (fn === OPS.setHScale) scale = (args[0] as number) / 100;
        else if (fn === OPS.setTextMatrix) {
          const m = Object.values(args[0] as Record<string, number>) as Matrix;
          tm = line = m;
          tx = 0;
        } else if (fn === OPS.moveText || fn === OPS.setLeadingMoveText) {
          const [dx, dy] = args as [number, number];
          line = multiply([1, 0, 0, 1, dx, dy], line);
          tm = line;
          tx = 0;
        } else if (fn === OPS.showText || fn === OPS.showSpacedText) {
          for (const item of args[0] as Array<number | { unicode: string; width: number; isSpace: boolean } | null>) {
            if (item === null) continue;
            if (typeof item === 'number') {
              tx -= (item / 1000) * size * scale;
              continue;
            }
            const full = multiply(tm, ctm);
            const origin = apply(full, tx, 0);
            const em = Math.hypot(full[0], full[1]) * size;
            const advance = ((item.width / 1000) * size + charSpacing + (item.isSpace ? wordSpacing : 0)) * scale;
            glyphs.push({ char: item.unicode, x: origin.x, y: Math.round(origin.y * 10) / 10, em, advance: advance * Math.hypot(full[0], full[1]), ...(font ? { font } : {}) });
            tx += advance;
          }
        }
      }
      pages.push(glyphs);
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}

/** The name of a font pdfjs loaded for the operator list (its `commonObjs` entry), subset tag removed. */
function fontName(objs: { has(id: string): boolean; get(id: string): unknown }, id: string): string | undefined {
  if (!objs.has(id)) return undefined;
  const name = (objs.get(id) as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name.replace(/^[A-Z]{6}\+/, '') : undefined;
}

/** The glyphs of a page grouped into lines (same baseline), each sorted left to right. */
export function linesOf(glyphs: readonly Glyph[]): Glyph[][] {
  const byY = new Map<number, Glyph[]>();
  for (const g of glyphs) {
    const key = Math.round(g.y);
    byY.set(key, [...(byY.get(key) ?? []), g]);
  }
  return [...byY.entries()].sort((a, b) => b[0] - a[0]).map(([, line]) => line.sort((a, b) => a.x - b.x));
}
