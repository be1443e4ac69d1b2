/**
 * What runs inside the print page (print.html loaded in Chromium). Kept as plain JavaScript source and
 * sent as strings: functions compiled by tsx/esbuild may carry helpers (`__name`) that do not exist in the
 * page. Each script is an expression `(arg) => result`; `runInPage` calls it with a JSON argument.
 *
 * The print.html the scripts expect: `<style id="annals-page-css">`, the front matter (`.cover`,
 * `.title-page`, `.imprint`, `nav.toc`, `section.matter` before the first chapter), then the body parts
 * (`section.chapter`, `section.matter` after them) as children of `<body>`, and `[data-page-of="<id>"]`
 * elements anywhere that want the page number of the element with that id.
 */
import type { Page } from 'puppeteer';

/** A chapter or back-matter part of the body, in book order. */
export interface PartInfo {
  id: string;
  kind: 'chapter' | 'matter';
  /** Label + short title of a chapter (第二章 基础设施), or the title of a back-matter part. */
  runningHead: string;
  /** The part holds `[data-page-of]` elements (an index, a `:pageref`). */
  hasPageOf: boolean;
}

/** One entry of the printed table of contents (also the outline of the PDF). */
export interface TocNode {
  id: string;
  label: string;
  title: string;
  children: TocNode[];
}

/** A yearbook 分目 heading (`[data-running-head]` inside a body part) with an id. */
export interface SectionInfo {
  id: string;
  /** Id of the body part that holds it. */
  part: string;
  title: string;
}

export interface PreparedPage {
  /** Body parts (chapters and back matter) in order. */
  parts: PartInfo[];
  /** Yearbook 分目 headings in document order (none in reports). */
  sections: SectionInfo[];
  /** Front-matter parts (contents, lists of figures …) that have an id, in order. */
  frontIds: string[];
  toc: TocNode[];
  /** Ids asked for by `[data-page-of]` elements that no element has. */
  missing: string[];
  /** Every id whose page the print needs (parts, sections, front matter, `[data-page-of]`) that an element has. */
  targets: string[];
  /** The ids of `targets` that a `[data-page-of]` element shows the page of. */
  pageOfTargets: string[];
  /** How many `[data-page-of]` elements are in the front matter and in the body. */
  pageOf: { front: number; body: number };
  /** Ids whose page the front matter shows (the contents, lists of figures …) that lie in late parts. */
  frontLateTargets: string[];
  /** True when the document starts with a cover page (its page is not shifted). */
  hasCover: boolean;
}

/**
 * `(element) => boolean`: is the element set in columns — inside an element with more than one column
 * and not in a `column-span: all` part? Read from computed styles (the column rules apply to every medium),
 * so it works before any layout.
 */
/** Id prefix of the self-links that mark where a page-and-column target is printed (PREPARE). */
export const PLACE_PREFIX = 'annals-place-';

const IN_COLUMNS = String.raw`((el) => {
  for (let n = el; n && n !== document.body; n = n.parentElement) {
    const style = getComputedStyle(n);
    if (style.columnSpan === 'all') return false;
    if (Number(style.columnCount) > 1) return true;
  }
  return false;
})`;

/**
 * Prepare the loaded print.html for the first pass and describe it: placeholders in every
 * `[data-page-of]`, and a hidden list of links to every id whose page we need (Chromium writes a named
 * destination for each id an internal link targets; hidden links are enough). Returns the body parts,
 * the contents as a tree (for the outline) and the ids asked for that do not exist.
 */
