/**
 * The live view of `plan watch` on a terminal: each state redrawn in place of the last. Every line is fitted to the
 * terminal's width and the frame to its height, so moving the cursor up over the previous frame's rows reaches all of
 * it (a line that wrapped, or a frame that scrolled off the top, would leave stale rows behind). A resize redraws.
 */
import type { PlanSnapshot } from '../plan';
import { liveFrame } from './live-frame';
import { fitLine } from './styled-line';

/** What the view needs of a terminal: `process.stdout` when it is one. */
export interface LiveTerminal {
  columns: number;
  rows: number;
  write(text: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export class LiveView {
  private last: PlanSnapshot | null = null;
  /** The columns each line of the frame on screen takes. */
  private drawn: number[] = [];
  private readonly redraw = () => {
    if (this.last) this.draw(this.last);
  };

  constructor(
    private readonly terminal: LiveTerminal,
    private readonly colour: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {
    terminal.on('resize', this.redraw);
  }

  show(state: PlanSnapshot): void {
    this.last = state;
    this.draw(state);
  }

  /** Stops following resizes; the last frame stays on screen. */
  close(): void {
    this.terminal.off('resize', this.redraw);
  }

  private draw(state: PlanSnapshot): void {
    // A terminal that reports no size (some CI pseudo-terminals say 0) is taken as the classic 80x24.
    const columns = this.terminal.columns || 80;
    const rows = this.terminal.rows || 24;
    const lines = liveFrame(state, { columns, rows }, this.now()).map((runs) => fitLine(runs, columns, this.colour));
    // The rows the previous frame takes now: after a resize narrower, a terminal that reflows wraps each line anew.
    const up = this.drawn.reduce((sum, width) => sum + Math.max(1, Math.ceil(width / columns)), 0);
    const back = up > 0 ? `\x1b[${up}A\r` : '';
    this.terminal.write(`${back}\x1b[J${lines.map((line) => `${line.text}\n`).join('')}`);
    this.drawn = lines.map((line) => line.width);
  }
}
