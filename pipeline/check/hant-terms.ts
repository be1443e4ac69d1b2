/**
 * A derived Traditional Chinese edition writes each word one way. The converter records how every word
 * of two or more characters came out (pipeline/locale/convert-script.ts, outside glossary names); a word
 * with two renderings — 数据 as 數據 inside the glossary term 数据要素 but as 資料 elsewhere, 互联网 as
 * 互聯網 and 網際網路 — is reported as `hant-term-two-ways`, at the glossary entry that gave one of the
 * forms (or at the edition's `derive:` in book.yaml when OpenCC gave both).
 */
import type { LoadedBook } from '../config/load-book.ts';
import { placeOf } from '../config/yaml.ts';
import type { ScriptConverter } from '../locale/convert-script.ts';
import type { Glossary } from '../locale/derive-edition.ts';
import { report } from '../report/diagnostics.ts';

export interface TwoWayTermsInput {
  book: LoadedBook;
  editionId: string;
  convert: ScriptConverter;
  glossary?: Glossary;
}

/** Reports every word written two ways in the edition; returns how many. */
export function reportTwoWayTerms({ book, editionId, convert, glossary }: TwoWayTermsInput): number {
  let count = 0;
  for (const [word, ways] of [...(convert.usage ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (ways.size < 2) continue;
    count++;
    const forms = [...ways.keys()];
    const entry = [...ways.values()].flatMap((entries) => [...entries])[0];
    const reason = `${word} is written two ways in edition ${editionId}: ${forms.join(' and ')}`;
    const hint = `Write it one way: add \`${word}: ${forms[0]}\` (or ${forms.slice(1).join(' / ')}) to the glossary, or mark an entry that must keep its own form as a name ({name: …}).`;
    if (entry && glossary?.file && glossary.yaml) report(glossary.file, 'hant-term-two-ways', `${reason} (the glossary entry ${entry} gives ${[...ways].find(([, e]) => e.has(entry))![0]})`, placeOf(glossary.yaml, [entry]), { hint });
    else report(book.file, 'hant-term-two-ways', reason, placeOf(book.yaml, ['editions', editionId, 'derive']), { hint });
  }
  return count;
}