export const PREPARE = String.raw`(async ({ placeholder }) => {
  for (const img of document.images) img.loading = 'eager';
  const children = [...document.body.children];
  const firstChapter = children.findIndex((e) => e.matches('section.chapter'));
  const isBody = (e, i) => firstChapter >= 0 && i >= firstChapter && e.matches('section.chapter, section.matter');
  const parts = [];
  const frontIds = [];
  children.forEach((e, i) => {
    if (firstChapter < 0 || i < firstChapter) e.setAttribute('data-annals-front', '');
    if (isBody(e, i)) {
      e.setAttribute('data-annals-body', '');
      const label = e.getAttribute('data-label') || '';
      const head = e.getAttribute('data-running-head') || e.querySelector('h1')?.textContent || '';
      parts.push({ id: e.id, kind: e.matches('section.chapter') ? 'chapter' : 'matter', runningHead: label ? label + ' ' + head : head, hasPageOf: !!e.querySelector('[data-page-of]') });
    } else if (e.id && e.matches('nav.toc, section.matter')) {
      frontIds.push(e.id);
    }
  });
  // Yearbook 分目 headings (rehype-yearbook-structure.ts marks them): their pages give the running heads.
  const sections = [];
  for (const el of document.querySelectorAll('[data-annals-body] [data-running-head][id]')) {
    const part = el.closest('[data-annals-body]');
    if (part && part.id) sections.push({ id: el.id, part: part.id, title: el.getAttribute('data-running-head') || '' });
  }
  const targets = new Set(parts.map((p) => p.id).concat(frontIds, sections.map((s) => s.id)));
  const pageOf = { front: 0, body: 0 };
  const pageOfIds = new Set();
  for (const el of document.querySelectorAll('[data-page-of]')) {
    targets.add(el.getAttribute('data-page-of'));
    pageOfIds.add(el.getAttribute('data-page-of'));
    // print-html.ts has put the placeholders in already; changing text would lay the book out again.
    if (el.textContent !== placeholder) el.textContent = placeholder;
    if (el.closest('[data-annals-body]')) pageOf.body++;
    else pageOf.front++;
  }
  const missing = [...targets].filter((id) => id && !document.getElementById(id));
  const nav = document.createElement('nav');
  nav.id = 'annals-page-targets';
  nav.style.display = 'none';
  for (const id of targets) {
    if (!id || missing.includes(id)) continue;
    const a = document.createElement('a');
    a.setAttribute('href', '#' + id);
    nav.append(a);
  }
  document.body.append(nav);
  // Page-and-column locators (yearbooks: 57a) need the place where each target is printed. Chromium's
  // named destinations can be a column or a page off for elements set in columns, but a link annotation's
  // rectangle is where its text is painted: the text of each such target becomes a link to itself, whose
  // rectangle page-numbers.ts reads (PLACE_PREFIX).
  const placed = new Set([...document.querySelectorAll('[data-page-of][data-page-format="column"]')].map((el) => el.getAttribute('data-page-of')));
  for (const id of placed) {
    const target = id && document.getElementById(id);
    if (!target || !target.firstChild || target.closest('a[href]') || !${IN_COLUMNS}(target)) continue;
    const a = document.createElement('a');
    a.id = '${PLACE_PREFIX}' + id;
    a.setAttribute('href', '#' + a.id);
    a.style.cssText = 'color: inherit; text-decoration: none';
    a.append(...target.childNodes);
    target.append(a);
  }
  // Parts from the first one that holds a page number on are printed after the others (pass-settle-late.ts).
  const late = parts.findIndex((p) => p.hasPageOf);
  if (late >= 0) for (const p of parts.slice(late)) document.getElementById(p.id).setAttribute('data-annals-late', '');
  const frontLateTargets = [...new Set([...document.querySelectorAll('[data-annals-front] [data-page-of]')].map((el) => el.getAttribute('data-page-of')))]
    .filter((id) => id && document.getElementById(id)?.closest('[data-annals-late]'));
  if (!document.getElementById('annals-visibility')) {
    const visibility = document.createElement('style');
    visibility.id = 'annals-visibility';
    document.head.append(visibility);
  }
  const walk = (ol) => [...ol.children].filter((li) => li.tagName === 'LI').flatMap((li) => {
    const a = li.querySelector(':scope > a.toc-entry');
    const sub = li.querySelector(':scope > ol');
    const children = sub ? walk(sub) : [];
    if (!a) return children;
    let id = a.getAttribute('href') || '';
    id = id.startsWith('#') ? id.slice(1) : id;
    try { id = decodeURIComponent(id); } catch {}
    const label = (a.querySelector('.toc-label')?.textContent || '').trim();
    const title = (a.querySelector('.toc-title')?.textContent || a.textContent || '').trim();
    return [{ id, label, title, children }];
  });
  const tocList = document.querySelector('nav.toc > ol');
  const toc = tocList ? walk(tocList) : [];
  const found = [...targets].filter((id) => id && !missing.includes(id));
  const pageOfTargets = found.filter((id) => pageOfIds.has(id));
  return { parts, sections, frontIds, toc, missing, targets: found, pageOfTargets, pageOf, frontLateTargets, hasCover: !!document.querySelector('body > .cover') };
})`;

