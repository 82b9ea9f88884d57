import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inlineSubplanFiles } from './inline-subplan-files';
import { checkPlan, formatProblem, type Plan, type ToolCatalog } from '../plan';
import { parsePlanText } from '../plan/reading/parse';
import { usageError } from './errors';

/** Reads, parses and validates a plan file; every problem on its own line, exit code 2. */
export function loadPlanFile(path: string, catalog: ToolCatalog): { plan: Plan; input: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = parsePlanText(text, path);
  if (parsed.problems.length > 0) throw usageError(parsed.problems.map(formatProblem).join('\n'));
  const input = inlineSubplanFiles(parsed.value, dirname(resolve(path)), new Set([resolve(path)]));
  const { plan, problems } = checkPlan(input, catalog);
  if (!plan) throw usageError(`${path}: the plan is invalid\n${problems.map(formatProblem).join('\n')}`);
  return { plan, input };
}
