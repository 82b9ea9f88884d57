/**
 * Step callbacks (`options.notify`): the events a plan tells outside systems about, and the shape they get. Pure, so
 * the plan reader, the workflow and the delivering activity share them.
 */

/** Every event type, in the order a plan's life produces them. */
export const NOTIFY_EVENTS = [
  'plan_started',
  'approval_requested',
  'step_started',
  'step_completed',
  'step_failed',
  'plan_ended',
] as const;

export type NotifyEventType = (typeof NOTIFY_EVENTS)[number];

/** One callback target of a plan: where to POST, and which events (all of them unless listed). */
export interface NotifyTarget {
  url: string;
  events: NotifyEventType[];
}

/** A callback URL's longest form: every event carries it through history to its deliverer. */
export const MAX_NOTIFY_URL_CHARS = 2048;

/** At most this many targets per plan: each event is one delivery per target. */
export const MAX_NOTIFY_TARGETS = 10;

/** What a receiver gets as the JSON body; `id` is the same on every delivery attempt, for deduplication. */
export interface PlanEvent {
  id: string;
  type: NotifyEventType;
  planId: string;
  /** When it happened (the workflow's clock), ISO 8601. */
  at: string;
  /** Step events: the step, its tool, and (ended) its attempts and failure. */
  stepId?: string;
  tool?: string;
  attempts?: number;
  error?: string | null;
  errorType?: string | null;
  /** approval_requested: the gates waiting (null: the plan's own); plan_ended: how it ended. */
  gates?: Array<string | null>;
  status?: string;
  reason?: string | null;
}
