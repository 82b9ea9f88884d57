import { compactPlan, compactStep } from '../reading/compact-plan';
import { MAX_PLAN_BYTES } from '../limits';
import type { Plan, Problem } from '../types';
import { utf8Length } from '../utf8-length';

/** A problem when the plan, compacted as it travels, is too large for a Temporal payload; names its largest step. */
export function payloadProblems(plan: Plan): Problem[] {
  const bytes = utf8Length(JSON.stringify(compactPlan(plan)));
  if (bytes <= MAX_PLAN_BYTES) return [];
  let largest: { id: string; bytes: number } | null = null;
  for (const step of plan.steps) {
    const size = utf8Length(JSON.stringify(compactStep(step)));
    if (largest === null || size > largest.bytes) largest = { id: step.id, bytes: size };
  }
  const hint = largest === null ? '' : `; the largest step is "${largest.id}" (${largest.bytes} bytes)`;
  return [
    {
      stepId: null,
      field: null,
      message:
        `the plan takes ${bytes} bytes as compact JSON, over the limit of ${MAX_PLAN_BYTES} (1.9 MiB, under Temporal's 2 MiB ` +
        `payload limit): pass large inputs by reference (a URL or shared memory key)${hint}`,
    },
  ];
}
