/**
 * How long the server took to hand out a workflow's tasks: workflow task and activity task, scheduled → started, by
 * the server's own event times. The figure the dispatch-latency lead (issue 17) is about.
 */
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

export interface DispatchMedians {
  workflowTaskMs: number;
  activityTaskMs: number;
}

/** Medians over one history; NaN for a kind it has none of (a plan of local steps schedules no activity task). */
export function dispatchMedians(history: History): DispatchMedians {
  const at = new Map<number, number>();
  const workflowTasks: number[] = [];
  const activityTasks: number[] = [];
  for (const event of history.events ?? []) {
    const time = Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
    at.set(Number(event.eventId), time);
    const workflowTask = event.workflowTaskStartedEventAttributes?.scheduledEventId;
    if (workflowTask != null) workflowTasks.push(time - at.get(Number(workflowTask))!);
    const activityTask = event.activityTaskStartedEventAttributes?.scheduledEventId;
    if (activityTask != null) activityTasks.push(time - at.get(Number(activityTask))!);
  }
  return { workflowTaskMs: median(workflowTasks), activityTaskMs: median(activityTasks) };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
