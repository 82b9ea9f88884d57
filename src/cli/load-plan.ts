import { existsSync } from 'node:fs';
import { dirname, extname, resolve, sep } from 'node:path';
import { inlineSubplanFiles } from './inline-subplan-files';
import { checkPlan, MAX_PLAN_BYTES, type Plan, type ToolCatalog } from '../plan';
import { parsePlanText } from '../plan/reading/parse';
import { invalidPlan, noSuchFile, usageError } from './errors';
import { NO_SUCH_FILE, readBoundedFile } from '../files/read-bounded-file';

const PLAN_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Reads, parses and validates a plan file; every problem on its own line, exit code 2. */
export function loadPlanFile(path: string, catalog: ToolCatalog): { plan: Plan; input: unknown } {
  const read = readBoundedFile(path, MAX_PLAN_BYTES);
  if ('refusal' in read)
    throw read.refusal === NO_SUCH_FILE ? noSuchFile(path) : usageError(`cannot read ${path}: ${read.refusal}`);
  const parsed = parsePlanText(read.text, path);
  if (parsed.problems.length > 0) throw invalidPlan(parsed.problems);
  const input = inlineSubplanFiles(parsed.value, dirname(resolve(path)), new Set([resolve(path)]));
  const { plan, problems } = checkPlan(input, catalog);
  if (!plan) throw invalidPlan(problems, `${path}: the plan is invalid`);
  return { plan, input };
}

/**
 * Whether an argument that may be a plan file or a plan id is a file: one that exists is; one that looks like a file
 * (a path separator, a plan file's extension) but does not exist is "no such file" at once, rather than a plan id
 * looked up on a server; anything else is a plan id.
 */
export function isPlanFile(argument: string): boolean {
  if (existsSync(argument)) return true;
  const looksLikeFile =
    argument.includes('/') || argument.includes(sep) || PLAN_FILE_EXTENSIONS.includes(extname(argument).toLowerCase());
  if (looksLikeFile) throw noSuchFile(argument);
  return false;
}
