const DAY_MS = 24 * 60 * 60 * 1000;

/** An inclusive range of integers; `note` says where a computed bound comes from. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  readonly note?: string;
}

// Bounds that catch typos (a timeout in seconds where milliseconds were meant, an extra zero)
// before Temporal or the database trips over them.
export const MAX_RETRIES: IntegerRange = { min: 0, max: 100 };
export const RETRY_DELAY_MS: IntegerRange = { min: 0, max: DAY_MS, note: '1 day' };
export const STEP_TIMEOUT_MS: IntegerRange = { min: 1, max: 7 * DAY_MS, note: '7 days' };
export const PLAN_TIMEOUT_MS: IntegerRange = { min: 1, max: 365 * DAY_MS, note: '365 days' };
export const MAX_PARALLEL_STEPS: IntegerRange = { min: 1, max: 1000 };
/** A plan's place in line for resources: higher first. */
export const PRIORITY: IntegerRange = { min: -1000, max: 1000 };
export const BATCH_INDEX: IntegerRange = { min: 0, max: Number.MAX_SAFE_INTEGER };

export const MAX_STEPS = 20_000;

/** Temporal refuses payloads over 2 MiB; the rest is room for the other workflow arguments and headers. */
export const MAX_PLAN_BYTES = Math.floor(1.9 * 1024 * 1024);

/**
 * Parameters nest at most this deep (objects and lists inside each other). Plan checks walk parameters recursively,
 * and a plan nested a million deep would overflow the stack inside the workflow; no tool needs more.
 */
export const MAX_NESTING_DEPTH = 64;

/** A `{{steps.…}}` reference longer than this is malformed: no step id and result path needs more. */
export const MAX_REFERENCE_LENGTH = 4096;

/** Every dependency takes at least four bytes of the plan's JSON (`"a",`), so more can never fit. */
export const MAX_BATCH_DEPENDENCIES = Math.floor(MAX_PLAN_BYTES / 4);

/** No dots (path separators in references) and no slashes (they separate parent and child workflow ids). */
export const STEP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A plan id becomes the workflow id. */
export const PLAN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
