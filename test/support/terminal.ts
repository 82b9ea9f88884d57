/**
 * `plan <args>` on a real pseudo-terminal of a given size (util-linux `script` makes one; `stty` sizes it), its
 * output shown on a headless xterm of the same size: what a person at a terminal would see, for the live views.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Terminal } from '@xterm/headless';
import { ROOT } from './child';
import { baseEnv } from './cli';

export interface TerminalRun {
  term: Terminal;
  /** Every byte the command wrote so far. */
  output(): string;
  /** The screen's rows as text, right-trimmed, once everything written so far is on it. */
  screen(): Promise<string[]>;
  /** Resolves with the exit code once the command has exited and its output is on the screen. */
  exited: Promise<number | null>;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Runs `plan <args>` on a terminal of `columns` x `rows`; `before` is shown first (a prompt, say). */
export function planInTerminal(
  args: string[],
  { columns, rows, before = '', env = {} }: { columns: number; rows: number; before?: string; env?: NodeJS.ProcessEnv },
): TerminalRun {
  const term = new Terminal({ cols: columns, rows, allowProposedApi: true });
  let written = new Promise<void>((resolve) => term.write(before, resolve));
  const show = (data: string) => {
    written = written.then(() => new Promise((resolve) => term.write(data, resolve)));
  };
  const command = `stty cols ${columns} rows ${rows}; exec ${[process.execPath, join(ROOT, 'scripts', 'plan.js'), ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...baseEnv(), TERM: 'xterm-256color', SHELL: '/bin/sh', NO_COLOR: undefined, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    show(chunk);
  });
  const screen = async () => {
    await written;
    const buffer = term.buffer.active;
    const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)!.translateToString(true));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  };
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => void written.then(() => resolve(code)));
  });
  return { term, output: () => output, screen, exited };
}
