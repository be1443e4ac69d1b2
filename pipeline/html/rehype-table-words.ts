/**
 * Table cells that keep Chinese words whole. base.css sets `word-break: keep-all` on Chinese table cells,
 * so a run of Han characters breaks only where this stage puts a `<wbr>`: a run of up to `keepWhole`
 * characters (most headers and short cells: 综合权重, 区域类型) gets none and never breaks; a longer run
 * gets one between pieces of words that `Intl.Segmenter` finds. The segmenter leaves many two-character
 * words as single characters (综合|权|重, 资源|富|集), so words are gathered into pieces of at least four
 * characters (see `wordPieces`). Columns take their width from this content (automatic table layout).
 *
 * A long prose cell (more than `proseCell` Han characters: a sentence in an overview table, 千兆光网与5G深度
 * 覆盖，5G-A加快商用……) breaks at every word boundary the segmenter finds (pieces of `prosePiece`), like a
 * header: pieces of four in every cell of a four-column prose table made it wider than the text block
 * (China report 表1-1, 146 mm for 145 mm, printed at 80 %). Its words still never split (人工智能|与|算力);
 * short cells keep the pieces of four.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Script } from '../locale/locale.ts';
import { walkElements } from './walk-elements.ts';
import { isOpaque } from './text-runs.ts';

export interface TableWordsOptions {
  /** The edition's script; English editions are left as they are. */
  script: Script;
  /** Runs of Han characters up to this length never break. Default: 6. */
  keepWhole?: number;
  /** A longer run in a data cell breaks only between pieces of at least this many characters. Default: 4. */
  minPiece?: number;
  /** The same for header cells, which head narrow numeric columns. Default: 2. */
  headerPiece?: number;
  /** A data cell with more Han characters than this is prose. Default: 12. */
  proseCell?: number;
  /** The `minPiece` of a prose cell. Default: 2. */
  prosePiece?: number;
}

const HAN_RUN = /[\u3400-\u9FFF\uF900-\uFAFF]+/g;

export function rehypeTableWords(options: TableWordsOptions) {
  const keepWhole = options.keepWhole ?? 6;
  const minPiece = options.minPiece ?? 4;
  const headerPiece = options.headerPiece ?? 2;
  const proseCell = options.proseCell ?? 12;
  const prosePiece = options.prosePiece ?? 2;
  return (tree: Root) => {
    if (options.script === 'en') return;
    const segmenter = new Intl.Segmenter(options.script === 'zh-Hant' ? 'zh-TW' : 'zh-CN', { granularity: 'word' });
    walkElements(tree, (node) => {
      if (node.tagName !== 'td' && node.tagName !== 'th') return;
      // Headers of narrow (numeric) columns may break at any word boundary: 安全|互联网|服务器; so may prose cells.
      const piece = node.tagName === 'th' ? headerPiece : hanCount(node) > proseCell ? prosePiece : minPiece;
      breakWords(node, segmenter, keepWhole, piece);
    });
  };
}

/** Han characters in a cell's text (code and formulas left out). */
function hanCount(node: Element): number {
  let n = 0;
  for (const child of node.children) {
    if (child.type === 'text') n += child.value.match(HAN_RUN)?.join('').length ?? 0;
    else if (child.type === 'element' && !isOpaque(child)) n += hanCount(child);
  }
  return n;
}

function breakWords(cell: Element, segmenter: Intl.Segmenter, keepWhole: number, minPiece: number): void {
  cell.children = cell.children.flatMap((child): ElementContent[] => {
    if (child.type === 'element') {
      if (!isOpaque(child)) breakWords(child, segmenter, keepWhole, minPiece);
      return [child];
    }
    if (child.type !== 'text') return [child];
    const out: ElementContent[] = [];
    let at = 0;
    for (const m of child.value.matchAll(HAN_RUN)) {
      if (m[0].length <= keepWhole) continue;
      const pieces = wordPieces(m[0], segmenter, minPiece);
      let offset = m.index;
      for (const [k, piece] of pieces.entries()) {
        offset += piece.length;
        if (k === pieces.length - 1) break;
        out.push({ type: 'text', value: child.value.slice(at, offset) }, { type: 'element', tagName: 'wbr', properties: {}, children: [] });
        at = offset;
      }
    }
    if (at === 0) return [child];
    out.push({ type: 'text', value: child.value.slice(at) });
    return out;
  });
}

/**
 * The run cut at word boundaries into pieces of at least `min` characters: segments are gathered until
 * the piece is long enough, and a short tail joins the piece before it. Chinese compounds are mostly two
 * two-character words (正向|指标, 综合|权|重), so a piece rarely ends inside one.
 */
export function wordPieces(run: string, segmenter: Intl.Segmenter, min = 4): string[] {
  const pieces: string[] = [];
  // Three single characters in a row are one word the segmenter did not know (互|联|网 → 互联网); two or
  // four are usually two-character words (富|集, 算|力), which the pieces of four keep together.
  const segments = [...segmenter.segment(run)].map((s) => s.segment);
  const words: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const one = (k: number) => segments[k] !== undefined && [...segments[k]!].length === 1;
    if (one(i) && one(i + 1) && one(i + 2) && !one(i - 1) && !one(i + 3)) {
      words.push(segments[i]! + segments[i + 1]! + segments[i + 2]!);
      i += 2;
    } else words.push(segments[i]!);
  }
  let piece = '';
  for (const segment of words) {
    piece += segment;
    if ([...piece].length >= min) {
      pieces.push(piece);
      piece = '';
    }
  }
  if (piece) {
    if (pieces.length > 0) pieces[pieces.length - 1] += piece;
    else pieces.push(piece);
  }
  return pieces;
}
