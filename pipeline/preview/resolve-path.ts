/**
 * Which file a preview request may read. The preview serves one folder (the edition's site/) and nothing
 * above it: a path that climbs (`..`), in any spelling (`%2e%2e`, double-encoded `%252e%252e`, backslashes
 * raw or encoded, `.` segments, NUL), or names a dotfile, maps to nothing — the server answers 404 without
 * touching the file system. The test is on the request as sent, before any normalisation, so no decoding
 * step can turn an innocent-looking path into a climbing one later.
 */
import { join, resolve, sep } from 'node:path';

/** The absolute path `rawUrl` names under `root`, or undefined when the request must be refused. */
export function resolveRequestPath(root: string, rawUrl: string): string | undefined {
  const base = resolve(root);
  const pathPart = rawUrl.split(/[?#]/, 1)[0] ?? '';
  // Origin-form only ("/a/b"); absolute-form ("http://host/…") and anything else is refused.
  if (!pathPart.startsWith('/')) return undefined;
  if (/\\|%5c|%00/i.test(pathPart)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return undefined;
  }
  // A `%` left after one decoding is a second layer of encoding: no file of a built site is named so.
  if (/[%\\\0]/.test(decoded)) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || s.startsWith('.'))) return undefined;
  const full = join(base, ...segments);
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  return full;
}

/** True when `path` is `root` or inside it (both absolute, already resolved through symlinks). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
