/**
 * Whether a path, once `..` and symbolic links are resolved, is inside a folder. A book may only read
 * files of its project: a bibliography, template or image that resolves outside it is refused, so a
 * manuscript cannot publish (or print) files from elsewhere on the machine.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/** True when `path` (which must exist) resolves to a file or folder strictly inside `folder`. */
export function insideFolder(path: string, folder: string): boolean {
  let real: string;
  let base: string;
  try {
    real = realpathSync(path);
    base = realpathSync(folder);
  } catch {
    return false;
  }
  const r = relative(base, real);
  return r !== '' && r !== '..' && !r.startsWith('..' + '/') && !isAbsolute(r);
}
