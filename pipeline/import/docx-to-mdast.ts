/**
 * mammoth's document model of a Word chapter → the project's Markdown tree (mdast), without going through
 * HTML:
 *   - the title (style Title, or the only Heading 1) becomes front matter; Heading n becomes a section
 *     heading one or two levels down; typed numbering (第一章, 一、, （一）, 1.2) is stripped, since the build
 *     numbers headings itself;
 *   - runs keep bold, italic and strikethrough; hyperlinks stay links;
 *   - numbered and bulleted paragraphs become (nested) lists;
 *   - a table becomes a GFM table, or a `:::table[caption]` when a 表3-1 … / Table 3.1 … line stands next to it;
 *   - an image becomes `::figure[caption]{src=…}` when a 图3-1 … / Figure 3.1 … line stands next to it (else
 *     a plain image); a 资料来源：… / Source: … line after a table or figure becomes its `source`;
 *   - footnotes and endnotes become GFM footnotes (the chapter's notes);
 *   - comments are collected for the review list and, when asked, kept as HTML comments after their paragraph.
 */
import type { FootnoteDefinition, Paragraph, List, ListItem, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';

/** The parts of mammoth's document model this module reads (mammoth/lib/documents.js). */
export interface DocxNode {
  type: string;
  children?: DocxNode[];
  value?: string;
  styleName?: string | null;
  styleId?: string | null;
  numbering?: { level: string | number; isOrdered: boolean } | null;
  isBold?: boolean;
  isItalic?: boolean;
  isStrikethrough?: boolean;
  href?: string;
  anchor?: string;
  noteType?: string;
  noteId?: string;
  commentId?: string;
  breakType?: string;
  altText?: string;
  contentType?: string;
  read?: () => Promise<Uint8Array>;
  colSpan?: number;
  rowSpan?: number;
}

export interface DocxDocument {
  children: DocxNode[];
  notes: { resolve(ref: { noteType: string; noteId: string }): { body: DocxNode[] } | null };
  comments: Array<{ commentId: string; body: DocxNode[]; authorName?: string | null }>;
}

export interface ExtractedImage {
  /** File name under manuscripts/<book>/images/. */
  name: string;
  contentType: string;
  read: () => Promise<Uint8Array>;
}

export interface ReviewComment {
  id: string;
  author: string;
  text: string;
  /** The start of the paragraph the comment is anchored in. */
  anchor: string;
}

/** A caption or source line: its block index and its text after the label (表3-1, 资料来源：). */
interface Line {
  index: number;
  text: string;
}

export interface ConvertProblem {
  kind: 'image-format' | 'merged-cells';
  message: string;
}

export interface DocxToMdastOptions {
  /** Prefix of extracted image names: `<prefix>-1.png`. */
  imagePrefix: string;
  /** Keep each comment as an HTML comment after its paragraph. Default: false. */
  keepComments?: boolean;
  /** The word for a kept comment (locale key `reviewComment`: 批注 / Comment). Default: 批注. */
  commentWord?: string;
}

export interface DocxToMdastResult {
  tree: Root;
  title?: string;
  images: ExtractedImage[];
  comments: ReviewComment[];
  problems: ConvertProblem[];
}

const TITLE_STYLE = /^(?:title|标题|標題)$/i;
const HEADING_STYLE = /^(?:heading|标题|標題)\s*(\d)$/i;
const TABLE_CAPTION = /^(?:表|Table)\s*\d+(?:\s*[-–—.．]\s*\d+)?\s*[：:.．]?\s*(.+)$/i;
const FIGURE_CAPTION = /^(?:图|圖|Figure|Fig\.)\s*\d+(?:\s*[-–—.．]\s*\d+)?\s*[：:.．]?\s*(.+)$/i;
const SOURCE_LINE = /^(?:资料来源|數據來源|数据来源|资料來源|來源|来源|Sources?)\s*[：:]\s*(.+)$/i;
const TYPED_NUMBER = [
  /^第[一二三四五六七八九十百零〇\d]+[章节節篇部]\s*/,
  /^[一二三四五六七八九十]+[、.．]\s*/,
  /^[（(][一二三四五六七八九十\d]+[）)]\s*/,
  /^\d+(?:\.\d+)*[.、．]?\s+/,
  /^Chapter\s+\d+[.:]?\s*/i,
];
const IMAGE_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg', 'image/webp': 'webp' };

/** A heading's text without the number typed into it (第一章 总论 → 总论). */
export function stripTypedNumber(text: string): string {
  for (const re of TYPED_NUMBER) {
    const stripped = text.replace(re, '');
    if (stripped !== text && stripped.trim()) return stripped.trim();
  }
  return text.trim();
}

export function docxToMdast(document: DocxDocument, options: DocxToMdastOptions): DocxToMdastResult {
  const c: Conversion = {
    document,
    options,
    blocks: document.children,
    images: [],
    problems: [],
    comments: [],
    commentsById: new Map(document.comments.map((comment) => [comment.commentId, comment])),
    footnotes: [],
    noteNumbers: new Map(),
    pendingComments: [],
    out: [],
    listStack: [],
  };
  const headings = headingPlan(c.blocks);
  const { used, attached } = attachedLines(c.blocks);
  for (const [i, block] of c.blocks.entries()) {
    if (used.has(i)) {
      inline(c, block.children ?? [], false); // comments and notes in a caption line still count
      flushComments(c, paragraphText(c.blocks, i) ?? '');
    } else writeBlock(c, i, attached.get(i), headings);
  }
  c.out.push(...c.footnotes);
  return { tree: { type: 'root', children: c.out }, title: c.title, images: c.images, comments: c.comments, problems: c.problems };
}

/** One conversion: the document, and what is collected and written as it goes through the blocks. */
interface Conversion {
  document: DocxDocument;
  options: DocxToMdastOptions;
  blocks: DocxNode[];
  images: ExtractedImage[];
  problems: ConvertProblem[];
  comments: ReviewComment[];
  commentsById: Map<string, DocxDocument['comments'][number]>;
  footnotes: FootnoteDefinition[];
  /** `<noteType>-<noteId>` → the footnote's number, in order of first reference. */
  noteNumbers: Map<string, number>;
  /** Comments referenced since the last block was written: they are anchored at it. */
  pendingComments: string[];
  /** The blocks written so far. */
  out: RootContent[];
  /** The open lists: consecutive numbered paragraphs, nested by level. */
  listStack: Array<{ list: List; level: number }>;
  title?: string;
}

/** How headings map: with a Title paragraph, Heading 1 is a section (##); otherwise the only Heading 1 is the title. */
interface HeadingPlan {
  hasTitle: boolean;
  h1IsTitle: boolean;
}

function headingPlan(blocks: readonly DocxNode[]): HeadingPlan {
  const hasTitle = blocks.some((b) => b.type === 'paragraph' && TITLE_STYLE.test(b.styleName ?? b.styleId ?? ''));
  const h1Count = blocks.filter((b) => b.type === 'paragraph' && styleDepth(b) === 1).length;
  return { hasTitle, h1IsTitle: !hasTitle && h1Count === 1 };
}

/** The heading level of a paragraph's style (Heading 2 → 2), if it is a heading. */
function styleDepth(p: DocxNode): number | undefined {
  const m = HEADING_STYLE.exec(p.styleName ?? p.styleId ?? '');
  return m ? Number(m[1]) : undefined;
}

const imagesIn = (node: DocxNode): DocxNode[] => (node.type === 'image' ? [node] : (node.children ?? []).flatMap(imagesIn));
const textOf = (node: DocxNode): string => (node.type === 'text' ? (node.value ?? '') : node.type === 'tab' ? ' ' : (node.children ?? []).map(textOf).join(''));
const paragraphText = (blocks: readonly DocxNode[], i: number) => (blocks[i]?.type === 'paragraph' ? textOf(blocks[i]!).trim() : undefined);
const isImageParagraph = (blocks: readonly DocxNode[], i: number) => blocks[i]?.type === 'paragraph' && imagesIn(blocks[i]!).length > 0 && textOf(blocks[i]!).trim() === '';
const altOf = (p: DocxNode): string => imagesIn(p)[0]?.altText ?? '';

/** The block `j` as a caption or source line, when its text matches `re`. */
function lineAt(blocks: readonly DocxNode[], j: number, re: RegExp): Line | undefined {
  const m = re.exec(paragraphText(blocks, j) ?? '');
  return m ? { index: j, text: m[1]!.trim() } : undefined;
}

/**
 * Captions and source lines are found before the blocks they belong to are written: the caption line
 * just before or after a table or figure, and a source line right after the two. `used`: their indexes,
 * taken out of the flow.
 */
function attachedLines(blocks: readonly DocxNode[]): { used: Set<number>; attached: Map<number, Attached> } {
  const used = new Set<number>();
  const attached = new Map<number, Attached>();
  for (const [i, block] of blocks.entries()) {
    const re = block.type === 'table' ? TABLE_CAPTION : isImageParagraph(blocks, i) ? FIGURE_CAPTION : undefined;
    if (!re) continue;
    const caption = [i - 1, i + 1].filter((j) => !used.has(j)).map((j) => lineAt(blocks, j, re)).find((line) => line !== undefined);
    if (caption) used.add(caption.index);
    const after = Math.max(i, caption?.index ?? i) + 1;
    const source = used.has(after) ? undefined : lineAt(blocks, after, SOURCE_LINE);
    if (source) used.add(source.index);
    attached.set(i, { caption, source });
  }
  return { used, attached };
}

/** The caption and source line of a table or figure. */
interface Attached {
  caption?: Line;
  source?: Line;
}

/** Writes block `i` (not a caption or source line): a table, title, heading, figures, list item or paragraph. */
function writeBlock(c: Conversion, i: number, attached: Attached | undefined, headings: HeadingPlan): void {
  const block = c.blocks[i]!;
  if (block.type === 'table') {
    writeTable(c, block, attached ?? {});
    return;
  }
  if (block.type !== 'paragraph') return;
  const text = textOf(block).trim();
  const style = block.styleName ?? block.styleId ?? '';
  const depth = styleDepth(block);
  if (TITLE_STYLE.test(style) || (headings.h1IsTitle && depth === 1)) {
    c.listStack = [];
    c.title ??= stripTypedNumber(text);
    inline(c, block.children ?? [], false);
  } else if (depth !== undefined) {
    c.listStack = [];
    const level = Math.min(6, depth + (headings.hasTitle || !headings.h1IsTitle ? 1 : 0)) as 1 | 2 | 3 | 4 | 5 | 6;
    const children = inline(c, block.children ?? []);
    c.out.push({ type: 'heading', depth: level, children: stripNumberFromInline(children) });
  } else if (isImageParagraph(c.blocks, i)) {
    writeFigures(c, block, attached ?? {});
    return;
  } else {
    const children = trimInline(inline(c, block.children ?? []));
    if (children.length === 0) {
      flushComments(c, '');
      return;
    }
    if (block.numbering) addListItem(c, block.numbering, children);
    else {
      c.listStack = [];
      c.out.push({ type: 'paragraph', children });
    }
  }
  flushComments(c, text);
}

/** A table, in a `:::table` with its caption and source line when it has a caption. */
function writeTable(c: Conversion, block: DocxNode, { caption, source }: Attached): void {
  c.listStack = [];
  const table = tableOf(block, (nodes) => inline(c, nodes), c.problems);
  if (caption) {
    const directive: ContainerDirective = {
      type: 'containerDirective',
      name: 'table',
      attributes: source ? { source: source.text } : {},
      children: [{ type: 'paragraph', data: { directiveLabel: true }, children: [{ type: 'text', value: caption.text }] }, table],
    };
    c.out.push(directive);
  } else {
    c.out.push(table);
  }
  flushComments(c, caption?.text ?? '');
}

/** The images of a paragraph that holds nothing else: a `::figure` each when captioned, else an image paragraph. */
function writeFigures(c: Conversion, block: DocxNode, { caption, source }: Attached): void {
  c.listStack = [];
  for (const image of imagesIn(block)) {
    const src = extract(c, image);
    if (!src) continue;
    const alt = image.altText ?? caption?.text ?? '';
    if (caption) {
      const figure: LeafDirective = {
        type: 'leafDirective',
        name: 'figure',
        attributes: { src, ...(alt && alt !== caption.text ? { alt } : {}), ...(source ? { source: source.text } : {}) },
        children: [{ type: 'text', value: caption.text }],
      };
      c.out.push(figure);
    } else {
      c.out.push({ type: 'paragraph', children: [{ type: 'image', url: src, alt }] });
    }
  }
  inline(c, block.children ?? [], false);
  flushComments(c, caption?.text ?? altOf(block));
}

/** A numbered paragraph as a list item: in the open list of its level, a new list nested in the last item, or a new list. */
function addListItem(c: Conversion, numbering: NonNullable<DocxNode['numbering']>, children: PhrasingContent[]): void {
  const { listStack } = c;
  const level = Number(numbering.level) || 0;
  const item: ListItem = { type: 'listItem', spread: false, children: [{ type: 'paragraph', children }] };
  while (listStack.length && listStack[listStack.length - 1]!.level > level) listStack.pop();
  const top = listStack[listStack.length - 1];
  if (top && top.level === level && top.list.ordered === numbering.isOrdered) {
    top.list.children.push(item);
  } else if (top && top.level < level) {
    const parentItem = top.list.children[top.list.children.length - 1]!;
    const list: List = { type: 'list', ordered: numbering.isOrdered, spread: false, children: [item] };
    parentItem.children.push(list);
    listStack.push({ list, level });
  } else {
    const list: List = { type: 'list', ordered: numbering.isOrdered, spread: false, children: [item] };
    if (top && top.level === level) listStack.pop();
    c.out.push(list);
    listStack.push({ list, level });
  }
}

/** Records the pending comments, anchored at `anchor` (kept as HTML comments with `keepComments`). */
function flushComments(c: Conversion, anchor: string): void {
  for (const id of c.pendingComments.splice(0)) {
    const comment = c.commentsById.get(id);
    if (!comment) continue;
    const text = comment.body.map(textOf).join(' ').trim();
    const author = comment.authorName ?? '';
    c.comments.push({ id, author, text, anchor });
    if (c.options.keepComments) c.out.push({ type: 'html', value: `<!-- ${c.options.commentWord ?? '批注'}${author ? `（${author}）` : ''}：${text.replace(/--/g, '—')} -->` });
  }
}

/**
 * Inline content of a paragraph (or cell, or note): runs, links, note and comment references.
 * `images: false` where the paragraph's images were written as figures already.
 */
function inline(c: Conversion, nodes: readonly DocxNode[], images = true): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'run': {
        let content = inline(c, node.children ?? [], images);
        if (node.isStrikethrough) content = wrap('delete', content);
        if (node.isItalic) content = wrap('emphasis', content);
        if (node.isBold) content = wrap('strong', content);
        out.push(...content);
        break;
      }
      case 'text':
        if (node.value) out.push({ type: 'text', value: node.value });
        break;
      case 'tab':
        out.push({ type: 'text', value: ' ' });
        break;
      case 'break':
        if (node.breakType === 'line') out.push({ type: 'text', value: ' ' });
        break;
      case 'hyperlink': {
        const children = inline(c, node.children ?? [], images);
        if (node.href) out.push({ type: 'link', url: node.href, children });
        else out.push(...children);
        break;
      }
      case 'noteReference': {
        const n = String(footnoteNumber(c, node));
        out.push({ type: 'footnoteReference', identifier: n, label: n });
        break;
      }
      case 'commentReference':
        if (node.commentId !== undefined) c.pendingComments.push(node.commentId);
        break;
      case 'image': {
        // An image among text or in a table cell stays an inline image (one alone in its paragraph is a figure).
        const src = images ? extract(c, node) : undefined;
        if (src) out.push({ type: 'image', url: src, alt: node.altText ?? '' });
        break;
      }
      default:
        if (node.children) out.push(...inline(c, node.children, images));
    }
  }
  return mergeText(out);
}

