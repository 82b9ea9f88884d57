/**
 * The workflow's time as the state records it. Inside a workflow `Date` is Temporal's deterministic clock (the time
 * of the current workflow task), so this reads the same on replay as on the first run.
 */
export const nowIso = (): string => new Date().toISOString();
