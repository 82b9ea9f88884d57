/**
 * What the live view of `plan watch` shows of a state: the plan and its status, a progress bar, and a table of steps
 * coloured by status — cut to the terminal's rows, keeping the steps worth watching when they do not all fit.
 */
import type { PlanSnapshot, PlanStatus, StepSnapshot, StepStatus } from '../plan';
import { duration, layoutColumns, oneLine, progress } from './render-state';
import { count } from './plural';
import type { Run } from './styled-line';

const GREEN = '32';
const RED = '31';
const YELLOW = '33';
const CYAN = '36';
const MAGENTA = '35';
const DIM = '2';

const STEP_COLOUR: Record<StepStatus, string> = {
  pending: DIM,
  waiting_approval: YELLOW,
  waiting_for_resources: YELLOW,
  running: CYAN,
  completed: GREEN,
  failed: RED,
  skipped: DIM,
  compensated: MAGENTA,
  compensation_failed: RED,
};

const PLAN_COLOUR: Record<PlanStatus, string> = {
  draft: DIM,
  pending_approval: YELLOW,
  approved: CYAN,
  executing: CYAN,
  paused: YELLOW,
  compensating: MAGENTA,
  completed: GREEN,
  partial: YELLOW,
  failed: RED,
  rejected: RED,
  cancelled: RED,
};

// Which steps stay in view when the table must be cut: the ones in motion or in trouble, then those still to come.
const HIDE_FIRST: Partial<Record<StepStatus, number>> = { completed: 2, pending: 1 };

/** The frame's lines for a terminal of `rows` rows (one is left for the cursor below the frame). */
export function liveFrame(state: PlanSnapshot, size: { columns: number; rows: number }, now: Date): Run[][] {
  const barWidth = Math.max(5, Math.min(30, size.columns - 16));
  const { done, total, filled } = progress(state, barWidth);
  const head: Run[][] = [
    [
      { text: 'Plan ' },
      { text: state.planId, sgr: '1' },
      { text: ': ' },
      { text: state.status, sgr: `1;${PLAN_COLOUR[state.status]}` },
      { text: state.description ? ` — ${oneLine(state.description, 200)}` : '' },
    ],
    [
      { text: '[' },
      { text: '#'.repeat(filled), sgr: GREEN },
      { text: '-'.repeat(barWidth - filled), sgr: DIM },
      { text: `] ${done}/${total}  ${duration(state.startedAt, state.completedAt ?? now.toISOString())}` },
    ],
  ];
  if (state.reason) head.push([{ text: `Reason: ${oneLine(state.reason, 200)}` }]);
  if (state.steps.length === 0) {
    if (state.stepsOmitted)
      head.push([{ text: `${state.stepsOmitted} steps: too many to show here; see plan status` }]);
    return head;
  }
  const room = Math.max(1, size.rows - 1 - head.length - 1); // rows for steps, below the table's header
  const shown = stepsInView(state.steps, room);
  const status = (step: StepSnapshot) => step.compensation?.status ?? step.status;
  const cells = layoutColumns([
    ['STEP', 'STATUS', 'ATTEMPTS', 'DURATION', 'ERROR'],
    ...shown.map((step) => [
      step.id,
      status(step),
      String(step.attempts),
      duration(step.startedAt, step.completedAt ?? (step.startedAt ? now.toISOString() : null)),
      oneLine(step.compensation?.error ?? step.error, 200),
    ]),
  ]);
  const rows: Run[][] = cells.map((row, i) =>
    i === 0
      ? [{ text: row.join('  '), sgr: DIM }]
      : [
          { text: `${row[0]}  ` },
          { text: row[1]!.trimEnd(), sgr: STEP_COLOUR[status(shown[i - 1]!)] },
          { text: row[1]!.slice(row[1]!.trimEnd().length) },
          { text: `  ${row.slice(2, -1).join('  ')}  ` },
          { text: row.at(-1)!, sgr: RED },
        ],
  );
  const hidden = state.steps.length - shown.length;
  if (hidden > 0) rows.push([{ text: `… and ${count(hidden, 'more step')} (plan status lists all)` }]);
  return [...head, ...rows];
}

/** All the steps if they fit `room` rows, else `room - 1` of them (a row says how many are left out), in plan order. */
function stepsInView(steps: StepSnapshot[], room: number): StepSnapshot[] {
  if (steps.length <= room) return steps;
  const keep = Math.max(0, room - 1);
  const ranked = steps
    .map((step, index) => ({ index, rank: HIDE_FIRST[step.compensation?.status ?? step.status] ?? 0 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, keep)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return ranked.map((index) => steps[index]!);
}
