/** Every status a plan can be in, in roughly the order a plan moves through them. */
export const PLAN_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'executing',
  'paused',
  'compensating',
  'completed',
  'partial',
  'failed',
  'rejected',
  'cancelled',
] as const;

export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Every status a step can be in. */
export const STEP_STATUSES = [
  'pending',
  'waiting_approval',
  'waiting_for_resources',
  'running',
  'completed',
  'failed',
  'skipped',
  'compensated',
  'compensation_failed',
] as const;

export type StepStatus = (typeof STEP_STATUSES)[number];

const TERMINAL_PLAN_STATUSES: ReadonlySet<PlanStatus> = new Set<PlanStatus>([
  'completed',
  'partial',
  'failed',
  'rejected',
  'cancelled',
]);

/** Whether a plan in this status is finished and will never change again. */
export function isTerminalPlanStatus(status: PlanStatus): boolean {
  return TERMINAL_PLAN_STATUSES.has(status);
}
