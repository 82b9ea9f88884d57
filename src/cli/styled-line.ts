/**
 * A line of the live view as runs of text, each with its SGR style (colour, bold, dim), and how to fit it to the
 * terminal's width: a line wider than the terminal would wrap onto a second row that the next redraw does not erase.
 */
import { displayWidth, takeWidth } from './display-width';

export interface Run {
  text: string;
  /** SGR parameters, e.g. "32" for green or "1" for bold; none for the terminal's own colour. */
  sgr?: string;
}

/**
 * The line as terminal output (styles only when `colour`), cut with "…" to `columns`, without trailing blanks (which
 * some terminals keep as content when they reflow); `width` is the columns it takes.
 */
export function fitLine(runs: Run[], columns: number, colour: boolean): { text: string; width: number } {
  const trimmed = trimEnd(runs);
  const total = trimmed.reduce((sum, run) => sum + displayWidth(run.text), 0);
  const paint = (run: Run) => (colour && run.sgr && run.text ? `\x1b[${run.sgr}m${run.text}\x1b[0m` : run.text);
  if (total <= columns) return { text: trimmed.map(paint).join(''), width: total };
  let left = columns - 1; // one column for the ellipsis
  let text = '';
  for (const run of trimmed) {
    const kept = takeWidth(run.text, left);
    text += paint({ ...run, text: kept.text });
    left -= kept.width;
    if (kept.text.length < run.text.length) break;
  }
  return { text: `${text}…`, width: columns - left };
}

function trimEnd(runs: Run[]): Run[] {
  const out = [...runs];
  while (out.length > 0) {
    const last = out.at(-1)!;
    const text = last.text.trimEnd();
    if (text) {
      out[out.length - 1] = { ...last, text };
      break;
    }
    out.pop();
  }
  return out;
}
