/**
 * What could not be read of a plan with shape problems. The plan's other checks (graph, references, tools) still run
 * on what could be read, so that one validation reports every problem, and skip what relies on the rest: a problem
 * that is only a consequence of one already reported (a misspelt `dependsOn` making a reference look undeclared) is
 * not reported again.
 */
export interface Unread {
  /** The list of steps, or some step's id, could not be read: an unknown dependency may name that step. */
  readonly someStep: boolean;
  /** For each step of the plan as read, in order: its fields whose value was not read, e.g. `compensate.toolName`. */
  readonly fields: readonly ReadonlySet<string>[];
}

/** A plan read without a problem. */
export const NOTHING_UNREAD: Unread = { someStep: false, fields: [] };

/** Whether a field is among a step's unread ones: the field itself, a part of it, or what holds it. */
export function isUnread(fields: ReadonlySet<string> | undefined, field: string): boolean {
  for (const name of fields ?? []) {
    if (name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`)) return true;
    if (field.startsWith(`${name}.`)) return true;
  }
  return false;
}
