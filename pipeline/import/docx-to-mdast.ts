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
  const images: ExtractedImage[] = [];
  const problems: ConvertProblem[] = [];
  const comments: ReviewComment[] = [];
  const commentsById = new Map(document.comments.map((c) => [c.commentId, c]));
  const footnotes: FootnoteDefinition[] = [];
  const noteNumbers = new Map<string, number>();

  // Headings: with a Title paragraph, Heading 1 is a section (##); otherwise the only Heading 1 is the title.
  const blocks = document.children;
  const styleDepth = (p: DocxNode) => {
    const m = HEADING_STYLE.exec(p.styleName ?? p.styleId ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const hasTitle = blocks.some((b) => b.type === 'paragraph' && TITLE_STYLE.test(b.styleName ?? b.styleId ?? ''));
  const h1Count = blocks.filter((b) => b.type === 'paragraph' && styleDepth(b) === 1).length;
  const h1IsTitle = !hasTitle && h1Count === 1;
  let title: string | undefined;

  // Inline content of a paragraph (or cell, or note): runs, links, note and comment references.
  const pendingComments: string[] = [];
  // `images: false` where the paragraph's images were written as figures already.
  const inline = (nodes: readonly DocxNode[], images = true): PhrasingContent[] => {
    const out: PhrasingContent[] = [];
    for (const node of nodes) {
      switch (node.type) {
        case 'run': {
          let content = inline(node.children ?? [], images);
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
          const children = inline(node.children ?? [], images);
          if (node.href) out.push({ type: 'link', url: node.href, children });
          else out.push(...children);
          break;
        }
        case 'noteReference': {
          const key = `${node.noteType}-${node.noteId}`;
          let n = noteNumbers.get(key);
          if (n === undefined) {
            n = noteNumbers.size + 1;
            noteNumbers.set(key, n);
            const note = document.notes.resolve({ noteType: node.noteType!, noteId: node.noteId! });
            const body: Paragraph[] = (note?.body ?? []).flatMap((b) => (b.type === 'paragraph' ? [{ type: 'paragraph' as const, children: trimInline(inline(b.children ?? [])) }] : []));
            footnotes.push({ type: 'footnoteDefinition', identifier: String(n), label: String(n), children: body.filter((p) => p.children.length > 0) });
          }
          out.push({ type: 'footnoteReference', identifier: String(n), label: String(n) });
          break;
        }
        case 'commentReference':
          if (node.commentId !== undefined) pendingComments.push(node.commentId);
          break;
        case 'image': {
          // An image among text or in a table cell stays an inline image (one alone in its paragraph is a figure).
          const src = images ? extract(node) : undefined;
          if (src) out.push({ type: 'image', url: src, alt: node.altText ?? '' });
          break;
        }
        default:
          if (node.children) out.push(...inline(node.children, images));
      }
    }
    return mergeText(out);
  };

  const imagesIn = (node: DocxNode): DocxNode[] => (node.type === 'image' ? [node] : (node.children ?? []).flatMap(imagesIn));
  const textOf = (node: DocxNode): string => (node.type === 'text' ? (node.value ?? '') : node.type === 'tab' ? ' ' : (node.children ?? []).map(textOf).join(''));
  const paragraphText = (i: number) => (blocks[i]?.type === 'paragraph' ? textOf(blocks[i]!).trim() : undefined);
  const lineAt = (j: number, re: RegExp): Line | undefined => {
    const m = re.exec(paragraphText(j) ?? '');
    return m ? { index: j, text: m[1]!.trim() } : undefined;
  };
  const isImageParagraph = (i: number) => blocks[i]?.type === 'paragraph' && imagesIn(blocks[i]!).length > 0 && textOf(blocks[i]!).trim() === '';

  const extract = (image: DocxNode): string | undefined => {
    const ext = IMAGE_EXTENSIONS[image.contentType ?? ''];
    if (!ext || !image.read) {
      problems.push({ kind: 'image-format', message: `an image of type ${image.contentType ?? 'unknown'} cannot be used in a book (PNG, JPEG, GIF, SVG or WebP); it was left out` });
      return undefined;
    }
    const name = `${options.imagePrefix}-${images.length + 1}.${ext}`;
    images.push({ name, contentType: image.contentType!, read: image.read });
    return `images/${name}`;
  };

  // Blocks, with the captions and source lines that belong to tables and figures taken out of the flow.
  const used = new Set<number>();
  const out: RootContent[] = [];
  const flushComments = (anchor: string) => {
    for (const id of pendingComments.splice(0)) {
      const c = commentsById.get(id);
      if (!c) continue;
      const text = c.body.map(textOf).join(' ').trim();
      const author = c.authorName ?? '';
      comments.push({ id, author, text, anchor });
      if (options.keepComments) out.push({ type: 'html', value: `<!-- ${options.commentWord ?? '批注'}${author ? `（${author}）` : ''}：${text.replace(/--/g, '—')} -->` });
    }
  };
  // Lists: consecutive numbered paragraphs, nested by level.
  let listStack: Array<{ list: List; level: number }> = [];
  const endList = () => {
    listStack = [];
  };

  // Captions and source lines are found before the blocks they belong to are written: the caption line
  // just before or after a table or figure, and a source line right after the two.
  const attached = new Map<number, { caption?: Line; source?: Line }>();
  for (const [i, block] of blocks.entries()) {
    const re = block.type === 'table' ? TABLE_CAPTION : isImageParagraph(i) ? FIGURE_CAPTION : undefined;
    if (!re) continue;
    const caption = [i - 1, i + 1].filter((j) => !used.has(j)).map((j) => lineAt(j, re)).find((c) => c !== undefined);
    if (caption) used.add(caption.index);
    const source = used.has(Math.max(i, caption?.index ?? i) + 1) ? undefined : lineAt(Math.max(i, caption?.index ?? i) + 1, SOURCE_LINE);
    if (source) used.add(source.index);
    attached.set(i, { caption, source });
  }

  for (const [i, block] of blocks.entries()) {
    if (used.has(i)) {
      inline(block.children ?? [], false); // comments and notes in a caption line still count
      flushComments(paragraphText(i) ?? '');
      continue;
    }
    if (block.type === 'table') {
      endList();
      const table = tableOf(block, inline, problems);
      const { caption, source } = attached.get(i) ?? {};
      if (caption) {
        const directive: ContainerDirective = {
          type: 'containerDirective',
          name: 'table',
          attributes: source ? { source: source.text } : {},
          children: [{ type: 'paragraph', data: { directiveLabel: true }, children: [{ type: 'text', value: caption.text }] }, table],
        };
        out.push(directive);
      } else {
        out.push(table);
      }
      flushComments(caption?.text ?? '');
      continue;
    }
    if (block.type !== 'paragraph') continue;
    const text = textOf(block).trim();
    const style = block.styleName ?? block.styleId ?? '';
    const depth = styleDepth(block);
    if (TITLE_STYLE.test(style) || (h1IsTitle && depth === 1)) {
      endList();
      title ??= stripTypedNumber(text);
      inline(block.children ?? [], false);
      flushComments(text);
      continue;
    }
    if (depth !== undefined) {
      endList();
      const level = Math.min(6, depth + (hasTitle || !h1IsTitle ? 1 : 0)) as 1 | 2 | 3 | 4 | 5 | 6;
      const children = inline(block.children ?? []);
      out.push({ type: 'heading', depth: level, children: stripNumberFromInline(children) });
      flushComments(text);
      continue;
    }
    if (isImageParagraph(i)) {
      endList();
      const { caption, source } = attached.get(i) ?? {};
      for (const image of imagesIn(block)) {
        const src = extract(image);
        if (!src) continue;
        const alt = image.altText ?? caption?.text ?? '';
        if (caption) {
          const figure: LeafDirective = {
            type: 'leafDirective',
            name: 'figure',
            attributes: { src, ...(alt && alt !== caption.text ? { alt } : {}), ...(source ? { source: source.text } : {}) },
            children: [{ type: 'text', value: caption.text }],
          };
          out.push(figure);
        } else {
          out.push({ type: 'paragraph', children: [{ type: 'image', url: src, alt }] });
        }
      }
      inline(block.children ?? [], false);
      flushComments(caption?.text ?? alt(block));
      continue;
    }
    const children = trimInline(inline(block.children ?? []));
    if (children.length === 0) {
      flushComments('');
      continue;
    }
    if (block.numbering) {
      const level = Number(block.numbering.level) || 0;
      const item: ListItem = { type: 'listItem', spread: false, children: [{ type: 'paragraph', children }] };
      while (listStack.length && listStack[listStack.length - 1]!.level > level) listStack.pop();
      const top = listStack[listStack.length - 1];
      if (top && top.level === level && top.list.ordered === block.numbering.isOrdered) {
        top.list.children.push(item);
      } else if (top && top.level < level) {
        const parentItem = top.list.children[top.list.children.length - 1]!;
        const list: List = { type: 'list', ordered: block.numbering.isOrdered, spread: false, children: [item] };
        parentItem.children.push(list);
        listStack.push({ list, level });
      } else {
        const list: List = { type: 'list', ordered: block.numbering.isOrdered, spread: false, children: [item] };
        if (top && top.level === level) listStack.pop();
        out.push(list);
        listStack.push({ list, level });
      }
      flushComments(text);
      continue;
    }
    endList();
    out.push({ type: 'paragraph', children });
    flushComments(text);
  }
  out.push(...footnotes);
  return { tree: { type: 'root', children: out }, title, images, comments, problems };

  function alt(p: DocxNode): string {
    return imagesIn(p)[0]?.altText ?? '';
  }
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
