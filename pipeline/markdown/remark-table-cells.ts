/**
 * A table row with more cells than its header row loses the extra ones: GFM keeps a table as wide as its
 * header, and remark-rehype drops the rest without a word. It happens most to a `|` written inside a cell
 * (in code too, `` `a|b` ``, where GFM still splits the cell unless the bar is escaped as `\|`), so the text
 * after it silently disappears. Reported once per table, at the first extra cell of its first such row (`table-cells`, a warning).
 * A row with fewer cells is padded with empty ones, as GFM says: nothing is lost, nothing is reported.
 */
import type { Root } from 'mdast';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/diagnostics.ts';

export function remarkTableCells() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'table', (table) => {
      const width = table.children[0]?.children.length ?? 0;
      const wide = table.children.slice(1).filter((row) => row.children.length > width);
      const row = wide[0];
      if (!row) return;
      const lost = row.children.length - width;
      const more = wide.length > 1 ? ` (and in ${wide.length - 1} more row${wide.length > 2 ? 's' : ''} of this table)` : '';
      report(file, 'table-cells', `this row has ${row.children.length} cells and the header ${width}: the last ${lost === 1 ? 'cell is' : `${lost} cells are`} dropped${more}`, row.children[width] ?? row);
    });
  };
}
