import { withBatchDependencies } from './batch-dependencies';
import {
  A_STRING,
  isFields,
  own,
  read,
  readNullable,
  report,
  reportUnknownKeys,
  type Fields,
  type Scope,
} from './fields';
import { MAX_STEPS, PLAN_ID_PATTERN } from '../limits';
import { SUBPLAN_TOOL } from '../subplan-tool';
import { normalizeOptions } from './normalize-options';
import { normalizeStep } from './normalize-step';
import { withMergeInputs } from './merge-inputs';
import type { Plan, Problem } from '../types';
import { isUnread, NOTHING_UNREAD, type Unread } from './unread';

const PLAN_KEYS = ['id', 'planId', 'description', 'options', 'steps', 'tasks'] as const;

const PLAN_ID = {
  test: (value: unknown): value is string => typeof value === 'string' && PLAN_ID_PATTERN.test(value),
  description: '1 to 200 letters, digits, "_", "-", "." or ":", starting with a letter or digit',
};

/** A plan as far as it could be read: every step with an id, and what could not be read (see Unread). */
export interface ReadablePlan {
  plan: Plan;
  unread: Unread;
}

/**
 * Checks a plan as written (either form) and fills every default; plan is null when anything is wrong, and then
 * `readable` is what could still be checked further (null when the input is not even an object).
 */
export function normalizePlan(input: unknown): {
  plan: Plan | null;
  problems: Problem[];
  readable: ReadablePlan | null;
} {
  if (!isFields(input)) {
    return {
      plan: null,
      problems: [{ stepId: null, field: null, message: 'a plan must be an object with a list of steps' }],
      readable: null,
    };
  }
  const problems: Problem[] = [];
  const planUnread = new Set<string>();
  const scope: Scope = { problems, stepId: null, prefix: '', unread: planUnread };
  reportUnknownKeys(scope, input, PLAN_KEYS);
  const id = readPlanId(scope, input);
  const description = read(scope, input, 'description', A_STRING) ?? '';
  const { key, items } = readStepList(scope, input);
  // A sub-plan can always be undone, so it counts as a step with a compensation.
  const anyCompensation = items.some(
    (item) => isFields(item) && (own(item, 'compensate') != null || own(item, 'toolName') === SUBPLAN_TOOL),
  );
  const options = normalizeOptions(own(input, 'options'), anyCompensation, problems);
  const drafts = items.flatMap((item, index) => normalizeStep(item, `${key}[${index}]`, problems) ?? []);
  const steps = withBatchDependencies(drafts, problems).map((spec, i) => withMergeInputs(spec, drafts[i]!));
  const plan = { id, description, options, steps };
  if (problems.length === 0) return { plan, problems, readable: { plan, unread: NOTHING_UNREAD } };
  // A step without an id cannot be named by the other checks: it is left out, and said to be missing.
  const named = steps.flatMap((spec, i) => (spec.id === '' ? [] : [{ spec, unread: drafts[i]!.unread }]));
  const unread: Unread = {
    someStep: isUnread(planUnread, key) || named.length < items.length,
    fields: named.map((step) => step.unread),
  };
  return { plan: null, problems, readable: { plan: { ...plan, steps: named.map((step) => step.spec) }, unread } };
}

// The batch form calls the plan id planId.
function readPlanId(scope: Scope, source: Fields): string | null {
  const hasId = own(source, 'id') != null;
  const hasPlanId = own(source, 'planId') != null;
  if (hasId && hasPlanId) report(scope, 'planId', 'give id or planId (its name in the batch form), not both');
  return readNullable(scope, source, !hasId && hasPlanId ? 'planId' : 'id', PLAN_ID) ?? null;
}

// The batch form calls the steps tasks.
function readStepList(scope: Scope, source: Fields): { key: string; items: unknown[] } {
  const hasSteps = own(source, 'steps') !== undefined;
  const hasTasks = own(source, 'tasks') !== undefined;
  if (hasSteps && hasTasks) report(scope, 'tasks', 'give steps or tasks (their name in the batch form), not both');
  const key = !hasSteps && hasTasks ? 'tasks' : 'steps';
  const value = own(source, key);
  if (value == null) {
    report(scope, key, 'required: the list of steps');
    return { key, items: [] };
  }
  if (!Array.isArray(value)) {
    report(scope, key, 'must be a list of steps');
    return { key, items: [] };
  }
  if (value.length > MAX_STEPS) report(scope, key, `has ${value.length} steps; a plan may have at most ${MAX_STEPS}`);
  return { key, items: value };
}
