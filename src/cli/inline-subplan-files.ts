import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatProblem, SUBPLAN_TOOL } from '../plan';
import { parsePlanText } from '../plan/reading/parse';
import { usageError } from './errors';

/**
 * Replaces `parameters.file` of subplan steps with the plan that file holds (a path relative to the file that
 * names it), recursively: the workflow cannot read files, so the client sends sub-plans inline.
 */
export function inlineSubplanFiles(input: unknown, baseDir: string, seen: ReadonlySet<string> = new Set()): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const plan = input as Record<string, unknown>;
  const inline = (steps: unknown) =>
    Array.isArray(steps)
      ? steps.map((step) => {
          if (typeof step !== 'object' || step === null) return step;
          const { toolName, parameters } = step as { toolName?: unknown; parameters?: unknown };
          if (toolName !== SUBPLAN_TOOL || typeof parameters !== 'object' || parameters === null) return step;
          const { file, ...rest } = parameters as Record<string, unknown>;
          if (typeof file !== 'string') return step;
          const path = resolve(baseDir, file);
          if (seen.has(path)) throw usageError(`sub-plan file ${path} includes itself`);
          let text: string;
          try {
            text = readFileSync(path, 'utf8');
          } catch (err) {
            throw usageError(
              `sub-plan file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message} (${path})`,
            );
          }
          const parsed = parsePlanText(text, path);
          if (parsed.problems.length > 0) throw usageError(parsed.problems.map(formatProblem).join('\n'));
          const nested = inlineSubplanFiles(parsed.value, dirname(path), new Set([...seen, path]));
          return { ...step, parameters: { ...rest, plan: nested } };
        })
      : steps;
  return {
    ...plan,
    ...('steps' in plan ? { steps: inline(plan.steps) } : {}),
    ...('tasks' in plan ? { tasks: inline(plan.tasks) } : {}),
  };
}
