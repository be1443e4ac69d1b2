/**
 * Wide elements never scale the book. Chromium prints a document whose content is wider than the page by
 * shrinking *every* page until the widest element fits (one 13-column table: all text at 67 %). So before
 * the first print, each table, code block and displayed formula of the body is measured against the
 * text block, and one that does not fit is fitted alone (docs/pdf.md, "Wide elements"):
 *
 *   1. its type is set smaller, in steps of 10 % down to 70 %, until it fits with its normal line breaks;
 *   2. if it still does not fit, it stays at 70 % and its cells (or lines) may break anywhere, which
 *      always fits.
 *
 * Measuring needs layout, and the print page has none on screen (its body is hidden, print-html.ts): each
 * candidate is measured as a copy in a hidden box of the text block's width, inside a copy of its
 * chapter's section element (same classes, same language), so the same rules apply. Only candidates are
 * laid out, never the book. The page script returns what it changed; the caller reports each as a
 * `pdf-wide-element` warning at its chapter line.
 */
import type { Page } from 'puppeteer';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';
import { runInPage } from './page-scripts.ts';

export interface FittedElement {
  /** `table`, `pre` or `formula`. */
  kind: string;
  /** The id of the chapter section it is in. */
  part: string;
  /** Its natural width and the text block's, in CSS px. */
  width: number;
  available: number;
  /** The type size it is printed at, in per cent. */
  scale: number;
  /** Cells or lines break anywhere. */
  anywhere: boolean;
  /** Its first words, to find it in the chapter's Markdown. */
  text: string;
}

/** In the page: measure and fit. Argument: `{ width }`, the text block width in CSS px. */
export const FIT_WIDE = String.raw`(({ width }) => {
  const steps = [100, 90, 80, 70];
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;contain:layout style;width:' + width + 'px';
  box.className = document.body.className;
  document.documentElement.appendChild(box);
  const fitted = [];
  const candidates = document.querySelectorAll('section.chapter table, section.chapter pre, section.chapter .katex-display');
  for (const element of candidates) {
    const section = element.closest('section.chapter');
    const holder = document.createElement(section.tagName);
    holder.className = section.className;
    if (section.lang) holder.lang = section.lang;
    const copy = element.cloneNode(true);
    holder.appendChild(copy);
    box.replaceChildren(holder);
    const natural = () => Math.max(copy.scrollWidth, copy.getBoundingClientRect().width);
    const before = natural();
    if (before <= width + 0.5) continue;
    let scale = 100;
    for (const s of steps) {
      scale = s;
      copy.style.fontSize = s + '%';
      if (natural() <= width + 0.5) break;
    }
    const anywhere = natural() > width + 0.5;
    element.style.fontSize = scale + '%';
    if (anywhere) element.classList.add('annals-fit-anywhere');
    element.setAttribute('data-annals-fit', String(scale));
    const kind = element.tagName === 'TABLE' ? 'table' : element.tagName === 'PRE' ? 'pre' : 'formula';
    fitted.push({ kind, part: section.id, width: Math.round(before), available: Math.round(width), scale, anywhere, text: (element.textContent || '').trim().slice(0, 200) });
  }
  box.remove();
  return fitted;
})`;

/** The CSS the fitted elements need (added to the print page's CSS). */
export const FIT_WIDE_CSS = `
.annals-fit-anywhere, .annals-fit-anywhere th, .annals-fit-anywhere td { overflow-wrap: anywhere; word-break: break-word; }
pre.annals-fit-anywhere { white-space: pre-wrap; }
.katex-display.annals-fit-anywhere { white-space: normal; }
`;

export async function fitWideElements(page: Page, widthPt: number): Promise<FittedElement[]> {
  return runInPage<FittedElement[]>(page, FIT_WIDE, { width: (widthPt * 96) / 72 });
}

/**
 * Report each fitted element as a warning at its chapter's Markdown line: the line holding its first
 * words (a table's first header cell, a code block's first line), else the chapter itself, else `file`.
 */
export function reportFitted(fitted: readonly FittedElement[], sources: readonly VFile[], file: VFile): void {
  const names: Record<string, string> = { table: 'table', pre: 'code block', formula: 'formula' };
  for (const f of fitted) {
    const source = sources.find((s) => s.data.chapter?.id === f.part);
    const mm = (px: number) => Math.round((px * 25.4) / 96);
    const how = f.anywhere ? `printed at ${f.scale} % type size with its ${f.kind === 'table' ? 'cells' : 'lines'} broken anywhere` : `printed at ${f.scale} % type size`;
    const message = `a ${names[f.kind]} is ${mm(f.width)} mm wide, wider than the ${mm(f.available)} mm text block: ${how}; the rest of the book keeps its size`;
    const place = source ? lineOf(String(source.value), f.text) : undefined;
    report(source ?? file, 'pdf-wide-element', message, place);
  }
}

/** The first line of `text` holding the element's first word (three or more characters long). */
function lineOf(text: string, elementText: string): { line: number; column: number } | undefined {
  const words = elementText.split(/\s+/).filter((w) => w.length >= 3);
  for (const word of words.slice(0, 3)) {
    const at = text.indexOf(word);
    if (at < 0) continue;
    const before = text.slice(0, at).split('\n');
    return { line: before.length, column: 1 };
  }
  return undefined;
}
