import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readToUnicode, textOfHex } from '../pipeline/pdf/to-unicode.ts';
import { charsOf } from '../pipeline/pdf/font-audit.ts';

/** A CMap as Skia writes one, with what a reader must step over: a comment, a dictionary, literal strings with brackets, the code space range. */
const CMAP = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS \\) [<0009>]) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
% <0001> <0041> in a comment is no entry
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 beginbfchar
<0003> <7F51>
<0004><0041>
endbfchar
3 beginbfrange
<0010> <0012> <0061>
<0020> <0021> [<4E2D> <56FD>]
<0030> <0031> <D83DDE00>
endbfrange
endcmap`;

test('a ToUnicode CMap: pairs, ranges counted on in their last 16 bits, arrays; comments, strings and the code space are no entries', () => {
  assert.deepEqual([...readToUnicode(CMAP)], [
    [3, '7F51'], [4, '0041'], [16, '0061'], [17, '0062'], [18, '0063'], [32, '4E2D'], [33, '56FD'], [48, 'D83DDE00'], [49, 'D83DDE01'],
  ]);
  assert.equal(textOfHex('D83DDE00'), '😀');
  // The font audit's characters: sorted, each once.
  assert.equal(charsOf(CMAP), [...'Aabc网中国😀😁'].sort().join(''));
});

test('a later entry for a code wins, and white space inside a hex string is skipped', () => {
  assert.deepEqual([...readToUnicode('1 beginbfchar <00 05> <00 41> endbfchar 1 beginbfchar <0005> <0042> endbfchar')], [[5, '0042']]);
});
