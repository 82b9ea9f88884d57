import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../types';

/** Reads a plan file's text (YAML, and so JSON too) into a value for normalizePlan, or says why it cannot. */
export function parsePlanText(text: string, sourceName?: string): { value: unknown; problems: Problem[] } {
  const fail = (message: string): { value: unknown; problems: Problem[] } => ({
    value: undefined,
    problems: [
      { stepId: null, field: null, message: sourceName === undefined ? message : `${sourceName}: ${message}` },
    ],
  });
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  // Later errors usually follow from the first, so only the first is worth reading.
  const error = document.errors[0];
  if (error !== undefined) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const at = sourceName === undefined ? `line ${line}, column ${col}` : `${sourceName}:${line}:${col}`;
    return {
      value: undefined,
      problems: [{ stepId: null, field: null, message: `${at}: syntax error: ${error.message}` }],
    };
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (thrown) {
    // Aliases are resolved only here: one to a missing anchor, or too many of them, throws.
    return fail(thrown instanceof Error ? thrown.message : String(thrown));
  }
  if (value == null) return fail('the plan is empty');
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      `a plan must be a mapping with a list of steps, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
    );
  }
  return { value, problems: [] };
}