/** The number of a referenced note; the first reference converts the note into a footnote definition. */
function footnoteNumber(c: Conversion, node: DocxNode): number {
  const key = `${node.noteType}-${node.noteId}`;
  let n = c.noteNumbers.get(key);
  if (n === undefined) {
    n = c.noteNumbers.size + 1;
    c.noteNumbers.set(key, n);
    const note = c.document.notes.resolve({ noteType: node.noteType!, noteId: node.noteId! });
    const body: Paragraph[] = (note?.body ?? []).flatMap((b) => (b.type === 'paragraph' ? [{ type: 'paragraph' as const, children: trimInline(inline(c, b.children ?? [])) }] : []));
    c.footnotes.push({ type: 'footnoteDefinition', identifier: String(n), label: String(n), children: body.filter((p) => p.children.length > 0) });
  }
  return n;
}

/** An image's file, named `<prefix>-N.<ext>`, or undefined (a problem) when its format cannot go in a book. */
function extract(c: Conversion, image: DocxNode): string | undefined {
  const ext = IMAGE_EXTENSIONS[image.contentType ?? ''];
  if (!ext || !image.read) {
    c.problems.push({ kind: 'image-format', message: `an image of type ${image.contentType ?? 'unknown'} cannot be used in a book (PNG, JPEG, GIF, SVG or WebP); it was left out` });
    return undefined;
  }
  const name = `${c.options.imagePrefix}-${c.images.length + 1}.${ext}`;
  c.images.push({ name, contentType: image.contentType!, read: image.read });
  return `images/${name}`;
}

