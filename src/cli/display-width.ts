/**
 * How many terminal columns text takes: a character of East Asian width or an emoji takes two, a combining mark or a
 * zero-width character none. UTF-16 length is neither (一 is one unit and two columns; é may be two units and one).
 */

// Wide: Hangul Jamo, CJK and its punctuation, Hiragana/Katakana, Hangul syllables, compatibility ideographs, vertical
// and small forms, fullwidth forms, the supplementary ideographic planes; and emoji shown as pictures.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns one grapheme takes: its first code point decides (a base letter with its marks is one). */
function graphemeWidth(grapheme: string): number {
  if (ZERO.test(grapheme)) return 0;
  return WIDE.test(grapheme) || grapheme.includes('\ufe0f') ? 2 : 1;
}

/** Terminal columns of text without escape sequences. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** The longest start of text that fits `columns` (whole graphemes), and its width. */
export function takeWidth(text: string, columns: number): { text: string; width: number } {
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = graphemeWidth(segment);
    if (width + w > columns) break;
    kept += segment;
    width += w;
  }
  return { text: kept, width };
}

/** Text cut to `columns`, ending in "…" when something was cut. */
export function truncateToWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  return columns <= 0 ? '' : `${takeWidth(text, columns - 1).text}…`;
}

/** Text padded with spaces to `columns` (by display width, as `padEnd` would by UTF-16 length). */
export function padToWidth(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}
