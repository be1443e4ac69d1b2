/**
 * What a .docx holds that Markdown cannot (read from word/document.xml itself, since mammoth flattens or
 * drops it silently): text boxes, equations (OMML), SmartArt, charts and embedded objects, and tracked
 * changes not yet accepted. Each finding carries the number of its paragraph in the document (1-based,
 * every `w:p` in document order, table cells included) and the paragraph's opening words, so an editor
 * finds it in Word. Also records the paragraph each comment is anchored in.
 */
import JSZip from 'jszip';

export type UnmappableKind = 'text-box' | 'equation' | 'smartart' | 'chart' | 'object' | 'tracked-insertion' | 'tracked-deletion';

export interface Unmappable {
  kind: UnmappableKind;
  /** 1-based paragraph number in document order. */
  paragraph: number;
  /** The paragraph's first characters. */
  excerpt: string;
}

export interface DocxScan {
  /** Number of paragraphs (`w:p`). */
  paragraphs: number;
  unmappable: Unmappable[];
  /** Comment id → paragraph number of its reference. */
  commentParagraphs: Map<string, number>;
}

/** Elements (by qualified name) whose presence in a paragraph makes a finding. */
const KINDS: Record<string, UnmappableKind> = {
  'w:txbxContent': 'text-box',
  'm:oMath': 'equation',
  'm:oMathPara': 'equation',
  'dgm:relIds': 'smartart',
  'c:chart': 'chart',
  'w:object': 'object',
  'w:ins': 'tracked-insertion',
  'w:moveTo': 'tracked-insertion',
  'w:del': 'tracked-deletion',
  'w:moveFrom': 'tracked-deletion',
};

export async function scanDocx(data: Uint8Array): Promise<DocxScan> {
  const zip = await JSZip.loadAsync(data);
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  const unmappable: Unmappable[] = [];
  const commentParagraphs = new Map<string, number>();
  let paragraphs = 0;
  // Paragraphs nest (a text box's paragraphs sit inside a run of an outer paragraph): a stack of open ones.
  const open: Array<{ n: number; text: string; kinds: Set<UnmappableKind> }> = [];
  const pending: Array<{ n: number; text: string; kinds: Set<UnmappableKind> }> = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*:[\w.-]+)((?:\s[^>]*?)?)(\/?)>|([^<]+)/g;
  let inText = false;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const [, closing, name, attrs, selfClosing, text] = m;
    if (text !== undefined) {
      if (inText && open.length) open[open.length - 1]!.text += decode(text);
      continue;
    }
    if (name === 'w:t') inText = !closing && !selfClosing;
    if (name === 'w:p') {
      if (!closing) {
        paragraphs += 1;
        const p = { n: paragraphs, text: '', kinds: new Set<UnmappableKind>() };
        if (selfClosing) pending.push(p);
        else open.push(p);
      } else {
        const p = open.pop();
        if (p) pending.push(p);
      }
      continue;
    }
    if (closing || !open.length) continue;
    const kind = KINDS[name!];
    // A paragraph mark deleted or inserted (w:rPr/w:del) counts as a tracked change of the paragraph too.
    if (kind) for (const p of kind === 'text-box' ? open.slice(0, 1) : open.slice(-1)) p.kinds.add(kind);
    if (name === 'w:commentReference') {
      const id = /\bw:id="([^"]*)"/.exec(attrs ?? '')?.[1];
      if (id !== undefined) commentParagraphs.set(id, open[open.length - 1]!.n);
    }
  }
  for (const p of pending.sort((a, b) => a.n - b.n)) {
    for (const kind of p.kinds) unmappable.push({ kind, paragraph: p.n, excerpt: excerpt(p.text) });
  }
  return { paragraphs, unmappable, commentParagraphs };
}

function excerpt(text: string): string {
  const chars = [...text.trim()];
  return chars.length > 24 ? chars.slice(0, 24).join('') + '…' : chars.join('');
}

function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : all;
  });
}
