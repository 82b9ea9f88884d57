/**
 * Result fusion for fan-out / fan-in plans (several agents answer, one result goes on): combines the results of the
 * steps before it. Without `inputs` (or with `inputs: "{{dependencies}}"`) it gets every dependency's outcome, in
 * dependsOn order (with `acceptFailedDependencies: true` on the step it also runs after some failed); or give a list
 * of values / references of your choosing. The plan fills the default (src/plan/reading/merge-inputs.ts), so `inputs`
 * is always there by the time the tool runs.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { defineTool } from '../tool';
import { MERGE_NOTHING, MERGE_TOOL } from '../../plan';

interface Input {
  step: string | null;
  ok: boolean;
  value: unknown;
}

const OUTCOME = z.object({ step: z.string(), status: z.string(), result: z.unknown(), error: z.string().nullable() });

/** A dependency outcome stays one; any other value counts as a successful input. */
function asInput(item: unknown): Input {
  const outcome = OUTCOME.safeParse(item);
  if (outcome.success)
    return { step: outcome.data.step, ok: outcome.data.status === 'completed', value: outcome.data.result };
  return { step: null, ok: true, value: item };
}

function at(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function nothing(message: string): never {
  throw ApplicationFailure.nonRetryable(message, MERGE_NOTHING);
}

export const merge = defineTool({
  name: MERGE_TOOL,
  description:
    'Combines results: concat (all successful results, lists flattened), first_success (the first successful one), ' +
    'majority (vote on `field`), weighted_average (of numeric `field`, weighted by `weightField`).',
  parameters: z.object({
    mode: z.enum(['concat', 'first_success', 'majority', 'weighted_average']),
    inputs: z
      .array(z.unknown())
      .describe(
        'values, or "{{dependencies}}" for every dependency\'s outcome { step, status, result, error } in dependsOn ' +
          'order; left out, it is "{{dependencies}}"',
      ),
    field: z
      .string()
      .min(1)
      .optional()
      .describe('dot path inside each result: the vote (majority) or the number (weighted_average)'),
    weightField: z
      .string()
      .min(1)
      .optional()
      .describe("weighted_average: dot path of each result's weight (default 1)"),
  }),
  risk: 'read',
  local: 'allowed',
  run: async ({ mode, inputs, field, weightField }) => {
    const all = inputs.map(asInput);
    const ok = all.filter((i) => i.ok);
    const failed = all.filter((i) => !i.ok).map((i) => i.step);
    switch (mode) {
      case 'concat': {
        const values = ok.flatMap((i) => (Array.isArray(i.value) ? i.value : [i.value]));
        return { mode, values, count: values.length, failed };
      }
      case 'first_success': {
        const first = ok[0] ?? nothing(`no input succeeded (failed: ${failed.join(', ') || 'none'})`);
        return { mode, step: first.step, value: first.value, failed };
      }
      case 'majority': {
        const votes = new Map<string, { value: unknown; count: number }>();
        for (const input of ok) {
          const vote = at(input.value, field);
          if (vote === undefined) continue;
          const key = JSON.stringify(vote);
          votes.set(key, { value: vote, count: (votes.get(key)?.count ?? 0) + 1 });
        }
        const ranked = [...votes.values()].sort((a, b) => b.count - a.count); // stable: ties keep input order
        const top = ranked[0] ?? nothing(`no successful input has a value at "${field ?? '(result)'}"`);
        return {
          mode,
          winner: top.value,
          votes: top.count,
          total: ranked.reduce((n, v) => n + v.count, 0),
          tie: ranked.length > 1 && ranked[1]!.count === top.count,
          tally: ranked.map((v) => ({ value: v.value, votes: v.count })),
          failed,
        };
      }
      case 'weighted_average': {
        let sum = 0;
        let weights = 0;
        let count = 0;
        for (const input of ok) {
          const value = at(input.value, field);
          const weight = weightField ? at(input.value, weightField) : 1;
          if (typeof value !== 'number' || typeof weight !== 'number' || !Number.isFinite(value) || !(weight >= 0))
            continue;
          sum += value * weight;
          weights += weight;
          count++;
        }
        if (weights === 0)
          nothing(`no successful input has a number at "${field ?? '(result)'}" with a positive weight`);
        return { mode, value: sum / weights, totalWeight: weights, count, failed };
      }
    }
  },
});
