import { isFields } from '../reading/fields';
import { asText, INTERPOLATION, isStoredResult, storedResultAt } from './stored-result';
import { REFERENCE_RESOLUTION_ERROR } from '../error-types';
import { MAX_REFERENCE_LENGTH, STEP_ID_PATTERN } from '../limits';
import { findPlaceholders } from './placeholders';

/** A reference to an earlier step's result, found in a step's parameters. */
export interface StepReference {
  stepId: string;
  /** Path inside the result; numeric segments index lists. */
  path: string[];
  /** Where in the parameters the string holding the reference sits. */
  location: (string | number)[];
}

/** Text that starts like a reference (`{{steps.`) but does not follow its grammar. */
export interface MalformedReference {
  text: string;
  location: (string | number)[];
}

/** Thrown when a reference cannot be resolved; stepId is null for a malformed reference. */
export class ReferenceResolutionError extends Error {
  constructor(
    message: string,
    readonly stepId: string | null,
    readonly path: readonly string[],
  ) {
    super(message);
    this.name = REFERENCE_RESOLUTION_ERROR;
  }
}

// Only `{{ steps.… }}` belongs to us: other `{{…}}` text (a mustache template for a tool) passes through untouched.
const PREFIX = 'steps.';
const SPACE = /\s/;
const INDEX = /^(0|[1-9][0-9]*)$/;

export const REFERENCE_SYNTAX = '{{steps.<id>.result}} or {{steps.<id>.result.<path>}}';

interface Parsed {
  stepId: string;
  path: string[];
}

// `steps.<id>.result` then `.<segment>`s, each non-empty and without whitespace; split, not a regex, so it is linear.
function parse(body: string): Parsed | null {
  if (body.length > MAX_REFERENCE_LENGTH) return null;
  const [steps, stepId, result, ...path] = body.split('.');
  if (steps !== 'steps' || stepId === undefined || !STEP_ID_PATTERN.test(stepId) || result !== 'result') return null;
  if (path.some((segment) => segment === '' || SPACE.test(segment))) return null;
  return { stepId, path };
}

/** Calls `visit` with every string inside a value (a step's parameters) and where it sits. */
export function visitStrings(
  value: unknown,
  location: (string | number)[],
  visit: (text: string, location: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, location);
  else if (Array.isArray(value))
    value.forEach((item: unknown, index) => visitStrings(item, [...location, index], visit));
  else if (isFields(value))
    for (const [key, item] of Object.entries(value)) visitStrings(item, [...location, key], visit);
}

/** Every well-formed reference inside a value (a step's parameters), with where it sits. */
export function referencedSteps(value: unknown): StepReference[] {
  const references: StepReference[] = [];
  visitStrings(value, [], (text, location) => {
    for (const { body } of findPlaceholders(text, PREFIX)) {
      const parsed = parse(body);
      if (parsed !== null) references.push({ ...parsed, location });
    }
  });
  return references;
}

/** Every `{{steps.…}}` inside a value that is not a well-formed reference. */
export function malformedReferences(value: unknown): MalformedReference[] {
  const malformed: MalformedReference[] = [];
  visitStrings(value, [], (text, location) => {
    for (const { whole, body } of findPlaceholders(text, PREFIX)) {
      if (parse(body) === null) malformed.push({ text: whole, location });
    }
  });
  return malformed;
}

/**
 * Replaces references with results: a string that is exactly one reference becomes the value itself,
 * any other string gets the values written into it (non-strings as JSON).
 */
export function resolveReferences(
  value: unknown,
  results: ReadonlyMap<string, unknown> | ((stepId: string) => unknown),
): unknown {
  const resultOf = typeof results === 'function' ? results : (stepId: string) => results.get(stepId);
  const resolve = (node: unknown): unknown => {
    if (typeof node === 'string') return resolveString(node, resultOf);
    if (Array.isArray(node)) return node.map(resolve);
    if (isFields(node)) return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, resolve(item)]));
    return node;
  };
  return resolve(value);
}

function resolveString(text: string, resultOf: (stepId: string) => unknown): unknown {
  const matches = findPlaceholders(text, PREFIX);
  if (matches.length === 0) return text;
  if (matches.length === 1 && matches[0]!.whole === text) return lookUp(text, matches[0]!.body, resultOf);
  // Text around stored results cannot be written here: the activity joins the parts once it has fetched them.
  const parts: unknown[] = [];
  let from = 0;
  for (const { index, whole, body } of matches) {
    parts.push(text.slice(from, index), lookUp(whole, body, resultOf));
    from = index + whole.length;
  }
  parts.push(text.slice(from));
  if (parts.some(isStoredResult)) return { [INTERPOLATION]: parts.filter((part) => part !== '') };
  return parts.map(asText).join('');
}

function lookUp(whole: string, body: string, resultOf: (stepId: string) => unknown): unknown {
  const parsed = parse(body);
  if (parsed === null) {
    throw new ReferenceResolutionError(`malformed reference "${whole}": write ${REFERENCE_SYNTAX}`, null, []);
  }
  const { stepId, path } = parsed;
  const found = resultOf(stepId);
  if (found === undefined) {
    throw new ReferenceResolutionError(`cannot resolve "${whole}": step "${stepId}" has no result`, stepId, path);
  }
  return followPath(found, path, whole, stepId);
}

/**
 * Walks `path` inside a step's result. A stored result met on the way is not walked here: the marker takes the
 * rest of the path, and the activity that fetches the value walks it with this same function.
 */
export function followPath(result: unknown, path: readonly string[], whole: string, stepId: string): unknown {
  let found = result;
  for (let depth = 0; depth < path.length; depth++) {
    if (isStoredResult(found)) return storedResultAt(found, path.slice(depth));
    found = member(found, path[depth]!);
    if (found === undefined) {
      const missing = path.slice(0, depth + 1).join('.');
      throw new ReferenceResolutionError(
        `cannot resolve "${whole}": the result of step "${stepId}" has nothing at "${missing}"`,
        stepId,
        [...path],
      );
    }
  }
  return found;
}

function member(container: unknown, segment: string): unknown {
  if (Array.isArray(container)) return INDEX.test(segment) ? (container[Number(segment)] as unknown) : undefined;
  if (isFields(container) && Object.hasOwn(container, segment)) return container[segment];
  return undefined;
}
