import type { WorkflowHandle } from '@temporalio/client';
import type { PlanSnapshot } from '../../src/plan';
import { stateQuery } from '../../src/workflows/definitions';
import { eventually } from './eventually';

/** Queries the plan until its state satisfies `predicate` (a condition, not a fixed sleep); returns that state. */
export async function waitForState(
  handle: WorkflowHandle,
  predicate: (state: PlanSnapshot) => boolean,
  timeoutMs = 20_000,
): Promise<PlanSnapshot> {
  let last: PlanSnapshot | null = null;
  await eventually(
    async () => {
      last = await handle.query(stateQuery).catch(() => last);
      return last !== null && predicate(last);
    },
    () => `the plan state to match; last state: ${JSON.stringify(last)}`,
    { timeoutMs },
  );
  return last!;
}

/** The most steps that were running at one moment, from the steps' start and end times. */
export function peakConcurrency(state: PlanSnapshot): number {
  const events = state.steps
    .filter((s) => s.startedAt && s.completedAt)
    .flatMap((s) => [
      { at: Date.parse(s.startedAt!), delta: 1 },
      { at: Date.parse(s.completedAt!), delta: -1 },
    ])
    // An end and a start at the same instant do not overlap.
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (running += e.delta));
  return peak;
}

/** Whether two steps ran at the same time. */
export function overlapped(state: PlanSnapshot, a: string, b: string): boolean {
  const [x, y] = [a, b].map((id) => state.steps.find((s) => s.id === id)!);
  return (
    Date.parse(x!.startedAt!) < Date.parse(y!.completedAt!) && Date.parse(y!.startedAt!) < Date.parse(x!.completedAt!)
  );
}
