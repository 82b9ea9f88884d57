/**
 * The live view of `plan watch` as a terminal shows it: its output goes into a headless xterm (the terminal emulator
 * of VS Code), and the screen must hold exactly the last frame — no stale rows of earlier frames, no line wrapped
 * onto a second row — at any width, after a resize, and for plans taller than the terminal. Off a terminal it is
 * plain lines without escape codes.
 */
import { EventEmitter } from 'node:events';
import { Terminal } from '@xterm/headless';
import { checkPlan, normalizeDecision, PlanState, type PlanSnapshot } from '../../src/plan';
import { displayWidth, truncateToWidth } from '../../src/cli/display-width';
import { viewFor } from '../../src/cli/follow';
import { renderState } from '../../src/cli/render-state';
import type { Output } from '../../src/cli/context';

// Running steps show how long they have run so far: a start a little before now keeps that short.
const T0 = new Date(Date.now() - 10_000).toISOString();
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

/** A headless xterm behind the shape of `process.stdout` on a terminal (the tty's LF → CRLF included). */
class FakeTty extends EventEmitter {
  readonly term: Terminal;
  private written = Promise.resolve();
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
    this.term = new Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
  }
  write(text: string): boolean {
    this.written = this.written.then(() => new Promise<void>((resolve) => this.term.write(text, resolve)));
    return true;
  }
  /** The terminal is resized the way a window is: the emulator reflows, then the program hears of it. */
  async resize(columns: number, rows: number): Promise<void> {
    await this.written;
    this.term.resize(columns, rows);
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
  /** Every row the terminal holds, scrollback included, right-trimmed, without the empty rows below the cursor. */
  async screen(): Promise<{ lines: string[]; wrapped: number }> {
    await this.written;
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    let wrapped = 0;
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i)!;
      if (line.isWrapped) wrapped++;
      lines.push(line.translateToString(true));
    }
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return { lines, wrapped };
  }
}

const silent: Output = { json: false, tty: true, out: () => undefined, err: () => undefined };

function liveOn(tty: FakeTty, env: NodeJS.ProcessEnv = {}) {
  const view = viewFor(silent, env, tty);
  return { show: (state: PlanSnapshot) => view.show(state), close: () => view.close() };
}

/** A run of a release plan, state by state, as the workflow's own model goes through it. */
function releaseRun(steps = 6): PlanSnapshot[] {
  const { plan, problems } = checkPlan({
    description: '发布应用到生产环境并通知所有相关团队成员 — release 42 to production',
    options: { requireApproval: true },
    steps: Array.from({ length: steps }, (_, i) => ({
      id: ['checkout', 'install', 'build', 'lint', 'unit_tests', 'deploy'][i] ?? `shard_${i}`,
      toolName: 'echo',
      ...(i > 0 ? { dependsOn: [i < 3 ? ['checkout', 'install'][i - 1] : 'build'] } : {}),
    })),
  });
  if (!plan) throw new Error(problems.map((p) => p.message).join('; '));
  const state = new PlanState(plan, 'release-42', T0);
  const states = [state.snapshot()];
  state.decide(
    normalizeDecision('approve', { by: 'alice' }) as Exclude<ReturnType<typeof normalizeDecision>, string>,
    at(100),
  );
  state.beginExecution(at(100));
  state.start('checkout', at(200));
  states.push(state.snapshot());
  state.complete('checkout', {}, 1, at(300));
  state.start('install', at(300));
  state.complete('install', {}, 1, at(1_300));
  state.start('build', at(1_300));
  states.push(state.snapshot());
  state.complete('build', {}, 2, at(4_000));
  for (const step of plan.steps.slice(3)) state.start(step.id, at(4_000));
  state.complete('lint', {}, 1, at(4_500));
  states.push(state.snapshot());
  const error = `npm test exited with code 1: ${'FAIL src/widget.test.ts › renders the widget in a narrow window '.repeat(3).trim()}`;
  state.fail('unit_tests', error, 'ShellExitError', 3, at(7_000));
  for (const step of plan.steps.slice(5)) state.complete(step.id, {}, 1, at(7_100));
  state.finish(at(7_200));
  states.push(state.snapshot());
  return states;
}

