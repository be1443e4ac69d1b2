/**
 * fonteditor-core (print-fonts.ts joins the slices of a face that has no full font with it), with its
 * typed accessors made direct.
 *
 * The package defines `readUint8`, `readInt16`, `writeInt16` … on its Reader and Writer as curried
 * wrappers of `read(type, offset, littleEndian)` and `write(type, value, offset, littleEndian)`
 * (lib/common/lang.js `curry`), which copy their arguments into two new arrays on every call and look the
 * DataView method up by name. Joining a face reads every point of every glyph of each slice's cut and
 * writes them again through these: in a profile of the world report zh, the wrappers alone were 0.39 s
 * of the 0.94 s that LXGW WenKai's two joins spent in fonteditor-core. The replacements do what the
 * wrappers did — the offset defaults to the cursor and the byte order to the reader's or writer's, the
 * cursor moves past the value, a write returns the writer — without the copies; the joined fonts are the
 * same bytes (tests/print-fonts.test.ts compares every accessor with the package's own).
 */
// Static: a dynamic import of a package bundled into compiled/ would give only its CommonJS default export
// (scripts/compile.js refuses one); this module is loaded with the print machinery.
import * as core from 'fonteditor-core';

type Fonteditor = typeof core;

/** What `directAccessors` changes: the module's Reader and Writer classes (its types leave them out). */
export interface AccessorClasses {
  Reader: { prototype: object };
  Writer: { prototype: object };
}

/** The DataView types fonteditor-core's Reader and Writer give accessors for (their `dataType`), with their sizes. */
export const ACCESSOR_TYPES = { Int8: 1, Int16: 2, Int32: 4, Uint8: 1, Uint16: 2, Uint32: 4, Float32: 4, Float64: 8 } as const;

type AccessorType = keyof typeof ACCESSOR_TYPES;

interface Cursor {
  offset: number;
  littleEndian: boolean;
  view: DataView;
}

let direct = false;

/** fonteditor-core with direct accessors (`directAccessors`, made on the first call). */
export function fonteditor(): Fonteditor {
  if (!direct) directAccessors(core as unknown as AccessorClasses);
  direct = true;
  return core;
}

/** Replace the curried `read<Type>` and `write<Type>` of the module's Reader and Writer by direct ones. */
export function directAccessors(module: AccessorClasses): void {
  const reader = module.Reader.prototype as Record<string, unknown>;
  const writer = module.Writer.prototype as Record<string, unknown>;
  for (const type of Object.keys(ACCESSOR_TYPES) as AccessorType[]) {
    reader[`read${type}`] = readerOf(type);
    writer[`write${type}`] = writerOf(type);
  }
}

function readerOf(type: AccessorType): (this: Cursor, offset?: number, littleEndian?: boolean) => number {
  const size = ACCESSOR_TYPES[type];
  const get = DataView.prototype[`get${type}`] as (this: DataView, offset: number, littleEndian?: boolean) => number;
  return function (this: Cursor, offset?: number, littleEndian?: boolean): number {
    const at = offset === undefined ? this.offset : offset;
    this.offset = at + size;
    return get.call(this.view, at, littleEndian === undefined ? this.littleEndian : littleEndian);
  };
}

function writerOf(type: AccessorType): (this: Cursor, value: number, offset?: number, littleEndian?: boolean) => Cursor {
  const size = ACCESSOR_TYPES[type];
  const set = DataView.prototype[`set${type}`] as (this: DataView, offset: number, value: number, littleEndian?: boolean) => void;
  return function (this: Cursor, value: number, offset?: number, littleEndian?: boolean): Cursor {
    const at = offset === undefined ? this.offset : offset;
    this.offset = at + size;
    set.call(this.view, at, value, littleEndian === undefined ? this.littleEndian : littleEndian);
    return this;
  };
}
