/**
 * No white space before a Chinese opening mark: "发布了 《规划》" and a source line broken before the mark
 * ("……发布了\n《规划》", which HTML turns into a space) print as 发布了《规划》. The full-width mark brings
 * its own white (half an em on its open side), and clreq and GB/T 15834 set nothing else there. Likewise
 * no white space just inside an opening mark (《 规划》).
 *
 * Only after a letter, a digit or Chinese punctuation: "中国网信年鉴2026 / 《中国网信年鉴》编辑部" in CIP
 * data keeps the spaces around its slash, and “ ‘ are left alone (they are also Latin quotes).
 */
import type { Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { textRuns } from './text-runs.ts';

export interface CjkSpacesOptions {
  /** The edition's script; English editions are left as they are. */
  script: Script;
}

/** Full-width opening marks that are never Latin punctuation. */
const OPENING = '《〈（「『【〔〖〘［｛';
const BEFORE = new RegExp(`(?<=[\\p{L}\\p{N}，。、；：！？）》〉」』】〕〗〙”’])[ \\t\\n\\u3000]+(?=[${OPENING}])`, 'gu');
/** Elements whose text is a line of text: white space between blocks (`</h2>\n<h3>`) is not touched. */
const TEXT_PARENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dd', 'dt', 'td', 'th', 'figcaption', 'caption', 'a', 'span', 'em', 'strong', 'b', 'i', 'q', 'cite', 'small', 'sup', 'sub', 'mark', 'abbr']);
const INSIDE = new RegExp(`(?<=[${OPENING}])[ \\t\\n\\u3000]+`, 'gu');

export function rehypeCjkSpaces(options: CjkSpacesOptions) {
  return (tree: Root) => {
    if (options.script === 'en') return;
    const runs = textRuns(tree);
    const ranges = [...runs.text.matchAll(BEFORE), ...runs.text.matchAll(INSIDE)].map((m) => [m.index, m.index + m[0].length] as const);
    // From the last range to the first: cutting a node leaves the offsets of earlier ranges as they were.
    ranges.sort((a, b) => b[0] - a[0]);
    for (const [start, end] of ranges) {
      for (const slot of runs.slots) {
        if (slot.parent.type !== 'element' || !TEXT_PARENTS.has(slot.parent.tagName)) continue;
        const from = Math.max(start, slot.start) - slot.start;
        const to = Math.min(end, slot.start + slot.node.value.length) - slot.start;
        if (to > from) slot.node.value = slot.node.value.slice(0, from) + slot.node.value.slice(to);
      }
    }
  };
}
