/** The `state` object as people read it: a header, approvals, a step table, counts, and a one-line progress bar. */
import { describeBlockers, type PlanSnapshot, type StepSnapshot } from '../plan';

/** Lays rows out in columns wide enough for their contents. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** "1.2s", "340ms", "2m05s" between two ISO times; "" when not both known. */
export function duration(from: string | null, to: string | null): string {
  if (!from || !to) return '';
  const ms = Date.parse(to) - Date.parse(from);
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

function oneLine(text: string | null, max = 60): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
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
  const lines = [`Plan ${state.planId}: ${state.status}${state.description ? ` — ${state.description}` : ''}`];
  if (state.reason) lines.push(`Reason: ${state.reason}`);
  lines.push(
    `Started ${state.startedAt}${state.completedAt ? `, ended ${state.completedAt} (${duration(state.startedAt, state.completedAt)})` : ''}`,
  );
  for (const a of state.approvals) {
    const target = a.step ? ` step ${a.step}` : '';
    lines.push(
      `${a.decision === 'approve' ? 'Approved' : 'Rejected'}${target} by ${a.by} at ${a.at}${a.comment ? `: ${a.comment}` : ''}`,
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
  return `${s.total} step${s.total === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`;
}

/** "[########------------]  8/20  executing" (without the status when the caller already prints it). */
export function progressBar(state: PlanSnapshot, width = 30, withStatus = true): string {
  const s = state.summary;
  const done = s.completed + s.failed + s.skipped + s.compensated + s.compensationFailed;
  const filled = s.total === 0 ? width : Math.round((done / s.total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${s.total}${withStatus ? `  ${state.status}` : ''}`;
}
