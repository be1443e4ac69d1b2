/**
 * Breaks a chart label into lines that fit a width, before ECharts sees it.
 *
 * Why not ECharts' own `overflow: 'break'`: zrender wraps with a per-font table of ASCII character
 * widths that it builds only while building such tables has been fast in this process (one taking over
 * 16 ms, or five taking over 2 ms, turn them off for good; then every ASCII character counts as wide as
 * "a"). Whether "Digital economy" fit in one line then depended on the machine's load and on how many
 * charts the process had drawn before. Here a line is measured as a whole string, which zrender answers
 * from the font alone, so a label's lines depend only on its text, its font and the width.
 */
import { echartsModule } from './echarts-module.ts';

/** Width in pixels of one line of text in a CSS font (`12px 'Source Sans 3', sans-serif`). */
export type MeasureLine = (line: string) => number;

/**
 * A line may break after a space or one of `, ; / ? & ]`, and between any two characters that are not
 * letters or digits of an alphabetic script (so between any two Chinese characters). A word wider than
 * the whole width is broken between its characters. Lines keep their trailing space, as ECharts' own
 * breaking does; no line starts with one. Returns the lines joined by "\n" (ECharts draws one `<text>` per line).
 */
export function breakLabel(text: string, width: number, measure: MeasureLine): string {
  const lines: string[] = [];
  let line = '';
  const place = (piece: string): void => {
    if (line && measure(line + piece) > width) {
      // A space that does not fit ends the line it follows rather than starting the next one.
      const space = /^\s$/u.test(piece);
      lines.push(space ? line + piece : line);
      line = space ? '' : piece;
      return;
    }
    line += piece;
  };
  for (const piece of text.match(PIECE) ?? []) {
    if (measure(piece) > width && piece.length > 1) for (const ch of piece) place(ch);
    else place(piece);
  }
  if (line || !lines.length) lines.push(line);
  return lines.join('\n');
}

/** A word (a run of alphabetic letters, digits and in-word marks), or any other single character. */
const PIECE = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{Nd}'’.()-]+|[\s\S]/gu;

/** Measures lines in `font` the way zrender lays them out (whole-string measurement, no timing state). */
export function measureIn(font: string): MeasureLine {
  const { getTextRect } = echartsModule().format;
  return (line) => getTextRect(line, font).width;
}
