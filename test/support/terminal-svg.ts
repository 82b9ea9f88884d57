/**
 * A headless xterm's screen as an SVG picture of a terminal window (dark background, monospace text in the screen's
 * colours), for the README: docs/images/plan-watch.svg is drawn from what a test saw.
 */
import type { IBufferCell, Terminal } from '@xterm/headless';

// A dark theme's 16 colours (One Half Dark): what the ANSI colour numbers 0-15 look like.
const PALETTE = [
  '#282c34',
  '#e06c75',
  '#98c379',
  '#e5c07b',
  '#61afef',
  '#c678dd',
  '#56b6c2',
  '#dcdfe4',
  '#5a6374',
  '#ef8b93',
  '#b5e08f',
  '#f2d399',
  '#82c3f5',
  '#d89cea',
  '#7ccfd9',
  '#ffffff',
];
const FOREGROUND = '#dcdfe4';
const BACKGROUND = '#1e2128';
const CELL = { width: 8.4, height: 19 };
const PAD = 16;
const BAR = 32;

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colourOf(cell: IBufferCell): string {
  if (cell.isFgPalette()) return PALETTE[cell.getFgColor()] ?? FOREGROUND;
  if (cell.isFgRGB()) return `#${cell.getFgColor().toString(16).padStart(6, '0')}`;
  return FOREGROUND;
}

/** The screen's rows from the top of the view to the last one with text, each as runs of equally styled cells. */
export function terminalSvg(term: Terminal, title: string): string {
  const buffer = term.buffer.active;
  const rows: string[] = [];
  let used = 0;
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line) break;
    if (line.translateToString(true) !== '') used = y + 1;
    const runs: string[] = [];
    let run: { x: number; text: string; style: string } | null = null;
    const flush = () => {
      if (run && run.text.trim() !== '') {
        runs.push(`<tspan x="${(PAD + run.x * CELL.width).toFixed(1)}"${run.style}>${xml(run.text)}</tspan>`);
      }
      run = null;
    };
    for (let x = 0; x < term.cols; x++) {
      const cell = line.getCell(x)!;
      if (cell.getWidth() === 0) continue; // the second half of a wide character
      const style =
        ` fill="${colourOf(cell)}"` +
        (cell.isBold() ? ' font-weight="bold"' : '') +
        (cell.isDim() ? ' fill-opacity="0.6"' : '');
      if (!run || run.style !== style || cell.getWidth() === 2) {
        flush();
        run = { x, text: '', style };
      }
      run.text += cell.getChars() || ' ';
      if (cell.getWidth() === 2) flush(); // placed by its own column: a font's wide glyphs are rarely two cells wide
    }
    flush();
    rows.push(
      `<text xml:space="preserve" y="${(BAR + PAD + (y + 0.8) * CELL.height).toFixed(1)}">${runs.join('')}</text>`,
    );
  }
  const width = Math.ceil(PAD * 2 + term.cols * CELL.width);
  const height = Math.ceil(BAR + PAD * 2 + used * CELL.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`,
    `<rect width="${width}" height="${BAR}" rx="8" fill="#2c313c"/><rect y="${BAR - 8}" width="${width}" height="8" fill="#2c313c"/>`,
    ...['#ff5f57', '#febc2e', '#28c840'].map(
      (fill, i) => `<circle cx="${18 + i * 20}" cy="${BAR / 2}" r="6" fill="${fill}"/>`,
    ),
    `<text x="${width / 2}" y="${BAR / 2 + 4}" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="12" fill="#9da5b4">${xml(title)}</text>`,
    `<g font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace" font-size="14" style="white-space:pre">`,
    ...rows.slice(0, used),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
