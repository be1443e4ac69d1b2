/**
 * Which framework entity a spreadsheet label means. A label matches an entity by its id (CHN, '110000'),
 * another code (iso2, numeric), or a name in any language — Chinese names also without their
 * administrative suffix (广东省 = 广东, 广西壮族自治区 = 广西, 北京市 = 北京, 香港特别行政区 = 香港). Letter case,
 * full-width forms and spaces do not count. A label that fits two entities is ambiguous, never guessed.
 */
import type { Entity } from '../indicators/schema.ts';
import { closest } from '../report/closest.ts';

export type EntityMatch = { kind: 'matched'; id: string } | { kind: 'unknown'; suggestion?: string } | { kind: 'ambiguous'; ids: string[] };

export interface EntityMatcher {
  match(label: string): EntityMatch;
}

/** Longest first, so 壮族自治区 is removed before 自治区. */
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/** Case, width and spacing folded: Ｃｈｉｎａ → china. */
export function foldLabel(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();
}

/** A Chinese place name without its administrative suffix (内蒙古自治区 → 内蒙古); other text unchanged. */
export function stripSuffix(name: string): string {
  for (const s of SUFFIXES) if (name.length > s.length + 1 && name.endsWith(s)) return name.slice(0, -s.length);
  return name;
}

export function createEntityMatcher(entities: readonly Entity[]): EntityMatcher {
  const keys = new Map<string, Set<string>>();
  const add = (key: string | undefined, id: string) => {
    if (!key) return;
    for (const k of new Set([foldLabel(key), foldLabel(stripSuffix(key.trim()))])) {
      if (!keys.has(k)) keys.set(k, new Set());
      keys.get(k)!.add(id);
    }
  };
  const texts = (t: Entity['name'] | undefined) => (t === undefined ? [] : typeof t === 'string' ? [t] : Object.values(t));
  for (const e of entities) {
    add(e.id, e.id);
    for (const name of [...texts(e.name), ...texts(e.short)]) add(name, e.id);
    for (const code of Object.values(e.codes ?? {})) add(code, e.id);
  }
  return {
    match(label) {
      const folded = foldLabel(label);
      const ids = keys.get(folded) ?? keys.get(foldLabel(stripSuffix(label.trim())));
      if (ids && ids.size === 1) return { kind: 'matched', id: [...ids][0]! };
      if (ids && ids.size > 1) return { kind: 'ambiguous', ids: [...ids].sort() };
      const near = closest(folded, keys.keys());
      const suggestion = near ? [...keys.get(near)!][0] : undefined;
      return suggestion ? { kind: 'unknown', suggestion } : { kind: 'unknown' };
    },
  };
}
