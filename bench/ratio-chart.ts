/**
 * The chart of bench/RESULTS.md: one bar per case and variant, its wall time as a multiple of its hand-written
 * baseline, with an axis, the targets and a legend. `npm run bench -- chart` draws it again from RESULTS.md's table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RatioBar {
  /** "<case> — <variant>" */
  label: string;
  ratio: number;
}

const COLOURS: Array<[string, string, string]> = [
  // [variant name ends with, colour, legend text]
  ['DBOS', '#c98a2b', 'DBOS Transact ÷ hand-written local activities'],
  ['no mirror', '#8fb8de', 'plan, mirror off ÷ hand-written'],
  ['local', '#5aa469', 'plan of local steps ÷ hand-written local activities'],
  ['plan', '#3b7dc4', 'plan, mirror on ÷ hand-written'],
];

const colourOf = (label: string) => COLOURS.find(([end]) => label.endsWith(end))?.[1] ?? '#888';

/** The SVG: bars left to right from 0, an x axis in steps of 0.5, dashed lines at 1.0 and at the 1.05/1.10 targets. */
export function ratioChart(bars: RatioBar[]): string {
  const max = Math.ceil(Math.max(2, ...bars.map((b) => b.ratio)) * 2) / 2;
  const width = 820;
  const left = 270;
  const right = width - 60;
  const scale = (x: number) => left + (x / max) * (right - left);
  const top = 30;
  const rowHeight = 22;
  const bottom = top + bars.length * rowHeight;
  const rows = bars.map((b, i) => {
    const y = top + i * rowHeight;
    return (
      `<text x="${left - 5}" y="${y + 14}" text-anchor="end" font-size="12">${b.label}</text>` +
      `<rect x="${left}" y="${y}" width="${scale(b.ratio) - left}" height="16" fill="${colourOf(b.label)}"/>` +
      `<text x="${scale(b.ratio) + 4}" y="${y + 13}" font-size="11">${b.ratio.toFixed(2)}×</text>`
    );
  });
  const ticks = Array.from({ length: max * 2 + 1 }, (_, i) => i / 2).map(
    (t) =>
      `<line x1="${scale(t)}" y1="${bottom}" x2="${scale(t)}" y2="${bottom + 5}" stroke="#333"/>` +
      `<text x="${scale(t)}" y="${bottom + 18}" text-anchor="middle" font-size="11">${t.toFixed(1)}</text>`,
  );
  const guide = (x: number, colour: string, dash: string) =>
    `<line x1="${scale(x)}" y1="${top - 6}" x2="${scale(x)}" y2="${bottom}" stroke="${colour}" stroke-dasharray="${dash}"/>`;
  const legendTop = bottom + 44;
  const legend = COLOURS.map(([, colour, text], i) => {
    const y = legendTop + i * 18;
    return `<rect x="${left}" y="${y - 10}" width="12" height="12" fill="${colour}"/><text x="${left + 18}" y="${y}" font-size="12">${text}</text>`;
  });
  const height = legendTop + COLOURS.length * 18 + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="10" y="18" font-size="13">Wall time of each variant as a multiple of its hand-written baseline (median of rounds; lower is faster)</text>`,
    ...rows,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    ...ticks,
    `<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle" font-size="12">× the hand-written workflow's wall time</text>`,
    guide(1, '#c33', '4 3'),
    guide(1.05, '#999', '2 3'),
    guide(1.1, '#999', '2 3'),
    ...legend,
    `<text x="${left}" y="${legendTop + COLOURS.length * 18 + 6}" font-size="11">red dashed: 1.0 (as fast as hand-written); grey dotted: the 1.05 and 1.10 targets</text>`,
    '</svg>',
  ].join('\n');
}

/** Draws bench/ratios.svg again from the table in bench/RESULTS.md (the rows whose ratio is not 1). */
export async function chartFromResults(): Promise<string> {
  const dir = __dirname;
  const table = readFileSync(join(dir, 'RESULTS.md'), 'utf8').split('\n');
  const bars = table.flatMap((line) => {
    const cells = line.split('|').map((c) => c.trim());
    // | case | variant | wall | steps/s | ms per step | ratio | ...
    const ratio = Number.parseFloat(cells[6] ?? '');
    if (cells.length < 8 || !Number.isFinite(ratio) || cells[6] === '1') return [];
    return [{ label: `${cells[1]} — ${cells[2]}`, ratio }];
  });
  writeFileSync(join(dir, 'ratios.svg'), ratioChart(bars));
  return `drew ${bars.length} bars into bench/ratios.svg`;
}
