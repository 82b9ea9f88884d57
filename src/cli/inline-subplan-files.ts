import { realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { formatProblem, MAX_PLAN_BYTES, SUBPLAN_TOOL } from '../plan';
import { parsePlanText } from '../plan/reading/parse';
import { usageError } from './errors';
import { readBoundedFile } from '../files/read-bounded-file';

/**
 * Replaces `parameters.file` of subplan steps with the plan that file holds (a path relative to the file that
 * names it), recursively: the workflow cannot read files, so the client sends sub-plans inline. Plans are often
 * written by language models, so a file is read only from inside the top plan file's folder (symlinks resolved),
 * only a regular file, and only up to the plan size limit; anything else is refused naming the step and the file.
 */
export function inlineSubplanFiles(input: unknown, baseDir: string, seen: ReadonlySet<string> = new Set()): unknown {
  const root = realpathSync(baseDir);
  return inlineIn(input, baseDir, root, new Set([...seen].map((path) => realpathOr(path))));
}

function inlineIn(input: unknown, baseDir: string, root: string, seen: ReadonlySet<string>): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const plan = input as Record<string, unknown>;
  const inline = (steps: unknown) =>
    Array.isArray(steps)
      ? steps.map((step) => {
          if (typeof step !== 'object' || step === null) return step;
          const { id, toolName, parameters } = step as { id?: unknown; toolName?: unknown; parameters?: unknown };
          if (toolName !== SUBPLAN_TOOL || typeof parameters !== 'object' || parameters === null) return step;
          const { file, ...rest } = parameters as Record<string, unknown>;
          if (typeof file !== 'string') return step;
          const refuse = (why: string) =>
            usageError(`step ${JSON.stringify(id ?? '?')}: sub-plan file ${file}: ${why}`);
          const path = realpathOr(resolve(baseDir, file));
          if (path !== root && !path.startsWith(root + sep)) {
            throw refuse(`outside the plan's folder ${root} (it is ${path}); sub-plan files must be inside it`);
          }
          if (seen.has(path)) throw refuse(`includes itself (${path})`);
          const read = readBoundedFile(path, MAX_PLAN_BYTES);
          if ('refusal' in read) throw refuse(`${read.refusal} (${path})`);
          const parsed = parsePlanText(read.text, path);
          if (parsed.problems.length > 0) throw usageError(parsed.problems.map(formatProblem).join('\n'));
          const nested = inlineIn(parsed.value, dirname(path), root, new Set([...seen, path]));
          return { ...step, parameters: { ...rest, plan: nested } };
        })
      : steps;
  return {
    ...plan,
    ...('steps' in plan ? { steps: inline(plan.steps) } : {}),
    ...('tasks' in plan ? { tasks: inline(plan.tasks) } : {}),
  };
}

// The real path (symlinks followed) when the file exists; the path as given when not, so reading it says why.
function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
