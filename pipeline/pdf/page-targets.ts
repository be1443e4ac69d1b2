/**
 * Page targets keep their ids through the passes that change the page before the print.
 *
 * A page number (an index locator, a :pageref, a contents entry) is read from the named destination
 * Chromium writes for its target's id. The passes before the print (line-grid.ts, page-notes.ts,
 * make-up.ts) cut paragraphs in two; an element they move whole into the second half can lose its id
 * (make-up.ts `splitParagraph` drops the id of every element of the new half that `getElementById`
 * does not find, and a moved element is not found while it is out of the document). The print then has
 * no destination for it, and its locator would keep the placeholder "000".
 *
 * So every target is marked with `data-annals-target="<id>"` before the passes (`markPageTargets`), and
 * after them (and after any later change in the page) an id no element has is given back to the first
 * element that carries its mark (`keepPageTargets`). A target whose page number is still unknown after
 * the last print is reported by the caller (`unnumberedTargets`, rule `pdf-page-number-missing`).
 */
import type { Page } from 'puppeteer';
import { runInPage } from './page-scripts.ts';

/** The attribute that names the id an element is the page target of. */
export const TARGET_ATTRIBUTE = 'data-annals-target';

/** `({ ids }) => number`: mark each element that has one of the ids; returns how many were marked. */
export const MARK_PAGE_TARGETS = String.raw`(({ ids }) => {
  let marked = 0;
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el) { el.setAttribute('${TARGET_ATTRIBUTE}', id); marked++; }
  }
  return marked;
})`;

/**
 * `({ ids }) => KeptTargets`: give each id that no element has back to the first element marked with it.
 * A clone of a marked element (the second half of a cut element) carries the mark too: the first in
 * document order is where the target's text begins.
 */
export const KEEP_PAGE_TARGETS = String.raw`(({ ids }) => {
  const restored = [];
  const lost = [];
  for (const id of ids) {
    if (document.getElementById(id)) continue;
    const el = document.querySelector('[${TARGET_ATTRIBUTE}="' + CSS.escape(id) + '"]');
    if (el) { el.id = id; restored.push(id); }
    else lost.push(id);
  }
  return { restored, lost };
})`;

export interface KeptTargets {
  /** Ids a pass had taken away, given back to the element marked with them. */
  restored: string[];
  /** Ids that neither an element nor a mark has any more (the element was removed). */
  lost: string[];
}

export async function markPageTargets(page: Page, ids: readonly string[]): Promise<number> {
  return runInPage<number>(page, MARK_PAGE_TARGETS, { ids });
}

export async function keepPageTargets(page: Page, ids: readonly string[]): Promise<KeptTargets> {
  return runInPage<KeptTargets>(page, KEEP_PAGE_TARGETS, { ids });
}

/**
 * The ids among `asked` (those a `[data-page-of]` element shows the page of, and that an element had
 * when the page was prepared) for which `values` holds no page number: their locators print the
 * placeholder. In the order asked, each once.
 */
export function unnumberedTargets(asked: readonly string[], values: Readonly<Record<string, unknown>>): string[] {
  return [...new Set(asked)].filter((id) => !Object.hasOwn(values, id));
}