/**
 * Put the PDF variant of the page CSS in place, when the body parts found in the page differ from those
 * known before loading it (the build's, or read from print.html parsed: html/print-parts.ts).
 */
export const SET_PAGE_CSS = String.raw`(({ css }) => {
  document.getElementById('annals-page-css').textContent = css;
  return true;
})`;

/**
 * Fill `[data-page-of]` elements with page numbers: `values[id]` is `{ page, column }`; an element with
 * `data-page-format="column"` gets the column letter too (yearbooks: 123a), but only when its target is
 * set in columns — inside an element with more than one column and not in a `column-span: all` part (a
 * chapter heading, a one-column 特载 chapter): a letter there would mean nothing. The computed styles are
 * read from the page (the column rules apply to every medium). `scope` limits the elements to the front
 * matter or the body.
 */
export const FILL_PAGE_NUMBERS = String.raw`(({ values, scope }) => {
  let changed = 0;
  const inColumns = new Map();
  const setInColumns = (id) => {
    if (!inColumns.has(id)) inColumns.set(id, ${IN_COLUMNS}(document.getElementById(id)));
    return inColumns.get(id);
  };
  for (const el of document.querySelectorAll('[data-page-of]')) {
    const inBody = !!el.closest('[data-annals-body]');
    if ((scope === 'front' && inBody) || (scope === 'body' && !inBody)) continue;
    const id = el.getAttribute('data-page-of');
    const v = values[id];
    if (!v) continue;
    const text = v.page + (el.getAttribute('data-page-format') === 'column' && setInColumns(id) ? v.column : '');
    if (el.textContent !== text) { el.textContent = text; changed++; }
  }
  // Scripts that post-process page numbers (the index merges runs into ranges: index-ranges.ts).
  if (typeof window.annalsAfterPageNumbers === 'function') window.annalsAfterPageNumbers();
  document.dispatchEvent(new Event('annals:page-numbers'));
  return changed;
})`;

/**
 * Which parts of the document the next print shows; the others are `display: none` (cheap: they are not
 * laid out, and links to them still become link annotations). `early`: front matter and the parts
 * before the first one holding a page number; `late`: those parts; `front`: the front matter alone;
 * `front-late`: the front matter and the late parts.
 */
export const SHOW = String.raw`(async ({ show }) => {
  const hide = {
    all: '',
    early: '[data-annals-late]',
    late: '[data-annals-front], [data-annals-body]:not([data-annals-late])',
    front: '[data-annals-body]',
    'front-late': '[data-annals-body]:not([data-annals-late])',
  }[show];
  document.getElementById('annals-visibility').textContent = hide ? hide + ' { display: none !important; }' : '';
  return true;
})`;

/**
 * Add one empty "furniture" page per name in `pages` after the front matter, whose named page prints a
 * running head or the folio sample (running-heads.ts): at the end of the document, or before the element
 * with the id `before` (the first late part, when the late parts are printed with them). Furniture from
 * an earlier call is removed first. `css` replaces the page CSS.
 */
export const ADD_FURNITURE = String.raw`(async ({ css, pages, before }) => {
  document.getElementById('annals-page-css').textContent = css;
  for (const old of document.querySelectorAll('.annals-furniture')) old.remove();
  const fragment = document.createDocumentFragment();
  for (const name of pages) {
    const div = document.createElement('div');
    div.className = 'annals-furniture';
    div.style.page = name;
    fragment.append(div);
  }
  const at = before ? document.getElementById(before) : null;
  if (at) at.before(fragment);
  else document.body.append(fragment);
  return pages.length;
})`;

/** Remove the furniture pages again and put `css` back as the page CSS. */
export const REMOVE_FURNITURE = String.raw`(({ css }) => {
  document.getElementById('annals-page-css').textContent = css;
  for (const old of document.querySelectorAll('.annals-furniture')) old.remove();
  return true;
})`;

export async function runInPage<T>(page: Page, script: string, arg: unknown): Promise<T> {
  return (await page.evaluate(`(${script})(${JSON.stringify(arg)})`)) as T;
}
