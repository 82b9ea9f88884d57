/**
 * The plans' own metrics, defined once: the workflow (plan-telemetry.ts) and the mirror activity record them through
 * Temporal's metric meter, the worker's Runtime sets their histogram buckets, and Prometheus shows them under these
 * names beside the SDK's `temporal_*` series (the SDK's prefix is not put on metrics recorded through its meter).
 * Durations are in seconds, as Prometheus names them.
 */
export const PLAN_METRICS = {
  plansStarted: {
    name: 'durable_plans_plans_started_total',
    description: 'Plans started (a run that continued as new is the same plan)',
  },
  plansEnded: { name: 'durable_plans_plans_ended_total', description: 'Plans ended, by status' },
  stepsEnded: {
    name: 'durable_plans_steps_ended_total',
    description: 'Steps ended, by tool and status (completed, failed, skipped)',
  },
  stepDuration: {
    name: 'durable_plans_step_duration_seconds',
    description: 'Time from a step starting to its end, every attempt and retry delay included, by tool and status',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  },
  approvalWait: {
    name: 'durable_plans_approval_wait_seconds',
    description: 'Time an approval gate waited for the decision that settled it, by gate (plan, step) and decision',
    buckets: [1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600],
  },
  compensations: {
    name: 'durable_plans_compensations_total',
    description: "Compensations run, by the compensation's tool and status (compensated, compensation_failed)",
  },
  mirrorLag: {
    name: 'durable_plans_mirror_lag_seconds',
    description: "Time from a plan's state changing to PostgreSQL holding the change",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  },
} as const;
