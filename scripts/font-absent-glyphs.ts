/**
 * Records, for every slice of every installed font package the font sets use, the characters its CSS
 * declares and its file lacks (pipeline/fonts/absent-glyphs.ts) into pipeline/fonts/absent-glyphs.json.
 * Run after a font package changes (`npm run font-absent-glyphs`); tests/glyph-coverage.test.ts fails until then.
 *
 *   npm run font-absent-glyphs            write the record
 *   npm run font-absent-glyphs -- --check  exit 1 (naming the packages) if the record is out of date
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ABSENT_GLYPHS_FILE, recordOfInstalledFonts } from '../pipeline/fonts/absent-glyphs.ts';

const record = recordOfInstalledFonts();
const text = JSON.stringify(record, null, 1) + '\n';
if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(ABSENT_GLYPHS_FILE, 'utf8');
  } catch {}
  if (old !== text) {
    process.stderr.write(`${ABSENT_GLYPHS_FILE} is out of date for ${Object.keys(record).join(', ')}: run npm run font-absent-glyphs\n`);
    process.exit(1);
  }
} else {
  writeFileSync(`${ABSENT_GLYPHS_FILE}.tmp`, text);
  renameSync(`${ABSENT_GLYPHS_FILE}.tmp`, ABSENT_GLYPHS_FILE);
  process.stdout.write(`${ABSENT_GLYPHS_FILE}: ${Object.keys(record).length} packages\n`);
}
