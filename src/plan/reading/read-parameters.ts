import { formatFieldPath } from './field-path';
import { isFields, own, report, type Fields, type Scope } from './fields';
import { nestsDeeperThan, nonJsonParts } from './json-value';
import { MAX_NESTING_DEPTH } from '../limits';

/** Reads a parameters field: an object, or (as batch-form plans write it) a string holding a JSON object or text. */
export function readParameters(scope: Scope, source: Fields): Record<string, unknown> | undefined {
  const value = own(source, 'parameters');
  if (value === undefined) return undefined;
  const parameters = typeof value === 'string' ? fromText(value) : value;
  if (!isFields(parameters)) {
    report(scope, 'parameters', 'must be an object (or a string)');
    return undefined;
  }
  // Checked first and without recursion: every later walk of the parameters recurses.
  if (nestsDeeperThan(parameters, MAX_NESTING_DEPTH)) {
    report(scope, 'parameters', `nests deeper than ${MAX_NESTING_DEPTH} levels of objects and lists`);
    return undefined;
  }
  for (const part of nonJsonParts(parameters)) {
    report(scope, formatFieldPath('parameters', part.path), `must be plain JSON, found ${part.found}`);
  }
  return parameters;
}

function fromText(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isFields(parsed)) return parsed;
  } catch {
    // Not JSON: the text itself is the tool's input.
  }
  return { input: text };
}
