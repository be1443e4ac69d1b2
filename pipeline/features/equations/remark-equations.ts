/**
 * Mathematics: inline `$…$` and display `$$…$$` (syntax from remark-math) rendered at build time with
 * KaTeX into HTML + MathML, and numbered display equations:
 *
 *     :::equation{#eq-composite}
 *     $$
 *     S_j = \frac{\sum_i w_i s_{ij}}{\sum_i w_i}
 *     $$
 *     :::
 *
 * becomes `<div class="equation" id="eq-composite">` with the rendered formula and, at the right, its
 * number in the edition's style (（3-1） / (3.1), locale key `equation`). With an id it is a label of kind
 * `equation`, so `:ref[eq-composite]` prints 式3-1 / Equation 3.1 (locale key `equationRef`). Equations are
 * numbered like figures: per chapter, or through the book when `figureNumbering: book`.
 *
 * Invalid LaTeX is a `math-syntax` diagnostic at the position of the error in the Markdown; the source is
 * then shown as code so the page still builds. Sets `file.data.math` when the chapter contains math, so
 * the edition ships the KaTeX stylesheet and fonts (pipeline/html/katex-assets.ts, shipped by build/write-edition.ts).
 */
import type { Root } from 'mdast';
// The nodes of remark-math: `$$…$$` (math) and `$…$` (inlineMath).
import type { InlineMath, Math } from 'mdast-util-math';
import type { ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { createRequire } from 'node:module';
import type Katex from 'katex';
import { toString } from 'mdast-util-to-string';
import { visit, SKIP } from '../../base/visit.ts';
import type { VFile } from 'vfile';
import type { EditionContext, Label } from '../../context/types.ts';
import { report } from '../../report/diagnostics.ts';
import { ANY_KIND, directiveMatcher, element, takeLabel, text } from '../../markdown/directive-utils.ts';
import type { HashMemo } from '../../base/memo.ts';

/** KaTeX, loaded by the first equation (most chapters have none). */
let katexLoaded: typeof Katex | undefined;
const katexModule = () => (katexLoaded ??= createRequire(import.meta.url)('katex') as typeof Katex);

export const EQUATION_DIRECTIVES = ['equation'] as const;

export interface EquationsOptions {
  context: EditionContext;
  /**
   * Formulas rendered before, by mode and TeX (a BuildMemo's `tex`): the editions of a run print the same
   * formulas (zh-Hant converts no TeX, en has the same), and KaTeX and the parse of its HTML took a tenth of
   * a chapter's stages. Each use gets its own copy. Default: none, every formula is rendered.
   */
  rendered?: HashMemo<RenderedTex>;
}

/** Kept in base/memo.ts, which memoises it and imports nothing of the pipeline. */
export type { RenderedTex } from '../../base/memo.ts';
import type { RenderedTex } from '../../base/memo.ts';
import { klona } from 'klona/json';

declare module 'vfile' {
  interface DataMap {
    /** True when the chapter contains rendered mathematics (set by remark-equations). */
    math: boolean;
  }
}

/** KaTeX output for one formula, or the parse error. Deterministic: same TeX, same HTML. */
export function renderTex(tex: string, displayMode: boolean): { html: string } | { error: string; position?: number } {
  try {
    const html = katexModule().renderToString(tex, { displayMode, output: 'htmlAndMathml', throwOnError: true, strict: 'ignore', trust: false });
    return { html };
  } catch (error) {
    if (error instanceof katexModule().ParseError) {
      const position = (error as { position?: number }).position;
      return { error: (error as { rawMessage?: string }).rawMessage ?? error.message, position: typeof position === 'number' ? position : undefined };
    }
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function remarkEquations(options: EquationsOptions) {
  const { context } = options;
  const { locale } = context;
  /** The formula as hast, or its error: from the memo (a copy) when it was rendered before. */
  const rendered = (tex: string, display: boolean): RenderedTex => {
    const key = `${display ? 'display' : 'inline'}\u0000${tex}`;
    const held = options.rendered?.get(key);
    if (held) return 'children' in held ? { children: klona(held.children) } : held;
    const result = renderTex(tex, display);
    const made: RenderedTex = 'error' in result ? result : { children: fromHtml(result.html, { fragment: true }).children as ElementContent[] };
    options.rendered?.set(key, 'children' in made ? { children: klona(made.children) } : made);
    return made;
  };
  return (tree: Root, file: VFile) => {
    const chapter = file.data.chapter!;
    const source = typeof file.value === 'string' ? file.value : String(file.value ?? '');
    const perChapter = { equation: 0 };
    // Numbered through the book (with the figures): the edition's counter carries over between chapters.
    const counters = context.config.figureNumbering === 'book' ? context.counters : perChapter;

    // One pass for formulas and :::equation (every kind: the wrong ones are reported below).
    const equation = directiveMatcher(EQUATION_DIRECTIVES, ANY_KIND);
    visit(tree, (node, index, parent) => {
      if (node.type === 'math' || node.type === 'inlineMath') {
        renderMath(node, file, source, rendered);
        return SKIP;
      }
      const directive = equation(node);
      if (!directive || !parent || index == null) return;
      const attrs = directive.attributes ?? {};
      const id = attrs.id || undefined;
      const title = toString({ type: 'paragraph', children: takeLabel(directive) });
      const blocks = directive.type === 'containerDirective' ? directive.children.filter((c) => c.type === 'math') : [];
      const others = directive.type === 'containerDirective' ? directive.children.filter((c) => c.type !== 'math') : [];
      if (directive.type !== 'containerDirective' || blocks.length !== 1 || others.length > 0) {
        report(file, 'directive-attribute', ':::equation must contain exactly one display formula ($$ … $$) and nothing else', directive, {
          hint: 'Write :::equation{#eq-id}, then $$ on its own line, the formula, $$, and the closing :::.',
        });
      }
      counters.equation += 1;
      const n = counters.equation;
      const number = context.config.figureNumbering === 'chapter' && chapter.number != null ? locale.itemNumber(chapter.number, n) : String(n);
      if (id) {
        const label: Label = { id, kind: 'equation', number, text: locale.t('equationRef', { n: number }), title, chapter: chapter.slug };
        chapter.labels.push(label);
      }
      const math = blocks[0] as Math | undefined;
      if (math) renderMath(math, file, source, rendered);
      const props: Record<string, unknown> = { className: ['equation'] };
      if (id) props.id = id;
      const replacement = element('div', props, [
        element('div', { className: ['equation-body'] }, math ? [math] : []),
        element('span', { className: ['equation-number'] }, [text(locale.t('equation', { n: number }))]),
      ]);
      replacement.position = directive.position;
      parent.children[index] = replacement;
      return SKIP;
    });
  };
}

/** Renders a math node in place (hName/hChildren); reports invalid TeX (kept visible, as code) and returns false. */
function renderMath(node: Math | InlineMath, file: VFile, source: string, rendered: (tex: string, display: boolean) => RenderedTex): boolean {
  const display = node.type === 'math';
  const result = rendered(node.value, display);
  if ('error' in result) {
    report(file, 'math-syntax', `invalid LaTeX: ${result.error}`, errorPlace(node, result.position, source));
    node.data = {
      hName: display ? 'pre' : 'code',
      hProperties: { className: ['math-error'] },
      hChildren: [{ type: 'text', value: node.value }],
    };
    return false;
  }
  node.data = { hName: display ? 'div' : 'span', hProperties: { className: [display ? 'math-display' : 'math-inline'] }, hChildren: result.children };
  file.data.math = true;
  return true;
}

/** Place of a KaTeX error: the offset into the TeX, mapped back to the Markdown source (else the node). */
function errorPlace(node: Math | InlineMath, position: number | undefined, source: string) {
  const start = node.position?.start;
  const end = node.position?.end;
  if (!start || start.offset == null || end?.offset == null || position == null) return node;
  const raw = source.slice(start.offset, end.offset);
  const at = raw.indexOf(node.value);
  if (at < 0) return node;
  const point = pointAt(source, start.offset + at + position);
  return { start: point, end: point };
}

/** 1-based line and column of an offset in `source`. */
function pointAt(source: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}
