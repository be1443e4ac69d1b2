/**
 * YAML positions for indicator files. Like `placeOf` in config/yaml.ts, but keys are compared as text, so
 * that `110000:` (a number in YAML) and `'110000'` both answer to the path segment "110000", and it can
 * point at a key instead of its value (an unknown entity is the key `XYZ:`, not its values).
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Position } from 'unist';
import type { LoadedYaml, YamlPath } from '../config/yaml.ts';

export interface LocateOptions {
  /** Point at the key of the last segment instead of its value. */
  key?: boolean;
}

/** Position of the node at `path` (or of its nearest existing ancestor). */
export function locate(loaded: LoadedYaml, path: YamlPath, options: LocateOptions = {}): Position | undefined {
  // A plain data file answers from its lines (config/plain-yaml.ts): the same place, no document parsed.
  const plain = loaded.rangeOf?.(path, options.key === true);
  if (plain) return positionOf(loaded, plain[0], plain[1]);
  let node: unknown = loaded.doc.contents;
  let best = node as YamlNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    let keyNode: YamlNode | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else break;
    const last = i === path.length - 1;
    if (last && options.key && keyNode?.range) best = keyNode;
    else if (node && typeof node === 'object' && 'range' in node && (node as YamlNode).range) best = node as YamlNode;
    else if (keyNode?.range) best = keyNode;
  }
  if (!best?.range) return undefined;
  return positionOf(loaded, best.range[0], best.range[1]);
}

function positionOf(loaded: LoadedYaml, start: number, end: number): Position {
  const s = loaded.lines.linePos(start);
  const e = loaded.lines.linePos(Math.max(start, end));
  return {
    start: { line: s.line + loaded.lineOffset, column: s.col, offset: start },
    end: { line: e.line + loaded.lineOffset, column: e.col, offset: end },
  };
}