function tableOf(block: DocxNode, inline: (nodes: readonly DocxNode[]) => PhrasingContent[], problems: ConvertProblem[]): Table {
  const rows: TableRow[] = [];
  let merged = false;
  for (const row of block.children ?? []) {
    if (row.type !== 'tableRow') continue;
    const cells: TableCell[] = [];
    for (const cell of row.children ?? []) {
      if (cell.type !== 'tableCell') continue;
      const paragraphs = (cell.children ?? []).map((p) => trimInline(inline(p.children ?? []))).filter((c) => c.length > 0);
      const children: PhrasingContent[] = paragraphs.flatMap((c, k) => (k ? [{ type: 'text' as const, value: ' ' }, ...c] : c));
      cells.push({ type: 'tableCell', children: mergeText(children) });
      // GFM has no merged cells: a cell spanning columns is followed by empty ones.
      for (let k = 1; k < (cell.colSpan ?? 1); k++) cells.push({ type: 'tableCell', children: [] });
      if ((cell.colSpan ?? 1) > 1 || (cell.rowSpan ?? 1) > 1) merged = true;
    }
    rows.push({ type: 'tableRow', children: cells });
  }
  if (merged) problems.push({ kind: 'merged-cells', message: 'a table has merged cells, which Markdown tables cannot show: they were split into single cells' });
  const width = Math.max(1, ...rows.map((r) => r.children.length));
  for (const r of rows) while (r.children.length < width) r.children.push({ type: 'tableCell', children: [] });
  return { type: 'table', align: rows[0]?.children.map(() => null) ?? [], children: rows };
}

function wrap(type: 'strong' | 'emphasis' | 'delete', children: PhrasingContent[]): PhrasingContent[] {
  if (children.length === 0) return children;
  return [{ type, children } as PhrasingContent];
}

/** Adjacent text nodes joined; adjacent marks of the same kind merged (**a****b** → **ab**). */
function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (last && last.type === 'text' && node.type === 'text') last.value += node.value;
    else if (last && (last.type === 'strong' || last.type === 'emphasis' || last.type === 'delete') && last.type === node.type) {
      last.children = mergeText([...last.children, ...(node as typeof last).children]);
    } else out.push(node);
  }
  return out;
}

/** Leading and trailing white space of a paragraph removed. */
function trimInline(nodes: PhrasingContent[]): PhrasingContent[] {
  const first = nodes[0];
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '');
  const last = nodes[nodes.length - 1];
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '');
  return nodes.filter((n) => n.type !== 'text' || n.value !== '');
}

function stripNumberFromInline(nodes: PhrasingContent[]): PhrasingContent[] {
  const trimmed = trimInline(nodes);
  const first = trimmed[0];
  if (first?.type === 'text') first.value = stripTypedNumber(first.value);
  return trimmed.filter((n) => n.type !== 'text' || n.value !== '');
}