/** The screen holds the line before the view, then the frame of `state` and nothing else. */
async function expectOnlyFrame(tty: FakeTty, before: string, state: PlanSnapshot) {
  const { lines, wrapped } = await tty.screen();
  expect(wrapped).toBe(0);
  expect(lines[0]).toBe(before);
  const frame = lines.slice(1);
  expect(frame.length).toBeLessThan(tty.rows);
  expect(frame[0]).toMatch(new RegExp(`^Plan release-42: ${state.status}( — |$)`));
  expect(frame.filter((line) => line.startsWith('Plan '))).toHaveLength(1);
  expect(frame.filter((line) => /^STEP\s+STATUS\s+ATTEMPTS/.test(line))).toHaveLength(1);
  const stepRows = frame.filter((line) => /^\w+\s+(pending|running|completed|failed|skipped)\b/.test(line));
  const shown = state.steps.filter((step) => stepRows.some((row) => row.startsWith(`${step.id} `)));
  // Each step at most once, with its current status.
  expect(stepRows).toHaveLength(shown.length);
  for (const step of shown) {
    expect(stepRows.find((row) => row.startsWith(`${step.id} `))).toMatch(
      new RegExp(`^${step.id}\\s+${step.status}\\b`),
    );
  }
  return frame;
}

describe.each([40, 120])('at %i columns', (columns) => {
  test('each state replaces the last one exactly; nothing is wider than the terminal', async () => {
    const tty = new FakeTty(columns, 20);
    tty.write('$ plan watch release-42\n');
    const view = liveOn(tty);
    const states = releaseRun();
    for (const state of states) {
      view.show(state);
      const frame = await expectOnlyFrame(tty, '$ plan watch release-42', state);
      expect(frame.filter((line) => line.startsWith('STEP'))).toHaveLength(1);
      expect(frame).toHaveLength(3 + (state.reason ? 1 : 0) + state.steps.length);
    }
    const last = (await tty.screen()).lines;
    expect(last.join('\n')).toMatch(/^unit_tests\s+failed\s+3\s+/m);
    expect(last).toContainEqual(expect.stringMatching(/^\[#+\] 6\/6 {2}7\.2s$/));
    // The description and the error are cut to the width, with an ellipsis, not wrapped.
    if (columns === 40) {
      expect(last[1]).toMatch(/^Plan release-42: failed — 发布.*…$/);
      expect(displayWidth(last[1]!)).toBeLessThanOrEqual(40);
      expect(last.find((line) => line.startsWith('unit_tests'))).toMatch(/…$/);
    } else expect(last.join('\n')).toContain('npm test exited with code 1: FAIL src/widget.test.ts');
    view.close();
  });
});

test('a resize narrower redraws the frame for the new width, erasing the wider one the terminal reflowed', async () => {
  const tty = new FakeTty(120, 20);
  tty.write('$ plan watch release-42\n');
  const view = liveOn(tty);
  const [, , running, more, last] = releaseRun();
  view.show(running!);
  await expectOnlyFrame(tty, '$ plan watch release-42', running!);
  await tty.resize(40, 20);
  await expectOnlyFrame(tty, '$ plan watch release-42', running!);
  view.show(more!);
  await expectOnlyFrame(tty, '$ plan watch release-42', more!);
  await tty.resize(100, 20);
  view.show(last!);
  await expectOnlyFrame(tty, '$ plan watch release-42', last!);
  view.close();
  expect(tty.listenerCount('resize')).toBe(0);
});

test('a plan taller than the terminal keeps the steps in motion in view and says how many are left out', async () => {
  const tty = new FakeTty(60, 12);
  tty.write('$ plan watch release-42\n');
  const view = liveOn(tty);
  const states = releaseRun(30);
  for (const state of states) {
    view.show(state);
    const frame = await expectOnlyFrame(tty, '$ plan watch release-42', state);
    expect(frame).toHaveLength(11);
    expect(frame.at(-1)).toMatch(/^… and \d+ more steps \(plan status lists all\)$/);
  }
  const frame = (await tty.screen()).lines;
  expect(frame).toContainEqual(expect.stringMatching(/^unit_tests\s+failed/));
  view.close();
});

test('colours follow the status unless NO_COLOR is set; cursor movement is there either way', () => {
  const [, , running] = releaseRun();
  const written = (env: NodeJS.ProcessEnv) => {
    let text = '';
    const tty = Object.assign(new EventEmitter(), { columns: 80, rows: 20, write: (t: string) => (text += t) });
    const view = viewFor(silent, env, tty);
    view.show(running!);
    view.show(running!);
    view.close();
    return text;
  };
  const coloured = written({});
  expect(coloured).toContain('\x1b[32mcompleted\x1b[0m');
  expect(coloured).toContain('\x1b[36mrunning\x1b[0m');
  const plain = written({ NO_COLOR: '1' });
  // eslint-disable-next-line no-control-regex -- escape codes are what this looks for
  expect(plain).not.toMatch(/\x1b\[[\d;]*m/);
  // eslint-disable-next-line no-control-regex
  expect(plain).toMatch(/\x1b\[\d+A\r\x1b\[J/);
});

describe('off a terminal: one plain line per change, no escape codes', () => {
  const plainLines = (output: Partial<Output>, env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const tty = Object.assign(new EventEmitter(), {
      columns: 80,
      rows: 20,
      write: () => {
        throw new Error('wrote to the terminal');
      },
    });
    const view = viewFor({ ...silent, ...output, out: (text) => lines.push(text) }, env, tty as never);
    for (const state of releaseRun()) view.show(state);
    view.close();
    return lines;
  };
  const TIME = '\\d\\d:\\d\\d:\\d\\d';

  test.each([
    ['not a terminal', { tty: false }, {}],
    ['TERM=dumb', {}, { TERM: 'dumb' }],
  ])('%s', (_, output, env) => {
    const lines = plainLines(output, env);
    expect(lines.join('\n')).not.toContain('\x1b');
    expect(lines.map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'plan release-42 pending_approval  [--------------------] 0/6',
      'step checkout running',
      'plan release-42 executing  [--------------------] 0/6',
      'step checkout completed',
      'step install completed',
      'step build running',
      'step build completed',
      'step lint completed',
      'step unit_tests running',
      'step deploy running',
      expect.stringMatching(/^step unit_tests failed: npm test exited with code 1: FAIL/),
      'step deploy completed',
      expect.stringMatching(/^plan release-42 failed \(step "unit_tests" failed: .*\) {2}\[#{20}\] 6\/6$/),
    ]);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${TIME} `));
  });

  test('--json prints nothing while following (the caller prints the final state)', () => {
    expect(plainLines({ json: true })).toEqual([]);
  });
});

test('display width counts terminal columns, not UTF-16 units', () => {
  expect(displayWidth('plan')).toBe(4);
  expect(displayWidth('发布')).toBe(4);
  expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
  expect(displayWidth('👍')).toBe(2);
  expect(truncateToWidth('发布应用', 5)).toBe('发布…');
  expect(truncateToWidth('release', 7)).toBe('release');
  expect(truncateToWidth('release-42', 7)).toBe('releas…');
});

test('text a plan or a tool wrote cannot drive the terminal: control characters are shown, not obeyed', () => {
  // Clipboard write (OSC 52), clear screen, cursor home, a C1 CSI: what a hostile web page could put in an error.
  const hostile = 'boom\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[H\x9b31m gone';
  const { plan } = checkPlan({ description: hostile, steps: [{ id: 'fetch', toolName: 'echo' }] });
  const state = new PlanState(plan!, 'p-1', T0);
  state.beginExecution(at(0));
  state.start('fetch', at(0));
  state.fail('fetch', hostile, 'HttpError', 1, at(10));
  state.finish(at(20));
  const final = state.snapshot();
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

  let live = '';
  const tty = Object.assign(new EventEmitter(), { columns: 200, rows: 20, write: (t: string) => (live += t) });
  const view = viewFor(silent, { NO_COLOR: '1' }, tty);
  view.show(final);
  view.show(final);
  view.close();
  // The view's own cursor movement is all the escape codes there are.
  // eslint-disable-next-line no-control-regex
  expect(live.replace(/\x1b\[\d+A\r/g, '').replace(/\x1b\[J/g, '')).not.toMatch(CONTROL);
  expect(live).toContain('boom\uFFFD]52;c;cHduZWQ=\uFFFD\uFFFD[2J');

  const lines: string[] = [];
  const plain = viewFor({ ...silent, tty: false, out: (text) => lines.push(text) }, {}, tty);
  plain.show(final);
  expect(lines.join('\n')).not.toMatch(CONTROL);
  expect(lines.join('\n')).toContain('boom\uFFFD');

  const status = renderState(final);
  expect(status.split('\n').join('')).not.toMatch(CONTROL);
  expect(status).toContain(`Plan p-1: failed — boom\uFFFD`);
});
