/**
 * Ink at the trim edge. Chromium prints each page at its trimmed size, so nothing on an interior page
 * can reach into the bleed: an element that touches the page edge (a full-bleed band, a background, a
 * picture set to the edge) would be cut exactly at the trim, and any trimming tolerance shows a white
 * sliver. The templates place nothing there (docs/print-production.md); this check renders the interior
 * pages at low resolution with Ghostscript and lists those with ink in their outermost pixels, so that a
 * template or a chapter that starts doing it is reported (`press-bleed`) instead of printed badly.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Ghostscript } from './ghostscript.ts';

const run = promisify(execFile);

export type Edge = 'top' | 'right' | 'bottom' | 'left';

export interface EdgeInk {
  /** 1-based page number in the file. */
  page: number;
  edges: Edge[];
}

export interface EdgeInkOptions {
  /** First page to check (1-based). Default 1. */
  firstPage?: number;
  /** Dots per inch of the check; one pixel is the edge strip (20 dpi: 1.3 mm). Default 20. */
  resolution?: number;
  /** A pixel darker than this (0 black … 255 white) is ink. Default 250. */
  threshold?: number;
}

/** Pages with ink in the outermost pixel row or column of an edge. */
export async function inkAtEdges(gs: Ghostscript, file: string, options: EdgeInkOptions = {}): Promise<EdgeInk[]> {
  const first = options.firstPage ?? 1;
  const args = ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sstdout=%stderr', '-sDEVICE=pgmraw', `-r${options.resolution ?? 20}`, `-dFirstPage=${first}`, '-o', '-', file];
  const { stdout } = await run(gs.path, args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return edgesOfImages(stdout, options.threshold ?? 250).map((edges, i) => ({ page: first + i, edges })).filter((p) => p.edges.length > 0);
}

/** For each image of a stream of binary PGMs (P5, 8 bit), the edges that have a pixel below `threshold`. */
export function edgesOfImages(data: Buffer, threshold: number): Edge[][] {
  const out: Edge[][] = [];
  let at = 0;
  const token = () => {
    // Skip white space and comments, then read one header token.
    while (at < data.length) {
      const c = data[at]!;
      if (c === 0x23) while (at < data.length && data[at] !== 0x0a) at++;
      else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
      else break;
    }
    const start = at;
    while (at < data.length && ![0x20, 0x0a, 0x0d, 0x09].includes(data[at]!)) at++;
    return data.toString('latin1', start, at);
  };
  while (at < data.length) {
    const magic = token();
    if (magic !== 'P5') break;
    const width = Number(token());
    const height = Number(token());
    const max = Number(token());
    at++; // the single white space after the header
    const bytes = max > 255 ? 2 : 1;
    const pixel = (x: number, y: number) => (bytes === 1 ? data[at + y * width + x]! : data.readUInt16BE(at + 2 * (y * width + x)) >> 8);
    const inked = (xs: number[], ys: number[]) => xs.some((x) => ys.some((y) => pixel(x, y) < threshold));
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const edges: Edge[] = [];
    if (inked(all(width), [0])) edges.push('top');
    if (inked([width - 1], all(height))) edges.push('right');
    if (inked(all(width), [height - 1])) edges.push('bottom');
    if (inked([0], all(height))) edges.push('left');
    out.push(edges);
    at += width * height * bytes;
  }
  return out;
}
