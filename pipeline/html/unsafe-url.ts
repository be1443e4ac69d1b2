/**
 * URLs that run code when a reader follows or loads them: `javascript:`, `vbscript:` and `data:` with an
 * HTML or SVG document (browsers ignore ASCII tab, newline and leading spaces in a scheme, so
 * `java\tscript:` is one too).
 */
export function unsafeScheme(url: string): string | undefined {
  const normal = url.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (normal.startsWith('javascript:')) return 'javascript:';
  if (normal.startsWith('vbscript:')) return 'vbscript:';
  if (/^data:(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml)/.test(normal)) return 'data:';
  return undefined;
}
