/**
 * English prose typography from what the author typed: straight quotes become curly, `--` an en dash,
 * `---` an em dash, `...` an ellipsis, ``` ``text'' ``` curly double quotes (retext-smartypants, SmartyPants'
 * rules). It does what the remark-smartypants package (3.0) does, in the same two passes, and gives the same
 * text; it only leaves out the second pass where it cannot change anything.
 *
 * 1. Quotes: the text of the whole chapter, joined (an inline code as as many letters as it is long, a
 *    space before each paragraph, heading and table cell, so a quote at a block's start opens), goes
 *    through retext-smartypants once, quotes only, so quotes pair across emphasis and links; each text
 *    node takes back its slice. Code is never changed.
 * 2. Dashes, ellipses and backticks: each text node on its own. remark-smartypants parses every text node
 *    again for this (two thirds of its time on an English chapter); here a node is parsed only when it
 *    holds what these rules act on (`--`, `–-`, `''`, ``` `` ```, two full stops with nothing but
 *    punctuation and spaces between), since retext gives back any other text as it was given.
 */
import type { Root } from 'mdast';
import type { Node } from 'unist';
import { retext } from 'retext';
import retextSmartypants, { type Options as SmartypantsOptions } from 'retext-smartypants';
import { visit } from '../base/visit.ts';

export interface SmartypantsPluginOptions {
  /** How `--` and `---` are read (retext-smartypants `dashes`). Default: `true` (`--` em dash). */
  dashes?: SmartypantsOptions['dashes'];
}

/** Parents whose text starts afresh: a quote right at their start opens. */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);
/** What the second pass can act on; text without any of it comes back unchanged. */
const SECOND_PASS_NEEDED = /``|''|--|–-|\.[^\p{L}\p{N}]*\./u;

type Literal = Node & { value: string };

export function remarkSmartypants(options: SmartypantsPluginOptions = {}) {
  const quotes = retext().use(retextSmartypants, { ...options, ellipses: false, dashes: false, backticks: false });
  const rest = retext().use(retextSmartypants, { ...options, quotes: false });
  return (tree: Root) => {
    const nodes: Node[] = [];
    let joined = '';
    visit(tree, (node, _index, parent) => {
      if (!parent) return;
      if (node.type === 'text' || node.type === 'inlineCode') {
        const value = (node as Literal).value;
        joined += node.type === 'text' ? value : 'A'.repeat(value.length);
        nodes.push(node);
      } else if (BLOCKS.has(node.type)) {
        joined += ' ';
        nodes.push(node);
      }
    });
    const quoted = quotes.processSync(joined).toString();
    let at = 0;
    for (const node of nodes) {
      if (BLOCKS.has(node.type)) {
        at += 1;
        continue;
      }
      const literal = node as Literal;
      const end = at + literal.value.length;
      if (node.type === 'text') {
        const slice = quoted.slice(at, end);
        literal.value = SECOND_PASS_NEEDED.test(slice) ? rest.processSync(slice).toString() : slice;
      }
      at = end;
    }
  };
}
