/** The `state` object as people read it: a header, approvals, a step table, counts, and a one-line progress bar. */
import { describeBlockers, type PlanSnapshot, type StepSnapshot } from '../plan';
import { displayWidth, padToWidth, truncateToWidth } from './display-width';
import { count } from './plural';
import { printable } from './printable';

/** Pads each cell but the last of a row to its column's width in terminal columns (CJK text takes two each). */
export function layoutColumns(rows: string[][]): string[][] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : padToWidth(cell, widths[i]!))));
}

/** Lays rows out in columns wide enough for their contents. */
export function table(header: string[], rows: string[][]): string {
  return layoutColumns([header, ...rows])
    .map((cells) => cells.join('  ').trimEnd())
    .join('\n');
}

/** "1.2s", "340ms", "2m05s" between two ISO times; "" when not both known. */
export function duration(from: string | null, to: string | null): string {
  if (!from || !to) return '';
  const ms = Date.parse(to) - Date.parse(from);
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** Text on one line, safe to print, cut to `max` columns. */
export function oneLine(text: string | null, max = 60): string {
  return text ? truncateToWidth(printable(text.replace(/\s+/g, ' ')), max) : '';
}

function stepRow(step: StepSnapshot): string[] {
  const error = step.compensation?.error ?? step.error;
  return [
    step.id,
    step.toolName,
    step.compensation?.status ?? step.status,
    String(step.attempts),
    duration(step.startedAt, step.completedAt),
    oneLine(error),
  ];
}

/** The whole state, for `plan status`. */
export function renderState(state: PlanSnapshot, note?: string): string {
  const lines = [
    `Plan ${state.planId}: ${state.status}${state.description ? ` — ${printable(state.description)}` : ''}`,
  ];
  if (state.reason) lines.push(`Reason: ${printable(state.reason)}`);
  lines.push(
    `Started ${state.startedAt}${state.completedAt ? `, ended ${state.completedAt} (${duration(state.startedAt, state.completedAt)})` : ''}`,
  );
  for (const a of state.approvals) {
    const target = a.step ? ` step ${a.step}` : '';
    lines.push(
      `${a.decision === 'approve' ? 'Approved' : 'Rejected'}${target} by ${printable(a.by)} at ${a.at}${a.comment ? `: ${printable(a.comment)}` : ''}`,
    );
  }
  lines.push(
    '',
    table(['STEP', 'TOOL', 'STATUS', 'ATTEMPTS', 'DURATION', 'ERROR'], state.steps.map(stepRow)),
    '',
    summaryLine(state),
  );
  for (const step of state.steps) {
    if (step.status === 'waiting_for_resources')
      lines.push(`Step ${step.id} waits for resources: ${describeBlockers(step.waitingFor ?? [])}`);
  }
  if (note) lines.push(note);
  return lines.join('\n');
}

/** "5 steps: 3 completed, 1 running, 1 pending". */
export function summaryLine(state: PlanSnapshot): string {
  const s = state.summary;
  const parts = (
    [
      ['completed', s.completed],
      ['running', s.running],
      ['waiting for approval', s.waitingApproval],
      ['waiting for resources', s.waitingForResources],
      ['pending', s.pending],
      ['failed', s.failed],
      ['skipped', s.skipped],
      ['compensated', s.compensated],
      ['compensation failed', s.compensationFailed],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
  return `${count(s.total, 'step')}: ${parts.join(', ') || 'none'}`;
}

/** "[########------------]  8/20  executing" (without the status when the caller already prints it). */
export function progressBar(state: PlanSnapshot, width = 30, withStatus = true): string {
  const { done, total, filled } = progress(state, width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${withStatus ? `  ${state.status}` : ''}`;
}

/** Steps that have ended, of how many, and how much of a bar `width` long they fill. */
export function progress(state: PlanSnapshot, width: number): { done: number; total: number; filled: number } {
  const s = state.summary;
  const done = s.completed + s.failed + s.skipped + s.compensated + s.compensationFailed;
  return { done, total: s.total, filled: s.total === 0 ? width : Math.round((done / s.total) * width) };
}
