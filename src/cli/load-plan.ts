import { dirname, resolve } from 'node:path';
import { inlineSubplanFiles } from './inline-subplan-files';
import { checkPlan, formatProblem, MAX_PLAN_BYTES, type Plan, type ToolCatalog } from '../plan';
import { parsePlanText } from '../plan/reading/parse';
import { usageError } from './errors';
import { NO_SUCH_FILE, readBoundedFile } from '../files/read-bounded-file';

/** Reads, parses and validates a plan file; every problem on its own line, exit code 2. */
export function loadPlanFile(path: string, catalog: ToolCatalog): { plan: Plan; input: unknown } {
  const read = readBoundedFile(path, MAX_PLAN_BYTES);
  if ('refusal' in read) {
    throw usageError(read.refusal === NO_SUCH_FILE ? `no such file: ${path}` : `cannot read ${path}: ${read.refusal}`);
  }
  const parsed = parsePlanText(read.text, path);
  if (parsed.problems.length > 0) throw usageError(parsed.problems.map(formatProblem).join('\n'));
  const input = inlineSubplanFiles(parsed.value, dirname(resolve(path)), new Set([resolve(path)]));
  const { plan, problems } = checkPlan(input, catalog);
  if (!plan) throw usageError(`${path}: the plan is invalid\n${problems.map(formatProblem).join('\n')}`);
  return { plan, input };
}
