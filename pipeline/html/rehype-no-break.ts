/**
 * Places where a Chinese line must not break, kept together at build time with `<span class="nobreak">`
 * (`white-space: nowrap`, templates/base/base.css). Chromium may break between any two Han characters and
 * between a Han character and a digit, which gave "第22 / 位", "表 1- / 1" and a middle dot starting a line.
 *
 * - a number with 第 before it and/or a unit or measure word after it: 第22位, 35.2%, 1.5亿, 2024年;
 * - a figure, table or box number written in the text: 表1-1, 图2-3, 专栏3-1 (generated cross-references
 *   are `a.xref`, which base.css keeps whole);
 * - the middle dot (·, ・, ‧) stays with the character before it, so it never starts a line;
 * - a chapter or section label in Chinese numerals: 第五章, 第三节, and 一节 after a quoted title;
 * - a short Latin term with a hyphen inside Chinese text: 5G-A, COVID-19 (Chromium breaks after the hyphen).
 *
 * A cross-reference longer than `longXref` characters (a section's, which quotes the title:
 * 第五章“适老化与无障碍：不让任何人掉队”一节) is not kept on one line: on a phone it is wider than the
 * line, and in print it left the line before it spread letter by letter. It gets `xref-breakable`
 * (base.css: `white-space: normal`) and the rules above inside it, so its 第五章 still holds together.
 */
import type { Element, Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { toString } from 'hast-util-to-string';
import { applyMarks, classesOf, textRuns, wrapAllAcross, type Mark, type TextRuns } from './text-runs.ts';
import { walkElements } from './walk-elements.ts';

/** Elements base.css already keeps on one line. */
// (Not `nobreak`: this stage makes those, and must read the same text before and after.)
const NOWRAP = ['caption-label', 'xref'];

export interface NoBreakOptions {
  /** The edition's script; English editions are left as they are. */
  script: Script;
  /** A cross-reference with more characters than this may break inside. Default: 8 (English: 24, past "Equation 12.10"). */
  longXref?: number;
  /**
   * Units and measure words that stay with the number before them. Default: `DEFAULT_UNITS` (位, 名, 个,
   * 项, 年, 月, 日, 亿, 万, 元 … and their Traditional forms).
   */
  units?: readonly string[];
}

export const DEFAULT_UNITS: readonly string[] = [
  '美元', '亿元', '万元', '小时', '分钟', '公里', '千米', '平方公里', '个百分点', '百分点',
  '位', '名', '个', '項', '项', '次', '倍', '年', '月', '日', '号', '家', '人', '亿', '億', '万', '萬',
  '元', '所', '条', '條', '部', '种', '種', '座', '台', '臺', '户', '戶', '岁', '歲', '天', '米', '吨', '噸', '度', '章', '节', '節', '款', '届', '屆', '期', '篇', '卷', '页', '頁',
];

const MIDDLE_DOTS = '·・‧';
const ENGLISH_LABEL = /\b(?:Chapter|Section|Part|Figure|Table|Box|Equation)\s\d+(?:\.\d+)*/g;

export function rehypeNoBreak(options: NoBreakOptions) {
  const units = [...(options.units ?? DEFAULT_UNITS)].sort((a, b) => b.length - a.length).map(escape);
  // 第 + number, number + unit, or both; the number may have thousands separators, decimals and %/‰.
  const numberWithUnit = new RegExp(`(?:第\\s?)?\\d[\\d,.]*(?:\\s?[%‰％])?(?:\\s?(?:${units.join('|')}))?`, 'g');
  const itemNumber = /(?:图|圖|表|专栏|專欄|框|式|附表|附图|附圖)\s?\d+(?:[-–.]\d+)*/g;
  const partLabel = /第[一二三四五六七八九十百零〇]+[章节節篇部]|一[节節]/g;
  const hyphenated = /(?<![A-Za-z0-9-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9-])/g;
  const longXref = options.longXref ?? (options.script === 'en' ? 24 : 8);
  return (tree: Root) => {
    const breakable: Element[] = [];
    walkElements(tree, (node) => {
      const classes = classesOf(node);
      if (node.tagName !== 'a' || !classes.includes('xref') || [...toString(node)].length <= longXref) return;
      node.properties = { ...node.properties, className: [...classes, 'xref-breakable'] };
      breakable.push(node);
    });
    if (options.script === 'en') {
      // English: only the label of a long reference (Section 5.3, Chapter 5) is kept whole.
      for (const node of breakable) {
        const runs = textRuns(node);
        applyMarks(runs, [...runs.text.matchAll(ENGLISH_LABEL)].map((m) => ({ start: m.index, end: m.index + m[0].length, className: 'nobreak' })));
      }
      return;
    }
    const skip = (node: Element) => {
      const classes = classesOf(node);
      return classes.some((c) => NOWRAP.includes(c)) && !classes.includes('xref-breakable');
    };
    const runs = textRuns(tree, skip);
    const { text } = runs;
    const ranges: Array<[number, number]> = [];
    for (const m of text.matchAll(itemNumber)) ranges.push([m.index, m.index + m[0].length]);
    for (const m of text.matchAll(partLabel)) ranges.push([m.index, m.index + m[0].length]);
    for (const m of text.matchAll(hyphenated)) if (m[0].length <= 12) ranges.push([m.index, m.index + m[0].length]);
    for (const m of text.matchAll(numberWithUnit)) {
      // A bare number needs nothing; one with 第 or a unit is kept whole.
      if (!/^第|[^\d,.\s]$/.test(m[0])) continue;
      ranges.push([m.index, m.index + m[0].length]);
    }
    for (let i = 1; i < text.length; i++) {
      if (MIDDLE_DOTS.includes(text[i]!) && !/\s/.test(text[i - 1]!)) ranges.push([i - 1, i + 1]);
    }
    // A range across elements (第:value{…}位) is wrapped whole under their common ancestor, one at a time
    // (the joined text stays the same, so the other ranges' offsets hold); the rest are single text nodes.
    const inOneNode = oneNodeTest(runs);
    const merged = merge(ranges);
    const across = merged.filter((r) => !inOneNode(r));
    const wrapped = wrapAllAcross(tree, across, 'nobreak', skip);
    const single = merged.filter(inOneNode).map(([start, end]): Mark => ({ start, end, className: 'nobreak' }));
    applyMarks(wrapped ? textRuns(tree, skip) : runs, single);
  };
}

/**
 * Whether a range of the joined text lies in one text node: the slots are in text order, so the one to
 * look at is the last that starts at or before the range (found by halving, not by a walk over them all).
 */
function oneNodeTest(runs: TextRuns): (range: [number, number]) => boolean {
  const { slots } = runs;
  // The furthest end of the slots up to each one (an empty slot ends where it starts).
  const reach: number[] = [];
  for (const [i, s] of slots.entries()) reach.push(Math.max(i ? reach[i - 1]! : -Infinity, s.start + s.node.value.length));
  return ([start, end]) => {
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (slots[mid]!.start <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && end <= reach[lo - 1]!;
  };
}

/** Overlapping or touching ranges become one (marks must not cross). */
function merge(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
